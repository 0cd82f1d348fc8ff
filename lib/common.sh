#!/usr/bin/env bash
# Shared settings and helpers for the harness scripts. Source it; do not run it.
# shellcheck disable=SC2034  # variables here are used by the scripts that source this file

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${COMPAT_SHARED:-$REPO/../shared}
CACHE=${COMPAT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kvm-compat-caps}
BUILD=${COMPAT_BUILD:-$REPO/build}
TREE=${COMPAT_TREE:-$BUILD/linux}
KOUT=${COMPAT_KOUT:-$BUILD/kernel}
KOUT_DEBUG=$BUILD/kernel-debug
# The unpatched base kernel ($BASE_TAG), for QEMU's case c, built from the
# worktree $BUILD/base/linux: the same path relative to its O= dir as the
# tree's ("../linux"), so that ccache serves it every object the series does
# not change (the gates and bin/stack lay out their trees the same way).
KOUT_BASE=$BUILD/base/kernel
SELFTESTS_OUT=$BUILD/kselftest
# The project's hardening tests (tests/hardening), built for the L1.
HARDENING_OUT=$BUILD/hardening
# The hardening tests that bin/stack boots on every kernel of a stack (each
# on the rows that list it), with the tests product's compat_caps_test: the
# contract tests, which its table compares from kernel to kernel.
STACK_TESTS=${COMPAT_STACK_TESTS:-compat_caps_contract compat_caps_fuzz compat_caps_race vcpu_ids}
CROSS=powerpc64le-linux-gnu-
JOBS=${JOBS:-$(($(nproc) + 1))}
# tsv_field FILE KEY COLUMN: a column of the line of config FILE whose first
# column is KEY (empty if none).
tsv_field() { awk -F'\t' -v k="$2" -v c="$3" '!/^#/ && $1 == k {print $c}' "$1"; }
# base_field BASE COLUMN: of config/bases.tsv (2 tag, ..., 8 fixes-ids).
base_field() { tsv_field "$REPO/config/bases.tsv" "$1" "$2"; }
# product_field PRODUCT COLUMN: of config/products.tsv (COMPAT_PRODUCTS for
# another list): 2 base, 3 stacks-on, 4 fixes-tag, 5 subject prefix,
# 6 tests-on, 7 backports.
product_field() { tsv_field "${COMPAT_PRODUCTS:-$REPO/config/products.tsv}" "$1" "$2"; }
# base_tag BASE: the tag of a base of config/bases.tsv (empty if none).
base_tag() { base_field "$1" 2; }
# The series' base (the product series/ of config/products.tsv, whatever
# list COMPAT_PRODUCTS names) and its tag.
SERIES_BASE=$(tsv_field "$REPO/config/products.tsv" series 2)
BASE_TAG=$(base_tag "$SERIES_BASE")
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
# Relative paths in the cache keys, so that another clone (CI's) hits the cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$REPO}

# base_git BASE: the cache's git repository of a base of config/bases.tsv.
base_git() { echo "$CACHE/base-$1.git"; }
# stack_out BASE: bin/stack's build directory for a base.
stack_out() { echo "$BUILD/stack-$1"; }
# bundle_path DIR PRODUCT: a product's test bundle (bin/bundle) built in the
# build directory DIR.
bundle_path() { echo "$1/bundle/kvm-ppc-tests-$2.tar.gz"; }

log() { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }
die() { printf '[%s] error: %s\n' "${0##*/}" "$*" >&2; exit 1; }

# worktree REPO DIR COMMIT: make DIR a worktree of REPO if it is not one
# that works (bin/make-tree --force makes a new REPO, and the old worktrees
# then point nowhere), and check COMMIT out there, detached. Scripts that
# run side by side add worktrees to the same repository: a lock keeps git's
# bookkeeping whole.
worktree() {
	if ! git -C "$2" rev-parse -q --verify HEAD >/dev/null 2>&1 ||
		[ "$(git -C "$2" rev-parse --path-format=absolute --git-common-dir)" != \
			"$(git -C "$1" rev-parse --path-format=absolute --git-common-dir)" ]; then
		(
			flock 7
			rm -rf "$2"
			git -C "$1" worktree prune
			git -C "$1" worktree add -q --detach "$2" "$3"
		) 7>"$(git -C "$1" rev-parse --absolute-git-dir)/compat-worktree.lock"
	fi
	git -C "$2" checkout -q -f --detach "$3"
}

# kvm_selftests_make SRC OUT [ARGS...]: make the KVM selftests of the
# kernel tree SRC, cross-built static for ppc64le in OUT, against the uapi
# headers that bin/build installs in $SELFTESTS_OUT/obj. Without
# CCACHE_BASEDIR: ccache would pass the compiler relative -o paths, so the
# .d files would name targets that make never looks for, and a library
# object would outlive a change to a header it includes (a kvm_util.o with
# an older struct kvm_vm closed a random fd in kvm_binary_stats_test).
kvm_selftests_make() {
	local src=$1 out=$2
	shift 2
	CCACHE_BASEDIR='' make -s -C "$src/tools/testing/selftests" ARCH=powerpc CROSS_COMPILE="$CROSS" \
		CC="ccache ${CROSS}gcc" O="$out" TARGETS=kvm -j"$JOBS" \
		KHDR_INCLUDES="-isystem $SELFTESTS_OUT/obj/usr/include" \
		EXTRA_CFLAGS=-static LDFLAGS=-static "$@"
}

# spawn CMD...: run CMD in the background, at most COMPAT_PARALLEL (the
# number of cores) at a time; spawn_wait waits for the last ones.
spawned=0
spawn() {
	"$@" &
	spawned=$((spawned + 1))
	if [ "$spawned" -ge "${COMPAT_PARALLEL:-$(nproc)}" ]; then
		wait -n || true
		spawned=$((spawned - 1))
	fi
}
spawn_wait() {
	wait || true
	spawned=0
}

# now: seconds since the epoch, with fractions, for stage timings.
now() { date +%s.%N; }
# elapsed START: seconds since START, one decimal.
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }

# timing NAME START: print and record how long a stage took, in the run's
# timings.tsv (a script that runs another with a build directory of its own
# still records there).
TIMINGS=${COMPAT_TIMINGS:-$BUILD/timings.tsv}
export COMPAT_TIMINGS=$TIMINGS
timing() {
	local t
	t=$(elapsed "$2")
	mkdir -p "$(dirname "$TIMINGS")"
	printf '%s\t%s\n' "$1" "$t" >>"$TIMINGS"
	log "timing: $1 took ${t}s"
}

# kmake SRC OUT ARGS...: make in the kernel tree SRC, its output in OUT, for
# powerpc with the cross compiler (KARCH and KCROSS name another target),
# through ccache, at low priority. Every kernel build of the harness goes
# through here.
kmake() {
	local src=$1 out=$2 arch=${KARCH:-powerpc} cross=${KCROSS-$CROSS}
	shift 2
	mkdir -p "$CCACHE_DIR"
	nice -n 10 make -s -C "$src" ARCH="$arch" CROSS_COMPILE="$cross" CC="ccache ${cross}gcc" O="$out" "$@"
}

# kconfigure SRC OUT FRAGMENT...: the kernel config of OUT: the fragments on
# allnoconfig, a later fragment's line for an option replacing an earlier
# one. An option that the tree's Kconfig does not have is dropped, and said
# so (config/l1.config is written for 7.2; 7.3 folded PROC_SYSCTL into
# SYSCTL). Configured again only when the fragments changed: a change of the
# tree's Kconfig files is caught by the build's own syncconfig. Fails if an
# option of the fragment did not survive.
kconfigure() {
	local src=$1 out=$2 line sym
	shift 2
	mkdir -p "$out"
	cat "$@" | tac | awk -F= '!/^CONFIG_/ || !seen[$1]++' | tac >"$out/fragment.in.new"
	if [ -f "$out/.config" ] && cmp -s "$out/fragment.in.new" "$out/fragment.in"; then
		rm -f "$out/fragment.in.new"
	else
		find "$src" -name 'Kconfig*' -exec sed -n 's/^[[:space:]]*\(menu\)\{0,1\}config[[:space:]]\{1,\}\([A-Z0-9_]*\).*/\2/p' {} + |
			sort -u >"$out/symbols"
		while IFS= read -r line; do
			case $line in
			CONFIG_*=*)
				sym=${line%%=*}
				if ! grep -qx "${sym#CONFIG_}" "$out/symbols"; then
					log "config: $line is not in this tree's Kconfig: dropped"
					continue
				fi
				;;
			esac
			printf '%s\n' "$line"
		done <"$out/fragment.in.new" >"$out/fragment.config"
		kmake "$src" "$out" KCONFIG_ALLCONFIG="$out/fragment.config" allnoconfig >/dev/null
		mv "$out/fragment.in.new" "$out/fragment.in"
	fi
	check_fragment "$out/fragment.config" "$out/.config" ||
		{ log "the kernel config in $out lost options of the fragment (above)"; return 1; }
}

# check_fragment FRAGMENT CONFIG: every option of the config fragment
# survived Kconfig into CONFIG (an "=n" one is neither y nor m there).
# Logs each one lost; fails if any was.
check_fragment() {
	local line bad=0
	while read -r line; do
		case $line in '' | '#'*) continue ;; esac
		if [ "${line#*=}" = n ]; then
			grep -qx "${line%%=*}=[ym]" "$2" && { log "config: $line not honoured"; bad=1; }
		else
			grep -qx "$line" "$2" || { log "config: $line not honoured"; bad=1; }
		fi
	done <"$1"
	[ "$bad" = 0 ]
}

# qemu_machine MACHINE NESTING: QEMU's -M argument for a row of
# config/rows.tsv (machine options, nesting: papr, hv, none or -).
qemu_machine() {
	local m=$1
	case $1 in
	pseries*)
		m="$m,x-vof=on,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off"
		case $2 in
		papr) m="$m,cap-nested-papr=on" ;;
		hv) m="$m,cap-nested-hv=on" ;;
		none) ;;
		*) return 1 ;;
		esac
		;;
	esac
	echo "$m"
}
