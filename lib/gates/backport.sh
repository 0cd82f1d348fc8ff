# shellcheck shell=bash
# Sourced by bin/gates, which sets PRODUCT, PATCHES, RUN and the rest.
# The backport gate: a product that backports another (config/products.tsv,
# column 7: SOURCE:FIRST, its patches from number FIRST on are SOURCE's
# patches in order) carries SOURCE's changes line for line.

# diff_lines PATCH: the lines a patch changes, each with the file it is in:
# every "diff --git" line and, inside the hunks, every + and - line
# (headers, hunk positions, context and the commit message left out: the
# bases differ around the changes).
diff_lines() {
	awk '/^diff --git /{ print; hunk = 0; next }
	     /^@@ /{ hunk = 1; next }
	     hunk && /^[-+]/' "$1"
}

# gate_backport: pass when the product backports nothing; else SOURCE's
# patches (its directory under COMPAT_PATCHES_ROOT, the repository by
# default) and the product's from FIRST on must be as many, and each pair
# must change the same lines. A failure names the pair and the first line
# that differs.
gate_backport() {
	local spec src first dir i n rc=0 d
	local -a mine theirs
	spec=$(product_field "$PRODUCT" 7)
	if [ -z "$spec" ] || [ "$spec" = - ]; then
		echo "$PRODUCT backports no product"
		return 0
	fi
	[[ $spec =~ ^([A-Za-z0-9_-]+):([1-9][0-9]*)$ ]] ||
		{ echo "config/products.tsv: $PRODUCT's backports field is not SOURCE:FIRST: $spec"; return 1; }
	src=${BASH_REMATCH[1]} first=${BASH_REMATCH[2]}
	dir=${COMPAT_PATCHES_ROOT:-$REPO}/$src
	mapfile -t theirs < <(find "$dir" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-*' | sort)
	[ ${#theirs[@]} -gt 0 ] || { echo "no patches in $dir"; return 1; }
	mine=("${PATCHES[@]:first-1}")
	if [ ${#mine[@]} != ${#theirs[@]} ]; then
		echo "$PRODUCT has ${#mine[@]} patches from $first on, $src has ${#theirs[@]}"
		rc=1
	fi
	n=$((${#mine[@]} < ${#theirs[@]} ? ${#mine[@]} : ${#theirs[@]}))
	for ((i = 0; i < n; i++)); do
		diff_lines "${theirs[i]}" >"$RUN/backport-theirs"
		diff_lines "${mine[i]}" >"$RUN/backport-mine"
		if ! d=$(diff -u --label "$src/${theirs[i]##*/}" --label "$PRODUCT/${mine[i]##*/}" \
			"$RUN/backport-theirs" "$RUN/backport-mine"); then
			echo "$PRODUCT/${mine[i]##*/} is not $src/${theirs[i]##*/} line for line:"
			printf '%s\n' "$d" | head -n 20
			rc=1
		fi
	done
	[ "$rc" = 0 ] && echo "$PRODUCT/ $first to $((first + n - 1)): the lines of $src/'s $n patches, line for line"
	return "$rc"
}
