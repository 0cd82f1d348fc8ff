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
SELFTESTS_OUT=$BUILD/kselftest
CROSS=powerpc64le-linux-gnu-
JOBS=${JOBS:-$(($(nproc) + 1))}
BASE_TAG=v7.2-base
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
# Relative paths in the cache keys, so that another clone (CI's) hits the cache.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$REPO}

log() { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }
die() { printf '[%s] error: %s\n' "${0##*/}" "$*" >&2; exit 1; }

# now: seconds since the epoch, with fractions, for stage timings.
now() { date +%s.%N; }
# elapsed START: seconds since START, one decimal.
elapsed() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1f", e - s }'; }

# timing NAME START: print and record how long a stage took.
timing() {
	local t
	t=$(elapsed "$2")
	mkdir -p "$BUILD"
	printf '%s\t%s\n' "$1" "$t" >>"$BUILD/timings.tsv"
	log "timing: $1 took ${t}s"
}
