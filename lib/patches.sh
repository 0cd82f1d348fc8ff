#!/usr/bin/env bash
# Patch directories into git trees and back, the one way every product goes:
# the kernel products of config/products.tsv (bin/make-tree, bin/stack,
# bin/export-series, bin/gates --series) and QEMU's (bin/build-qemu). Source
# it after lib/common.sh; do not run it.
# shellcheck disable=SC2153 # REPO, TREE: lib/common.sh sets them

# product_tree PRODUCT: the kernel tree of its branch: the series' is $TREE
# (build/linux), the others' build/linux-BASE (COMPAT_STACK_TREE).
product_tree() {
	if [ "$1" = series ]; then
		echo "$TREE"
	else
		echo "${COMPAT_STACK_TREE:-$BUILD/linux-$(product_field "$1" 2)}"
	fi
}

# am_dir REPO DIR [AM_OPTION...]: apply DIR's patches (NNNN-*.patch, the
# cover letter aside) in order with git am on REPO's HEAD. A patch that does
# not apply aborts the am and stops everything, naming DIR and the patch.
am_dir() {
	local repo=$1 dir=$2 p out
	local -a patches
	shift 2
	mapfile -t patches < <(find "$dir" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
		! -name '0000-*' 2>/dev/null | sort)
	[ ${#patches[@]} -gt 0 ] || die "no patches in $dir"
	for p in "${patches[@]}"; do
		if ! out=$(git -C "$repo" am -q "$@" "$p" 2>&1); then
			git -C "$repo" am --abort >/dev/null 2>&1 || true
			printf '%s\n' "$out" >&2
			die "${dir##*/}: patch does not apply: ${p##*/}"
		fi
	done
	echo "${#patches[@]}"
}

# branch_from_dir TREE BRANCH START DIR: make BRANCH of the kernel tree TREE
# from START with DIR's patches, and its description DIR's cover letter text
# again, so that export_dir writes the same cover letter.
branch_from_dir() {
	local tree=$1 branch=$2 start=$3 dir=$4 n
	git -C "$tree" checkout -q -B "$branch" "$start"
	n=$(am_dir "$tree" "$dir" --whitespace=error-all)
	if [ -f "$dir/0000-cover-letter.patch" ]; then
		git -C "$tree" config "branch.$branch.description" \
			"$(python3 "$REPO/lib/cover_text.py" "$dir/0000-cover-letter.patch")"
	fi
	log "tree: branch $branch, $start + $n patches"
}

# export_dir TREE START BRANCH DIR PREFIX: write DIR from START..BRANCH of the
# kernel tree TREE with git format-patch: the cover letter from the branch
# description, To: the maintainers and Cc: the reviewers and lists that
# scripts/get_maintainer.pl names for the files touched, and no one else
# (no keyword matches: they hit other architectures in the selftests'
# context lines; the people a commit's own Cc: trailers name, stable@
# among them, git send-email adds to that patch alone), zeroed commit ids, object
# ids of a fixed length and the cover letter dated like the tip, so that
# tree -> patches -> tree round-trips byte for byte. No base-commit: the base
# is a local import of Debian's source package, which resolves nowhere else;
# the cover letter names it.
export_dir() {
	local tree=$1 range=$2..$3 dir=$4 prefix=$5 tmp addr role to=() cc=()
	git -C "$tree" config "branch.$3.description" >/dev/null ||
		die "no cover letter text for $3: set it with git -C $tree branch --edit-description $3"
	tmp=$(mktemp -d)
	git -C "$tree" format-patch -q -o "$tmp" "$range"
	# The branch's own MAINTAINERS, whatever the tree has checked out.
	git -C "$tree" show "$3:MAINTAINERS" >"$tmp/MAINTAINERS"
	while IFS=$'\t' read -r addr role; do
		case $role in
		maintainer:*) to+=(--to="$addr") ;;
		*) cc+=(--cc="$addr") ;;
		esac
	done < <(cd "$tree" && PATH=/usr/bin:$PATH perl scripts/get_maintainer.pl --no-git \
		--no-git-fallback --no-keywords --mpath "$tmp/MAINTAINERS" "$tmp"/*.patch 2>/dev/null |
		sed -E 's/ \(((maintainer|reviewer|supporter|odd fixer|open list|moderated list).*)\)$/\t\1/')
	rm -f "$tmp"/*.patch "$tmp/MAINTAINERS"
	[ ${#to[@]} -gt 0 ] || die "scripts/get_maintainer.pl named no maintainer"
	GIT_COMMITTER_DATE=$(git -C "$tree" log -1 --format=%aD "$3") \
		git -C "$tree" -c core.abbrev=12 format-patch -q -o "$tmp" --cover-letter --numbered \
		--cover-from-description=subject --zero-commit --no-signature \
		--subject-prefix="$prefix" "${to[@]}" "${cc[@]}" "$range"
	mkdir -p "$dir"
	rm -f "$dir"/*.patch
	mv "$tmp"/*.patch "$dir"/
	rmdir "$tmp"
	log "exported $(find "$dir" -name '*.patch' | wc -l) files to $dir"
}
