#!/bin/busybox sh
# shellcheck shell=dash
# /init of the L1's initramfs for the QEMU rows (bin/l2-rows): QEMU in the
# L1, with KVM, boots an L2 once per run named on the kernel command line
# (compat.l2=QEMU:COMPAT,..., QEMU stock or patched, COMPAT a max-cpu-compat
# value or - for none), then the L1 powers off. The L2 is the L1's own
# kernel with an initrd whose init prints its /proc/cpuinfo "cpu" line and
# powers off. For each run the console gets QEMU's output and the L2's,
# prefixed "# ", between 'L2: begin QEMU COMPAT' and a line
#   L2: end QEMU COMPAT rc=N started=0|1 seconds=S cpu=MODE
# that lib/l2_report.py checks (rc: QEMU's exit code, or killed after
# "kvm run failed" or the timeout; started: the L2 kernel printed its
# banner; cpu: the L2's mode, e.g. "POWER9 (architected)", or -).
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/shm
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /tmp
# One CPU, as for the selftests (lib/guest-init.sh): the L1's second CPU
# shares a TCG thread with the first.
echo 0 >/sys/devices/system/cpu/cpu1/online 2>/dev/null

read -r cmdline </proc/cmdline
runs=
for arg in $cmdline; do
	case $arg in
	compat.l2=*) runs=$(echo "${arg#compat.l2=}" | tr , ' ') ;;
	esac
done
echo "HARNESS: init: QEMU runs: $runs"
echo "HARNESS: L1 $(grep -m1 '^cpu' /proc/cpuinfo | tr -s '\t ' ' ')"
echo "HARNESS: kvm: $(ls /dev/kvm 2>&1)"

l2_timeout=180
n=0
for r in $runs; do
	q=${r%%:*} c=${r#*:}
	m=pseries,x-vof=on,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off,cap-dawr1=off
	[ "$c" = - ] || m=$m,max-cpu-compat=$c
	echo "L2: begin $q $c"
	# A new file for each run, made before QEMU starts: the loop below must
	# not read the last run's output.
	n=$((n + 1))
	out=/tmp/qemu-$n.out
	: >"$out"
	start=$(date +%s)
	"/qemu-$q" -nodefaults -nographic -serial mon:stdio -accel kvm -cpu host \
		-m 512M -smp 1 -M "$m" -bios /vof.bin -kernel /l2/vmlinux \
		-initrd /l2/initrd.cpio -append "console=hvc0 quiet loglevel=6" </dev/null >"$out" 2>&1 &
	pid=$!
	rc=
	# QEMU stays up after "kvm run failed" (the vCPU stops, the machine
	# does not): that is the end of such a run.
	while kill -0 "$pid" 2>/dev/null; do
		if grep -q 'kvm run failed' "$out"; then
			rc=killed-after-kvm-run-failed
		elif [ $(($(date +%s) - start)) -ge "$l2_timeout" ]; then
			rc=killed-after-${l2_timeout}s
		fi
		if [ -n "$rc" ]; then
			kill -9 "$pid"
			break
		fi
		sleep 1
	done
	wait "$pid"
	qrc=$?
	[ -n "$rc" ] || rc=$qrc
	seconds=$(($(date +%s) - start))
	started=0
	grep -q 'Linux version' "$out" && started=1
	cpu=$(sed -n 's/^L2CPU: cpu[[:space:]]*: \([^,]*\).*/\1/p' "$out" | tr -d '\r' | head -n 1)
	# QEMU's messages and the L2's notices (loglevel=6): a few lines.
	tr -d '\r' <"$out" | grep -v '^$' | head -n 60 | sed 's/^/# /'
	echo "L2: end $q $c rc=$rc started=$started seconds=$seconds cpu=${cpu:--}"
done
echo "HARNESS: done"
poweroff -f
