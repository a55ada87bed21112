#!/bin/bash
# 090-man: the manual pages render without warnings, and leave out no command, option,
# exit status, configuration key or environment variable that the programs know about.
#
# What the pages must list is asked of the programs and the source, never copied here:
# the command paths by walking `edu --completion-helper`, the exit statuses from
# shared/err.h, the server's keys from server/core/conf.h, the client's keys from
# shared/clientconfig.h, edud's commands from `edud --help`.
. "$(dirname "$0")/lib.sh"

command -v man >/dev/null 2>&1 ||
	bail_out "man not found: run scripts/deps.sh (Debian package man-db)"

# The page made by this build, else the one shipped in the source tree (a tarball built
# where there is no scdoc).
man_page () {
	local p
	for p in "$top_builddir/man/$1" "$top_srcdir/man/$1"; do
		if [ -f "$p" ]; then
			echo "$p"
			return 0
		fi
	done
	echo "man_page: $1 is neither in $top_builddir/man nor in $top_srcdir/man" >&2
	return 1
}

# The page as text, one paragraph a line: wide enough that nothing wraps or hyphenates.
man_text () {
	MANWIDTH=2000 man -l "$1" 2>/dev/null
}

# The lines of one section of a page's text (from its heading to the next heading).
man_section () {
	awk -v want="$2" '/^[A-Z]/ { on = ($0 == want); next } on' "$1"
}

# The non-hidden command paths of edu, one a line ("admin user create"), by walking the
# completion helper: the words it offers after a path, that are commands themselves.
# A word is a command when `edu PATH WORD --help` shows "edu PATH WORD" (a positional
# value, like a configuration key, shows its command's help instead).
is_command () {
	local path="$*"
	"$EDU" "$@" --help 2>&1 | grep -qE "edu $path( |\$)"
}
walk_commands () {
	local word
	while IFS= read -r word; do
		case $word in
		''|-*) continue ;;
		esac
		is_command "$@" "$word" || continue
		echo "${*:+$* }$word"
		walk_commands "$@" "$word"
	done < <("$EDU" --completion-helper "$@" '')
}

# Every word of "text" in a file of words: what is missing, one a line.
missing_words () {
	local word
	while IFS= read -r word; do
		grep -qwF -- "$word" "$2" || echo "$word"
	done <"$1"
}

for page in edu.1 edud.8 edu.conf.5; do
	test_expect_success "$page renders without warnings" '
		p=$(man_page '"$page"') &&
		MANWIDTH=80 man --warnings -l "$p" 2>warnings >/dev/null &&
		test_cmp /dev/null warnings &&
		man_text "$p" >'"$page"'.txt &&
		test_grep "^NAME\$" '"$page"'.txt &&
		test_grep "^SEE ALSO\$" '"$page"'.txt
	'
done

test_expect_success 'the completion helper walks to the commands' '
	walk_commands >paths &&
	cat paths &&
	test_grep -x login paths &&
	test_grep " " paths
'

test_expect_success 'edu.1 lists every command path' '
	while IFS= read -r path; do
		grep -qE "edu $path( |\$)" edu.1.txt || echo "$path"
	done <paths >not-listed &&
	test_cmp /dev/null not-listed
'

test_expect_success 'edu.1 lists every option of every command' '
	man_section edu.1.txt "GLOBAL OPTIONS" >options.txt &&
	man_section edu.1.txt COMMANDS >>options.txt &&
	"$EDU" --completion-helper - >options &&
	while IFS= read -r path; do
		"$EDU" --completion-helper $path -
	done <paths >>options &&
	test_grep -x -e --help options &&
	sort -u options | grep "^-" >wanted &&
	missing_words wanted options.txt >not-listed &&
	test_cmp /dev/null not-listed
'

test_expect_success 'edu.1 does not show the hidden options' '
	test_grep -v -e --completion-helper edu.1.txt &&
	test_grep -v -e --help-man edu.1.txt
'

test_expect_success 'edu.1 gives every exit status of shared/err.h' '
	sed -n "s/^[[:space:]]*X([A-Z_]*,[[:space:]]*\([0-9][0-9]*\),.*/\1/p" \
		"$top_srcdir/shared/err.h" >codes &&
	test_grep -x 0 codes &&
	man_section edu.1.txt "EXIT STATUS" | sed -n "s/^[[:space:]]*\([0-9][0-9]*\)\$/\1/p" >listed &&
	sort -n codes >want &&
	sort -n listed >got &&
	test_cmp want got
'

test_expect_success 'edu.1 names every environment variable the client reads' '
	cat "$top_srcdir"/cli/*.c "$top_srcdir"/shared/*.c |
		grep -oE "getenv\(\"[A-Z_]+\"\)|\"(XDG_[A-Z]+_HOME|EDU_[A-Z_]+)\"" |
		grep -oE "[A-Z_]{2,}" | sort -u |
		grep -vxE "HOME|TERM|COLUMNS|LINES|TMPDIR|LANG|LC_[A-Z]+|USER|LOGNAME|SHELL" |
		grep -v "^EDU_TEST_" >vars &&
	test_grep -x XDG_CONFIG_HOME vars &&
	man_section edu.1.txt ENVIRONMENT >env.txt &&
	missing_words vars env.txt >not-listed &&
	test_cmp /dev/null not-listed
'

test_expect_success 'edud.8 and edu.conf.5 give every key of server/core/conf.h' '
	sed -n "s/^[[:space:]]*X(\([a-z_]*\),.*/\1/p" "$top_srcdir/server/core/conf.h" >keys &&
	test_grep -x database_url keys &&
	missing_words keys edud.8.txt >not-in-edud &&
	test_cmp /dev/null not-in-edud &&
	missing_words keys edu.conf.5.txt >not-in-conf &&
	test_cmp /dev/null not-in-conf &&
	tr a-z A-Z <keys | sed "s/^/EDU_/" >vars &&
	man_section edud.8.txt ENVIRONMENT >env.txt &&
	missing_words vars env.txt >not-listed &&
	test_cmp /dev/null not-listed
'

test_expect_success 'edu.conf.5 gives every key of the client file' '
	sed -n "s/^[[:space:]]*X(\([a-z_]*\),.*/\1/p" "$top_srcdir/shared/clientconfig.h" >keys &&
	test_grep -x server keys &&
	echo profile >>keys &&
	man_section edu.conf.5.txt "CLIENT FILE" >client.txt &&
	missing_words keys client.txt >not-listed &&
	test_cmp /dev/null not-listed
'

test_expect_success 'edud.8 describes every command of edud' '
	"$EDUD" --help >edud-help &&
	sed -n "/^commands:/,/^\$/s/^  \([a-z][a-z]*\).*/\1/p" edud-help >commands &&
	test_grep -x serve commands &&
	man_section edud.8.txt COMMANDS >commands.txt &&
	missing_words commands commands.txt >not-listed &&
	test_cmp /dev/null not-listed
'

# An example that names a command or option edu does not have is worse than none.
# Checked: every `edu ...` line in the pages' EXAMPLES (after the global options, the
# words must reach a command that is not a family, and each option of the line must be
# one the completion helper offers for it), and every *edu ...* named in the text.
check_example () {
	local -a words
	local path= try= word i=0 n opt

	read -ra words <<<"$1"
	n=${#words[@]}
	[ "${words[0]}" = edu ] || return 0
	i=1
	while [ $i -lt $n ]; do
		case ${words[i]} in
		--profile|--server) i=$((i + 2)) ;;
		-*) i=$((i + 1)) ;;
		*) break ;;
		esac
	done
	while [ $i -lt $n ]; do
		try=${path:+$path }${words[i]}
		grep -qxF -- "$try" paths || break
		path=$try
		i=$((i + 1))
	done
	if [ -z "$path" ]; then
		echo "no command in: $1"
		return 0
	fi
	if grep -q "^$path " paths; then
		echo "'edu $path' is a family, not a command, in: $1"
		return 0
	fi
	for word in "${words[@]:i}"; do
		case $word in
		-*) opt=${word%%=*}
			"$EDU" --completion-helper $path "$opt" | grep -qxF -- "$opt" ||
				echo "'edu $path' has no option '$opt', in: $1" ;;
		esac
	done
}

test_expect_success 'the examples use commands and options that exist' '
	for page in edu.1 edud.8 edu.conf.5; do
		man_section $page.txt EXAMPLES | sed -n "s/^[[:space:]]*\(edu .*\)/\1/p"
	done >examples &&
	test_grep " login " examples &&
	while IFS= read -r line; do
		check_example "$line"
	done <examples >wrong &&
	test_cmp /dev/null wrong
'

test_expect_success 'the commands named in the text exist' '
	cat "$top_srcdir"/man/edu.1.scd.in "$top_srcdir"/man/edud.8.scd \
		"$top_srcdir"/man/edu.conf.5.scd | tr "\n\t" "  " | tr -s " " |
		grep -oE "\*edu [a-z][a-z -]*\*" | tr -d "*" | sed "s/ *\$//" | sort -u >named &&
	test_grep -x "edu login" named &&
	while IFS= read -r line; do
		path=${line#edu }
		grep -qxF -- "$path" paths || echo "$line"
	done <named >wrong &&
	test_cmp /dev/null wrong
'

test_done
