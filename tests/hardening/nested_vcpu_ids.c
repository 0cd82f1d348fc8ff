// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPU ids out of order, as userspace may choose them: KVM_CREATE_VCPU
 * with id 1 before id 0, then 0, then a gap (the lowest free id plus
 * one: 2 where id 1 was refused, 3 where it was not), then the lowest
 * free id.  Not a test of KVM_PPC_GET_COMPAT_CAPS but of the L0
 * under a nested KVM-HV L1: under the nested PAPR API v2 KVM-HV passes
 * the id to the L0 in H_GUEST_CREATE_VCPU, and QEMU as the L0 asserted
 * that the ids come in order (an L1 could abort its L0; qemu-l0/'s patch
 * 3 returns H_P3 instead).  So a call must return: with a vCPU, or with
 * EINVAL where the host refuses the id; a vCPU in order must always come.
 * On a host that aborts, nothing more is printed and the row fails.
 *
 * Cases: create_1_before_0, create_0, create_with_gap, create_lowest_free.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "kselftest.h"

/* ids 0 to 3: cases 1 and 2 make at most 0 and 1, so the gap is at most 3 */
#define NR_IDS	4

static int vm_fd;
static bool created[NR_IDS];

/*
 * KVM_CREATE_VCPU with ID: true if it returned a vCPU, or if it returned
 * an error and refused is allowed (EINVAL only); says which it was.
 */
static bool create(unsigned long id, bool refused_ok)
{
	int fd = ioctl(vm_fd, KVM_CREATE_VCPU, id);
	int err = errno;

	if (fd >= 0) {
		ksft_print_msg("KVM_CREATE_VCPU %lu: a vCPU\n", id);
		created[id] = true;
		return true;
	}
	ksft_print_msg("KVM_CREATE_VCPU %lu: %s\n", id, strerror(err));
	return refused_ok && err == EINVAL;
}

static unsigned long lowest_free(void)
{
	unsigned long id = 0;

	while (created[id])
		id++;
	return id;
}

int main(void)
{
	unsigned long gap;
	int kvm_fd;

	ksft_print_header();
	kvm_fd = open("/dev/kvm", O_RDWR);
	if (kvm_fd < 0)
		ksft_exit_skip("no /dev/kvm: %s\n", strerror(errno));
	vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
	if (vm_fd < 0)
		ksft_exit_skip("KVM_CREATE_VM: %s\n", strerror(errno));
	ksft_set_plan(4);

	ksft_test_result(create(1, true), "create_1_before_0\n");
	ksft_test_result(create(0, false), "create_0\n");
	/* a gap: the lowest free id but one */
	gap = lowest_free() + 1;
	ksft_test_result(create(gap, true), "create_with_gap\n");
	ksft_test_result(create(lowest_free(), false), "create_lowest_free\n");

	close(vm_fd);
	close(kvm_fd);
	ksft_finished();
}
