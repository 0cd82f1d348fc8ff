// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPU ids as a hostile /dev/kvm user picks them, on KVM-HV.
 *
 * On POWER9 and later, KVM-HV packs a vCPU id into one of the VM's
 * KVM_MAX_VCPUS virtual cores according to the VM's emulated SMT mode
 * (kvmppc_pack_vcpu_id()).  An id that does not follow QEMU's numbering
 * cannot be packed: the kernel must refuse it with EINVAL, and must neither
 * warn nor place it in a virtual core that belongs to another id.  Before "KVM: PPC: Book3S
 * HV: Refuse a vCPU id that cannot be packed, without a WARN", such an id
 * warned ("VCPU ID packing failed") and took virtual core 0, so that vCPU 0
 * was refused after it.
 *
 * For each SMT mode the host offers (KVM_CAP_PPC_SMT_POSSIBLE), ids from
 * every block of KVM_MAX_VCPUS ids up to KVM_MAX_VCPU_IDS, each in a new VM:
 *   ids SMT:        an id is accepted or refused with EINVAL, and vCPU 0 can
 *                   be created after any accepted id;
 *   max_vcpu_id SMT: KVM_CHECK_EXTENSION(KVM_CAP_MAX_VCPU_ID) on the VM
 *                   bounds the ids the VM accepts, id MAX_VCPU_ID is refused,
 *                   and in SMT mode 1 the ids kvm_create_max_vcpus creates
 *                   (the lowest and the highest KVM_CAP_MAX_VCPUS ids below
 *                   the bound) are accepted;
 *   no_warning:     the kernel was not tainted by a warning meanwhile (planned
 *                   only where /proc/sys says it was not tainted before).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "kselftest.h"

#define MAX_SMT		8
#define TAINT_WARN	512	/* TAINT_WARN, bit 9 of the taint flags */
/* The ids tried in each block of KVM_MAX_VCPUS ids (offsets into it). */
#define NR_OFFSETS	7
/* A bound on the vCPUs made in one VM for the SMT mode 1 sweep. */
#define MAX_SWEEP	1024

static int kvm_fd;
static int max_vcpus;	/* KVM_CAP_MAX_VCPUS: KVM_MAX_VCPUS on powerpc */
static int max_ids;	/* KVM_CAP_MAX_VCPU_ID on /dev/kvm */

static int check_extension(int fd, long cap)
{
	int r = ioctl(fd, KVM_CHECK_EXTENSION, cap);

	return r < 0 ? -errno : r;
}

/* A new VM in SMT mode @smt (1: the default), or -errno. */
static int create_vm(int smt)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_PPC_SMT,
		.args = { smt, 0 },
	};
	int vm = ioctl(kvm_fd, KVM_CREATE_VM, 0);

	if (vm < 0)
		return -errno;
	if (smt > 1 && ioctl(vm, KVM_ENABLE_CAP, &cap)) {
		int err = -errno;

		close(vm);
		return err;
	}
	return vm;
}

static int create_vcpu(int vm, int id)
{
	int fd = ioctl(vm, KVM_CREATE_VCPU, (unsigned long)id);

	return fd < 0 ? -errno : fd;
}

/*
 * The ids tried in every SMT mode: in each block of max_vcpus ids below
 * max_ids, its first two ids, its middle and its last four.  Returns how
 * many were put in @ids.
 */
static int pick_ids(int *ids, int size)
{
	int offsets[NR_OFFSETS] = {
		0, 1, max_vcpus / 2, max_vcpus - 4, max_vcpus - 3,
		max_vcpus - 2, max_vcpus - 1,
	};
	int n = 0, base, i, j;

	for (base = 0; base < max_ids; base += max_vcpus) {
		for (i = 0; i < NR_OFFSETS && n < size; i++) {
			int id = base + offsets[i];
			bool seen = false;

			if (offsets[i] < 0 || offsets[i] >= max_vcpus)
				continue;
			for (j = 0; j < n; j++)
				seen |= ids[j] == id;
			if (!seen)
				ids[n++] = id;
		}
	}
	return n;
}

struct tally {
	int accepted, refused;
	char failure[160];	/* the first failure, empty if none */
};

static void fail(struct tally *t, const char *fmt, int a, int b)
{
	if (!t->failure[0])
		snprintf(t->failure, sizeof(t->failure), fmt, a, b);
}

static void tally_result(struct tally *t, int id, int r)
{
	if (r >= 0)
		t->accepted++;
	else if (r == -EINVAL)
		t->refused++;
	else
		fail(t, "id %d: errno %d, not EINVAL", id, -r);
}

/* vCPU @id in a new VM, then vCPU 0 beside it. */
static void try_vcpu_id(int smt, int id, struct tally *t)
{
	int vm = create_vm(smt), vcpu, zero;

	if (vm < 0) {
		fail(t, "SMT mode %d: a VM: errno %d", smt, -vm);
		return;
	}
	vcpu = create_vcpu(vm, id);
	tally_result(t, id, vcpu);
	if (vcpu >= 0 && id) {
		zero = create_vcpu(vm, 0);
		if (zero < 0)
			fail(t, "vCPU 0 refused (errno %d) after id %d", -zero, id);
		else
			close(zero);
	}
	if (vcpu >= 0)
		close(vcpu);
	close(vm);
}

static void report(struct tally *t, const char *what, int smt)
{
	if (t->failure[0])
		ksft_test_result_fail("%s smt%d: %s\n", what, smt, t->failure);
	else
		ksft_test_result_pass("%s smt%d: %d accepted, %d refused with EINVAL\n",
				      what, smt, t->accepted, t->refused);
}

static void test_ids(int smt, const int *ids, int n)
{
	struct tally t = {};
	int i;

	for (i = 0; i < n; i++)
		try_vcpu_id(smt, ids[i], &t);
	report(&t, "ids", smt);
}

/* max_vcpus vCPUs from id @first on in one VM: each must be accepted. */
static void sweep(int first, struct tally *t)
{
	int fds[MAX_SWEEP];
	int nr = max_vcpus < MAX_SWEEP ? max_vcpus : MAX_SWEEP;
	int vm = create_vm(1), i;

	for (i = 0; i < nr; i++) {
		fds[i] = create_vcpu(vm, first + i);
		if (fds[i] < 0)
			fail(t, "id %d refused (errno %d) below the bound",
			     first + i, -fds[i]);
	}
	while (i--)
		if (fds[i] >= 0)
			close(fds[i]);
	close(vm);
}

/*
 * KVM_CAP_MAX_VCPU_ID on a VM in SMT mode @smt: no id of @ids at or above
 * it is accepted and the id itself is refused; in SMT mode 1 the highest
 * max_vcpus ids below it, and the lowest, are accepted, each batch in one
 * VM, as kvm_create_max_vcpus creates them.
 */
static void test_max_vcpu_id(int smt, const int *ids, int n)
{
	struct tally t = {};
	int vm = create_vm(smt), bound, i, r;

	if (vm < 0) {
		ksft_test_result_fail("max_vcpu_id smt%d: a VM: errno %d\n", smt, -vm);
		return;
	}
	bound = check_extension(vm, KVM_CAP_MAX_VCPU_ID);
	close(vm);
	if (bound <= 0 || bound > max_ids) {
		ksft_test_result_fail("max_vcpu_id smt%d: %d, not in 1..%d\n",
				      smt, bound, max_ids);
		return;
	}
	for (i = 0; i < n; i++) {
		if (ids[i] < bound)
			continue;
		vm = create_vm(smt);
		r = create_vcpu(vm, ids[i]);
		if (r >= 0) {
			fail(&t, "id %d accepted, at or above the bound %d", ids[i], bound);
			close(r);
		}
		close(vm);
	}
	vm = create_vm(smt);
	r = create_vcpu(vm, bound);
	if (r >= 0) {
		fail(&t, "id %d, the bound, accepted (%d)", bound, r);
		close(r);
	}
	close(vm);
	if (smt == 1) {
		sweep(bound - max_vcpus, &t);
		if (bound > max_vcpus)
			sweep(0, &t);
	}
	if (t.failure[0])
		ksft_test_result_fail("max_vcpu_id smt%d: %s\n", smt, t.failure);
	else
		ksft_test_result_pass("max_vcpu_id smt%d: %d\n", smt, bound);
}

/* The kernel's taint flags, or ~0UL where /proc/sys cannot tell them. */
static unsigned long taint_flags(void)
{
	unsigned long val;
	FILE *f = fopen("/proc/sys/kernel/tainted", "r");

	if (!f)
		return ~0UL;
	if (fscanf(f, "%lu", &val) != 1)
		val = ~0UL;
	fclose(f);
	return val;
}

int main(void)
{
	int ids[8 * MAX_SMT * NR_OFFSETS];
	int possible, vm, n, smt, modes = 0;
	bool warn_check = !(taint_flags() & TAINT_WARN);

	ksft_print_header();
	kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm_fd < 0)
		ksft_exit_skip("/dev/kvm: %s\n", strerror(errno));
	vm = create_vm(1);
	if (vm < 0)
		ksft_exit_skip("KVM_CREATE_VM: %s\n", strerror(-vm));
	/* A KVM-HV VM has an SMT mode; a KVM-PR or BookE VM has none. */
	smt = check_extension(vm, KVM_CAP_PPC_SMT);
	close(vm);
	if (smt <= 0)
		ksft_exit_skip("KVM_CAP_PPC_SMT of a VM is %d: not KVM-HV\n", smt);
	possible = check_extension(kvm_fd, KVM_CAP_PPC_SMT_POSSIBLE);
	max_vcpus = check_extension(kvm_fd, KVM_CAP_MAX_VCPUS);
	max_ids = check_extension(kvm_fd, KVM_CAP_MAX_VCPU_ID);
	if (max_vcpus < 4 || max_ids < max_vcpus)
		ksft_exit_fail_msg("KVM_CAP_MAX_VCPUS %d, KVM_CAP_MAX_VCPU_ID %d\n",
				   max_vcpus, max_ids);
	ksft_print_msg("KVM_CAP_MAX_VCPUS %d, KVM_CAP_MAX_VCPU_ID %d, SMT modes 0x%x\n",
		       max_vcpus, max_ids, possible);

	for (smt = 1; smt <= MAX_SMT; smt <<= 1)
		modes += !!(possible & smt);
	ksft_set_plan(2 * modes + warn_check);

	n = pick_ids(ids, ARRAY_SIZE(ids));
	for (smt = 1; smt <= MAX_SMT; smt <<= 1) {
		if (!(possible & smt))
			continue;
		test_ids(smt, ids, n);
		test_max_vcpu_id(smt, ids, n);
	}
	if (warn_check) {
		if (taint_flags() & TAINT_WARN)
			ksft_test_result_fail("no_warning: the kernel is tainted by a warning\n");
		else
			ksft_test_result_pass("no_warning\n");
	}
	close(kvm_fd);
	ksft_finished();
}
