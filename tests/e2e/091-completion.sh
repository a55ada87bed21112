#!/bin/bash
# 091-completion: the bash, zsh and fish completions complete every command path, the
# options of a command and the values of an option, by asking the real edu.
#
# The expected answers come from `edu --completion-helper` itself (walked recursively for
# the command paths) and the roles from shared/model/user.h; what is tested is that each
# shell's script passes the right words and hands back what edu answered. Each shell runs
# its script as it is installed: bash sources it (with bash-completion's functions, and
# again without them), zsh autoloads it from $fpath with compadd replaced by a function
# that prints its arguments, fish autoloads it from $fish_complete_path.
. "$(dirname "$0")/lib.sh"

for shell in bash zsh fish; do
	command -v $shell >/dev/null 2>&1 ||
		bail_out "$shell not found: run scripts/deps.sh (Debian package $shell)"
done
bash_completion=/usr/share/bash-completion/bash_completion
[ -r "$bash_completion" ] ||
	bail_out "$bash_completion not found: run scripts/deps.sh (Debian package bash-completion)"
completions=$top_srcdir/completions
for f in edu _edu edu.fish; do
	[ -r "$completions/$f" ] || bail_out "no completion script $completions/$f"
done

# fish and zsh find `edu` in PATH, as a user's shell would: the one under test.
edu_dir=$(cd "$(dirname "$EDU")" && pwd)
export PATH="$edu_dir:$PATH"

# The non-hidden command paths, one a line ("admin user create"): the words the helper
# offers after a path that are commands themselves (`edu PATH WORD --help` shows
# "edu PATH WORD"; a positional value shows its command's help instead).
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

# Each prints the candidates for the words after `edu` (the last one under completion,
# possibly empty), one a line, sorted.
complete_bash () {
	bash --norc --noprofile -c '
		if [ "$1" = with ]; then
			. /usr/share/bash-completion/bash_completion || exit 1
		fi
		. "$2" || exit 1
		shift 2
		# The words as bash makes them: split at blanks, then at "=" and ":".
		COMP_WORDS=(edu)
		for w in "$@"; do
			piece=0
			while [[ $w =~ ^([^=:]*)([=:]+)(.*)$ ]]; do
				[ -z "${BASH_REMATCH[1]}" ] || COMP_WORDS+=("${BASH_REMATCH[1]}")
				COMP_WORDS+=("${BASH_REMATCH[2]}")
				w=${BASH_REMATCH[3]}
				piece=1
			done
			[ -z "$w" ] && [ $piece = 1 ] || COMP_WORDS+=("$w")
		done
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="edu $*"
		COMP_POINT=${#COMP_LINE}
		COMPREPLY=()
		_edu edu "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		for c in "${COMPREPLY[@]}"; do
			printf "%s\n" "$c"
		done' bash "$bash_mode" "$completions/edu" "$@" | sort
}
complete_zsh () {
	zsh -f -c '
		compadd () {
			while (( $# )) && [[ $1 != -- ]]; do shift; done
			shift
			print -rl -- "$@"
		}
		fpath=("$1" $fpath)
		autoload -Uz _edu
		shift
		words=(edu "$@")
		CURRENT=${#words}
		_edu
		return 0' zsh "$completions" "$@" | sort
}
complete_fish () {
	local line="edu" w
	for w in "$@"; do
		line="$line $w"
	done
	fish --no-config -c '
		set -g fish_complete_path $argv[1]
		complete -C $argv[2]' "$completions" "$line" | cut -f1 | sort
}

test_expect_success 'the completion helper walks to the commands' '
	walk_commands >paths &&
	cat paths &&
	test_grep -x login paths &&
	test_grep " " paths
'

# For every family (the top level too), completing an empty word must give exactly what
# edu offers; for every command path, its last word must complete from its first letters.
check_paths () {
	local path prefix last want got
	{ echo; sed -n "s/ [^ ]*\$//p" paths; } | sort -u | while IFS= read -r path; do
		"$EDU" --completion-helper $path '' | sort >want
		complete_$1 $path '' >got
		if ! cmp -s want got; then
			echo "after 'edu $path': expected"; cat want; echo "got"; cat got
		fi
	done
	while IFS= read -r path; do
		last=${path##* }
		prefix=${path% *}
		[ "$prefix" != "$path" ] || prefix=
		complete_$1 $prefix "${last:0:2}" >got
		grep -qxF -- "$last" got || { echo "'edu $prefix ${last:0:2}' did not give '$last':"; cat got; }
	done <paths
}

# The option and value checks take their command from what edu offers, not from here.
roles=$(sed -n 's/^[[:space:]]*X([A-Z_]*,[[:space:]]*"\([a-z_]*\)").*/\1/p' \
	"$top_srcdir/shared/model/user.h")
check_options () {
	local path= p
	complete_$1 login --sch >got
	test_cmp - got <<-EOF || return 1
	--school
	EOF
	# A command that takes --role.
	while IFS= read -r p; do
		if "$EDU" --completion-helper $p --ro | grep -qx -e --role; then
			path=$p
			break
		fi
	done <paths
	[ -n "$path" ] || { echo "no command offers --role"; return 1; }
	complete_$1 $path --ro >got &&
	test_grep -x -e --role got &&
	complete_$1 $path --role '' >got &&
	printf '%s\n' $roles | sort >want &&
	test_grep -x teacher want &&
	test_cmp want got &&
	complete_$1 $path --role te >got &&
	test_cmp - got <<-EOF &&
	teacher
	EOF
	# In one word: bash inserts only what follows the "=", the others the whole word.
	complete_$1 $path --role=te >got &&
	if [ $1 = bash ]; then
		echo teacher
	else
		echo --role=teacher
	fi >want &&
	test_cmp want got
}

for shell in bash zsh fish; do
	modes=plain
	[ $shell = bash ] && modes="with without"
	for bash_mode in $modes; do
		what=$shell
		[ $shell = bash ] && what="bash ($bash_mode bash-completion)"
		test_expect_success "$what completes every command" '
			check_paths '"$shell"' >wrong &&
			test_cmp /dev/null wrong
		'
		test_expect_success "$what completes options and roles" '
			check_options '"$shell"'
		'
	done
done

# Nothing matches: no candidate, and no file names either (edu's words are never files
# unless edu offers them).
test_expect_success 'a word that matches nothing completes to nothing' '
	: >zzz-a-file &&
	"$EDU" --completion-helper zzz >want &&
	test_cmp /dev/null want &&
	complete_bash zzz >got &&
	test_cmp /dev/null got &&
	complete_zsh zzz >got &&
	test_cmp /dev/null got &&
	complete_fish zzz >got &&
	test_cmp /dev/null got
'

test_done
