// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cost of KVM_PPC_GET_COMPAT_CAPS against a trivial vm ioctl
 * (KVM_CHECK_EXTENSION of KVM_CAP_USER_MEMORY) on the same vm fd, measured
 * in interleaved rounds so that drift affects both alike. For reference,
 * KVM_PPC_GET_RMMU_INFO is timed too: an existing vm ioctl that makes no
 * hypervisor call and copies a struct out, in one user access window.
 *
 * Usage: compat_caps_bench [ROUNDS [CALLS_PER_ROUND]]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 41;
	int calls = argc > 2 ? atoi(argv[2]) : 20000;
	double *ext, *caps, *caps32, *rmmu, *pair, *pair_rmmu, t;
	double sum_ext = 0, sum_caps = 0, sum_caps32 = 0, sum_rmmu = 0;
	struct kvm_ppc_rmmu_info info;
	struct {
		struct kvm_ppc_compat_caps c;
		__u64 tail;
	} big;
	struct kvm_ppc_compat_caps c;
	int kvm, vm, r, i, j;

	kvm = open("/dev/kvm", O_RDWR);
	if (kvm < 0) {
		printf("bench: skipped: /dev/kvm: %s\n", strerror(errno));
		return 0;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		printf("bench: skipped: KVM_CREATE_VM: %s\n", strerror(errno));
		return 0;
	}
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	if (ioctl(vm, KVM_PPC_GET_COMPAT_CAPS, &c)) {
		printf("bench: skipped: KVM_PPC_GET_COMPAT_CAPS: %s\n", strerror(errno));
		return 0;
	}
	ext = calloc(rounds, sizeof(*ext));
	caps = calloc(rounds, sizeof(*caps));
	caps32 = calloc(rounds, sizeof(*caps32));
	rmmu = calloc(rounds, sizeof(*rmmu));
	pair = calloc(rounds, sizeof(*pair));
	pair_rmmu = calloc(rounds, sizeof(*pair_rmmu));
	if (!ext || !caps || !caps32 || !rmmu || !pair || !pair_rmmu)
		return 1;
	if (ioctl(vm, KVM_PPC_GET_RMMU_INFO, &info)) {
		printf("bench: skipped: KVM_PPC_GET_RMMU_INFO: %s\n", strerror(errno));
		return 0;
	}

	for (i = 0; i < rounds; i++) {
		t = now_ns();
		for (j = 0; j < calls; j++)
			r = ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY);
		ext[i] = (now_ns() - t) / calls;
		if (r != 1)
			return 1;

		t = now_ns();
		for (j = 0; j < calls; j++) {
			c.size = sizeof(c);
			r = ioctl(vm, KVM_PPC_GET_COMPAT_CAPS, &c);
		}
		caps[i] = (now_ns() - t) / calls;
		if (r)
			return 1;

		/* A newer userspace's larger struct: the general path. */
		t = now_ns();
		for (j = 0; j < calls; j++) {
			memset(&big, 0, sizeof(big));
			big.c.size = sizeof(big);
			r = ioctl(vm, KVM_PPC_GET_COMPAT_CAPS, &big);
		}
		caps32[i] = (now_ns() - t) / calls;
		if (r)
			return 1;

		t = now_ns();
		for (j = 0; j < calls; j++)
			r = ioctl(vm, KVM_PPC_GET_RMMU_INFO, &info);
		rmmu[i] = (now_ns() - t) / calls;
		if (r)
			return 1;
		sum_ext += ext[i];
		sum_caps += caps[i];
		sum_caps32 += caps32[i];
		sum_rmmu += rmmu[i];
	}
	/* Paired: each round's ratio, taken before the columns are sorted. */
	for (i = 0; i < rounds; i++) {
		pair[i] = caps[i] / ext[i];
		pair_rmmu[i] = rmmu[i] / ext[i];
	}
	qsort(pair, rounds, sizeof(*pair), cmp_double);
	qsort(pair_rmmu, rounds, sizeof(*pair_rmmu), cmp_double);
	qsort(ext, rounds, sizeof(*ext), cmp_double);
	qsort(caps, rounds, sizeof(*caps), cmp_double);
	qsort(caps32, rounds, sizeof(*caps32), cmp_double);
	qsort(rmmu, rounds, sizeof(*rmmu), cmp_double);
	printf("bench: rounds=%d calls_per_round=%d\n", rounds, calls);
	printf("bench: check_extension_ns mean=%.0f median=%.0f\n",
	       sum_ext / rounds, ext[rounds / 2]);
	printf("bench: get_compat_caps_ns mean=%.0f median=%.0f\n",
	       sum_caps / rounds, caps[rounds / 2]);
	printf("bench: get_compat_caps_size32_ns mean=%.0f median=%.0f\n",
	       sum_caps32 / rounds, caps32[rounds / 2]);
	printf("bench: get_rmmu_info_ns mean=%.0f median=%.0f\n",
	       sum_rmmu / rounds, rmmu[rounds / 2]);
	printf("bench: ratio mean=%.3f median=%.3f paired_median=%.3f",
	       sum_caps / sum_ext, caps[rounds / 2] / ext[rounds / 2],
	       pair[rounds / 2]);
	printf(" size32_ratio=%.3f rmmu_ratio=%.3f rmmu_paired_median=%.3f\n",
	       sum_caps32 / sum_ext, sum_rmmu / sum_ext, pair_rmmu[rounds / 2]);
	return 0;
}
