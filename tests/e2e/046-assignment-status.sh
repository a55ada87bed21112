#!/bin/bash
# 046-assignment-status: a student's list of a course's assignments says where they stand on
# each (to do, overdue, submitted and whether late, graded with the released score,
# excused, missing), from their own work and released grades only: a draft grade is not
# shown, another student's work never counts. A teacher's list says instead how many
# students handed each one in and how many latest attempts are left to grade.
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/e2e/data/security.sh"

start_edud
seed_demo

past=$(date -u -d '-2 days' +%Y-%m-%dT%H:%M:%SZ)

test_expect_success 'a course with six assignments; student01 works on them' '
	for u in teacher1 student01 student02; do
		login_as $u >out 2>err || return 1
	done &&
	T1=$(token_for teacher1) && S1=$(token_for student01) &&
	C=$(sec_course_new "$T1" status) &&
	sec_enrol "$T1" "$C" student01 && sec_enrol "$T1" "$C" student02 &&
	TODO=$(sec_assignment_new "$T1" "$C" todo) &&
	OVERDUE=$(sec_assignment_new "$T1" "$C" overdue "{\"due_at\": \"$past\"}") &&
	LATE=$(sec_assignment_new "$T1" "$C" late "{\"due_at\": \"$past\"}") &&
	GRADED=$(sec_assignment_new "$T1" "$C" graded) &&
	DRAFT=$(sec_assignment_new "$T1" "$C" draft) &&
	EXCUSED=$(sec_assignment_new "$T1" "$C" excused) &&
	sec_submit "$S1" "$LATE" "one" >/dev/null &&
	sec_submit "$S1" "$LATE" "two" >/dev/null &&
	G=$(sec_submit "$S1" "$GRADED" "mine") &&
	sec_grade "$T1" "$G" 0 "{\"score\": 8.5, \"released\": true}" >/dev/null &&
	D=$(sec_submit "$S1" "$DRAFT" "mine") &&
	sec_grade "$T1" "$D" 0 "{\"score\": 3}" >/dev/null &&
	API_CURL_ARGS=(-H "If-Match: \"0\"") &&
	api_expect 200 PUT "/assignments/$EXCUSED/grades/$(jq -r .student.id "submission-$G.json")" \
		"{\"excused\": true, \"released\": true}" "$T1" >/dev/null &&
	API_CURL_ARGS=()
'

test_expect_success 'over HTTP: mine on each, from the student'"'"'s own work' '
	api_expect 200 GET "/courses/$C/assignments" "" "$S1" >list.json &&
	mine () { jq -c --arg id "$1" ".items[] | select(.id == \$id) | .mine" list.json; } &&
	test "$(mine "$TODO" | jq -r .status)" = todo &&
	test "$(mine "$OVERDUE" | jq -r .status)" = overdue &&
	test "$(mine "$LATE" | jq -r "[.status, .attempts, .late] | join(\" \")")" = "submitted 2 true" &&
	test "$(mine "$LATE" | jq -r ".submitted_at | test(\"^[0-9-]+T[0-9:]+Z$\")")" = true &&
	test "$(mine "$GRADED" | jq -r "[.status, .score] | join(\" \")")" = "graded 8.5" &&
	test "$(mine "$DRAFT" | jq -r "[.status, .score] | join(\" \")")" = "submitted " &&
	test "$(mine "$EXCUSED" | jq -r "[.status, .attempts] | join(\" \")")" = "excused 0"
'

test_expect_success 'edu assignment list: a STATUS column for the student' '
	edu_as student01 assignment list "$C" >out &&
	test_grep -E "^ID +TITLE +DUE +POINTS +KIND +STATUS" out &&
	test_grep -E "^${TODO:0:8} +todo .* to do$" out &&
	test_grep -E "^${OVERDUE:0:8} +overdue .* overdue$" out &&
	test_grep -E "^${LATE:0:8} +late .* submitted late$" out &&
	test_grep -E "^${GRADED:0:8} +graded .* graded 8.5/10$" out &&
	test_grep -E "^${DRAFT:0:8} +draft .* submitted$" out &&
	test_grep -E "^${EXCUSED:0:8} +excused .* excused$" out
'

test_expect_success 'another student stands on their own: nothing of student01 counts' '
	edu_as student02 assignment list "$C" >out &&
	test_grep -E "^${LATE:0:8} +late .* overdue$" out &&
	test_grep -E "^${GRADED:0:8} +graded .* to do$" out &&
	test_grep -v "submitted" out && test_grep -v "graded 8.5" out
'

test_expect_success 'the teacher'"'"'s list: no mine; the work handed in and left to grade' '
	api_expect 200 GET "/courses/$C/assignments" "" "$T1" >list.json &&
	test "$(jq "[.items[] | select(has(\"mine\"))] | length" list.json)" = 0 &&
	work () { jq -r --arg id "$1" ".items[] | select(.id == \$id) | .work | [.students, .handed_in, .to_grade] | join(\" \")" list.json; } &&
	test "$(work "$TODO")" = "2 0 0" &&
	test "$(work "$LATE")" = "2 1 1" &&
	test "$(work "$GRADED")" = "2 1 0" &&
	test "$(work "$DRAFT")" = "2 1 0" &&
	test "$(work "$EXCUSED")" = "2 0 0" &&
	edu_as teacher1 assignment list "$C" >out &&
	test_grep -E "^ID +TITLE +DUE +POINTS +KIND +STATE +HANDED IN +TO GRADE$" out &&
	test "$(grep -c " published " out)" = 6 &&
	test_grep -E "^${LATE:0:8} +late .* published +1/2 +1$" out &&
	test_grep -E "^${TODO:0:8} +todo .* published +0/2 +0$" out
'

test_expect_success 'to grade is what grade next and submission list --ungraded find' '
	edu_as teacher1 -q submission list "$LATE" --ungraded >ids &&
	test "$(wc -l <ids)" = 1 &&
	edu_as student02 -q submit "$LATE" -t "late too" >/dev/null &&
	api_expect 200 GET "/courses/$C/assignments" "" "$T1" >list.json &&
	test "$(work "$LATE")" = "2 2 2" &&
	edu_as teacher1 grade "$(head -n 1 ids)" 7 >out 2>err &&
	api_expect 200 GET "/courses/$C/assignments" "" "$T1" >list.json &&
	test "$(work "$LATE")" = "2 2 1" &&
	edu_as teacher1 -q submission list "$LATE" --ungraded >ids &&
	test "$(wc -l <ids)" = 1
'

test_expect_success 'one assignment read alone has the same: mine for a student, work for a teacher' '
	api_expect 200 GET "/assignments/$LATE" "" "$S1" >one.json &&
	test_json one.json ".mine | [.status, .attempts, .late] | join(\" \")" "submitted 2 true" &&
	test_json one.json "has(\"work\")" false &&
	api_expect 200 GET "/assignments/$LATE" "" "$T1" >one.json &&
	test_json one.json ".work | [.students, .handed_in, .to_grade] | join(\" \")" "2 2 1" &&
	test_json one.json "has(\"mine\")" false &&
	edu_as student01 assignment show "$LATE" >out &&
	test_grep -E "^your work +submitted late \(attempt 2, [0-9-]+ [0-9:]+\)$" out &&
	sec_lacks "handed in" out &&
	edu_as student01 assignment show "$TODO" >out &&
	test_grep -E "^your work +to do$" out &&
	edu_as teacher1 assignment show "$LATE" >out &&
	test_grep -E "^handed in +2 of 2 students$" out &&
	test_grep -E "^to grade +1$" out &&
	sec_lacks "your work" out
'

test_expect_success 'the draft grade released: the student sees it graded' '
	edu_as teacher1 grade release "$DRAFT" >out 2>err &&
	edu_as student01 assignment list "$C" >out &&
	test_grep -E "^${DRAFT:0:8} +draft .* graded 3/10$" out
'

test_done
