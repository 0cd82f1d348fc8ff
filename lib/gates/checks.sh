# shellcheck shell=bash
# Sourced by bin/gates, which sets SRC, OUT, RES, RUN, BASE, TIP and the rest.
# bin/gates' other gates, one function each: style, bisect, matrix, sparse,
# coccicheck, docs, size, qemu.

# check_msg PATCH: the commit message rules checkpatch cannot check here: no
# Signed-off-by (the submitter adds it), and the product's Fixes: rule
# (config/products.tsv: required, exactly one; optional, at most one) with a
# tag of the right form naming a commit of the base's fixes-ids
# (config/bases.tsv): the base has no history for checkpatch to look in.
check_msg() {
	local f id ids
	! grep -q '^Signed-off-by:' "$1" || { echo "has a Signed-off-by: (the submitter adds it)"; return 1; }
	f=$(grep -E '^Fixes: ' "$1" || true)
	case $P_FIXES:$(grep -c '^Fixes: ' "$1" || true) in
	*:1) ;;
	optional:0) return 0 ;;
	required:*) echo "want exactly one Fixes: tag"; return 1 ;;
	*) echo "want at most one Fixes: tag"; return 1 ;;
	esac
	[[ $f =~ ^Fixes:\ ([0-9a-f]{12})\ \(\".+\"\)$ ]] ||
		{ echo "not in the form Fixes: <12 hex digits> (\"subject\"): $f"; return 1; }
	id=${BASH_REMATCH[1]}
	ids=$(base_field "$P_BASE" 8)
	[[ ",$ids," == *",$id,"* ]] || { echo "Fixes: $id is not one of the base's fixes-ids (config/bases.tsv)"; return 1; }
}

gate_style() {
	local dict=/usr/lib/python3/dist-packages/codespell_lib/data/dictionary.txt p rc=0 out
	[ -f "$dict" ] || { echo "codespell dictionary $dict missing (bin/setup installs codespell)"; return 1; }
	co "$BASE"
	for p in "${PATCHES[@]}"; do
		if ! out=$(check_msg "$p"); then
			printf '== %s: %s\n' "${p##*/}" "$out"
			rc=1
		fi
		# FILE_PATH_CHANGES asks of every patch that adds a file whether
		# MAINTAINERS needs updating; that is checked below, once, on the tip.
		if ! out=$(cd "$SRC" && ./scripts/checkpatch.pl --strict --codespell --codespellfile "$dict" \
			--ignore MISSING_SIGN_OFF,UNKNOWN_COMMIT_ID,FILE_PATH_CHANGES "$p" 2>&1); then
			printf '== checkpatch.pl --strict: %s\n%s\n' "${p##*/}" "$out"
			rc=1
		fi
		if ! out=$(cd "$SRC" && ./arch/powerpc/tools/checkpatch.sh --ignore MISSING_SIGN_OFF,UNKNOWN_COMMIT_ID "$p" 2>&1); then
			printf '== arch/powerpc/tools/checkpatch.sh: %s\n%s\n' "${p##*/}" "$out"
			rc=1
		fi
	done
	# Every file the series adds has a MAINTAINERS section other than the
	# catch-all, at the tip.
	co "$TIP"
	for p in $(git -C "$TREE" diff --name-only --diff-filter=A "$BASE" "$TIP"); do
		if ! (cd "$SRC" && ./scripts/get_maintainer.pl --no-git --no-git-fallback --sections -f "$p") 2>/dev/null |
			grep -vE '^[A-Z]:[[:space:]]|^$' | grep -qvx 'THE REST'; then
			printf '== MAINTAINERS: no section covers %s\n' "$p"
			rc=1
		fi
	done
	return "$rc"
}

# Every commit, W=1: the L1's config (config/l1.config, KVM built in) on
# the directories the product touches, then vmlinux; the KVM modules
# (KVM_BOOK3S_64_HV=m) on arch/powerpc/kvm/; the KVM selftests where it
# touches them. Each against the base's messages. Not checked: a call into
# another module without an export (modpost), which would take a whole HV=m
# kernel (CONFIG_MODULES changes every object's ccache key), the longest step
# of a run from an empty cache.
gate_bisect() {
	local c key rc=0 blog new hblog selftests=0
	key=w1-l1-$(md5sum <"$REPO/config/l1.config" | cut -c1-8)
	progress "bisect: base $START, W=1 ${TDIRS[*]}; HV=m arch/powerpc/kvm/"
	collect "$key" "$BASE" build_w1 l1 || { echo "the base does not build:"; tail -30 "$clog"; return 1; }
	blog=$clog
	collect m-hv-m "$BASE" build_w1 hv-m || { echo "the base does not build (HV=m):"; tail -30 "$clog"; return 1; }
	hblog=$clog
	# The product touches the KVM selftests: their builds below use the
	# uapi headers of its tip, made once.
	git -C "$TREE" diff --name-only "$START" "$TIP" | grep -q '^tools/testing/selftests/kvm/' && selftests=1
	if [ "$selftests" = 1 ]; then
		co "$TIP"
		mkdir -p "$OUT/tip-headers"
		kmake "$SRC" "$OUT/tip-headers" headers >/dev/null || { echo "make headers failed at the tip"; return 1; }
	fi
	for c in "${COMMITS[@]}"; do
		# A commit that touches the KVM selftests builds them (powerpc), and
		# must add no warning to them. (Before a powerpc test is enabled,
		# make builds nothing for powerpc and its Makefile says "mkdir:
		# missing operand".)
		if git -C "$TREE" diff --name-only "$c^" "$c" | grep -q '^tools/testing/selftests/kvm/'; then
			progress "bisect: $(short "$c"): KVM selftests"
			if ! collect selftests "$c" build_selftests; then
				echo "commit $(short "$c"): the KVM selftests failed to build:"
				show_failure "$clog"
				rc=1
			elif grep -E "$CCPAT" "$clog"; then
				echo "commit $(short "$c"): warnings in the KVM selftests (above)"
				rc=1
			fi
		fi
		# A commit that changes nothing the kernel build reads builds as its parent.
		if ! git -C "$TREE" diff --name-only "$c^" "$c" |
			grep -qvE '^(Documentation|tools|samples)/|^(MAINTAINERS|CREDITS|README)$'; then
			progress "bisect: $(short "$c"): nothing for the kernel build, skipped"
			continue
		fi
		progress "bisect: $(short "$c")"
		if ! collect "$key" "$c" build_w1 l1; then
			echo "commit $(short "$c"): build failed:"
			show_failure "$clog"
			rc=1
			continue
		fi
		new=$(newmsgs "$CCPAT" "$blog" "$clog")
		if [ -n "$new" ]; then
			echo "commit $(short "$c"): new W=1 warnings:"
			printf '%s\n' "$new"
			rc=1
		fi
		if ! collect m-hv-m "$c" build_w1 hv-m; then
			echo "commit $(short "$c"): build failed (HV=m):"
			show_failure "$clog"
			rc=1
		elif new=$(newmsgs "$CCPAT" "$hblog" "$clog") && [ -n "$new" ]; then
			echo "commit $(short "$c"): new W=1 warnings (HV=m):"
			printf '%s\n' "$new"
			rc=1
		fi
	done
	# The tip's KVM selftests, where the product touches them, with the
	# big-endian ppc64 and the 32-bit toolchains: nothing to build, and
	# nothing fails (only ppc64le runs the guest code).
	if [ "$selftests" = 1 ]; then
		progress "bisect: tip: KVM selftests with big-endian and 32-bit toolchains"
		collect selftests-be "$TIP" build_selftests_other || {
			echo "the KVM selftests of the tip fail or build something with a big-endian or 32-bit toolchain:"
			show_failure "$clog"
			rc=1
		}
	fi
	return "$rc"
}

gate_matrix() {
	local c rc=0 key
	for c in l1 hv-m pr kvm-n be e500mc x86_64; do
		progress "matrix: $c"
		key=m-$c
		[ "$c" = l1 ] && key=w1-l1-$(md5sum <"$REPO/config/l1.config" | cut -c1-8)
		if compare "$key" build_w1 "$c"; then
			echo "$c: ok"
		else
			rc=1
		fi
	done
	return "$rc"
}

sparse_run() {
	local out=$OUT/l1
	kconfig l1 || return 1
	rm -f "$out"/arch/powerpc/kvm/{powerpc,book3s_hv}.o
	gkmake "$out" C=2 CHECK="sparse -D__typeof_unqual__=__typeof__" \
		arch/powerpc/kvm/powerpc.o arch/powerpc/kvm/book3s_hv.o
}

gate_sparse() {
	command -v sparse >/dev/null || { echo "sparse is not installed (bin/setup)"; return 1; }
	compare sparse sparse_run
}

cocci_run() {
	local out=$OUT/cocci
	mkdir -p "$out"
	nice -n 10 make -s -C "$SRC" O="$out" J="$JOBS" coccicheck MODE=report M="$SRC/arch/powerpc/kvm"
}

gate_coccicheck() {
	command -v spatch >/dev/null || { echo "spatch is not installed (coccinelle; bin/setup)"; return 1; }
	local blog new
	collect coccicheck "$BASE" cocci_run || { echo "coccicheck failed at the base:"; tail -30 "$clog"; return 1; }
	blog=$clog
	collect coccicheck "$TIP" cocci_run || { echo "coccicheck failed at the tip:"; tail -30 "$clog"; return 1; }
	new=$(newmsgs '^[^ ]+\.[ch]:[0-9]' "$blog" "$clog")
	[ -z "$new" ] || { echo "new coccicheck reports:"; printf '%s\n' "$new"; return 1; }
}

docs_run() {
	local out=$OUT/docs
	rm -rf "$out"
	mkdir -p "$out"
	nice -n 10 make -s -C "$SRC" O="$out" SPHINXDIRS=virt SPHINXOPTS="-j$JOBS" htmldocs || return 1
	local tsha
	tsha=$(git -C "$SRC" rev-parse 'HEAD^{tree}')
	if [ "$tsha" = "$(git -C "$TREE" rev-parse "$TIP^{tree}")" ]; then
		rm -rf "$G/docs-html"
		cp -a "$out/Documentation/output" "$G/docs-html"
		touch "$G/docs-html/.tree-$tsha"
	fi
}
DOCPAT='(WARNING|ERROR|SEVERE|CRITICAL)'

gate_docs() {
	local blog new
	collect docs "$BASE" docs_run || { echo "htmldocs failed at the base:"; tail -30 "$clog"; return 1; }
	blog=$clog
	# Rebuild the tip if $G/docs-html holds another tree's HTML.
	local cache=${GATES_CACHE:-1}
	[ -f "$G/docs-html/.tree-$(git -C "$TREE" rev-parse "$TIP^{tree}")" ] || cache=0
	GATES_CACHE=$cache collect docs "$TIP" docs_run || { echo "htmldocs failed at the tip:"; show_failure "$clog"; return 1; }
	echo "tip HTML: $G/docs-html"
	new=$(newmsgs "$DOCPAT" "$blog" "$clog")
	[ -z "$new" ] || { echo "new documentation warnings:"; printf '%s\n' "$new"; return 1; }
}

# vmlinux_of REV: the l1 vmlinux of REV (built by bisect, or built here).
vmlinux_of() {
	local f
	f=$RES/vmlinux-l1.$(git -C "$TREE" rev-parse "$1^{tree}")
	if [ ! -f "$f" ]; then
		co "$1"
		kconfig l1 >&2 || return 1
		gkmake "$OUT/l1" vmlinux >&2 || return 1
		cp "$OUT/l1/vmlinux" "$f"
	fi
	echo "$f"
}

gate_size() {
	local b t bt tt
	b=$(vmlinux_of "$BASE") || { echo "vmlinux of the base failed to build"; return 1; }
	t=$(vmlinux_of "$TIP") || { echo "vmlinux of the tip failed to build"; return 1; }
	"$SRC/scripts/bloat-o-meter" "$b" "$t"
	bt=$("${CROSS}size" "$b" | awk 'NR == 2 { print $1 }')
	tt=$("${CROSS}size" "$t" | awk 'NR == 2 { print $1 }')
	echo "text: base $bt, tip $tt, delta $((tt - bt)) bytes"
}

# The QEMU series, qemu/ (QEMU in the L1) and qemu-l0/ (QEMU as the L0),
# each apply with git am on their QEMU base, in a scratch worktree, and
# QEMU's checkpatch reports nothing but the missing Signed-off-by (left to
# whoever posts, as in the kernel series) and, on the linux-headers patch,
# its question whether scripts/update-linux-headers.sh made it (that script
# stops on 7.2's headers: qemu/README.md).
gate_qemu() {
	local qsrc=$BUILD/qemu/src wt=$G/qemu-am base d p out n rc=0
	"$REPO/bin/build-qemu" --tree >/dev/null || { echo "no QEMU tree (bin/build-qemu --tree)"; return 1; }
	base=$(git -C "$qsrc" tag -l 'v*-base' | head -n 1)
	for d in qemu qemu-l0; do
		worktree "$qsrc" "$wt" "$base"
		n=0
		for p in "$REPO/$d"/[0-9][0-9][0-9][0-9]-*.patch; do
			case $p in */0000-*) continue ;; esac
			if ! out=$(git -C "$wt" -c user.name=gates -c user.email=gates@localhost am -q --keep-cr "$p" 2>&1); then
				echo "$d/${p##*/} does not apply on $base:"
				echo "$out"
				rc=1
				break
			fi
			n=$((n + 1))
			out=$( (cd "$wt" && ./scripts/checkpatch.pl --terse "$p" 2>&1) |
				grep -E '(ERROR|WARNING):' | grep -v 'Missing Signed-off-by' |
				grep -v 'are you using scripts/update-linux-headers.sh' || true)
			if [ -n "$out" ]; then
				echo "$d/${p##*/}: QEMU's checkpatch:"
				echo "$out"
				rc=1
			fi
		done
		echo "$d: $n patches applied on $base"
	done
	git -C "$qsrc" worktree remove --force "$wt"
	[ "$rc" = 0 ] && echo "QEMU's checkpatch: nothing but the known messages"
	return "$rc"
}
