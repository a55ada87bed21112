#!/bin/bash
# 102-tui-conflict: two teachers grade the same submission, one in edu-tui and one with edu.
# When the one in edu-tui saves over a grade the other changed since the form was read,
# the server answers 412 and edu-tui shows what changed and who changed it, saves nothing,
# and asks: T keeps theirs (nothing written), m keeps mine (written over theirs, on purpose,
# against their version). The grade's history says who wrote what.
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/e2e/data/tui.sh"

start_edud
seed_demo

test_expect_success 'a course with two teachers, and a report handed in' '
	login_as teacher1 >out 2>&1 && login_as teacher2 >out 2>&1 &&
	login_as student01 >out 2>&1 && login_as student02 >out 2>&1 &&
	tui_course &&
	edu_as teacher1 course enrol "$COURSE" teacher2 --role teacher >out &&
	printf "Report one.\n" >one.txt &&
	edu_as student01 submit "$ASSIGNMENT" one.txt >out &&
	S1=$(edu_as teacher1 -q submission list "$ASSIGNMENT") && test -n "$S1"
'

# open_form SESSION: from the Grading view, the first submission left to grade
open_form () {
	tui_keys "$1" 3 &&
	tui_wait "$1" "Lab report +Physics 1" &&
	tui_keys "$1" Enter &&
	tui_wait "$1" "to grade +student0" &&
	tui_keys "$1" Enter &&
	tui_wait "$1" "Method +1 Weak \(2\)"
}

test_expect_success 'teacher1 opens the form in edu-tui; teacher2 grades it meanwhile with edu' '
	tui_start a teacher1 &&
	tui_wait a "teacher1 \(teacher\)" &&
	open_form a &&
	edu_as teacher2 grade "$S1" 11 -m "Seen by teacher2" >out 2>err
'

test_expect_success 'saving is a conflict: what changed and who, and nothing of teacher1 saved' '
	tui_keys a s && tui_wait a "score \(of 20" &&
	tui_type a 17 && tui_keys a Enter &&
	tui_wait a "Score +17 / 20" &&
	tui_keys a w &&
	tui_wait a "another teacher changed this grade: yours was not saved" &&
	tui_wait a "The grade was changed by teacher2 since you read it" &&
	tui_wait a "score: none -> 11" &&
	tui_wait a "m: keep mine .* T: keep theirs .* e: edit mine over theirs" &&
	edu_as teacher1 --json submission show "$S1" >s.json &&
	test_json s.json .grade.score 11 &&
	test_json s.json .grade.comment "Seen by teacher2"
'

test_expect_success 'w again does not save over it: it asks for m, T or e first' '
	tui_keys a w &&
	tui_wait a "another teacher changed it: m, T or e first" &&
	edu_as teacher1 --json submission show "$S1" >s.json &&
	test_json s.json .grade.score 11
'

test_expect_success 'T keeps theirs: the form shows their grade, the server keeps it, one history row' '
	tui_keys a T &&
	tui_wait a "kept the other teacher.s grade" &&
	tui_wait a "Score +11 / 20" &&
	tui_wait_not a "The grade was changed by" &&
	edu_as teacher1 --json grade history "$S1" >hist.json &&
	test_json hist.json length 1 &&
	test_json hist.json ".[0].by.username" teacher2 &&
	tui_keys a Q &&
	tui_wait a "\[edu-tui exited 0\]"
'

test_expect_success 'another report; teacher1 in edu-tui, teacher2 with edu again' '
	printf "Report two.\n" >two.txt &&
	edu_as student02 submit "$ASSIGNMENT" two.txt >out &&
	edu_as teacher1 --json submission list "$ASSIGNMENT" >subs.json &&
	S2=$(jq -r ".[] | select(.student.username == \"student02\") | .id" subs.json) &&
	test -n "$S2" &&
	tui_start b teacher1 &&
	tui_wait b "teacher1 \(teacher\)" &&
	open_form b &&
	tui_wait b "student02" &&
	edu_as teacher2 grade "$S2" 9 -m "Short" >out 2>err &&
	tui_keys b s && tui_wait b "score \(of 20" &&
	tui_type b 18 && tui_keys b Enter &&
	tui_keys b w &&
	tui_wait b "The grade was changed by teacher2" &&
	tui_wait b "score: none -> 9"
'

test_expect_success 'm keeps mine: written over theirs against their version, both in the history' '
	tui_keys b m &&
	tui_wait b "graded student02: 18/20" &&
	edu_as teacher1 --json submission show "$S2" >s2.json &&
	test_json s2.json .grade.score 18 &&
	edu_as teacher1 --json grade history "$S2" >hist2.json &&
	test_json hist2.json length 2 &&
	test_json hist2.json "[.[].by.username] | join(\",\")" "teacher2,teacher1" &&
	tui_keys b Q &&
	tui_wait b "\[edu-tui exited 0\]"
'

test_done
