#!/bin/bash
# 101-tui-screen: how edu-tui behaves on the screen, in tmux against the real edud: sizes
# (too small below 80x24, resized down and back), colour by role and the monochrome theme
# (NO_COLOR, TERM=vt100), wide characters that keep the columns, hostile names from the
# server (escape sequences, newlines, bidi overrides) drawn harmless, the headless script
# mode with its dump, and the server going away mid-session.
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/e2e/data/tui.sh"

start_edud
seed_demo

# edud refuses a name like this one: it is written in the database, as a server with a bug
# (or an old one) might have let it in.
hostile_course_name () {
	local name
	name=$(jq -rn '"Zevil\u001b]2;PWNED\u0007\u001b[2J\u001b[31mRED\nNEXT\u202egnp.exe"') &&
	psql_admin -v id="$1" -v n="$name" <<'SQL'
UPDATE edu.courses SET name = :'n' WHERE id = :'id';
SQL
}

test_expect_success 'a course with a wide name, and one with a hostile name' '
	login_as teacher1 >out 2>&1 && login_as student01 >out 2>&1 &&
	tui_course &&
	edu_as teacher1 -q course create "物理 Ünï 2" --term "2026 spring" >wide.id &&
	edu_as teacher1 course enrol "$(cat wide.id)" student01 >out &&
	edu_as teacher1 -q course create "Zevil" --term x >evil.id &&
	edu_as teacher1 course enrol "$(cat evil.id)" student01 >out &&
	hostile_course_name "$(cat evil.id)"
'

test_expect_success 'wide characters keep the columns lined up' '
	tui_start w student01 &&
	tui_wait w "2026 spring" &&
	tui_screen w >screen.txt &&
	head=$(grep " TERM " screen.txt) && row=$(grep "物理" screen.txt) &&
	hp=${head%%TERM*} && rp=${row%%2026 spring*} &&
	test $((${#rp} + 2)) -eq ${#hp}
'

test_expect_success 'hostile names are drawn harmless, each on its line' '
	tui_screen w >screen.txt &&
	test_grep -F "ZevilRED⏎NEXTgnp.exe" screen.txt &&
	title=$(tmux_ display-message -p -t w "#{pane_title}") &&
	test "$title" != PWNED &&
	test_grep -F "Physics 1" screen.txt &&
	test_grep -F " 1 Courses  2 Assignments" screen.txt
'

test_expect_success 'below 80x24 the screen says so, at 80x24 and back it is whole again' '
	tui_resize w 79x24 &&
	tui_wait w "needs a terminal of at least 80x24" &&
	tui_wait w "this one is 79x24" &&
	tui_resize w 80x24 &&
	tui_wait w "^ 1 Courses  2 Assignments" &&
	tui_screen w >small.txt &&
	test "$(wc -l <small.txt)" -eq 24 &&
	test_grep "student01 (student) · Demo School" small.txt &&
	test_grep -v "needs a terminal" small.txt &&
	tui_resize w 120x40 &&
	tui_wait w "5 Grades {50,}edu-tui" &&
	tui_screen w >big.txt &&
	test "$(sed -n 39p big.txt | grep -c "student01 (student)")" -eq 1 &&
	test "$(sed -n 1p big.txt | cut -c100-)" = "             edu-tui"
'

test_expect_success 'colours by role; NO_COLOR and TERM=vt100 give the monochrome theme' '
	tmux_ capture-pane -e -p -t w >colour.txt &&
	grep -q "$(printf "\033")\[[0-9;]*4[0-7]m" colour.txt &&
	tui_start nc student01 100x30 NO_COLOR=1 &&
	tui_wait nc "Physics 1" &&
	tmux_ capture-pane -e -p -t nc >mono.txt &&
	! grep -q "$(printf "\033")\[[0-9;]*[34][0-7]m" mono.txt &&
	grep -q "$(printf "\033")\[7m\|$(printf "\033")\[[0-9;]*7[;m]" mono.txt &&
	tui_start vt student01 100x30 TERM=vt100 &&
	tui_wait vt "Physics 1" &&
	tmux_ capture-pane -e -p -t vt >vt.txt &&
	! grep -q "$(printf "\033")\[[0-9;]*[34][0-7]m" vt.txt
'

test_expect_success 'the search finds a course, the command line opens one with completion' '
	tui_keys w / && tui_type w "physics" && tui_keys w Enter &&
	tui_keys w Enter &&
	tui_wait w "Courses › Physics 1" &&
	tui_keys w q &&
	tui_keys w : && tui_type w "course Ph" && tui_keys w Tab &&
	tui_wait w ":course Physics 1" &&
	tui_keys w Enter &&
	tui_wait w "Courses › Physics 1" &&
	tui_wait w "Newton"
'

test_expect_success '? shows the keys of the view from the key table' '
	tui_keys w Enter && tui_wait w "Newton.s laws" &&
	tui_keys w "?" &&
	tui_wait w "Keys of the Lesson view" &&
	tui_screen w >help.txt &&
	test_grep -E "^   d +done +mark the lesson done" help.txt &&
	test_grep -E "^   o +attachment" help.txt &&
	test_grep "Keys of every view" help.txt &&
	tui_keys w q q q
'

test_expect_success 'a key bound in tui.conf does what it is bound to, and the help says so' '
	mkdir -p "$XDG_CONFIG_HOME/edu" &&
	printf "# mine\nbind generic x section-5\nbind lesson z done\n" >"$XDG_CONFIG_HOME/edu/tui.conf" &&
	tui_start kb student01 &&
	tui_wait kb "Physics 1" &&
	tui_keys kb x &&
	tui_wait kb "Grades" &&
	tui_keys kb 1 Enter && tui_wait kb "Newton +-" &&
	tui_keys kb Enter && tui_wait kb "Newton.s laws" &&
	tui_keys kb "?" && tui_wait kb "Keys of the Lesson view" &&
	tui_screen kb >help.txt &&
	test_grep -E "^   d z +done" help.txt &&
	printf "bind nowhere x down\n" >"$XDG_CONFIG_HOME/edu/tui.conf" &&
	{ test_exit_code 7 "$EDU_TUI" --profile student01 </dev/null >out 2>err; r=$?; } &&
	rm -f "$XDG_CONFIG_HOME/edu/tui.conf" &&
	test_grep "tui.conf:1: no keymap .nowhere." err
'

test_expect_success 'a script drives it without a terminal, and the dump is the screen' '
	printf "# open the course and its lesson\n<Enter>\n!dump first.txt\n<Enter>\n!dump lesson.txt\nq\n" >keys &&
	COLUMNS=90 LINES=25 "$EDU_TUI" --profile student01 --script keys --dump last.txt </dev/null >out 2>err &&
	test "$(wc -l <first.txt)" -eq 25 &&
	test_grep "Courses › Physics 1" first.txt &&
	test_grep "Newton" first.txt &&
	test_grep "Newton.s laws" lesson.txt &&
	test_grep -F "Courses › Physics 1" last.txt &&
	test_grep -v "Newton.s laws" last.txt
'

test_expect_success 'the server going away: an error on the status line, no crash' '
	tui_start gone student01 &&
	tui_wait gone "Physics 1" &&
	stop_edud &&
	tui_keys gone R &&
	tui_wait gone "cannot read the courses: cannot reach http://127.0.0.1:[0-9]+" &&
	tui_screen gone >gone.txt &&
	test_grep " 1 Courses  2 Assignments" gone.txt &&
	test_grep "Physics 1" gone.txt &&
	tui_keys gone Enter &&
	tui_wait gone "cannot read the lessons: cannot reach" &&
	tui_keys gone q q &&
	tui_wait gone "\[edu-tui exited 0\]"
'

test_done
