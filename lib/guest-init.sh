#!/bin/busybox sh
# shellcheck shell=dash
# /init of the L1's initramfs: run the KVM selftests named on the kernel
# command line (compat.tests=a,b) with run_kselftest.sh, then power off.
# The host reads the TAP from the console.
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
cd /kselftest || poweroff -f
for t in $tests; do
	echo "HARNESS: begin $t"
	entry=$(grep -m1 -E "^kvm:([a-z0-9_]+/)?$t\$" kselftest-list.txt)
	if [ -z "$entry" ]; then
		echo "HARNESS: $t is not in kselftest-list.txt"
	else
		./run_kselftest.sh -t "$entry"
	fi
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
