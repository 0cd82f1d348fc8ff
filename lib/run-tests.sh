#!/bin/sh
# run-tests.sh of a test bundle (bin/bundle): run the named tests, or every
# test of the bundle, and print their results as KTAP on stdout. A name
# found as hardening/NAME (the contract tests of tests/hardening) runs
# directly, framed as run_kselftest.sh frames a KVM selftest; any other name
# is a KVM selftest, run by kselftest/run_kselftest.sh. Run it as root on a
# host with /dev/kvm, from the bundle's directory or anywhere.
# Environment: KSFT_TIMEOUT, HARDENING_TIMEOUT (seconds per test; 600 and
# 300, for emulated hosts: run_kselftest.sh's own default is 45 to 120).
cd "$(dirname "$0")" || exit 1
ksft_timeout=${KSFT_TIMEOUT:-600}
hardening_timeout=${HARDENING_TIMEOUT:-300}

# run_hardening NAME: hardening/NAME with run_kselftest.sh's framing: its
# output prefixed "# ", then one top line, "hardening: NAME" for
# "selftests: kvm: NAME" (exit 4: SKIP; killed after the timeout: TIMEOUT).
run_hardening() {
	rcfile=$(mktemp)
	echo "TAP version 13"
	echo "1..1"
	echo "# timeout set to $hardening_timeout"
	echo "# hardening: $1"
	{
		timeout "$hardening_timeout" "./hardening/$1" 2>&1
		echo $? >"$rcfile"
	} | sed 's/^/# /'
	read -r rc <"$rcfile" || rc=unknown
	rm -f "$rcfile"
	case $rc in
	0) echo "ok 1 hardening: $1" ;;
	4) echo "ok 1 hardening: $1 # SKIP" ;;
	124 | 143) echo "not ok 1 hardening: $1 # TIMEOUT $hardening_timeout seconds" ;;
	*) echo "not ok 1 hardening: $1 # exit=$rc" ;;
	esac
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
		(cd kselftest && ./run_kselftest.sh -o "$ksft_timeout" -t "$entry")
	else
		echo "run-tests.sh: no test $t (neither hardening/$t nor in kselftest/kselftest-list.txt)" >&2
		exit 2
	fi
done
