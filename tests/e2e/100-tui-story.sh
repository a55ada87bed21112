#!/bin/bash
# 100-tui-story: a piece of work through edu-tui, in tmux against the real edud: a student
# opens a lesson, marks it done and hands in a file picked in the file picker; the teacher
# grades it in the Grading view with rubric levels, a score and a comment, and releases it;
# the student then sees the released grade and its feedback. What the server kept is
# checked through edu.
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/e2e/data/tui.sh"

start_edud
seed_demo

test_expect_success 'a course to work on' '
	login_as teacher1 >out 2>&1 && login_as student01 >out 2>&1 &&
	tui_course
'

test_expect_success 'the student sees the course, the status line says who and what is due' '
	tui_start s student01 &&
	tui_wait s "Physics 1 +2026 autumn +student" &&
	tui_wait s "student01 \(student\) · Demo School · 1 due"
'

test_expect_success 'the lesson is Markdown made readable, with its attachment' '
	tui_keys s Enter &&
	tui_wait s "Courses › Physics 1" &&
	tui_wait s "Newton +- +1" &&
	tui_keys s Enter &&
	tui_wait s "Newton.s laws" &&
	tui_screen s >lesson &&
	test_grep "A body stays at rest or in uniform motion unless a force acts on it." lesson &&
	test_grep "• the first law: inertia" lesson &&
	test_grep "1. measure the mass" lesson &&
	test_grep "^     F = m \* a" lesson &&
	test_grep "Read the notes <https://example.org/newton> before the lab." lesson &&
	test_grep -F "1. worksheet.txt (38 B)" lesson &&
	test_grep -v "\*\*" lesson
'

test_expect_success 'o opens the text attachment in a text view, q comes back' '
	tui_keys s o &&
	tui_wait s "Worksheet: drop a ball and a feather." &&
	tui_wait s "› worksheet.txt" &&
	tui_keys s q &&
	tui_wait s "Newton.s laws"
'

test_expect_success 'd marks the lesson done, on the server too, and the list says so' '
	tui_keys s d &&
	tui_wait s "lesson marked done" &&
	tui_wait s "\[done\]" &&
	edu_as student01 lesson list "$COURSE" >out &&
	test_grep -E "Newton +yes" out &&
	tui_keys s q &&
	tui_wait s "Newton +done"
'

test_expect_success 'the assignment is due, and takes a file from the file picker' '
	printf "My lab report: the ball and the feather fell together in vacuum.\n" >report.txt &&
	tui_keys s 2 &&
	tui_wait s "Lab report +Physics 1 +to do" &&
	tui_keys s Enter &&
	tui_wait s "Instructions" &&
	tui_wait s "Report what you saw." &&
	tui_wait s "Method: Weak \(2\) · Sound \(6\) · Rigorous \(10\)" &&
	tui_keys s f &&
	tui_wait s "report.txt" &&
	tui_keys s /  && tui_type s report.txt && tui_keys s Enter &&
	tui_keys s Enter &&
	tui_wait s "handed in: attempt 1" &&
	tui_wait s "attempt 1, .*: report.txt" &&
	tui_wait s "· 0 due"
'

test_expect_success 'the server has the file, byte for byte' '
	edu_as student01 --json submission list "$ASSIGNMENT" >subs.json &&
	test_json subs.json "length" 1 &&
	test_json subs.json ".[0].files[0].filename" report.txt &&
	test_json subs.json ".[0].files[0].sha256" "$(sha256sum report.txt | cut -c1-64)"
'

test_expect_success 'the teacher sees one to grade, and opens it from the Grading view' '
	tui_start t teacher1 &&
	tui_wait t "teacher1 \(teacher\) · Demo School · 1 to grade" &&
	tui_keys t 3 &&
	tui_wait t "1 +1/2 +Lab report +Physics 1" &&
	tui_keys t Enter &&
	tui_wait t "to grade +student01" &&
	tui_keys t Enter &&
	tui_wait t "file 1: report.txt" &&
	tui_wait t "Method +1 Weak \(2\) +2 Sound \(6\) +3 Rigorous \(10\)"
'

test_expect_success 'rubric levels by keys, a score and a comment, released, saved' '
	tui_keys t 3 &&
	tui_wait t "\[3 Rigorous \(10\)\]" &&
	tui_keys t 2 &&
	tui_wait t "\[2 Clear \(5\)\]" &&
	tui_wait t "15 / 20 from the rubric" &&
	tui_keys t s && tui_wait t "score \(of 20" &&
	tui_type t 17 && tui_keys t Enter &&
	tui_wait t "Score +17 / 20" &&
	tui_keys t c && tui_wait t "comment:" &&
	tui_type t "Clear method; say why air matters." && tui_keys t Enter &&
	tui_wait t "Comment +Clear method; say why air matters." &&
	tui_keys t r &&
	tui_wait t "Released +yes" &&
	tui_keys t w &&
	tui_wait t "graded student01: 17/20 \(released\); none left to grade" &&
	tui_wait t "^ 17 +student01 +Student 01"
'

test_expect_success 'the server has the grade with its levels and comment' '
	edu_as teacher1 --json submission list "$ASSIGNMENT" >subs.json &&
	S=$(jq -r ".[0].id" subs.json) &&
	edu_as teacher1 --json grade show "$S" >grade.json 2>err || api GET "/submissions/$S/grade" "" "$(token_for teacher1)" >grade.json &&
	test_json grade.json .score 17 &&
	test_json grade.json .released true &&
	test_json grade.json .comment "Clear method; say why air matters." &&
	test_json grade.json ".rubric | length" 2 &&
	test_json grade.json .rubric_score 15
'

test_expect_success 'the student sees the released grade and its feedback' '
	tui_keys s 5 &&
	tui_wait s "Lab report +17/20" &&
	tui_screen s >grades &&
	test_grep -F "Method: Rigorous (10 of 10)" grades &&
	test_grep -F "Clarity: Clear (5 of 10)" grades &&
	test_grep -F "Clear method; say why air matters." grades &&
	tui_keys s 2 &&
	tui_wait s "Assignments › Lab report" &&
	tui_keys s R &&
	tui_wait s "grade: 17/20" &&
	tui_wait s "Method: Rigorous \(10 of 10\)" &&
	tui_keys s q &&
	tui_wait s "Lab report +Physics 1 +graded 17/20"
'

test_expect_success 'q from the first view of a section quits, with status 0' '
	tui_keys s q &&
	tui_wait s "\[edu-tui exited 0\]" &&
	tui_keys t Q &&
	tui_wait t "\[edu-tui exited 0\]"
'

test_done
