#!/bin/bash
# layers: every #include "..." of server/, shared/, cli/ and tui/ follows the layers written
# in tests/lint/layers.rules (the way Chromium's checkdeps reads DEPS files). A broken rule
# is reported as FILE:LINE: the header it includes and what the file's folder may include.
#
#	tests/lint/layers.sh			TAP: the tree passes, and a copy with an include
#						that goes up fails, naming its file and line
#	tests/lint/layers.sh --check DIR	checks the tree at DIR only (exit 1 on a broken rule)

here=$(cd "$(dirname "$0")" && pwd)
: "${top_srcdir:=$(cd "$here/../.." && pwd)}"
RULES=$here/layers.rules

# check_tree DIR: prints the broken rules of the tree at DIR; exit 1 when there is one
check_tree () {
	local out
	out=$(broken_rules "$1")
	[ -z "$out" ] && return 0
	printf '%s\n' "$out"
	return 1
}

broken_rules () {
	local dir=$1
	(cd "$dir" && find server shared cli tui -name '*.[ch]' 2>/dev/null | sort |
		xargs awk -v rules="$RULES" '
	function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
	function exists(p) { return (getline line < p) >= 0 ? (close(p) || 1) : 0 }
	function dirname(p) { return p ~ /\// ? substr(p, 1, match(p, /\/[^\/]*$/) - 1) : "." }
	# a/b/../c -> a/c
	function normal(p,   n, i, k, part, out) {
		n = split(p, part, "/"); k = 0
		for (i = 1; i <= n; i++) {
			if (part[i] == "." || part[i] == "") continue
			if (part[i] == ".." && k > 0) { k--; continue }
			out[++k] = part[i]
		}
		p = ""
		for (i = 1; i <= k; i++) p = p (i > 1 ? "/" : "") out[i]
		return p
	}
	# the file the compiler would open: the includer folder, then -I top, shared, server
	function resolve(from, name,   c, i, dirs, n) {
		n = split(dirname(from) " . shared server", dirs, " ")
		for (i = 1; i <= n; i++) {
			c = normal(dirs[i] "/" name)
			if (c in seen || exists(c)) { seen[c] = 1; return c }
		}
		return ""
	}
	# the rule of the longest folder that holds file
	function rule_of(file,   f, best) {
		best = ""
		for (f in allow)
			if ((file == f || index(file, f "/") == 1) && length(f) > length(best))
				best = f
		return best
	}
	function allowed(folder, target,   n, i, t, list) {
		n = split(allow[folder], list, " ")
		for (i = 1; i <= n; i++) {
			t = list[i]
			if (t ~ /\/$/ ? index(target, t) == 1 : target == t)
				return 1
		}
		return 0
	}
	BEGIN {
		while ((getline line < rules) > 0) {
			sub(/#.*/, "", line)
			if (!(line ~ /:/)) continue
			key = trim(substr(line, 1, index(line, ":") - 1))
			val = trim(substr(line, index(line, ":") + 1))
			if (key == "generated") { n = split(val, g, /[ \t]+/); for (i = 1; i <= n; i++) gen[g[i]] = 1 }
			else if (key ~ /^@/) group[key] = val
			else allow[key] = val
		}
		for (f in allow) {
			n = split(allow[f], list, /[ \t]+/); s = ""
			for (i = 1; i <= n; i++) s = s " " (list[i] in group ? group[list[i]] : list[i])
			allow[f] = s
		}
		bad = 0
	}
	/^[ \t]*#[ \t]*include[ \t]*"/ {
		name = $0; sub(/^[^"]*"/, "", name); sub(/".*/, "", name)
		folder = rule_of(FILENAME)
		if (folder == "") next
		target = resolve(FILENAME, name)
		if (target == "") {
			if (!(name in gen)) {
				printf "%s:%d: includes \"%s\", which is no file of the tree\n", FILENAME, FNR, name
				bad++
			}
			next
		}
		if (!allowed(folder, target)) {
			printf "%s:%d: includes %s, but %s may include only:%s\n", FILENAME, FNR, target, folder, allow[folder]
			bad++
		}
	}
	END { if (!NR) print "no file to check under " ENVIRON["PWD"] }')
}

if [ "${1:-}" = --check ]; then
	check_tree "${2:-$top_srcdir}"
	exit
fi

echo 1..3
n=0
tap () {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

out=$(check_tree "$top_srcdir")
rc=$?
[ -z "$out" ] || echo "$out" | sed 's/^/# /'
tap $rc "every #include of server/, shared/, cli/ and tui/ follows tests/lint/layers.rules"

# A copy of the tree with one include that goes up, then one from the server to a header of
# the client: each must fail, and name the file and the line.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/edu-layers.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cp -R "$top_srcdir/server" "$top_srcdir/shared" "$top_srcdir/cli" "$tmp/"
[ -d "$top_srcdir/tui" ] && cp -R "$top_srcdir/tui" "$tmp/"

# break FILE HEADER: appends #include "HEADER" to FILE after its last include; prints the line
break_rule () {
	local file=$tmp/$1 at
	at=$(grep -n '^#include' "$file" | tail -n 1 | cut -d: -f1)
	sed -i "${at}a #include \"$2\"" "$file"
	echo $((at + 1))
}

line=$(break_rule server/core/req.c kit/query.h)
out=$(check_tree "$tmp")
rc=$?
echo "$out" | sed 's/^/# /'
[ $rc = 1 ] && echo "$out" | grep -q "^server/core/req.c:$line: includes server/kit/query.h"
tap $? "an include of kit/ from core/ (server/core/req.c:$line, in a copy) is refused"

cp "$top_srcdir/server/core/req.c" "$tmp/server/core/req.c"
line=$(break_rule server/kit/body.c api.h)
out=$(check_tree "$tmp")
rc=$?
echo "$out" | sed 's/^/# /'
[ $rc = 1 ] && echo "$out" | grep -q "^server/kit/body.c:$line: includes shared/api.h" &&
	[ "$(echo "$out" | wc -l)" = 1 ]
tap $? "the client's shared/api.h from the server (server/kit/body.c:$line, in a copy) is refused, and nothing else"
