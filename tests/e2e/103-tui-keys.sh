#!/bin/bash
# 103-tui-keys: edu-tui(1) lists every key of every view, and nothing else, as the key
# table that dispatches them has them (edu-tui --list-keys prints it), and every command
# of the command line; `edu tui` starts edu-tui with the profile, and edu's help and
# completions know it.
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/e2e/data/tui.sh"

page=$top_srcdir/man/edu-tui.1.scd

# The keys edu-tui(1) gives in the KEYS subsection of a keymap, "## ... (KEYMAP)": the
# terms of its lines that start with '*', one key a line, sorted.
man_keys () {
	awk -v km="($1)" '
		/^# / { inkeys = ($0 == "# KEYS"); next }
		/^## / { on = inkeys && index($0, km) > 0; next }
		on && /^\*/ {
			n = split($0, k, ", ")
			for (i = 1; i <= n; i++) { gsub(/^\*|\*$/, "", k[i]); print k[i] }
		}' "$page" | sort
}

test_expect_success 'every keymap of the key table has its keys in edu-tui(1), no more, no less' '
	"$EDU_TUI" --list-keys >keys.tsv &&
	test -s keys.tsv &&
	cut -f1 keys.tsv | sort -u >keymaps &&
	test_grep -x generic keymaps && test_grep -x submission keymaps &&
	while read -r km; do
		awk -F"\t" -v km="$km" "\$1 == km { print \$2 }" keys.tsv | sort >want.$km &&
		man_keys "$km" >have.$km &&
		test_cmp want.$km have.$km || return 1
	done <keymaps
'

test_expect_success 'every KEYS subsection of edu-tui(1) is a keymap of the table' '
	sed -n "/^# KEYS/,/^# [A-Z]/p" "$page" | sed -n "s/^## .*(\([a-z]*\))$/\1/p" | sort >man.keymaps &&
	test_cmp keymaps man.keymaps
'

test_expect_success 'every command of the command line is in edu-tui(1)' '
	"$EDU_TUI" --list-commands >commands &&
	test -s commands &&
	cut -f1 commands | cut -d" " -f1 | while read -r c; do
		grep -qE "^(\*:[a-z]+\*, )*\*:$c\*" "$page" || { echo "no :$c in edu-tui(1)" >&2; return 1; }
	done
'

test_expect_success 'edu help and the completions know edu tui' '
	edu help >help.txt &&
	test_grep -E "^  tui +start the full-screen client" help.txt &&
	edu --completion-helper tu >cands &&
	test_grep -x tui cands &&
	edu tui --help >out &&
	test_grep "edu tui" out
'

start_edud
seed_demo

test_expect_success 'edu tui starts edu-tui with the profile' '
	login_as student01 >out 2>&1 &&
	tmux_ new-session -d -s e -x 100 -y 30 "$(printf %q "$EDU") --profile student01 tui; echo \"[edu-tui exited \$?]\"; sleep 3600" &&
	tui_wait e "student01 \(student\) · Demo School" &&
	tui_wait e "1 Courses  2 Assignments" &&
	tui_keys e Q &&
	tui_wait e "\[edu-tui exited 0\]"
'

test_expect_success 'without a session edu-tui says so, with status 3' '
	test_exit_code 3 "$EDU_TUI" --profile nobody --server "$EDU_TEST_URL" </dev/null >out 2>err &&
	test_grep "edu-tui: not logged in; run .edu login." err
'

test_done
