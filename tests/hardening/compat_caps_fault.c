// SPDX-License-Identifier: GPL-2.0-only
/*
 * KVM_PPC_GET_COMPAT_CAPS under fault injection, with this thread's own
 * /proc/self/task/<tid>/fail-nth (Documentation/fault-injection/
 * fault-injection.rst): writing N there makes the Nth fault-injection
 * site this task then reaches fail.  For a well-formed request of 24, 32
 * and PAGE_SIZE bytes, N = 1, 2, ... is written before the call until
 * a call leaves it unconsumed (it reads back non-zero): each consumed
 * injection must give -EFAULT, leave every byte outside the struct's
 * [0, size) as it was and put no report in the kernel log; the unconsumed
 * call must give the full answer.
 *
 * On powerpc, fail_usercopy reaches copy_from_user() and copy_to_user()
 * only: get_user(), put_user(), clear_user() and the unsafe_*() accessors
 * (check_zeroed_user()) cannot be made to fail.  The sites the contract's
 * marshalling has that cannot are printed as "not injectable", and a size
 * whose call had no injectable site at all does not pass.
 *
 * Where the host does not answer (-ENOTTY), the one case is that armed
 * fail-nth is not consumed: no copy precedes -ENOTTY.
 *
 * Needs CONFIG_FAULT_INJECTION (fail-nth) and CONFIG_FAULT_INJECTION_USERCOPY;
 * skips if fail-nth is missing.  Writes 1 to /sys/kernel/debug/fail* /verbose
 * while it runs (restored at exit), so that an injection logs one line and
 * no stack dump.
 */
#include <dirent.h>
#include <sys/utsname.h>

#include "compat_caps.h"

/* No path of the ioctl makes anywhere near this many injectable calls. */
#define MAX_N		64
/* Where the struct starts in the two-page buffer. */
#define STRUCT_OFF	64
#define DEBUGFS		"/sys/kernel/debug"
#define MAX_VERBOSE	16

static struct cc_host host;
static int nth_fd = -1;
static char nth_path[64];
static int kmsg_fd = -1;

/* --- fail-nth ---------------------------------------------------------- */

static void nth_write(unsigned int n)
{
	char s[16];
	int len = snprintf(s, sizeof(s), "%u", n);

	if (pwrite(nth_fd, s, len, 0) != len)
		ksft_exit_fail_msg("writing %u to %s: %s\n", n, nth_path,
				   strerror(errno));
}

/*
 * Read fail-nth back and leave it 0; return whether the injection was
 * consumed (it read 0).  The read and the write that clears it copy
 * to and from user space, so they are injection sites themselves: the
 * value is taken before the read's copy, and a read that fails with
 * -EFAULT means it was 1, consumed by that copy.
 */
static bool nth_consumed(void)
{
	char s[16] = "";
	bool consumed;
	ssize_t n;
	int i;

	n = pread(nth_fd, s, sizeof(s) - 1, 0);
	if (n < 0 && errno != EFAULT)
		ksft_exit_fail_msg("reading %s: %s\n", nth_path, strerror(errno));
	consumed = n > 0 && strtoul(s, NULL, 10) == 0;
	for (i = 0; i < 3; i++) {
		if (pwrite(nth_fd, "0", 1, 0) == 1)
			return consumed;
		if (errno != EFAULT)
			break;
	}
	ksft_exit_fail_msg("clearing %s: %s\n", nth_path, strerror(errno));
}

/* --- the fault-injection log lines, without stack dumps ----------------- */

static struct {
	char path[sizeof(DEBUGFS) + 256 + sizeof("/verbose")];
	char saved[16];
} verbose[MAX_VERBOSE];
static int nr_verbose;

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), r = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		r = -errno;
	close(fd);
	return r;
}

static void verbose_restore(void)
{
	int i;

	for (i = 0; i < nr_verbose; i++)
		write_file(verbose[i].path, verbose[i].saved);
}

static void verbose_quiet(void)
{
	struct dirent *d;
	ssize_t n;
	DIR *dir;
	int fd;

	dir = opendir(DEBUGFS);
	while (dir && (d = readdir(dir)) && nr_verbose < MAX_VERBOSE) {
		if (strncmp(d->d_name, "fail", 4))
			continue;
		snprintf(verbose[nr_verbose].path, sizeof(verbose[0].path),
			 DEBUGFS "/%s/verbose", d->d_name);
		fd = open(verbose[nr_verbose].path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, verbose[nr_verbose].saved,
			 sizeof(verbose[0].saved) - 1);
		close(fd);
		if (n <= 0)
			continue;
		verbose[nr_verbose].saved[n] = '\0';
		if (write_file(verbose[nr_verbose].path, "1"))
			continue;
		nr_verbose++;
	}
	if (dir)
		closedir(dir);
	if (nr_verbose)
		atexit(verbose_restore);
	else
		ksft_print_msg("%s\n",
			       "no /sys/kernel/debug/fail*/verbose: each injection may dump a stack");
	if (access(DEBUGFS "/fail_usercopy", F_OK))
		ksft_print_msg("%s: %s%s\n", DEBUGFS "/fail_usercopy",
			       strerror(errno),
			       " (CONFIG_FAULT_INJECTION_USERCOPY=y and CONFIG_FAULT_INJECTION_DEBUG_FS=y?)");
}

/* --- kernel reports ------------------------------------------------------ */

static const char * const kernel_reports[] = {
	"WARNING:", "BUG:", "Oops", "Kernel panic", "Unable to handle",
	"Call Trace:", "UBSAN:", "KFENCE:", "KASAN:", "usercopy:",
	"possible recursive locking", "possible circular locking",
	"inconsistent lock state", "suspicious RCU usage",
	"sleeping function called from invalid context",
};

static void kmsg_open(void)
{
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg_fd < 0)
		ksft_print_msg("/dev/kmsg: %s: kernel reports not checked here\n",
			       strerror(errno));
	else
		lseek(kmsg_fd, 0, SEEK_END);
}

/* The kernel log records since the last call: how many are reports. */
static int kmsg_reports(const char *name)
{
	char rec[1024];
	const char *msg;
	int found = 0;
	ssize_t n;
	size_t i;

	if (kmsg_fd < 0)
		return 0;
	for (;;) {
		n = read(kmsg_fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		for (i = 0; i < ARRAY_SIZE(kernel_reports); i++) {
			if (!strstr(msg, kernel_reports[i]))
				continue;
			ksft_print_msg("%s: kernel: %.*s\n", name,
				       (int)strcspn(msg, "\n"), msg);
			found++;
			break;
		}
	}
	return found;
}

/* --- the mechanism itself ------------------------------------------------ */

/* uname() copies its answer out with one copy_to_user(). */
static void test_fail_nth_works(void)
{
	struct utsname u;
	bool hit1, hit2;
	int r1, r2;

	nth_write(1);
	r1 = uname(&u) ? -errno : 0;
	hit1 = nth_consumed();
	nth_write(2);
	r2 = uname(&u) ? -errno : 0;
	hit2 = nth_consumed();
	ksft_print_msg("fail_nth_works: uname() with fail-nth 1: %s, %s; with 2: %s, %s\n",
		       cc_err_name(r1), hit1 ? "consumed" : "not consumed",
		       cc_err_name(r2), hit2 ? "consumed" : "not consumed");
	ksft_test_result(hit1 && r1 == -EFAULT && !hit2 && !r2,
			 "fail_nth_works\n");
}

/* --- the ioctl ----------------------------------------------------------- */

static void prepare(struct cc_buf *b, __u64 size)
{
	__u8 *s = b->map + STRUCT_OFF;

	memset(b->map, CC_FILL, cc_buf_len(b));
	cc_put_u64(s + CC_OFF_SIZE, size);
	cc_put_u64(s + CC_OFF_FLAGS, 0);
	/* The output field keeps CC_FILL: its input value is ignored. */
	memset(s + CC_KSIZE, 0, size - CC_KSIZE);
}

static void not_injectable(const char *name, __u64 size)
{
	ksft_print_msg("%s: not injectable: %s\n", name,
		       "get_user() of size (rule 2)");
	if (size > CC_KSIZE) {
		ksft_print_msg("%s: not injectable: %s\n", name,
			       "check_zeroed_user()'s unsafe_get_user() of the tail (rule 5)");
		ksft_print_msg("%s: not injectable: %s\n", name,
			       "clear_user() of the tail (rule 8)");
	}
	ksft_print_msg("%s: not injectable: %s\n", name,
		       "put_user() of the -E2BIG write-back (rule 6), not on this path");
}

static void test_size(const char *name, __u64 size)
{
	size_t len, end = STRUCT_OFF + size;
	int n, r = 0, consumed = 0, bad = 0, reports;
	__u8 *want, *s;
	struct cc_buf b;
	bool done = false;
	long off;

	cc_buf_init(&b, 2);
	len = cc_buf_len(&b);
	want = malloc(len);
	if (!want || end > len)
		ksft_exit_fail_msg("%s: buffer\n", name);
	s = b.map + STRUCT_OFF;
	not_injectable(name, size);

	for (n = 1; n <= MAX_N && !done; n++) {
		prepare(&b, size);
		memcpy(want, b.map, len);
		nth_write(n);
		r = cc_ioctl(host.vm_fd, s);
		if (nth_consumed()) {
			consumed++;
			off = cc_first_diff(b.map, want, 0, len, STRUCT_OFF, end);
			if (r != -EFAULT || off >= 0) {
				bad++;
				ksft_print_msg("%s: fail-nth %d: %s, expected -EFAULT%s\n",
					       name, n, cc_err_name(r),
					       off >= 0 ? "; written outside the struct" : "");
			}
			continue;
		}
		done = true;
		cc_put_u64(want + STRUCT_OFF + CC_OFF_SIZE, CC_KSIZE);
		cc_put_u64(want + STRUCT_OFF + CC_OFF_FLAGS, 0);
		cc_put_u64(want + STRUCT_OFF + CC_OFF_CAPS, host.mask);
		off = cc_first_diff(b.map, want, 0, len, 0, 0);
		if (r || off >= 0) {
			bad++;
			ksft_print_msg("%s: fail-nth %d, not consumed: %s%s\n",
				       name, n, cc_err_name(r),
				       off >= 0 ? "; not the answer in memory" : "");
		}
	}
	reports = kmsg_reports(name);

	if (!done)
		ksft_print_msg("%s: still consumed at fail-nth %d\n", name, MAX_N);
	else if (!consumed)
		ksft_print_msg("%s: no injectable user access: nothing was tested\n",
			       name);
	else
		ksft_print_msg("%s: %d injectable accesses, each %s; fail-nth %d unconsumed: %s\n",
			       name, consumed, bad ? "not always -EFAULT" : "-EFAULT",
			       consumed + 1, cc_err_name(r));
	ksft_test_result(done && consumed && !bad && !reports, "%s\n", name);
	free(want);
	cc_buf_free(&b);
}

/* No backend: -ENOTTY with no copy before it. */
static void test_enotty(void)
{
	__u64 sizes[] = { 24, 32, host.page_size };
	int r, bad = 0;
	struct cc_buf b;
	size_t i;

	cc_buf_init(&b, 2);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		prepare(&b, sizes[i]);
		nth_write(1);
		r = cc_ioctl(host.vm_fd, b.map + STRUCT_OFF);
		if (nth_consumed() || r != -ENOTTY) {
			bad++;
			ksft_print_msg("size %llu with fail-nth 1: %s\n",
				       sizes[i], cc_err_name(r));
		}
	}
	bad += kmsg_reports("enotty_no_usercopy");
	ksft_print_msg("%s\n",
		       "enotty_no_usercopy: get_user() is not injectable: this shows only that no copy_from_user() or copy_to_user() comes before -ENOTTY");
	ksft_test_result(!bad, "enotty_no_usercopy\n");
	cc_buf_free(&b);
}

int main(void)
{
	ksft_print_header();
	snprintf(nth_path, sizeof(nth_path), "/proc/self/task/%d/fail-nth",
		 gettid());
	nth_fd = open(nth_path, O_RDWR | O_CLOEXEC);
	if (nth_fd < 0)
		ksft_exit_skip("%s: %s: needs CONFIG_FAULT_INJECTION\n",
			       nth_path, strerror(errno));
	cc_host_open(&host);
	verbose_quiet();
	kmsg_open();

	if (!host.answers) {
		ksft_set_plan(2);
		test_fail_nth_works();
		test_enotty();
	} else {
		ksft_set_plan(4);
		test_fail_nth_works();
		test_size("fault_size_24", KVM_PPC_COMPAT_CAPS_SIZE_VER0);
		test_size("fault_size_32", 32);
		ksft_print_msg("fault_size_page: PAGE_SIZE is %zu\n",
			       host.page_size);
		test_size("fault_size_page", host.page_size);
	}

	cc_host_close(&host);
	ksft_finished();
}
