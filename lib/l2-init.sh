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
m0=pseries,x-vof=on,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off,cap-dawr1=off

# qemu Q MACHINE-OPTIONS L2-APPEND QEMU-OPTION...: QEMU with KVM booting the
# L2; the trace events of CAS's choice of mode, where the QEMU has them.
qemu() {
	q=$1 mo=$2 ap=$3
	shift 3
	"/qemu-$q" -nodefaults -nographic -serial mon:stdio -accel kvm -cpu host \
		-m 512M -smp 1 -M "$mo" -bios /vof.bin -kernel /l2/vmlinux \
		-initrd /l2/initrd.cpio -append "console=hvc0 quiet loglevel=6$ap" \
		-trace 'spapr_cas_pvr*' "$@"
}

# wait_for FILE TEXT PID SECONDS: until FILE has TEXT (0), or PID is gone,
# FILE has "kvm run failed" or the time is up (1).
wait_for() {
	t=0
	while ! grep -q "$2" "$1"; do
		kill -0 "$3" 2>/dev/null && [ "$t" -lt "$4" ] &&
			! grep -q 'kvm run failed' "$1" || return 1
		sleep 1
		t=$((t + 1))
	done
}

# A line of the L2's mode, whole (the L2 writes it 16 bytes at a time, and
# the mode ends at a comma); the monitor's prompt before it where "cont"
# left one.
l2cpu='^\((qemu) \)\{0,1\}L2CPU: cpu[[:space:]]*: [^,]*,'

# cpu_of FILE: the L2's mode in QEMU's output FILE, or nothing.
cpu_of() {
	sed -n 's/^\((qemu) \)\{0,1\}L2CPU: cpu[[:space:]]*: \([^,]*\),.*/\2/p' "$1" |
		tr -d '\r' | head -n 1
}

# boot Q COMPAT OUT: one L2 boot, max-cpu-compat=COMPAT (- for none); sets
# rc (QEMU's exit code, or how it was killed).
boot() {
	m=$m0
	[ "$2" = - ] || m=$m,max-cpu-compat=$2
	qemu "$1" "$m" "" </dev/null >"$3" 2>&1 &
	pid=$!
	rc=
	# QEMU stays up after "kvm run failed" (the vCPU stops, the machine
	# does not): that is the end of such a run.
	while kill -0 "$pid" 2>/dev/null; do
		if grep -q 'kvm run failed' "$3"; then
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
}

# resume OUT PID SECONDS: "cont" to the destination QEMU (PID, output OUT,
# its monitor on fd 4) once it has loaded the state of the stopped source
# and is paused as the source was (HMP "info status" once a second), 0;
# 1 if PID is gone or the time is up first (a refusal: QEMU exits).
resume() {
	t=0
	printf '\001c' >&4
	until tr -d '\r' <"$1" | grep -q 'VM status: paused$'; do
		kill -0 "$2" 2>/dev/null && [ "$t" -lt "$3" ] || return 1
		printf 'info status\n' >&4 2>/dev/null
		sleep 1
		t=$((t + 1))
	done
	printf 'cont\n' >&4
}

# migrate Q COMPAT OUT: COMPAT is migrate[=X]. An L2 that prints its mode
# every second (l2.loop) is booted without max-cpu-compat, then migrated to a
# second QEMU in the same L1, started with -incoming and max-cpu-compat=X if
# given, through a FIFO (HMP migrate, exec: on both sides: the L1 has no
# sockets). The source is stopped first, and the destination, paused after
# the load, is continued: a live migration under the TCG L0 loses pages
# the L2 writes while its RAM is sent, and with them the L2 now and then
# (qemu/README.md, "Bare metal"). OUT gets the destination's output;
# OUT.source the source's mode and messages. rc is the destination's exit
# code (0: it ran the L2 after the migration and was quit), or how it was
# killed.
migrate() {
	m=$m0 d=${2#migrate}
	[ -n "$d" ] && m=$m0,max-cpu-compat=${d#=}
	stream=/tmp/migrate-$n src=/tmp/source-$n.out
	rm -f "$stream" /tmp/src-$n.in /tmp/dst-$n.in
	mkfifo "$stream" /tmp/src-$n.in /tmp/dst-$n.in
	: >"$src"
	qemu "$1" "$m0" " l2.loop" </tmp/src-$n.in >"$src" 2>&1 &
	spid=$!
	exec 3>/tmp/src-$n.in
	qemu "$1" "$m" "" -incoming "exec:cat $stream" </tmp/dst-$n.in >"$3" 2>&1 &
	dpid=$!
	exec 4>/tmp/dst-$n.in
	rc='' quit='\001cquit'
	if wait_for "$src" "$l2cpu" "$spid" "$l2_timeout"; then
		# Ctrl-A c: from the serial console to the monitor.
		printf '\001cstop\nmigrate "exec:cat >%s"\n' "$stream" >&3
		quit=quit
		# The destination runs the L2 after the migration, or exits.
		if resume "$3" "$dpid" "$l2_timeout" &&
			wait_for "$3" "$l2cpu" "$dpid" "$l2_timeout"; then
			printf 'quit\n' >&4
		elif grep -q 'kvm run failed' "$3"; then
			rc=killed-after-kvm-run-failed
			kill -9 "$dpid"
		elif kill -0 "$dpid" 2>/dev/null; then
			rc=killed-after-${l2_timeout}s
			kill -9 "$dpid"
		fi
	else
		rc=killed-source-after-${l2_timeout}s
		kill -9 "$dpid"
	fi
	wait "$dpid"
	qrc=$?
	[ -n "$rc" ] || rc=$qrc
	printf '%b\n' "$quit" >&3
	exec 3>&- 4>&-
	sleep 1
	kill -9 "$spid" 2>/dev/null
	wait "$spid"
	{
		echo "L2: source cpu=$(cpu_of "$src")"
		tr -d '\r' <"$src" | grep -e '^qemu-' -e '^error' | head -n 20 | sed 's/^/source: /'
	} >"$3.source"
}

for r in $runs; do
	q=${r%%:*} c=${r#*:}
	echo "L2: begin $q $c"
	# A new file for each run, made before QEMU starts: the loop below must
	# not read the last run's output.
	n=$((n + 1))
	out=/tmp/qemu-$n.out
	: >"$out"
	start=$(date +%s)
	case $c in
	migrate*) migrate "$q" "$c" "$out" ;;
	*) boot "$q" "$c" "$out" ;;
	esac
	seconds=$(($(date +%s) - start))
	started=0
	grep -q 'Linux version' "$out" && started=1
	cpu=$(cpu_of "$out")
	# QEMU's messages and the L2's notices (loglevel=6): a few lines.
	tr -d '\r' <"$out" | grep -v '^$' | head -n 60 | sed 's/^/# /'
	[ -f "$out.source" ] && sed 's/^/# /' "$out.source"
	echo "L2: end $q $c rc=$rc started=$started seconds=$seconds cpu=${cpu:--}"
done
echo "HARNESS: done"
poweroff -f
