#!/bin/bash
# 047-newcomer-safety: what a newcomer trips over and must not be hurt by. A day its month
# does not have is refused, never rolled over into the next month (client and server); an
# editor quit without saving aborts what it was for; assignments and lessons can be
# removed; teacher-only commands say so to a student before showing anything; scores are
# checked against the points possible and the rubric; releasing grades shows what goes and
# asks; a grading conflict keeps the teacher's answer; a server that never answers is given
# up on in the time configured.
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/e2e/data/security.sh"

export TMPDIR=$EDU_TEST_DIR/tmp
mkdir -p "$TMPDIR"
start_edud
seed_demo

test_expect_success 'a teacher with a course of two students' '
	for u in teacher1 teacher2 student01 student02; do
		login_as $u >out 2>err || return 1
	done &&
	C=$(edu_as teacher1 -q course create "Safety 1") &&
	edu_as teacher1 course enrol "$C" student01 student02 >out 2>err &&
	edu_as teacher1 course enrol "$C" teacher2 --role teacher >out 2>err
'

# --- 1. impossible dates ----------------------------------------------------------------------

for due in "2027-04-31 10:00" 2027-02-30 2027-02-29 2027-02-29T10:00:00Z; do
	test_expect_success "--due '$due' is refused as no such day, nothing created" '
		edu_as teacher1 --json assignment list "$C" >before.json &&
		test_exit_code 2 edu_as teacher1 assignment create "$C" -t Dated -m x \
			--due "$due" >out 2>err &&
		test_grep "^edu: --due .$due.: there is no such day" err &&
		edu_as teacher1 --json assignment list "$C" >after.json &&
		test_cmp before.json after.json
	'
done

test_expect_success 'a leap day in a leap year is a day' '
	A=$(edu_as teacher1 -q assignment create "$C" -t Leap -m x --due "2028-02-29 10:00") &&
	edu_as teacher1 --json assignment show "$A" >a.json &&
	test_json a.json .due_at 2028-02-29T10:00:00Z
'

test_expect_success 'the server refuses a day that does not exist too (422 on due_at)' '
	T1=$(token_for teacher1) &&
	api_expect 422 POST "/courses/$C/assignments" \
		"{\"title\": \"Raw\", \"due_at\": \"2027-04-31T10:00:00Z\"}" "$T1" >raw.json &&
	test_json raw.json .error.field due_at &&
	api_expect 422 PATCH "/assignments/$A" "{\"due_at\": \"2027-02-30T10:00:00Z\"}" "$T1" \
		>raw.json &&
	edu_as teacher1 --json assignment show "$A" >a.json &&
	test_json a.json .due_at 2028-02-29T10:00:00Z
'

# --- 2. an aborted editor, and deleting ---------------------------------------------------------

test_expect_success 'an editor quit without saving: assignment create aborts, creates nothing' '
	edu_as teacher1 --json assignment list "$C" >before.json &&
	EDITOR=true test_exit_code 1 edu_as teacher1 assignment create "$C" -t Essay2 -e \
		>out 2>err &&
	test_grep "^edu: the editor left the instructions empty: aborted" err &&
	test_grep -v "created" out &&
	edu_as teacher1 --json assignment list "$C" >after.json &&
	test_cmp before.json after.json
'

test_expect_success '...and lesson create' '
	edu_as teacher1 --json lesson list "$C" >before.json &&
	EDITOR=true test_exit_code 1 edu_as teacher1 lesson create "$C" -t Empty -e \
		>out 2>err &&
	test_grep "^edu: the editor left the lesson empty: aborted" err &&
	edu_as teacher1 --json lesson list "$C" >after.json &&
	test_cmp before.json after.json
'

test_expect_success 'an editor left with the text as it was: assignment edit changes nothing' '
	edu_as teacher1 --json assignment show "$A" >before.json &&
	EDITOR=true test_exit_code 1 edu_as teacher1 assignment edit "$A" -e >out 2>err &&
	test_grep "^edu: the editor left the instructions unchanged: aborted" err &&
	edu_as teacher1 --json assignment show "$A" >after.json &&
	test_json after.json .version "$(jq -r .version before.json)"
'

test_expect_success 'edu lesson edit: title, content, place' '
	L1=$(edu_as teacher1 -q lesson create "$C" -t One -m "first") &&
	L2=$(edu_as teacher1 -q lesson create "$C" -t Two -m "second") &&
	edu_as teacher1 lesson edit "$L2" -t "Two, renamed" -m "second, again" --position 1 \
		>out 2>err &&
	test_grep "saved lesson 1 .Two, renamed." out &&
	edu_as teacher1 --json lesson show "$L2" >l2.json &&
	test_json l2.json .content "second, again" &&
	edu_as teacher1 --json lesson show "$L1" >l1.json &&
	test_json l1.json .position 2 &&
	test_exit_code 2 edu_as teacher1 lesson edit "$L1" >out 2>err &&
	test_grep "^edu: nothing to change" err
'

test_expect_success 'a student cannot edit or delete a lesson' '
	test_exit_code 4 edu_as student01 lesson edit "$L1" -t Mine >out 2>err &&
	test_exit_code 4 edu_as student01 lesson delete "$L1" --yes >out 2>err &&
	edu_as teacher1 --json lesson show "$L1" >l1.json &&
	test_json l1.json .title One
'

test_expect_success 'edu lesson delete: --yes without a terminal; the others move up' '
	test_exit_code 2 edu_as teacher1 lesson delete "$L2" >out 2>err &&
	test_grep "give --yes" err &&
	edu_as teacher1 lesson delete "$L2" --yes >out 2>err &&
	test_grep "deleted lesson .Two, renamed." out &&
	test_exit_code 5 edu_as teacher1 lesson show "$L2" >out 2>err &&
	edu_as teacher1 --json lesson show "$L1" >l1.json &&
	test_json l1.json .position 1
'

test_expect_success 'edu assignment delete: a draft goes, with --yes' '
	D=$(edu_as teacher1 -q assignment create "$C" -t Draft -m x) &&
	test_exit_code 2 edu_as teacher1 assignment delete "$D" >out 2>err &&
	test_grep "give --yes" err &&
	edu_as teacher1 assignment delete "$D" --yes >out 2>err &&
	test_grep "deleted assignment .Draft." out &&
	test_exit_code 5 edu_as teacher1 assignment show "$D" >out 2>err
'

test_expect_success 'one a student handed work in to is kept: exit 6 and why' '
	W=$(edu_as teacher1 -q assignment create "$C" -t Worked -m x --points 20 --publish) &&
	S1=$(edu_as student01 -q submit "$W" --text "my work") &&
	test_exit_code 6 edu_as teacher1 assignment delete "$W" --yes >out 2>err &&
	test_grep "^edu: cannot delete .Worked.: 1 student handed work in" err &&
	edu_as teacher1 --json assignment show "$W" >w.json &&
	test_json w.json .title Worked &&
	test_exit_code 4 edu_as student01 assignment delete "$W" --yes >out 2>err
'

test_done
