/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared by the project's KVM_PPC_GET_COMPAT_CAPS hardening tests: plain C
 * on libc, a kernel tree's uapi headers (make headers_install) and its
 * tools/testing/selftests/kselftest.h, so that the same source builds
 * against any tree with mainline's uapi (7.2 with the series, 7.3).
 *
 * The contract is ../shared/spec/compat-caps.md; "rule N" below is its
 * numbered list "The ioctl, in order".
 */
#ifndef COMPAT_CAPS_H
#define COMPAT_CAPS_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* gettid() */
#endif
/* __u64 is unsigned long long, as printf's %llx wants. */
#ifndef __SANE_USERSPACE_TYPES__
#define __SANE_USERSPACE_TYPES__
#endif

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "kselftest.h"

#if !defined(KVM_PPC_GET_COMPAT_CAPS) || !defined(KVM_PPC_COMPAT_BITMASK)
#error "uapi without KVM_PPC_GET_COMPAT_CAPS, KVM_PPC_COMPAT_BITMASK (powerpc, 7.3)"
#endif

/* The ABI is mainline's: refuse to build against anything else. */
static_assert(_IOC_TYPE(KVM_PPC_GET_COMPAT_CAPS) == KVMIO &&
	      _IOC_NR(KVM_PPC_GET_COMPAT_CAPS) == 0xb8 &&
	      _IOC_DIR(KVM_PPC_GET_COMPAT_CAPS) == _IOC_NONE &&
	      !_IOC_SIZE(KVM_PPC_GET_COMPAT_CAPS),
	      "KVM_PPC_GET_COMPAT_CAPS is not _IO(KVMIO, 0xb8)");
static_assert(250 == KVM_CAP_PPC_COMPAT_CAPS, "KVM_CAP_PPC_COMPAT_CAPS is not 250");
static_assert(sizeof(struct kvm_ppc_compat_caps) == 24 &&
	      sizeof(struct kvm_ppc_compat_caps) == KVM_PPC_COMPAT_CAPS_SIZE_VER0,
	      "struct kvm_ppc_compat_caps is not 24 bytes");
static_assert(offsetof(struct kvm_ppc_compat_caps, size) == 0 &&
	      offsetof(struct kvm_ppc_compat_caps, flags) == 8 &&
	      offsetof(struct kvm_ppc_compat_caps, compat_capabilities) == 16,
	      "struct kvm_ppc_compat_caps layout");
static_assert((1ULL << 62) == KVM_PPC_COMPAT_CAP_POWER9 &&
	      (1ULL << 61) == KVM_PPC_COMPAT_CAP_POWER10 &&
	      (1ULL << 60) == KVM_PPC_COMPAT_CAP_POWER11 &&
	      (7ULL << 60) == KVM_PPC_COMPAT_BITMASK,
	      "KVM_PPC_COMPAT_CAP_* bits");

#define CC_KSIZE	((__u64)sizeof(struct kvm_ppc_compat_caps))
#define CC_OFF_SIZE	0
#define CC_OFF_FLAGS	8
#define CC_OFF_CAPS	16

/* The byte untouched memory is filled with; never a byte of an answer. */
#define CC_FILL		0x5a

/* KVM_SET_ONE_REG(KVM_REG_PPC_ARCH_COMPAT) values: logical PVRs. */
#define CC_PVR_ARCH_300	0x0f000005	/* POWER9 */
#define CC_PVR_ARCH_31	0x0f000006	/* POWER10 */
#define CC_PVR_ARCH_31_P11 0x0f000007	/* POWER11 */

/* KVM_PPC_GET_COMPAT_CAPS on @fd with @arg as is: 0 or -errno. */
static inline int cc_ioctl(int fd, const void *arg)
{
	int r = ioctl(fd, KVM_PPC_GET_COMPAT_CAPS, arg);

	return r == -1 ? -errno : r;
}

static inline const char *cc_err_name(int err)
{
	switch (err) {
	case 0:
		return "0";
	case -EINVAL:
		return "-EINVAL";
	case -E2BIG:
		return "-E2BIG";
	case -EFAULT:
		return "-EFAULT";
	case -ENOTTY:
		return "-ENOTTY";
	case -EBADF:
		return "-EBADF";
	case -ENODEV:
		return "-ENODEV";
	case -ENOMEM:
		return "-ENOMEM";
	default:
		return strerror(err < 0 ? -err : err);
	}
}

static inline void cc_put_u64(__u8 *p, __u64 val)
{
	memcpy(p, &val, sizeof(val));
}

static inline __u64 cc_get_u64(const __u8 *p)
{
	__u64 val;

	memcpy(&val, p, sizeof(val));
	return val;
}

/* A well-formed VER0 request on @fd: 0 or -errno, the answer in @caps. */
static inline int cc_query(int fd, struct kvm_ppc_compat_caps *caps)
{
	memset(caps, CC_FILL, sizeof(*caps));
	caps->size = KVM_PPC_COMPAT_CAPS_SIZE_VER0;
	caps->flags = 0;
	return cc_ioctl(fd, caps);
}

/* Whether @caps is a full answer: size 24, flags 0, only defined bits. */
static inline bool cc_answer_ok(const struct kvm_ppc_compat_caps *caps)
{
	return caps->size == CC_KSIZE && !caps->flags &&
	       !(caps->compat_capabilities & ~KVM_PPC_COMPAT_BITMASK);
}

static inline int cc_check_extension(int fd)
{
	int r = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_PPC_COMPAT_CAPS);

	return r < 0 ? -errno : r;
}

static inline int cc_create_vm(int kvm_fd)
{
	int fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);

	return fd < 0 ? -errno : fd;
}

/*
 * The host as the tests see it: /dev/kvm, one VM, the capability on both
 * and what a well-formed request on that VM gives.  The host "answers"
 * when that request succeeds (then the capability must be 1: rules 2 to
 * 8 apply) and does not when it gives -ENOTTY (then the capability must
 * be 0: rule 1).  Any other result: the capability decides which rules
 * the host is held to, and the result fails them.
 */
struct cc_host {
	int kvm_fd;
	int vm_fd;
	int cap_dev;	/* KVM_CHECK_EXTENSION on /dev/kvm */
	int cap_vm;	/* KVM_CHECK_EXTENSION on the vm fd */
	int probe;	/* the well-formed request: 0 or -errno */
	bool answers;
	__u64 mask;	/* the answer, if the request succeeded */
	size_t page_size;
};

/*
 * Open /dev/kvm and create a VM, or skip with the reason.  A capability of
 * 1 with no VM to be had is a failure (KVM_CHECK_EXTENSION's promise).
 */
static inline void cc_host_open(struct cc_host *h)
{
	struct kvm_ppc_compat_caps caps;

	memset(h, 0, sizeof(*h));
	h->page_size = getpagesize();
	h->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (h->kvm_fd < 0)
		ksft_exit_skip("/dev/kvm: %s: no KVM in this kernel\n",
			       strerror(errno));
	h->cap_dev = cc_check_extension(h->kvm_fd);
	h->vm_fd = cc_create_vm(h->kvm_fd);
	if (h->vm_fd < 0) {
		if (h->cap_dev == 1)
			ksft_exit_fail_msg("%s: %s\n",
					   "KVM_CAP_PPC_COMPAT_CAPS is 1 on /dev/kvm but KVM_CREATE_VM fails",
					   cc_err_name(h->vm_fd));
		ksft_exit_skip("KVM_CREATE_VM: %s: %s %d on /dev/kvm)\n",
			       cc_err_name(h->vm_fd),
			       "no usable KVM flavour (KVM_CAP_PPC_COMPAT_CAPS",
			       h->cap_dev);
	}
	h->cap_vm = cc_check_extension(h->vm_fd);
	h->probe = cc_query(h->vm_fd, &caps);
	if (!h->probe)
		h->answers = true;
	else if (h->probe == -ENOTTY)
		h->answers = false;
	else
		h->answers = h->cap_dev == 1 || h->cap_vm == 1;
	if (!h->probe) {
		h->mask = caps.compat_capabilities;
		ksft_print_msg("compat_capabilities: 0x%016llx POWER9=%d POWER10=%d POWER11=%d\n",
			       h->mask, !!(h->mask & KVM_PPC_COMPAT_CAP_POWER9),
			       !!(h->mask & KVM_PPC_COMPAT_CAP_POWER10),
			       !!(h->mask & KVM_PPC_COMPAT_CAP_POWER11));
	}
	ksft_print_msg("%s: %d on /dev/kvm, %d on the vm fd; VER0 request: %s; %s\n",
		       "KVM_CAP_PPC_COMPAT_CAPS", h->cap_dev, h->cap_vm, cc_err_name(h->probe),
		       h->answers ? "rules 2-8 apply" : "rule 1 (-ENOTTY) applies");
}

static inline void cc_host_close(struct cc_host *h)
{
	close(h->vm_fd);
	close(h->kvm_fd);
}

/*
 * A test buffer: @nr pages between two PROT_NONE guard pages, each page
 * with its own protection; cc_buf_open() makes them read-write again so
 * that everything can be compared after a call.
 */
#define CC_MAX_PAGES	4

struct cc_buf {
	__u8 *base;	/* the first guard page */
	__u8 *map;	/* page 0 */
	size_t page_size;
	int nr;
	int prot[CC_MAX_PAGES];
};

static inline size_t cc_buf_len(const struct cc_buf *b)
{
	return b->nr * b->page_size;
}

static inline void cc_buf_init(struct cc_buf *b, int nr)
{
	size_t len;
	int i;

	if (nr > CC_MAX_PAGES)
		ksft_exit_fail_msg("%s: %d pages\n", __func__, nr);
	b->page_size = getpagesize();
	b->nr = nr;
	len = (nr + 2) * b->page_size;
	b->base = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (b->base == MAP_FAILED)
		ksft_exit_fail_perror("mmap");
	b->map = b->base + b->page_size;
	if (mprotect(b->map, cc_buf_len(b), PROT_READ | PROT_WRITE))
		ksft_exit_fail_perror("mprotect");
	for (i = 0; i < nr; i++)
		b->prot[i] = PROT_READ | PROT_WRITE;
}

static inline void cc_buf_protect(struct cc_buf *b, const int *prot)
{
	int i;

	for (i = 0; i < b->nr; i++) {
		if (prot[i] == b->prot[i])
			continue;
		if (mprotect(b->map + i * b->page_size, b->page_size, prot[i]))
			ksft_exit_fail_perror("mprotect");
		b->prot[i] = prot[i];
	}
}

static inline void cc_buf_open(struct cc_buf *b)
{
	const int rw[CC_MAX_PAGES] = {
		PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE,
		PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE,
	};

	cc_buf_protect(b, rw);
}

static inline bool cc_buf_readable(const struct cc_buf *b, size_t off)
{
	return off < cc_buf_len(b) && (b->prot[off / b->page_size] & PROT_READ);
}

static inline bool cc_buf_writable(const struct cc_buf *b, size_t off)
{
	return off < cc_buf_len(b) && (b->prot[off / b->page_size] & PROT_WRITE);
}

static inline void cc_buf_free(struct cc_buf *b)
{
	munmap(b->base, (b->nr + 2) * b->page_size);
	b->base = NULL;
	b->map = NULL;
}

/* The first offset in [@lo, @hi) where @a and @b differ, or -1. */
static inline long cc_diff_range(const __u8 *a, const __u8 *b, size_t lo,
				 size_t hi)
{
	size_t i;

	if (lo >= hi || !memcmp(a + lo, b + lo, hi - lo))
		return -1;
	for (i = lo; a[i] == b[i]; i++)
		;
	return i;
}

/* Same, leaving out [@skip_lo, @skip_hi). */
static inline long cc_first_diff(const __u8 *a, const __u8 *b, size_t lo,
				 size_t hi, size_t skip_lo, size_t skip_hi)
{
	long r = cc_diff_range(a, b, lo, skip_lo < hi ? skip_lo : hi);

	if (r >= 0)
		return r;
	return cc_diff_range(a, b, skip_hi > lo ? skip_hi : lo, hi);
}

#endif /* COMPAT_CAPS_H */
