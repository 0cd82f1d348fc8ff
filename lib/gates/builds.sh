# shellcheck shell=bash
# Sourced by bin/gates, which sets SRC, OUT, RES, RUN, BASE, TIP and the rest.
# bin/gates' builds: a configuration per name (cfg), its O= dir, W=1 builds,
# and the base's messages against the tip's (collect, compare), cached per
# source tree in $RES.

# cfg NAME: set CARCH, TOOLPFX, CTARGETS for a configuration and print its fragment.
cfg() {
	local ppc64='CONFIG_PPC64=y
CONFIG_PPC_BOOK3S_64=y
CONFIG_PPC_PSERIES=y
CONFIG_PPC_POWERNV=y
CONFIG_SMP=y'
	CARCH=powerpc TOOLPFX=$CROSS CTARGETS=(arch/powerpc/kvm/) CW=1
	case $1 in
	l1) CTARGETS=("${TDIRS[@]}"); cat "$REPO/config/l1.config" ;;
	hv-m) printf '%s\n' "$ppc64" CONFIG_CPU_LITTLE_ENDIAN=y CONFIG_MODULES=y CONFIG_VIRTUALIZATION=y \
		CONFIG_KVM_BOOK3S_64=m CONFIG_KVM_BOOK3S_64_HV=m CONFIG_KVM_BOOK3S_64_PR=n ;;
	pr) printf '%s\n' "$ppc64" CONFIG_CPU_LITTLE_ENDIAN=y CONFIG_VIRTUALIZATION=y \
		CONFIG_KVM_BOOK3S_64=y CONFIG_KVM_BOOK3S_64_HV=n CONFIG_KVM_BOOK3S_64_PR=y ;;
	kvm-n)
		# W=1 finds kernel-doc errors (PPC_WERROR) here at the base already.
		CTARGETS=(arch/powerpc/kernel/ arch/powerpc/platforms/powernv/) CW=""
		printf '%s\n' "$ppc64" CONFIG_CPU_LITTLE_ENDIAN=y CONFIG_VIRTUALIZATION=n ;;
	be)
		TOOLPFX=powerpc64-linux-gnu-
		printf '%s\n' "$ppc64" CONFIG_CPU_BIG_ENDIAN=y CONFIG_VIRTUALIZATION=y \
			CONFIG_KVM_BOOK3S_64=y CONFIG_KVM_BOOK3S_64_HV=y CONFIG_KVM_BOOK3S_64_PR=y ;;
	e500mc)
		TOOLPFX=powerpc-linux-gnu-
		printf '%s\n' CONFIG_PPC64=n CONFIG_PPC_85xx=y CONFIG_PPC_E500=y CONFIG_PPC_E500MC=y \
			CONFIG_VIRTUALIZATION=y CONFIG_KVM_E500MC=y ;;
	x86_64)
		CARCH=x86_64 TOOLPFX="" CTARGETS=(arch/x86/kvm/)
		printf '%s\n' CONFIG_64BIT=y CONFIG_SMP=y CONFIG_VIRTUALIZATION=y CONFIG_KVM=y CONFIG_KVM_INTEL=y ;;
	hdr-powerpc)
		CTARGETS=(usr/include/)
		printf '%s\n' CONFIG_PPC64=y CONFIG_PPC_BOOK3S_64=y CONFIG_CPU_LITTLE_ENDIAN=y \
			CONFIG_HEADERS_INSTALL=y CONFIG_UAPI_HEADER_TEST=y ;;
	hdr-x86_64)
		CARCH=x86_64 TOOLPFX="" CTARGETS=(usr/include/)
		printf '%s\n' CONFIG_64BIT=y CONFIG_HEADERS_INSTALL=y CONFIG_UAPI_HEADER_TEST=y ;;
	*) die "unknown configuration $1" ;;
	esac
}

# gkmake OUT ARGS...: lib/common.sh's kmake in $SRC for the configuration
# last chosen with cfg.
gkmake() { KARCH=$CARCH KCROSS=$TOOLPFX kmake "$SRC" "$1" -j"$JOBS" "${@:2}"; }

# kconfig NAME: configure $OUT/NAME from the fragment on allnoconfig, as
# bin/build does, and check that every option of the fragment survived.
kconfig() {
	mkdir -p "$OUT/$1"
	cfg "$1" >"$OUT/$1/gate.config"
	KARCH=$CARCH KCROSS=$TOOLPFX kconfigure "$SRC" "$OUT/$1" "$OUT/$1/gate.config" 2>&1
}

# fresh OUT DIR...: delete the objects of DIRs so that make prints their
# warnings again (ccache replays them).
fresh() {
	local out=$1 d
	shift
	for d in "$@"; do
		[ -d "$out/$d" ] && find "$out/$d" -name '*.o' -delete
		case $d in arch/*/kvm/) [ -d "$out/virt/kvm" ] && find "$out/virt/kvm" -name '*.o' -delete ;; esac
	done
	return 0
}

# build_w1 NAME: W=1 (but see cfg) build of the configuration's target directories (its
# output is the log), then, for l1, vmlinux (errors only; kept for size).
build_w1() {
	local name=$1 out=$OUT/$1 rc=0
	kconfig "$name" || return 1
	fresh "$out" "${CTARGETS[@]}"
	gkmake "$out" W="$CW" "${CTARGETS[@]}" || return 1
	if [ "$name" = l1 ]; then
		gkmake "$out" vmlinux >"$RUN/vmlinux.log" 2>&1 || rc=$?
		if [ "$rc" != 0 ]; then
			grep -E -B3 -A3 'error|Error' "$RUN/vmlinux.log" | tail -40
			return "$rc"
		fi
		cp "$out/vmlinux" "$RES/vmlinux-l1.$(git -C "$SRC" rev-parse 'HEAD^{tree}')"
	fi
}

# collect KEY REV FUNC ARGS...: check out REV and run FUNC, its output in
# $clog, once per source tree of REV (successes are cached in $RES).
clog=
# build_selftests: the KVM selftests of the checkout, cross-built for
# powerpc against the uapi headers of the product's tip (gate_bisect makes
# them in $OUT/tip-headers, once a run).
build_selftests() {
	mkdir -p "$OUT/selftests"
	kvm_selftests_make "$SRC" "$OUT/selftests" KHDR_INCLUDES="-isystem $OUT/tip-headers/usr/include"
}

# build_selftests_other: the KVM selftests of the checkout with the
# big-endian ppc64 and the 32-bit powerpc toolchains, which must build
# nothing, and fail nothing.
build_selftests_other() {
	local tool out
	for tool in powerpc64-linux-gnu- powerpc-linux-gnu-; do
		out=$OUT/selftests-${tool%-}
		rm -rf "$out"
		mkdir -p "$out"
		make -s -C "$SRC/tools/testing/selftests" ARCH=powerpc CROSS_COMPILE="$tool" \
			O="$out" TARGETS=kvm -j"$JOBS" || return 1
		if [ -n "$(find "$out" -type f \( -name '*.o' -o -perm -u+x \) -print -quit)" ]; then
			echo "$tool: built $(find "$out" -type f \( -name '*.o' -o -perm -u+x \) | head -n 3)"
			return 1
		fi
		echo "$tool: nothing built"
	done
}

collect() {
	local key=$1 rev=$2 fn=$3 tsha rc=0
	shift 3
	tsha=$(git -C "$TREE" rev-parse "$rev^{tree}")
	clog=$RES/$key.$tsha.log
	if [ "${GATES_CACHE:-1}" = 1 ] && [ -f "$clog.rc" ]; then
		return "$(cat "$clog.rc")"
	fi
	co "$rev"
	rm -f "$clog.rc"
	"$fn" "$@" >"$clog" 2>&1 || rc=$?
	# Only successes are kept: a failure may be transient, and is retried.
	[ "$rc" != 0 ] || echo 0 >"$clog.rc"
	return "$rc"
}

# normalise: drop the build paths and line (and column) numbers from messages.
normalise() {
	sed -E -e "s#$SRC/##g" -e "s#$OUT/[^/ ]+/##g" -e "s#$G/[^/ ]+/##g" -e 's#(\.\./)+##g' \
		-e 's/:[0-9]+(:[0-9]+(-[0-9]+)?)?:/:/g' -e 's/\.([chS]|rst):[0-9]+ /.\1: /g' -e 's/\b(line|lines) [0-9]+(-[0-9]+)?/\1 N/g'
}

# newmsgs PATTERN BASELOG TIPLOG: the messages (lines matching PATTERN) of
# TIPLOG that BASELOG does not have, ignoring paths and line numbers.
newmsgs() {
	local pat=$1 b=$RUN/new.b t=$RUN/new.t
	{ grep -E "$pat" "$2" || true; } | normalise >"$b"
	{ grep -E "$pat" "$3" || true; } >"$t.raw"
	normalise <"$t.raw" >"$t.norm"
	paste -d $'\x01' "$t.norm" "$t.raw" >"$t"
	awk -F$'\x01' 'FILENAME == ARGV[1] { n[$0]++; next } { if (n[$1] > 0) n[$1]--; else print $2 }' "$b" "$t"
}
CCPAT='([Ww]arning|error):' # gcc, sparse, and kernel-doc (W=1)

# show_failure LOG: the errors of a failed build with some context, or its end.
show_failure() {
	if grep -qE "$CCPAT|Error|not honoured" "$1"; then
		grep -E -B2 -A3 "$CCPAT|Error|not honoured" "$1" | tail -40
	else
		tail -30 "$1"
	fi
}

# compare KEY FUNC ARGS...: run FUNC at base and tip; fail on a failure at
# the tip or on new messages. Prints what failed.
compare() {
	local key=$1 blog new
	shift
	collect "$key" "$BASE" "$@" || { echo "$key: fails at the base $START too:"; tail -30 "$clog"; return 1; }
	blog=$clog
	if ! collect "$key" "$TIP" "$@"; then
		echo "$key: failed at the tip $(short "$TIP"):"
		show_failure "$clog"
		return 1
	fi
	new=$(newmsgs "$CCPAT" "$blog" "$clog")
	[ -z "$new" ] || { echo "$key: new warnings at the tip:"; printf '%s\n' "$new"; return 1; }
}
