# shellcheck shell=bash
# Sourced by bin/gates, which sets SRC, OUT, RES, RUN, BASE, TIP and the rest.
# bin/gates' uapi gate: headers_install and the header test for powerpc and
# x86_64, -Wpadded on the headers the series touches, check-uapi.sh and
# abidiff, base -> tip.

# uapi_pad ARCH: install the uapi headers of the checked-out commit and
# compile the ones the series touches with -Wpadded for each ABI of ARCH.
uapi_pad() {
	local arch=$1 out=$OUT/pad-$1 f h cc incs=()
	for f in "${TOUCHED[@]}"; do
		case $f in
		include/uapi/*.h) incs+=("${f#include/uapi/}") ;;
		arch/"${arch%_64}"/include/uapi/*.h) incs+=("${f#arch/*/include/uapi/}") ;;
		esac
	done
	cfg "hdr-$arch" >/dev/null
	gkmake "$out" headers_install >/dev/null || return 1
	for h in "${incs[@]}"; do printf '#include <%s>\n' "$h"; done >"$out/pad.c"
	if [ "$arch" = powerpc ]; then
		set -- "${CROSS}gcc" powerpc64-linux-gnu-gcc powerpc-linux-gnu-gcc
	else
		set -- gcc "gcc -m32"
	fi
	for cc in "$@"; do
		command -v "${cc%% *}" >/dev/null || continue
		echo "== $cc -Wpadded"
		# shellcheck disable=SC2086 # "gcc -m32" is a command and an option
		$cc -fsyntax-only -Wpadded -I"$out/usr/include" "$out/pad.c" 2>&1 | sed "s#^#[$cc] #" || true
	done
}

hdrtest() { # NAME
	kconfig "$1" || return 1
	gkmake "$OUT/$1" headers_install && gkmake "$OUT/$1" "${CTARGETS[@]}"
}

gate_uapi() {
	local rc=0 a new key
	for a in powerpc x86_64; do
		progress "uapi: $a headers_install and header test"
		if collect "hdrtest-$a" "$TIP" hdrtest "hdr-$a"; then
			echo "$a: headers_install and CONFIG_UAPI_HEADER_TEST: ok"
		else
			echo "$a: headers_install / CONFIG_UAPI_HEADER_TEST failed:"
			show_failure "$clog"
			rc=1
		fi
		key=pad-$a-$(printf '%s\n' "${TOUCHED[@]}" | md5sum | cut -c1-8)
		collect "$key" "$BASE" uapi_pad "$a" || { echo "headers_install failed at the base"; rc=1; continue; }
		local blog=$clog
		collect "$key" "$TIP" uapi_pad "$a" || { echo "headers_install failed at the tip"; rc=1; continue; }
		new=$(newmsgs 'warning:' "$blog" "$clog")
		if [ -n "$new" ]; then
			echo "$a: new padding (holes) in the uapi structures:"
			printf '%s\n' "$new"
			rc=1
		else
			echo "$a: no new padding in the uapi headers the series touches"
		fi
	done
	local wrap
	if ! wrap=$("$REPO/bin/get-abigail" 2>"$RUN/get-abigail.log"); then
		echo "check-uapi.sh: no abidiff >= 2.4 (bin/get-abigail failed):"
		cat "$RUN/get-abigail.log"
		return 1
	fi
	# powerpc checks the generic headers (linux/kvm.h) too; x86_64 can be
	# added (GATES_CHECK_UAPI_ARCHES="powerpc x86_64"), 2 to 3 minutes more.
	for a in ${GATES_CHECK_UAPI_ARCHES:-powerpc}; do
		progress "uapi: check-uapi.sh ARCH=$a, $START -> tip"
		uapi_compat "$a" "$wrap" || rc=1
	done
	return "$rc"
}

# uapi_added ARCH: the types (struct, union, enum NAME) that the series adds
# to the uapi headers of ARCH that exist at the base (check-uapi.sh compares
# only those), one a line.
uapi_added() {
	local karch=${1%_64} f
	for f in "${TOUCHED[@]}"; do
		case $f in include/uapi/*.h | arch/"$karch"/include/uapi/*.h) ;; *) continue ;; esac
		git -C "$TREE" cat-file -e "$BASE:$f" 2>/dev/null || continue
		git -C "$TREE" diff "$BASE" "$TIP" -- "$f" |
			sed -nE 's/^\+[[:space:]]*(struct|union|enum)[[:space:]]+([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*\{.*/\1 \2/p'
	done | sort -u
}

# abidiff_keep: write $RUN/abidiff-keep, the abidiff that check_uapi gives
# check-uapi.sh.
abidiff_keep() {
	cat >"$RUN/abidiff-keep" <<'EOF'
#!/bin/sh
# abidiff for check-uapi.sh: the one first in PATH. Where it finds a
# difference (check-uapi.sh's suppressions filter out every added type), the
# report without those suppressions is kept in $ABI_REPORTS.
rc=0
out=$(abidiff "$@") || rc=$?
[ -z "$out" ] || printf '%s\n' "$out"
if [ $# -ge 2 ] && { [ "$rc" != 0 ] || printf '%s\n' "$out" | grep -q 'filtered out'; }; then
	skip=0
	for a; do
		shift
		[ "$skip" = 0 ] || { skip=0; continue; }
		case $a in --suppressions) skip=1; continue ;; esac
		set -- "$@" "$a"
	done
	for new; do :; done
	h=${new##*/usr/}
	h=${h%.bin}
	all=$(abidiff "$@") && arc=0 || arc=$?
	{ printf '== %s (abidiff exit %s, without suppressions %s)\n' "$h" "$rc" "$arc"; printf '%s\n' "$all"; } \
		>"$ABI_REPORTS/$(printf %s "$h" | tr / _)"
fi
exit "$rc"
EOF
	chmod +x "$RUN/abidiff-keep"
}

# check_uapi ARCH WRAPDIR: scripts/check-uapi.sh for ARCH, $START -> tip
# (run under collect: its output is $clog). abidiff's report of every header
# that differs, which check-uapi.sh prints only for the ones it fails, is
# kept in $clog.abi.
check_uapi() {
	local arch=$1 pfx="" reports=$RUN/abi-$1 crc=0 tmp
	[ "$arch" = powerpc ] && pfx=$CROSS
	rm -rf "$reports" "$clog.abi"
	mkdir -p "$reports"
	# It unpacks both trees with git archive (2 x 1.8 GB): in memory if there
	# is room, which takes minutes less than this disk.
	tmp=$RUN
	if [ -w /dev/shm ] && [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt $((6 * 1024 * 1024)) ]; then
		tmp=$(mktemp -d /dev/shm/kvm-compat-gates-uapi.XXXXXX)
	fi
	(cd "$SRC" && PATH="$2:$PATH" ABIDIFF=$RUN/abidiff-keep ABI_REPORTS=$reports ARCH=$arch \
		CROSS_COMPILE=$pfx TMPDIR=$tmp nice -n 10 ./scripts/check-uapi.sh -b "$TIP" -p "$BASE" -j "$JOBS") || crc=$?
	[ "$tmp" = "$RUN" ] || rm -rf "$tmp"
	echo "check-uapi.sh exit $crc"
	find "$reports" -type f -print0 | sort -z | xargs -0r cat >"$clog.abi"
	return "$crc"
}

# uapi_compat ARCH WRAPDIR: check-uapi.sh must pass and report nothing but
# the types the series adds: no other output, every abidiff report an
# addition only, each added type one of the series' and each of the series'
# reported.
uapi_compat() {
	local a=$1 key other added want bad=0
	abidiff_keep
	# Cached per base and tip trees, abidiff version and this gate's abidiff wrapper.
	key=check-uapi-$a-$(git -C "$TREE" rev-parse "$BASE^{tree}" | cut -c1-12)-$("$2/abidiff" --version |
		cut -d ' ' -f 2)-$(md5sum <"$RUN/abidiff-keep" | cut -c1-8)
	if ! collect "$key" "$TIP" check_uapi "$a" "$2"; then
		printf 'check-uapi.sh ARCH=%s failed (%s -> tip):\n' "$a" "$START"
		sed 's/^/  /' "$clog"
		return 1
	fi
	other=$(grep -vE "^(Installing user-facing UAPI headers from [0-9a-f]+\.\.\. OK|Checking changes to UAPI headers between [0-9a-f]+ and [0-9a-f]+\.\.\.|All [0-9]+ UAPI headers compatible with [a-z0-9_]+ appear to be backwards compatible|No changes to UAPI headers were applied between .*|check-uapi.sh exit 0)\$" "$clog" || true)
	if [ -n "$other" ]; then
		printf 'check-uapi.sh ARCH=%s passed, but said more than that:\n' "$a"
		printf '%s\n' "$other" | sed 's/^/  /'
		bad=1
	fi
	# In the reports, only additions: every summary counts 0 removed, 0 changed.
	other=$(grep -iE 'summary:.*\b[1-9][0-9]* (removed|changed)' "$clog.abi" || true)
	if [ -n "$other" ]; then
		printf 'check-uapi.sh ARCH=%s passed, but without its suppressions (reserved and padding fields, enum _MAX and the like) abidiff reports changes to existing types, not only additions:\n' "$a"
		sed 's/^/  /' "$clog.abi"
		bad=1
	fi
	added=$(sed -nE "s/^ *\[A\] '(struct|union|enum) ([A-Za-z_][A-Za-z0-9_]*)'.*/\1 \2/p" "$clog.abi" | sort -u)
	want=$(uapi_added "$a")
	other=$(comm -23 <(printf '%s\n' "$added" | sed '/^$/d') <(printf '%s\n' "$want" | sed '/^$/d'))
	if [ -n "$other" ]; then
		printf 'check-uapi.sh ARCH=%s: additions that the series does not make:\n' "$a"
		printf '%s\n' "$other" | sed 's/^/  /'
		bad=1
	fi
	other=$(comm -13 <(printf '%s\n' "$added" | sed '/^$/d') <(printf '%s\n' "$want" | sed '/^$/d'))
	if [ -n "$other" ]; then
		printf 'check-uapi.sh ARCH=%s: the series adds these, but abidiff did not report them:\n' "$a"
		printf '%s\n' "$other" | sed 's/^/  /'
		bad=1
	fi
	[ "$bad" = 0 ] || return 1
	printf 'check-uapi.sh ARCH=%s: ok, %s\n' "$a" "$(grep -E '^(All|No changes)' "$clog")"
	if [ -n "$added" ]; then
		grep -E '^== ' "$clog.abi" | sed -E 's/^== ([^ ]+) .*/\1/' | while read -r h; do
			printf '  %s: added %s\n' "$h" "$(awk -v h="$h" '$1 == "==" { on = ($2 == h) } on' "$clog.abi" |
				sed -nE "s/^ *\[A\] '([^']+)'.*/\1/p" | paste -sd, | sed 's/,/, /g')"
		done
	fi
}
