// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_PPC_GET_COMPAT_CAPS under concurrency: threads calling the ioctl on
 * one VM while another thread creates and destroys VMs with vCPUs, each of
 * those VMs with a caller of its own that goes on through the close() of
 * the VM's fd.  Every call gives the full answer (the first VM's: the set
 * never changes; -ENOTTY where the host does not answer) or, on a closed
 * fd, -EBADF; and -EBADF must really have been seen.
 *
 * Cases: concurrent_callers (the callers on the first VM), vm_churn (each
 * new VM answers alike and gets its vCPUs), fd_closed_under_caller.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include "compat_caps.h"

#define MIN_CALLS		1000
#define NR_CALLER_THREADS	4
#define NR_VM_CYCLES		32
#define NR_VM_CYCLE_VCPUS	2
/* Calls made by a VM's own caller before, and again after, its close(). */
#define CALLS_AROUND_CLOSE	16

static struct cc_host host;
static atomic_bool churn_done;
static atomic_long caller_calls;
static atomic_long caller_bad;
static atomic_long churn_bad;
static atomic_long closing_calls;
static atomic_long closing_ebadf;
static atomic_long closing_bad;

struct closing_caller {
	int fd;
	atomic_bool stop;
	atomic_long calls;
};

/* Whether a call's result is the full answer (or the host's -ENOTTY). */
static bool full_answer(int r, const struct kvm_ppc_compat_caps *caps)
{
	if (!host.answers)
		return r == -ENOTTY;
	return !r && cc_answer_ok(caps) && caps->compat_capabilities == host.mask;
}

static void *caller_thread(void *arg __maybe_unused)
{
	struct kvm_ppc_compat_caps caps;
	long n = 0, bad = 0;

	while (!atomic_load(&churn_done) || n < MIN_CALLS) {
		if (!full_answer(cc_query(host.vm_fd, &caps), &caps))
			bad++;
		n++;
	}
	atomic_fetch_add(&caller_calls, n);
	atomic_fetch_add(&caller_bad, bad);
	return NULL;
}

static void *closing_caller_thread(void *arg)
{
	struct closing_caller *c = arg;
	struct kvm_ppc_compat_caps caps;
	int r;

	while (!atomic_load(&c->stop)) {
		r = cc_query(c->fd, &caps);
		if (r == -EBADF)
			atomic_fetch_add(&closing_ebadf, 1);
		else if (!full_answer(r, &caps))
			atomic_fetch_add(&closing_bad, 1);
		atomic_fetch_add(&c->calls, 1);
	}
	return NULL;
}

static void wait_calls(struct closing_caller *c, long n)
{
	while (atomic_load(&c->calls) < n)
		sched_yield();
}

static void *churn_thread(void *arg __maybe_unused)
{
	int vcpu_fd[NR_VM_CYCLE_VCPUS];
	struct kvm_ppc_compat_caps caps;
	int i, j, fd;

	for (i = 0; i < NR_VM_CYCLES; i++) {
		struct closing_caller closing = { 0 };
		pthread_t closer;
		long seen;

		fd = cc_create_vm(host.kvm_fd);
		if (fd < 0) {
			ksft_print_msg("cycle %d: KVM_CREATE_VM: %s\n", i,
				       cc_err_name(fd));
			atomic_fetch_add(&churn_bad, 1);
			continue;
		}
		for (j = 0; j < NR_VM_CYCLE_VCPUS; j++) {
			vcpu_fd[j] = ioctl(fd, KVM_CREATE_VCPU, j);
			if (vcpu_fd[j] < 0) {
				ksft_print_msg("cycle %d: KVM_CREATE_VCPU %d: %s\n",
					       i, j, strerror(errno));
				atomic_fetch_add(&churn_bad, 1);
			}
		}
		if (!full_answer(cc_query(fd, &caps), &caps))
			atomic_fetch_add(&churn_bad, 1);

		/*
		 * Close the VM's fd under its caller, which goes on: no fd
		 * is opened meanwhile, so the number is not reused and its
		 * calls after the close() get -EBADF.
		 */
		closing.fd = fd;
		if (pthread_create(&closer, NULL, closing_caller_thread, &closing))
			ksft_exit_fail_msg("pthread_create\n");
		wait_calls(&closing, CALLS_AROUND_CLOSE);
		close(fd);
		seen = atomic_load(&closing.calls);
		for (j = 0; j < NR_VM_CYCLE_VCPUS; j++)
			if (vcpu_fd[j] >= 0)
				close(vcpu_fd[j]);
		wait_calls(&closing, seen + CALLS_AROUND_CLOSE);
		atomic_store(&closing.stop, true);
		pthread_join(closer, NULL);
		atomic_fetch_add(&closing_calls, atomic_load(&closing.calls));
	}
	atomic_store(&churn_done, true);
	return NULL;
}

int main(void)
{
	pthread_t callers[NR_CALLER_THREADS], churn;
	long ebadf, min_ebadf;
	int i;

	ksft_print_header();
	cc_host_open(&host);
	ksft_set_plan(3);

	for (i = 0; i < NR_CALLER_THREADS; i++)
		if (pthread_create(&callers[i], NULL, caller_thread, NULL))
			ksft_exit_fail_msg("pthread_create\n");
	if (pthread_create(&churn, NULL, churn_thread, NULL))
		ksft_exit_fail_msg("pthread_create\n");
	pthread_join(churn, NULL);
	for (i = 0; i < NR_CALLER_THREADS; i++)
		pthread_join(callers[i], NULL);

	ksft_print_msg("concurrent_callers: %ld calls in %d threads, %ld not the full answer\n",
		       atomic_load(&caller_calls), NR_CALLER_THREADS,
		       atomic_load(&caller_bad));
	ksft_test_result(atomic_load(&caller_calls) >= NR_CALLER_THREADS * MIN_CALLS &&
			 !atomic_load(&caller_bad), "concurrent_callers\n");

	ksft_print_msg("vm_churn: %d VMs with %d vCPUs each created and destroyed, %ld failures\n",
		       NR_VM_CYCLES, NR_VM_CYCLE_VCPUS, atomic_load(&churn_bad));
	ksft_test_result(!atomic_load(&churn_bad), "vm_churn\n");

	/*
	 * Each VM's caller makes CALLS_AROUND_CLOSE calls after its fd was
	 * closed, all but one of which (the one in flight) see -EBADF.
	 */
	ebadf = atomic_load(&closing_ebadf);
	min_ebadf = (CALLS_AROUND_CLOSE - 1) * NR_VM_CYCLES;
	ksft_print_msg("fd_closed_under_caller: %ld calls, %ld -EBADF (%ld wanted), %ld bad\n",
		       atomic_load(&closing_calls), ebadf, min_ebadf,
		       atomic_load(&closing_bad));
	ksft_test_result(ebadf >= min_ebadf && !atomic_load(&closing_bad),
			 "fd_closed_under_caller\n");

	cc_host_close(&host);
	ksft_finished();
}
