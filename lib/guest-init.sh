#!/bin/busybox sh
# shellcheck shell=dash
# /init of the L1's initramfs: run the tests named on the kernel command
# line (compat.tests=a,b) from the test bundle (bin/bundle: the KVM
# selftests and the contract tests of tests/hardening), then power off. The
# host reads the TAP from the console.
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
# POSIX semaphores (sem_open(), hardware_disable_test) live in /dev/shm.
mkdir -p /dev/shm
mount -t tmpfs tmpfs /dev/shm
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
# The L1 has two CPUs on one TCG thread (bin/boot-row). The second is
# online only for the tests that need it: with both online, every wakeup
# across CPUs waits for QEMU's round-robin, and the dirty log tests run
# 30 times slower.
two_cpu_tests="rseq_test arch_timer"
cpu1() { echo "$1" >/sys/devices/system/cpu/cpu1/online 2>/dev/null; }
cpu1 0
# The test bundle (bin/bundle), unpacked and run with the commands of the
# README's "Running the tests on a POWER host". Its run-tests.sh gives each
# KVM selftest 600 s (run_kselftest.sh's default of 45 to 120 s is meant
# for hardware: under TCG rseq_test alone takes 90 s on an idle host); the
# host's boot timeout still bounds the whole row.
# arch_timer's error margin: under QEMU's TCG the decrementer interrupt
# comes from a host timer, and at the default 100 us some interrupts are
# late (v1-p9 on 7.2 + series: one of 20); 50 ms lets the emulator be late
# while an early interrupt, or a missing one, still fails.
export KSFT_ARGS_arch_timer="-e 50000"
cd /root || exit 1
tar xzf kvm-ppc-tests-*.tar.gz || echo "HARNESS: no test bundle"
cd kvm-ppc-tests-*/ || echo "HARNESS: no test bundle directory"
for t in $tests; do
	echo "HARNESS: begin $t"
	case " $two_cpu_tests " in *" $t "*) cpu1 1 ;; esac
	./run-tests.sh "$t" || echo "HARNESS: run-tests.sh $t: exit $?"
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
