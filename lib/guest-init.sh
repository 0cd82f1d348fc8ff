#!/bin/busybox sh
# shellcheck shell=dash
# /init of the L1's initramfs: run the tests named on the kernel command
# line (compat.tests=a,b), then power off. A name found as /hardening/NAME
# (the project's tests/hardening programs) is run directly, anything else is
# a KVM selftest run with run_kselftest.sh. The host reads the TAP from the
# console.
/bin/busybox --install -s /bin
# run_kselftest.sh calls /usr/bin/timeout --foreground, which busybox lacks.
cat >/usr/bin/timeout <<'EOF'
#!/bin/sh
[ "$1" = --foreground ] && shift
exec /bin/busybox timeout "$@"
EOF
chmod +x /usr/bin/timeout
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# run_kselftest.sh writes to /dev/stdout, which only udev would make.
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
export PATH=/bin:/sbin

read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case $arg in
	compat.tests=*) tests=$(echo "${arg#compat.tests=}" | tr , ' ') ;;
	compat.row=*) row=${arg#compat.row=} ;;
	compat.bench=1) bench=1 ;;
	esac
done
echo "HARNESS: init: row $row, tests: $tests"
echo "HARNESS: kvm: $(ls /dev/kvm 2>&1)"
if [ "$bench" = 1 ]; then
	echo "HARNESS: bench begin"
	# The L1D flush mitigations in force (1 = on): they make every user
	# access window and every return to userspace dearer under TCG.
	for f in rfi_flush entry_flush uaccess_flush; do
		echo "bench: mitigation $f=$(cat /sys/kernel/debug/powerpc/$f 2>/dev/null || echo unknown)"
	done
	/bin/compat_caps_bench
	echo "HARNESS: bench end"
fi
# run_hardening NAME: /hardening/NAME with run_kselftest.sh's framing: its
# output prefixed "# ", then one top line, "hardening: NAME" for
# "selftests: kvm: NAME" (exit 4: SKIP; killed after the timeout: TIMEOUT).
hardening_timeout=300
run_hardening() {
	echo "TAP version 13"
	echo "1..1"
	echo "# timeout set to $hardening_timeout"
	echo "# hardening: $1"
	rm -f /tmp/hardening.rc
	{
		timeout "$hardening_timeout" "/hardening/$1" 2>&1
		echo $? >/tmp/hardening.rc
	} | sed 's/^/# /'
	read -r rc </tmp/hardening.rc || rc=unknown
	case $rc in
	0) echo "ok 1 hardening: $1" ;;
	4) echo "ok 1 hardening: $1 # SKIP" ;;
	124 | 143) echo "not ok 1 hardening: $1 # TIMEOUT $hardening_timeout seconds" ;;
	*) echo "not ok 1 hardening: $1 # exit=$rc" ;;
	esac
}

# The L1 has two CPUs on one TCG thread (bin/boot-row). The second is
# online only for the tests that need it: with both online, every wakeup
# across CPUs waits for QEMU's round-robin, and the dirty log tests run
# 30 times slower.
two_cpu_tests="rseq_test"
cpu1() { echo "$1" >/sys/devices/system/cpu/cpu1/online 2>/dev/null; }
cpu1 0
# The kselftest default of 120 s per test is meant for hardware; under TCG
# rseq_test alone takes 90 s on an idle host. The host's boot timeout
# still bounds the whole row.
ksft_timeout=600
cd /kselftest || echo "HARNESS: no /kselftest"
for t in $tests; do
	echo "HARNESS: begin $t"
	case " $two_cpu_tests " in *" $t "*) cpu1 1 ;; esac
	if [ -f "/hardening/$t" ]; then
		run_hardening "$t"
	else
		entry=$(grep -m1 -E "^kvm:([a-z0-9_]+/)?$t\$" kselftest-list.txt 2>/dev/null)
		if [ -z "$entry" ]; then
			echo "HARNESS: $t is neither /hardening/$t nor in kselftest-list.txt"
		else
			./run_kselftest.sh -o "$ksft_timeout" -t "$entry"
		fi
	fi
	cpu1 0
	echo "HARNESS: end $t"
done
if [ -e /sys/kernel/debug/kmemleak ]; then
	echo scan >/sys/kernel/debug/kmemleak
	sleep 5
	echo scan >/sys/kernel/debug/kmemleak
	echo "HARNESS: kmemleak begin"
	cat /sys/kernel/debug/kmemleak
	echo "HARNESS: kmemleak end"
fi
echo "HARNESS: done"
poweroff -f
