// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_PPC_GET_COMPAT_CAPS with hostile input: a seeded random walk over
 * the size, flags, tail and placement of the struct (page boundaries,
 * guard pages, read-only and PROT_NONE pages, misaligned addresses, NULL).
 * The result of every call is computed here from the contract's rules and
 * the bytes and protections as they were before the call, and the memory
 * around the struct is checked after it: nothing but the answer on
 * success, nothing but the size on -E2BIG, nothing on -EINVAL and
 * -ENOTTY; after -EFAULT only what lies outside the struct's [0, size).
 *
 * One KTAP case per expected result (random_success, random_einval,
 * random_e2big, random_efault where the host answers; random_enotty where
 * it does not): each must have been drawn and every call matched.
 *
 * Environment:
 *   COMPAT_CAPS_SEED   seed to replay (decimal or 0x hex); printed either way
 *   COMPAT_CAPS_ITERS  iterations (default 5000)
 */
#include <time.h>

#include "compat_caps.h"

#define DEFAULT_ITERS	5000
#define MAX_REPORTS	10
/* Bytes filled and checked on either side of the struct. */
#define MARGIN		256
/*
 * Pages 0-2 each get a random protection per iteration, between the
 * buffer's PROT_NONE guard pages.  The struct starts in page 0 or 1; what
 * it spans of its size (at most a page) stays inside the buffer.
 */
#define NR_PAGES	3

enum class {
	C_SUCCESS,
	C_EINVAL,
	C_E2BIG,
	C_EFAULT,
	C_ENOTTY,
	NR_CLASSES,
};

static const char * const class_name[NR_CLASSES] = {
	"random_success", "random_einval", "random_e2big", "random_efault",
	"random_enotty",
};

static __u64 rng_state;

static __u64 rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static __u64 rnd_below(__u64 n)
{
	return n ? rnd() % n : 0;
}

static struct cc_host host;
static struct cc_buf buf;
static size_t page_size;
static __u8 *snap;	/* the buffer before the call */
static __u8 *want;	/* what it must hold after */

static bool range_ok(bool (*ok)(const struct cc_buf *, size_t), size_t off,
		     size_t len)
{
	size_t i;

	for (i = off; i < off + len; i++)
		if (!ok(&buf, i))
			return false;
	return true;
}

struct model {
	int err;
	bool write_size;	/* -E2BIG: size written back */
	bool write_answer;	/* success: the answer written */
	bool efault_ok;		/* -EFAULT acceptable instead of -E2BIG */
};

/*
 * What the contract says a call with the struct at @off gives, from the
 * bytes before the call and the protection of every page.
 */
static struct model model(size_t off)
{
	struct model m = { 0 };
	__u64 usize, i;

	/* Rule 1 */
	if (!host.answers) {
		m.err = -ENOTTY;
		return m;
	}
	/* Rule 2 */
	if (!range_ok(cc_buf_readable, off, 8)) {
		m.err = -EFAULT;
		return m;
	}
	usize = cc_get_u64(snap + off);
	/* Rule 3 */
	if (usize < KVM_PPC_COMPAT_CAPS_SIZE_VER0) {
		m.err = -EINVAL;
		return m;
	}
	/* Rule 4 */
	if (usize > page_size)
		goto e2big;
	/* Rule 5: the first unreadable or non-zero tail byte decides. */
	for (i = CC_KSIZE; i < usize; i++) {
		if (!cc_buf_readable(&buf, off + i)) {
			m.err = -EFAULT;
			return m;
		}
		if (snap[off + i]) {
			/*
			 * An implementation that reads the whole tail before
			 * looking may see a fault further on first.
			 */
			m.efault_ok = !range_ok(cc_buf_readable, off + i,
						usize - i);
			goto e2big;
		}
	}
	/* The struct itself must be read. */
	if (!range_ok(cc_buf_readable, off, CC_KSIZE)) {
		m.err = -EFAULT;
		return m;
	}
	/* Rule 7 */
	if (cc_get_u64(snap + off + CC_OFF_FLAGS)) {
		m.err = -EINVAL;
		return m;
	}
	/* Rule 8: min(usize, 24) bytes filled and the tail zeroed. */
	if (!range_ok(cc_buf_writable, off, usize)) {
		m.err = -EFAULT;
		return m;
	}
	m.write_answer = true;
	return m;

e2big:
	/* Rule 6 */
	if (!range_ok(cc_buf_writable, off, 8)) {
		m.err = -EFAULT;
		m.efault_ok = false;
		return m;
	}
	m.err = -E2BIG;
	m.write_size = true;
	return m;
}

static enum class class_of(int err)
{
	switch (err) {
	case 0:
		return C_SUCCESS;
	case -EINVAL:
		return C_EINVAL;
	case -E2BIG:
		return C_E2BIG;
	case -EFAULT:
		return C_EFAULT;
	default:
		return C_ENOTTY;
	}
}

static __u64 pick_size(void)
{
	switch (rnd_below(10)) {
	case 0:
		return rnd_below(KVM_PPC_COMPAT_CAPS_SIZE_VER0);
	case 1:
	case 2:
		return KVM_PPC_COMPAT_CAPS_SIZE_VER0;
	case 3:
	case 4:
		return CC_KSIZE + 1 + rnd_below(128);
	case 5:
		return CC_KSIZE + 1 + rnd_below(page_size - CC_KSIZE);
	case 6:
		return page_size - rnd_below(4);
	case 7:
		return page_size + 1 + rnd_below(4);
	case 8:
		return rnd();
	default:
		return 1ULL << rnd_below(64);
	}
}

static __u64 pick_flags(void)
{
	switch (rnd_below(8)) {
	case 0:
		return 1ULL << rnd_below(64);
	case 1:
		return rnd();
	default:
		return 0;
	}
}

static int pick_prot(void)
{
	switch (rnd_below(6)) {
	case 0:
		return PROT_READ;
	case 1:
		return PROT_NONE;
	default:
		return PROT_READ | PROT_WRITE;
	}
}

/* Offset of the struct in the buffer, near the interesting places. */
static size_t pick_off(void)
{
	size_t page = rnd_below(2) * page_size;

	switch (rnd_below(5)) {
	case 0:
		return page;
	case 1:
		return page + rnd_below(page_size);
	case 2:
		return page + page_size - 1 - rnd_below(48);
	case 3:
		return page + page_size - 8 * (1 + rnd_below(6));
	default:
		return page + 8 * rnd_below(page_size / 8);
	}
}

static void fill_random(__u8 *p, size_t len)
{
	__u64 v;

	while (len >= 8) {
		v = rnd();
		memcpy(p, &v, 8);
		p += 8;
		len -= 8;
	}
	while (len--)
		*p++ = rnd();
}

static void put_field(size_t off, size_t hi, __u64 val)
{
	size_t i;

	for (i = 0; i < 8 && off + i < hi; i++)
		buf.map[off + i] = val >> (8 * i);
}

int main(void)
{
	const char *seed_env = getenv("COMPAT_CAPS_SEED");
	const char *iters_env = getenv("COMPAT_CAPS_ITERS");
	unsigned long iters = DEFAULT_ITERS, it, reports = 0;
	unsigned long drawn[NR_CLASSES] = { 0 }, bad[NR_CLASSES] = { 0 };
	int prot[NR_PAGES];
	struct timespec ts;
	size_t len;
	__u64 seed;
	int c;

	ksft_print_header();
	if (seed_env) {
		seed = strtoull(seed_env, NULL, 0);
	} else {
		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
		seed ^= (__u64)getpid() << 32;
	}
	if (iters_env)
		iters = strtoul(iters_env, NULL, 0);
	rng_state = seed ? seed : 1;
	ksft_print_msg("seed: %llu (replay with COMPAT_CAPS_SEED=%llu), %lu iterations\n",
		       seed, seed, iters);

	cc_host_open(&host);
	page_size = host.page_size;
	cc_buf_init(&buf, NR_PAGES);
	len = cc_buf_len(&buf);
	snap = malloc(len);
	want = malloc(len);
	if (!snap || !want)
		ksft_exit_fail_msg("malloc\n");
	ksft_set_plan(host.answers ? 4 : 1);

	for (it = 0; it < iters; it++) {
		size_t off = pick_off(), lo, hi, end, i;
		__u64 size = pick_size(), flags = pick_flags();
		struct model m;
		long first_bad;
		bool ok;
		int r;

		if (!rnd_below(100)) {
			c = host.answers ? C_EFAULT : C_ENOTTY;
			drawn[c]++;
			r = cc_ioctl(host.vm_fd, NULL);
			if (r != (host.answers ? -EFAULT : -ENOTTY)) {
				bad[c]++;
				if (reports++ < MAX_REPORTS)
					ksft_print_msg("iteration %lu: NULL: %s\n",
						       it, cc_err_name(r));
			}
			continue;
		}

		/* The window this iteration fills and checks. */
		end = off + (size < page_size ? size : page_size);
		lo = off > MARGIN ? off - MARGIN : 0;
		hi = end + MARGIN < len ? end + MARGIN : len;

		cc_buf_open(&buf);
		fill_random(buf.map + lo, hi - lo);
		put_field(off + CC_OFF_SIZE, hi, size);
		put_field(off + CC_OFF_FLAGS, hi, flags);
		/* Mostly a zero tail, sometimes with one non-zero byte. */
		if (rnd_below(4) && end > off + CC_KSIZE) {
			memset(buf.map + off + CC_KSIZE, 0, end - off - CC_KSIZE);
			if (!rnd_below(3))
				buf.map[off + CC_KSIZE +
					rnd_below(end - off - CC_KSIZE)] =
					1 + rnd_below(255);
		}
		memcpy(snap + lo, buf.map + lo, hi - lo);

		for (i = 0; i < NR_PAGES; i++)
			prot[i] = pick_prot();
		cc_buf_protect(&buf, prot);
		m = model(off);
		c = class_of(m.err);
		drawn[c]++;

		r = cc_ioctl(host.vm_fd, buf.map + off);
		cc_buf_open(&buf);

		memcpy(want + lo, snap + lo, hi - lo);
		if (r == -EFAULT && (m.err == -EFAULT || m.efault_ok)) {
			/* The struct's content is unspecified. */
			ok = true;
			first_bad = cc_first_diff(buf.map, want, lo, hi, off, end);
		} else {
			ok = r == m.err;
			if (m.write_size || m.write_answer)
				cc_put_u64(want + off + CC_OFF_SIZE, CC_KSIZE);
			if (m.write_answer) {
				cc_put_u64(want + off + CC_OFF_FLAGS, 0);
				cc_put_u64(want + off + CC_OFF_CAPS, host.mask);
			}
			first_bad = cc_first_diff(buf.map, want, lo, hi, 0, 0);
		}
		if (ok && first_bad < 0)
			continue;

		bad[c]++;
		if (reports++ >= MAX_REPORTS)
			continue;
		ksft_print_msg("iteration %lu: struct at page %zu + 0x%zx, prot %d/%d/%d\n",
			       it, off / page_size, off % page_size,
			       prot[0], prot[1], prot[2]);
		ksft_print_msg("  size 0x%llx flags 0x%llx: %s, expected %s%s\n",
			       size, flags, cc_err_name(r), cc_err_name(m.err),
			       m.efault_ok ? " or -EFAULT" : "");
		if (first_bad >= 0)
			ksft_print_msg("  byte %+ld of the struct is 0x%02x, expected 0x%02x\n",
				       first_bad - (long)off, buf.map[first_bad],
				       want[first_bad]);
	}

	for (c = 0; c < NR_CLASSES; c++) {
		if (host.answers ? c == C_ENOTTY : c != C_ENOTTY)
			continue;
		ksft_print_msg("%s: %lu calls, %lu mismatches\n", class_name[c],
			       drawn[c], bad[c]);
		ksft_test_result(drawn[c] && !bad[c], "%s\n", class_name[c]);
	}
	if (reports)
		ksft_print_msg("replay with COMPAT_CAPS_SEED=%llu\n", seed);

	cc_buf_free(&buf);
	cc_host_close(&host);
	ksft_finished();
}
