#!/bin/sh
# run-tests.sh of a test bundle (bin/bundle): run the named tests, or every
# test of the bundle, and print their results as KTAP on stdout. A name
# found as hardening/NAME (the contract tests of tests/hardening) runs
# directly, framed as run_kselftest.sh frames a KVM selftest; any other name
# is a KVM selftest, run by kselftest/run_kselftest.sh. Run it as root on a
# host with /dev/kvm, from the bundle's directory or anywhere.
# Environment: KSFT_TIMEOUT, HARDENING_TIMEOUT (seconds per test; 600 and
# 300, for emulated hosts: run_kselftest.sh's own default is 45 to 120);
# KSFT_ARGS_NAME, arguments for the KVM selftest NAME (e.g.
# KSFT_ARGS_arch_timer="-e 50000"), which then runs directly, framed as
# run_kselftest.sh frames it (run_kselftest.sh passes a test no argument).
cd "$(dirname "$0")" || exit 1
ksft_timeout=${KSFT_TIMEOUT:-600}
hardening_timeout=${HARDENING_TIMEOUT:-300}

# framed LABEL TIMEOUT CMD...: run CMD with run_kselftest.sh's framing: its
# output prefixed "# ", then one top line naming LABEL (exit 4: SKIP;
# killed after TIMEOUT seconds: TIMEOUT).
framed() {
	label=$1 limit=$2
	shift 2
	rcfile=$(mktemp)
	echo "TAP version 13"
	echo "1..1"
	echo "# timeout set to $limit"
	echo "# $label"
	{
		timeout "$limit" "$@" 2>&1
		echo $? >"$rcfile"
	} | sed 's/^/# /'
	read -r rc <"$rcfile" || rc=unknown
	rm -f "$rcfile"
	case $rc in
	0) echo "ok 1 $label" ;;
	4) echo "ok 1 $label # SKIP" ;;
	124 | 143) echo "not ok 1 $label # TIMEOUT $limit seconds" ;;
	*) echo "not ok 1 $label # exit=$rc" ;;
	esac
}

# run_hardening NAME: hardening/NAME, "hardening: NAME" for "selftests:
# kvm: NAME".
run_hardening() {
	framed "hardening: $1" "$hardening_timeout" "./hardening/$1"
}

if [ $# = 0 ]; then
	# Every test: the KVM selftests in one run_kselftest.sh, then the
	# contract tests.
	(cd kselftest && ./run_kselftest.sh -o "$ksft_timeout" -c kvm)
	for t in hardening/*; do
		[ -x "$t" ] && run_hardening "${t#hardening/}"
	done
	exit 0
fi
for t in "$@"; do
	if [ -f "hardening/$t" ]; then
		run_hardening "$t"
	elif entry=$(grep -m1 -E "^kvm:([a-z0-9_]+/)?$t\$" kselftest/kselftest-list.txt); then
		args=$(eval "echo \"\${KSFT_ARGS_$t:-}\"")
		if [ -n "$args" ]; then
			# shellcheck disable=SC2086 # the arguments, split
			(cd kselftest/kvm && framed "selftests: kvm: $t" "$ksft_timeout" "./${entry#kvm:}" $args)
		else
			(cd kselftest && ./run_kselftest.sh -o "$ksft_timeout" -t "$entry")
		fi
	else
		echo "run-tests.sh: no test $t (neither hardening/$t nor in kselftest/kselftest-list.txt)" >&2
		exit 2
	fi
done
