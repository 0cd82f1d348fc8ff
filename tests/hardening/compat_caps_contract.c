// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_PPC_GET_COMPAT_CAPS against its contract, one KTAP case per rule:
 * an independent probe, on libc and the uapi headers only.
 *
 * Where the host answers (a well-formed request succeeds, the capability
 * is 1) every rule of the ioctl is checked, and the ARCH_COMPAT
 * consistency of the backend.  Where it does not (kvm-pr, KVM-HV with no
 * mode to report: -ENOTTY) only the cases that apply there are planned: the
 * capability is 0 and -ENOTTY comes before any user access, whatever the
 * argument.  Skips only when there is no /dev/kvm or no VM.
 */
#include "compat_caps.h"

#define NR_PAGES	3
#define NR_FRESH_VMS	4
#define REPEAT_CALLS	1000
#define CAPS_IN		0x5a5a5a5a5a5a5a5aULL

/*
 * Where the struct is in the buffer and how the pages around it are
 * protected.  Page 0 is always read-write and before the struct, so that
 * a write before it shows; the default puts the struct at page 1's start.
 */
enum layout {
	L_PAGE1,	/* page 1's start, all read-write */
	L_MISALIGNED,	/* page 1 + 3 */
	L_CROSS_12,	/* 12 bytes before page 2, all read-write */
	L_CROSS_24,	/* 24 bytes before page 2 (the tail in page 2) */
	L_NONE,		/* page 1's start, pages 1 and 2 PROT_NONE */
	L_RO,		/* page 1's start, pages 1 and 2 read-only */
	L_SIZE_STRADDLES_NONE,	/* 4 bytes before page 2, PROT_NONE */
	L_NONE_AFTER_8,	/* only size readable, page 2 PROT_NONE */
	L_NONE_AFTER_16,	/* size, flags read-write, page 2 PROT_NONE */
	L_NONE_AFTER_24,	/* the tail in a PROT_NONE page 2 */
	L_RO_AFTER_16,	/* size, flags read-write, page 2 read-only */
	L_RO_AFTER_24,	/* the tail in a read-only page 2 */
	L_RO_SIZE,	/* size in a read-only page 1, the rest read-write */
};

struct req {
	const char *what;
	__u64 size;
	__u64 flags;
	bool set_caps;	/* write caps_in, else the field holds CC_FILL */
	__u64 caps_in;
	size_t tail;	/* struct offset of a 0x80 tail byte, 0: none */
	enum layout layout;
};

/* One KTAP case: how many calls it made and how many broke a rule. */
struct tally {
	const char *name;
	int calls;
	int bad;
};

static struct cc_host host;
static struct cc_buf buf;
static size_t page_size;
static __u8 *snap;	/* the buffer before a call */
static __u8 *want_mem;	/* what it must hold after */

/* Every error call: nothing written but the -E2BIG size write-back. */
static struct tally nothing_written = { .name = "nothing_written_on_error" };

static void layout_of(enum layout l, size_t *off, int *prot)
{
	const int RW = PROT_READ | PROT_WRITE, RO = PROT_READ, NO = PROT_NONE;
	size_t p = page_size;

	prot[0] = RW;
	prot[1] = RW;
	prot[2] = RW;
	*off = p;
	switch (l) {
	case L_PAGE1:
		break;
	case L_MISALIGNED:
		*off = p + 3;
		break;
	case L_CROSS_12:
		*off = 2 * p - 12;
		break;
	case L_CROSS_24:
		*off = 2 * p - 24;
		break;
	case L_NONE:
		prot[1] = NO;
		prot[2] = NO;
		break;
	case L_RO:
		prot[1] = RO;
		prot[2] = RO;
		break;
	case L_SIZE_STRADDLES_NONE:
		*off = 2 * p - 4;
		prot[2] = NO;
		break;
	case L_NONE_AFTER_8:
		*off = 2 * p - 8;
		prot[2] = NO;
		break;
	case L_NONE_AFTER_16:
		*off = 2 * p - 16;
		prot[2] = NO;
		break;
	case L_NONE_AFTER_24:
		*off = 2 * p - 24;
		prot[2] = NO;
		break;
	case L_RO_AFTER_16:
		*off = 2 * p - 16;
		prot[2] = RO;
		break;
	case L_RO_AFTER_24:
		*off = 2 * p - 24;
		prot[2] = RO;
		break;
	case L_RO_SIZE:
		*off = 2 * p - 8;
		prot[1] = RO;
		break;
	}
}

static void put_field(size_t off, __u64 val)
{
	size_t i;

	for (i = 0; i < 8 && off + i < cc_buf_len(&buf); i++)
		buf.map[off + i] = val >> (8 * i);
}

static void report(struct tally *t, const char *what, const char *fmt, ...)
	__printf(3, 4);

static void report(struct tally *t, const char *what, const char *fmt, ...)
{
	va_list ap;

	t->bad++;
	printf("# %s: %s: ", t->name, what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/*
 * Issue @q; its result must be @want (counted in @rc_t, with the size
 * write-back of -E2BIG), and the memory must be what the result allows:
 * the answer on success (counted in @ok_t), nothing but the size
 * write-back on -E2BIG, nothing outside the struct on -EFAULT, nothing
 * at all on any other error (counted in nothing_written).
 */
static void expect(struct tally *rc_t, struct tally *ok_t,
		   const struct req *q, int want)
{
	size_t len = cc_buf_len(&buf), off, end, i;
	int prot[NR_PAGES];
	struct tally *mem_t = &nothing_written;
	long bad;
	int r;

	layout_of(q->layout, &off, prot);
	end = q->size > len - off ? len : off + q->size;

	cc_buf_open(&buf);
	memset(buf.map, CC_FILL, len);
	put_field(off + CC_OFF_SIZE, q->size);
	put_field(off + CC_OFF_FLAGS, q->flags);
	if (q->set_caps)
		put_field(off + CC_OFF_CAPS, q->caps_in);
	for (i = off + CC_KSIZE; i < end; i++)
		buf.map[i] = 0;
	if (q->tail)
		buf.map[off + q->tail] = 0x80;
	memcpy(snap, buf.map, len);
	memcpy(want_mem, snap, len);

	cc_buf_protect(&buf, prot);
	r = cc_ioctl(host.vm_fd, buf.map + off);
	cc_buf_open(&buf);

	rc_t->calls++;
	if (r != want)
		report(rc_t, q->what, "%s, expected %s", cc_err_name(r),
		       cc_err_name(want));

	switch (r) {
	case 0:
		mem_t = ok_t ? ok_t : rc_t;
		cc_put_u64(want_mem + off + CC_OFF_SIZE,
			   q->size < CC_KSIZE ? q->size : CC_KSIZE);
		cc_put_u64(want_mem + off + CC_OFF_FLAGS, 0);
		cc_put_u64(want_mem + off + CC_OFF_CAPS, host.mask);
		bad = cc_first_diff(buf.map, want_mem, 0, len, 0, 0);
		break;
	case -E2BIG:
		if (cc_get_u64(buf.map + off) != CC_KSIZE)
			report(want == -E2BIG ? rc_t : mem_t, q->what,
			       "-E2BIG with size 0x%llx written back, expected %llu",
			       cc_get_u64(buf.map + off), CC_KSIZE);
		bad = cc_first_diff(buf.map, want_mem, 0, len, off, off + 8);
		break;
	case -EFAULT:
		/* After -EFAULT the struct's content is unspecified. */
		bad = cc_first_diff(buf.map, want_mem, 0, len, off, end);
		break;
	default:
		bad = cc_first_diff(buf.map, want_mem, 0, len, 0, 0);
		break;
	}
	if (mem_t != rc_t)
		mem_t->calls++;
	if (bad >= 0)
		report(mem_t, q->what,
		       "%s, then byte %+ld of the struct is 0x%02x, expected 0x%02x",
		       cc_err_name(r), bad - (long)off, buf.map[bad],
		       want_mem[bad]);
}

/* The same with a raw pointer: nothing to compare. */
static void expect_ptr(struct tally *t, const char *what, const void *p,
		       int want)
{
	int r = cc_ioctl(host.vm_fd, p);

	t->calls++;
	if (r != want)
		report(t, what, "%s, expected %s", cc_err_name(r),
		       cc_err_name(want));
}

static void result(struct tally *t)
{
	ksft_test_result(t->calls && !t->bad, "%s\n", t->name);
}

static void *unmapped_address(void)
{
	/* The guard page before the buffer is PROT_NONE; use one unmapped. */
	void *p = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		ksft_exit_fail_perror("mmap");
	munmap(p, page_size);
	return p;
}

/* KVM_CHECK_EXTENSION on /dev/kvm and on the vm fd. */
static void test_caps(void)
{
	int want = host.answers ? 1 : 0;

	if (host.cap_dev != want)
		ksft_print_msg("cap_dev_kvm: %d on /dev/kvm, expected %d (VER0 request: %s)\n",
			       host.cap_dev, want, cc_err_name(host.probe));
	ksft_test_result(host.cap_dev == want, "cap_dev_kvm\n");
	if (host.cap_vm != want)
		ksft_print_msg("cap_vm: %d on the vm fd, expected %d (VER0 request: %s)\n",
			       host.cap_vm, want, cc_err_name(host.probe));
	ksft_test_result(host.cap_vm == want, "cap_vm\n");
}

/* Rule 8, VER0: placement free, the answer only defined bits, not empty. */
static void test_success_ver0(void)
{
	struct tally t = { .name = "success_ver0" };
	struct req q[] = {
		{ .what = "size 24 at a page's start", .size = 24 },
		{ .what = "size 24 at an odd address", .size = 24,
		  .layout = L_MISALIGNED },
		{ .what = "size 24 across a page boundary", .size = 24,
		  .layout = L_CROSS_12 },
	};
	size_t i;

	if (host.probe)
		report(&t, "first VER0 request", "%s", cc_err_name(host.probe));
	else if (!host.mask || host.mask & ~KVM_PPC_COMPAT_BITMASK)
		report(&t, "first VER0 request", "compat_capabilities 0x%016llx: %s",
		       host.mask, host.mask ? "undefined bits" : "empty");
	for (i = 0; i < ARRAY_SIZE(q); i++)
		expect(&t, NULL, &q[i], 0);
	result(&t);
}

/* Rule 2: the size cannot be read. */
static void test_efault_size(void)
{
	struct tally t = { .name = "efault_size" };
	struct req q[] = {
		{ .what = "size in a PROT_NONE page", .size = 24,
		  .layout = L_NONE },
		{ .what = "size straddling into a PROT_NONE page",
		  .size = 24, .layout = L_SIZE_STRADDLES_NONE },
	};
	size_t i;

	expect_ptr(&t, "NULL", NULL, -EFAULT);
	expect_ptr(&t, "unmapped address", unmapped_address(), -EFAULT);
	for (i = 0; i < ARRAY_SIZE(q); i++)
		expect(&t, NULL, &q[i], -EFAULT);
	result(&t);
}

/* Rule 3, before anything but the size is read. */
static void test_einval_small(void)
{
	struct tally t = { .name = "einval_small" };
	struct req q[] = {
		{ .what = "size 0", .size = 0 },
		{ .what = "size 1", .size = 1 },
		{ .what = "size 8", .size = 8 },
		{ .what = "size 16", .size = 16 },
		{ .what = "size 23", .size = 23 },
		{ .what = "size 16, flags 1", .size = 16, .flags = 1 },
		{ .what = "size 8, the rest PROT_NONE", .size = 8,
		  .layout = L_NONE_AFTER_8 },
		{ .what = "size 16, read-only", .size = 16, .layout = L_RO },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(q); i++)
		expect(&t, NULL, &q[i], -EINVAL);
	result(&t);
}

/* Rules 4 and 6: larger than a page, whatever follows; size written back. */
static void test_e2big_page(void)
{
	struct tally t = { .name = "e2big_page_writeback" };
	struct req q[] = {
		{ .what = "size PAGE_SIZE + 1", .size = page_size + 1 },
		{ .what = "size PAGE_SIZE + 8", .size = page_size + 8 },
		{ .what = "size 1M", .size = 1ULL << 20 },
		{ .what = "size 2^63", .size = 1ULL << 63 },
		{ .what = "size 2^64 - 1", .size = ~0ULL },
		{ .what = "size PAGE_SIZE + 1, flags 1 (rule 4 first)",
		  .size = page_size + 1, .flags = 1 },
		{ .what = "size PAGE_SIZE + 1, the rest PROT_NONE",
		  .size = page_size + 1, .layout = L_NONE_AFTER_8 },
		{ .what = "size PAGE_SIZE + 1 at an odd address",
		  .size = page_size + 1, .layout = L_MISALIGNED },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(q); i++)
		expect(&t, NULL, &q[i], -E2BIG);
	result(&t);
}

/* Rules 5 and 6: a non-zero byte past 24 bytes; size written back. */
static void test_e2big_tail(void)
{
	struct tally t = { .name = "e2big_tail_writeback" };
	__u64 p = page_size;
	struct req q[] = {
		{ .what = "size 25, byte 24", .size = 25, .tail = 24 },
		{ .what = "size 32, byte 24", .size = 32, .tail = 24 },
		{ .what = "size 32, byte 31", .size = 32, .tail = 31 },
		{ .what = "size 64, byte 40", .size = 64, .tail = 40 },
		{ .what = "size 64, byte 63", .size = 64, .tail = 63 },
		{ .what = "size PAGE_SIZE, byte 24", .size = p, .tail = 24 },
		{ .what = "size PAGE_SIZE, middle byte", .size = p,
		  .tail = p / 2 },
		{ .what = "size PAGE_SIZE, last byte", .size = p,
		  .tail = p - 1 },
		{ .what = "size 64, byte 63, flags 1 (rule 5 first)",
		  .size = 64, .flags = 1, .tail = 63 },
		{ .what = "size 40, last byte, odd address", .size = 40,
		  .tail = 39, .layout = L_MISALIGNED },
		{ .what = "size 64, byte 40 in the next page", .size = 64,
		  .tail = 40, .layout = L_CROSS_24 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(q); i++)
		expect(&t, NULL, &q[i], -E2BIG);
	result(&t);
}

/*
 * Rules 5 and 8: a larger struct with a zero tail is accepted; the answer
 * fills 24 bytes, size = 24, the tail zero, nothing else written.  The
 * zeroing is a write: a read-only zero tail is -EFAULT (in efault_struct).
 */
static void test_zero_tail(void)
{
	struct tally t = { .name = "zero_tail_accepted" };
	struct tally z = { .name = "success_larger_zeroed" };
	__u64 p = page_size;
	struct req q[] = {
		{ .what = "size 25", .size = 25 },
		{ .what = "size 32", .size = 32 },
		{ .what = "size 64", .size = 64 },
		{ .what = "size 4095", .size = 4095 },
		{ .what = "size PAGE_SIZE", .size = p },
		{ .what = "size 64, the tail in the next page", .size = 64,
		  .layout = L_CROSS_24 },
		{ .what = "size PAGE_SIZE, odd address", .size = p,
		  .layout = L_MISALIGNED },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(q); i++)
		if (q[i].size <= p)
			expect(&t, &z, &q[i], 0);
	result(&t);
	result(&z);
}

/* Rule 7, after the size rules. */
static void test_flags(void)
{
	struct tally t = { .name = "flags_einval" };
	struct req q[] = {
		{ .what = "flags 1", .size = 24, .flags = 1 },
		{ .what = "flags 1 << 63", .size = 24, .flags = 1ULL << 63 },
		{ .what = "flags all ones", .size = 24, .flags = ~0ULL },
		{ .what = "flags 0x5a5a5a5a5a5a5a5a", .size = 24,
		  .flags = CAPS_IN },
		{ .what = "flags 1, size 64, zero tail", .size = 64,
		  .flags = 1 },
		{ .what = "flags 1, size PAGE_SIZE, zero tail",
		  .size = page_size, .flags = 1 },
		{ .what = "flags 1, read-only (before any write)", .size = 24,
		  .flags = 1, .layout = L_RO },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(q); i++)
		expect(&t, NULL, &q[i], -EINVAL);
	result(&t);
}

/* Rule 7: what the output field holds on input changes nothing. */
static void test_output_ignored(void)
{
	struct tally t = { .name = "output_ignored" };
	struct req q[] = {
		{ .what = "caps 0", .size = 24, .set_caps = true,
		  .caps_in = 0 },
		{ .what = "caps all ones", .size = 24, .set_caps = true,
		  .caps_in = ~0ULL },
		{ .what = "caps KVM_PPC_COMPAT_BITMASK", .size = 24,
		  .set_caps = true, .caps_in = KVM_PPC_COMPAT_BITMASK },
		{ .what = "caps ~KVM_PPC_COMPAT_BITMASK", .size = 24,
		  .set_caps = true, .caps_in = ~KVM_PPC_COMPAT_BITMASK },
		{ .what = "caps all ones, size 64", .size = 64,
		  .set_caps = true, .caps_in = ~0ULL },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(q); i++)
		expect(&t, NULL, &q[i], 0);
	result(&t);
}

/* Rules 5, 6 and 8: what must be read or written cannot be. */
static void test_efault_struct(void)
{
	struct tally t = { .name = "efault_struct" };
	__u64 p = page_size;
	struct req q[] = {
		{ .what = "read-only, size 24", .size = 24, .layout = L_RO },
		{ .what = "read-only size, the rest writable", .size = 24,
		  .layout = L_RO_SIZE },
		{ .what = "read-only caps", .size = 24,
		  .layout = L_RO_AFTER_16 },
		{ .what = "PROT_NONE caps", .size = 24,
		  .layout = L_NONE_AFTER_16 },
		{ .what = "PROT_NONE caps, size 32", .size = 32,
		  .layout = L_NONE_AFTER_16 },
		{ .what = "size 32, read-only zero tail", .size = 32,
		  .layout = L_RO_AFTER_24 },
		{ .what = "size 32, PROT_NONE tail", .size = 32,
		  .layout = L_NONE_AFTER_24 },
		{ .what = "read-only, size PAGE_SIZE + 1 (write-back fails)",
		  .size = p + 1, .layout = L_RO },
		{ .what = "read-only, size 64, byte 63 (write-back fails)",
		  .size = 64, .tail = 63, .layout = L_RO },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(q); i++)
		expect(&t, NULL, &q[i], -EFAULT);
	result(&t);
}

/*
 * KVM_CHECK_EXTENSION's promise: 1 means a well-formed request gets 0,
 * on every VM, with the same answer every time (the set never changes).
 */
static void test_cap_one(void)
{
	struct tally t = { .name = "cap_one_means_success" };
	struct kvm_ppc_compat_caps caps;
	int i, fd, cap, r, differ = 0;

	for (i = 0; i < NR_FRESH_VMS; i++) {
		t.calls++;
		fd = cc_create_vm(host.kvm_fd);
		if (fd < 0) {
			report(&t, "KVM_CREATE_VM", "%s", cc_err_name(fd));
			continue;
		}
		cap = cc_check_extension(fd);
		r = cc_query(fd, &caps);
		if (cap != 1 || r || !cc_answer_ok(&caps) ||
		    caps.compat_capabilities != host.mask)
			report(&t, "fresh VM",
			       "capability %d, VER0 request %s, size %llu, flags 0x%llx, compat_capabilities 0x%016llx",
			       cap, cc_err_name(r), caps.size, caps.flags,
			       caps.compat_capabilities);
		close(fd);
	}
	for (i = 0; i < REPEAT_CALLS; i++) {
		r = cc_query(host.vm_fd, &caps);
		if (r || !cc_answer_ok(&caps) || caps.compat_capabilities != host.mask)
			differ++;
	}
	t.calls += REPEAT_CALLS;
	if (host.cap_vm != 1 || host.probe || differ)
		report(&t, "first VM",
		       "capability %d, VER0 request %s, %d of %d repeated calls differ",
		       host.cap_vm, cc_err_name(host.probe), differ, REPEAT_CALLS);
	result(&t);
}

static const struct {
	const char *name;
	__u64 bit;
	__u32 pvr;
} modes[] = {
	{ "POWER9", KVM_PPC_COMPAT_CAP_POWER9, CC_PVR_ARCH_300 },
	{ "POWER10", KVM_PPC_COMPAT_CAP_POWER10, CC_PVR_ARCH_31 },
	{ "POWER11", KVM_PPC_COMPAT_CAP_POWER11, CC_PVR_ARCH_31_P11 },
};

/*
 * A mode is reported iff KVM_SET_ONE_REG(KVM_REG_PPC_ARCH_COMPAT) with its
 * logical PVR succeeds on a vCPU of that VM with KVM_CAP_PPC_PAPR enabled
 * (as QEMU's pseries does).  A fresh VM and vCPU per mode.
 */
static void test_arch_compat(void)
{
	struct tally t = { .name = "arch_compat_consistency" };
	struct kvm_enable_cap papr = { .cap = KVM_CAP_PPC_PAPR };
	struct kvm_ppc_compat_caps caps;
	struct kvm_one_reg reg;
	bool reported, accepted;
	int vm, vcpu, r;
	size_t i;
	__u32 val;

	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		t.calls++;
		vm = cc_create_vm(host.kvm_fd);
		if (vm < 0) {
			report(&t, modes[i].name, "KVM_CREATE_VM: %s", cc_err_name(vm));
			continue;
		}
		r = cc_query(vm, &caps);
		if (r || caps.compat_capabilities != host.mask)
			report(&t, modes[i].name, "VER0 request %s, 0x%016llx",
			       cc_err_name(r), caps.compat_capabilities);
		vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
		if (vcpu < 0) {
			report(&t, modes[i].name, "KVM_CREATE_VCPU: %s",
			       strerror(errno));
			close(vm);
			continue;
		}
		if (ioctl(vcpu, KVM_ENABLE_CAP, &papr))
			report(&t, modes[i].name, "KVM_ENABLE_CAP(KVM_CAP_PPC_PAPR): %s",
			       strerror(errno));
		val = modes[i].pvr;
		reg.id = KVM_REG_PPC_ARCH_COMPAT;
		reg.addr = (unsigned long)&val;
		r = ioctl(vcpu, KVM_SET_ONE_REG, &reg) ? -errno : 0;
		accepted = !r;
		reported = host.mask & modes[i].bit;
		ksft_print_msg("%s: reported %d, KVM_SET_ONE_REG(ARCH_COMPAT, 0x%08x) %s\n",
			       modes[i].name, reported, modes[i].pvr,
			       cc_err_name(r));
		if (reported != accepted)
			report(&t, modes[i].name, "reported %d but ARCH_COMPAT 0x%08x %s",
			       reported, modes[i].pvr,
			       accepted ? "accepted" : "refused");
		close(vcpu);
		close(vm);
	}
	result(&t);
}

/* Rule 1: no backend, -ENOTTY before any user memory is touched. */
static void test_enotty_before_access(void)
{
	struct tally t = { .name = "enotty_before_access" };
	struct req q[] = {
		{ .what = "size in a PROT_NONE page", .size = 24,
		  .layout = L_NONE },
		{ .what = "size straddling into a PROT_NONE page",
		  .size = 24, .layout = L_SIZE_STRADDLES_NONE },
		{ .what = "read-only", .size = 24, .layout = L_RO },
		{ .what = "read-only, size PAGE_SIZE + 1",
		  .size = page_size + 1, .layout = L_RO },
	};
	size_t i;

	expect_ptr(&t, "NULL", NULL, -ENOTTY);
	expect_ptr(&t, "unmapped address", unmapped_address(), -ENOTTY);
	for (i = 0; i < ARRAY_SIZE(q); i++)
		expect(&t, NULL, &q[i], -ENOTTY);
	result(&t);
}

/* Rule 1 again: whatever the request, and with no size write-back. */
static void test_enotty_any_request(void)
{
	struct tally t = { .name = "enotty_any_request" };
	struct req q[] = {
		{ .what = "size 24", .size = 24 },
		{ .what = "size 24, odd address", .size = 24,
		  .layout = L_MISALIGNED },
		{ .what = "size 64, zero tail", .size = 64 },
		{ .what = "size 0", .size = 0 },
		{ .what = "size 8", .size = 8 },
		{ .what = "flags 1", .size = 24, .flags = 1 },
		{ .what = "size 64, byte 63", .size = 64, .tail = 63 },
		{ .what = "size PAGE_SIZE + 1", .size = page_size + 1 },
		{ .what = "size 2^64 - 1", .size = ~0ULL },
		{ .what = "size 8, the rest PROT_NONE", .size = 8,
		  .layout = L_NONE_AFTER_8 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(q); i++)
		expect(&t, NULL, &q[i], -ENOTTY);
	result(&t);
}

int main(void)
{
	ksft_print_header();
	cc_host_open(&host);
	page_size = host.page_size;
	cc_buf_init(&buf, NR_PAGES);
	snap = malloc(cc_buf_len(&buf));
	want_mem = malloc(cc_buf_len(&buf));
	if (!snap || !want_mem)
		ksft_exit_fail_msg("malloc\n");

	if (!host.answers) {
		ksft_set_plan(5);
		test_caps();
		test_enotty_before_access();
		test_enotty_any_request();
		result(&nothing_written);
	} else {
		ksft_set_plan(15);
		test_caps();
		test_success_ver0();
		test_efault_size();
		test_einval_small();
		test_e2big_page();
		test_e2big_tail();
		test_zero_tail();
		test_flags();
		test_output_ignored();
		test_efault_struct();
		result(&nothing_written);
		test_cap_one();
		test_arch_compat();
	}

	cc_buf_free(&buf);
	cc_host_close(&host);
	ksft_finished();
}
