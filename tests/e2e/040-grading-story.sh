#!/bin/bash
# 040-grading-story: a piece of work from start to finish, through the real edu client. A
# teacher creates a course, its lessons and an assignment with a rubric; students join or are
# enrolled, read the lessons, mark them done and hand in text and files (one a binary file that
# comes back byte for byte); the teacher downloads everything, grades with `edu grade next`
# driven by a script on its standard input (quitting, resuming, skipping, coming back) and
# with `edu grade`; students see their grades once released, and only then.
#
# Everything goes through `edu` but what it cannot show: curl checks the Digest header of a
# downloaded file and what the server stored.
. "$(dirname "$0")/lib.sh"
[ -f "$top_srcdir/tests/e2e/data/security.sh" ] || bail_out "no tests/e2e/data/security.sh"
. "$top_srcdir/tests/e2e/data/security.sh"

start_edud
seed_demo

test_expect_success 'the teacher and three students log in' '
	for u in teacher1 student01 student02 student03; do
		login_as $u >out 2>err || return 1
	done
'

# --- the teacher sets up ---------------------------------------------------------------------

test_expect_success 'the teacher creates a course; it is listed with its join code' '
	edu_as teacher1 --json course create "Physics 9B" --description "Forces and motion" \
		--term "2026 autumn" >course.json &&
	test_json course.json .name "Physics 9B" &&
	test_json course.json .my_role teacher &&
	C=$(jq -er .id course.json) && CODE=$(jq -er .code course.json) &&
	edu_as teacher1 course list >out &&
	test_grep "Physics 9B" out &&
	test_grep "$CODE" out &&
	edu_as teacher1 course show "$C" >out &&
	test_grep "Forces and motion" out &&
	test_grep "2026 autumn" out &&
	test_grep "$CODE" out
'

test_expect_success 'two lessons, the first with a worksheet' '
	T1=$(token_for teacher1) &&
	printf "Read this: Newton\n\nWhy do things fall?\n" >newton.md &&
	edu_as teacher1 -q lesson create "$C" --title Newton --content-file newton.md >lid &&
	L1=$(cat lid) && test -n "$L1" &&
	edu_as teacher1 lesson create "$C" --title "Free fall" -m "Read this: Free fall" >out &&
	test_grep "created lesson 2 .Free fall." out &&
	L2=$(sed -n "s/.*(id \([0-9a-f-]*\)).*/\1/p" out) && test -n "$L2" &&
	printf "Worksheet: drop a ball and a feather.\n" >worksheet.txt &&
	edu_as teacher1 lesson attach "$L1" worksheet.txt >out &&
	test_grep "attached .worksheet.txt. (38 bytes, sha256 $(sha256sum worksheet.txt | cut -c1-64))" out &&
	edu_as teacher1 lesson list "$C" >out &&
	test_grep "Newton" out &&
	test_grep "Free fall" out &&
	test "$(grep -n Newton out | cut -d: -f1)" -lt "$(grep -n "Free fall" out | cut -d: -f1)"
'

test_expect_code 2 'a lesson needs a title' '
	edu_as teacher1 lesson create "$C" -m "no title"
'

test_expect_code 4 'a student cannot add a lesson' '
	edu_as student01 lesson create "$C" --title "Mine" 2>err
'

test_expect_success 'the teacher creates a published assignment, due in the future' '
	edu_as teacher1 -q assignment create "$C" --title "Lab report: falling bodies" \
		--due 2030-06-01 --points 20 --category lab --kind both --publish \
		-m "Drop two balls of different mass and report what you see." >aid &&
	A=$(cat aid) && test -n "$A" &&
	edu_as teacher1 --json assignment show "$A" >a.json &&
	test_json a.json .title "Lab report: falling bodies" &&
	test_json a.json .points_possible 20 &&
	test_json a.json .published true &&
	test_json a.json .submission_kind both &&
	edu_as teacher1 assignment list "$C" >out &&
	test_grep "Lab report: falling bodies" out
'

cat >rubric.txt <<'EOF'
# the lab report
Method: Weak=2, Sound=6, Rigorous=10
Clarity: Muddled=0, Clear=5, Excellent=10
EOF

test_expect_success 'the teacher sets its rubric from a text file, and reads it back' '
	edu_as teacher1 rubric set "$A" rubric.txt >out 2>err &&
	edu_as teacher1 rubric show "$A" >out &&
	test_grep Method out && test_grep Rigorous out &&
	test_grep Clarity out && test_grep Excellent out &&
	test_grep -w 20 out &&
	edu_as teacher1 rubric show "$A" --file >again.txt &&
	grep -v "^#" rubric.txt >expect &&
	grep -v "^#" again.txt >actual &&
	test_cmp expect actual &&
	edu_as teacher1 --json rubric show "$A" >rubric.json &&
	test_json rubric.json "[.criteria[].name] | join(\",\")" "Method,Clarity" &&
	test_json rubric.json "[.criteria[].levels[].points] | add" 33
'

test_expect_success 'a rubric file with a mistake is refused with its line, and nothing changes' '
	printf "Method: Weak=2, Sound=six\n" >bad-rubric.txt &&
	test_exit_code 7 edu_as teacher1 rubric set "$A" bad-rubric.txt >out 2>err &&
	test_grep "bad-rubric.txt:1" err &&
	edu_as teacher1 --json rubric show "$A" >now.json &&
	test_cmp rubric.json now.json
'

# --- the students ------------------------------------------------------------------------------

test_expect_success 'two students join with the code as they type it; the teacher enrols one' '
	typed=$(printf "%s-%s" "${CODE:0:4}" "${CODE:4}" | tr A-Z a-z) &&
	edu_as student01 course join "$typed" >out 2>err &&
	test_grep "Physics 9B" out &&
	edu_as student02 course join "$CODE" >out 2>err &&
	edu_as teacher1 course enrol "$C" student03 >out 2>err &&
	edu_as teacher1 course members "$C" >members &&
	for u in teacher1 student01 student02 student03; do
		test_grep -w $u members || return 1
	done &&
	edu_as student03 course list >out &&
	test_grep "Physics 9B" out &&
	sec_lacks "$CODE" out
'

test_expect_success 'students read the lessons and the assignment' '
	edu_as student01 lesson list "$C" >out &&
	test_grep Newton out && test_grep "Free fall" out &&
	edu_as student01 lesson show "$L1" >out &&
	test_grep "Read this: Newton" out &&
	test_grep worksheet.txt out &&
	edu_as student01 lesson download "$L1" -o lesson1 >out 2>err &&
	test_cmp worksheet.txt lesson1/worksheet.txt &&
	edu_as student01 assignment show "$A" >out &&
	test_grep "Drop two balls" out &&
	edu_as student01 rubric show "$A" >out &&
	test_grep Rigorous out
'

test_expect_success 'a lesson is named by the start of its id, as long as that is unique' '
	edu_as student01 lesson show "${L1:0:8}" >out &&
	test_grep "Read this: Newton" out &&
	edu_as teacher1 --json lesson show "${L2:0:13}" >l2.json &&
	test_json l2.json .id "$L2" &&
	test_exit_code 5 edu_as student01 lesson show ffffffff >out 2>err &&
	test_grep "no lesson whose id starts with .ffffffff. in your courses" err &&
	test_exit_code 2 edu_as student01 lesson done abc >out 2>err &&
	test_grep "not a lesson id" err
'

test_expect_success 'students mark lessons done; the teacher sees how far each is' '
	edu_as student01 lesson done "$L1" >out 2>err &&
	edu_as student01 lesson done "$L2" >out 2>err &&
	edu_as student01 lesson done "$L2" >out 2>err &&
	edu_as student02 lesson done "$L1" >out 2>err &&
	edu_as student03 lesson done "$L2" >out 2>err &&
	edu_as student03 lesson done "$L2" --undo >out 2>err &&
	edu_as teacher1 --json course progress "$C" >progress.json &&
	test_json progress.json "[.[] | \"\(.student.username)=\(.done)/\(.total)\"] | join(\" \")" \
		"student01=2/2 student02=1/2 student03=0/2" &&
	edu_as teacher1 course progress "$C" >out &&
	test_grep student01 out &&
	edu_as student02 --json course progress "$C" >mine.json &&
	test_json mine.json "[.[] | .student.username] | join(\" \")" student02 &&
	edu_as student01 lesson list "$C" >out &&
	test_grep -E "^1 +Newton +yes" out &&
	test_grep -E "^2 +Free fall +yes" out &&
	edu_as student03 lesson list "$C" >out &&
	test_grep -E "^2 +Free fall +no" out
'

test_expect_success 'a student hands in text' '
	edu_as student01 submit "$A" --text "Both balls land together: g does not depend on mass." \
		>out 2>err &&
	test_grep -i "attempt 1" out
'

test_expect_success 'a student hands in a report and a binary data file, with a note' '
	printf "Report of student02\nThe heavy ball and the light ball land at once.\n" >report.txt &&
	head -c 300000 /dev/urandom >data.bin &&
	printf "\000\001\002\377binary tail\n" >>data.bin &&
	edu_as student02 submit "$A" report.txt data.bin --text "Measurements attached." \
		>out 2>err &&
	test_grep -i "attempt 1" out &&
	edu_as student02 --json submission list "$A" >mine.json &&
	test_json mine.json "length" 1 &&
	S2=$(jq -er ".[0].id" mine.json) &&
	test_json mine.json "[.[0].files[].filename] | join(\" \")" "report.txt data.bin" &&
	test_json mine.json ".[0].files[1].sha256" "$(sha256sum data.bin | cut -d" " -f1)"
'

test_expect_success 'a student hands in a file, then tries again with text alone' '
	printf "first notes\n" >notes.txt &&
	edu_as student03 submit "$A" notes.txt >out 2>err &&
	test_grep -i "attempt 1" out &&
	edu_as student03 submit "$A" --text "Second thoughts: air resistance matters for a feather." \
		>out 2>err &&
	test_grep -i "attempt 2" out &&
	edu_as student03 --json submission list "$A" --all-attempts >mine.json &&
	test_json mine.json "[.[].attempt] | sort | join(\",\")" "1,2"
'

test_expect_success 'a student sees only their own submissions' '
	edu_as student01 --json submission list "$A" --all-attempts >mine.json &&
	test_json mine.json "[.[].student.username] | unique | join(\",\")" student01 &&
	test_exit_code 5 edu_as student01 submission show "$S2" >out 2>err &&
	test_grep "^edu: " err &&
	sec_lacks "Measurements" out
'

# --- the teacher reads --------------------------------------------------------------------------

test_expect_success 'the teacher lists the latest submissions, all ungraded' '
	edu_as teacher1 --json submission list "$A" --ungraded >subs.json &&
	test_json subs.json "[.[] | \"\(.student.username):\(.attempt)\"] | join(\" \")" \
		"student01:1 student02:1 student03:2" &&
	S1=$(jq -er ".[0].id" subs.json) && S3=$(jq -er ".[2].id" subs.json) &&
	edu_as teacher1 submission list "$A" >out &&
	test_grep student01 out && test_grep student02 out && test_grep student03 out
'

test_expect_success 'the teacher downloads every latest submission: the files come back exact' '
	edu_as teacher1 submission download "$A" -o subs >out 2>err &&
	d2=$(ls -d subs/student02*) && d1=$(ls -d subs/student01*) && d3=$(ls -d subs/student03*) &&
	cmp data.bin "$d2/data.bin" &&
	test "$(sha256sum <"$d2/data.bin")" = "$(sha256sum <data.bin)" &&
	test_cmp report.txt "$d2/report.txt" &&
	test_grep "Measurements attached." "$d2/submission.txt" &&
	test_grep "g does not depend on mass" "$d1/submission.txt" &&
	test_grep "air resistance" "$d3/submission.txt" &&
	test ! -e "$d3/notes.txt" &&
	test_mode 700 "$d2" && test_mode 600 "$d2/data.bin"
'

test_expect_success 'downloading again fetches nothing and changes nothing' '
	(cd subs && find . -type f -exec sha256sum {} + | sort) >before &&
	edu_as teacher1 submission download "$A" -o subs >out 2>err &&
	(cd subs && find . -type f -exec sha256sum {} + | sort) >after &&
	test_cmp before after
'

test_expect_success 'the server sends the binary file with its SHA-256 in Digest (curl)' '
	f=$(jq -r ".[1].files[] | select(.filename == \"data.bin\") | .id" subs.json) &&
	curl -sS -o got.bin -D got.headers -H "Authorization: Bearer $T1" \
		"$EDU_TEST_URL/api/v1/submissions/$S2/files/$f" &&
	cmp data.bin got.bin &&
	want=$(openssl dgst -sha256 -binary data.bin | base64) &&
	test_grep -i "^digest: sha-256=$want" got.headers &&
	test_grep -i "^content-disposition: attachment" got.headers
'

# --- grading ---------------------------------------------------------------------------------------

test_expect_success 'grade next, from a script: grades the first, then quits' '
	printf "%s\n" 17 Sound Excellent "Good method, clear writing" y q >answers &&
	edu_as teacher1 grade next "$A" <answers >out 2>err &&
	test_grep "3 to grade" out &&
	test_grep "graded student01: 17/20 (released)" out &&
	test_grep "stopped: 1 graded" out &&
	test_grep "edu grade next" out
'

test_expect_success 'grade next again resumes: skips one, grades the next as a draft' '
	printf "%s\n" "" 12 Weak Clear "Attempt two is thin" n >answers &&
	edu_as teacher1 grade next "$A" <answers >out 2>err &&
	test_grep "2 to grade" out &&
	sec_lacks student01 out &&
	test_grep "graded student03: 12/20 (draft" out &&
	test_grep "done: 1 graded, 1 skipped" out &&
	test_grep -e "--from-start" out
'

test_expect_success 'grade next --from-start comes back to the skipped one; the rubric scores it' '
	printf "%s\n" - Rigorous Excellent "" y >answers &&
	edu_as teacher1 grade next "$A" --from-start <answers >out 2>err &&
	test_grep "1 to grade" out &&
	test_grep "graded student02: 20/20 (released)" out &&
	edu_as teacher1 --json submission list "$A" --ungraded >left.json &&
	test_json left.json length 0
'

test_expect_success 'what grade next saved is what the server holds' '
	edu_as teacher1 --json submission show "$S1" >s1.json &&
	test_json s1.json .grade.score 17 &&
	test_json s1.json .grade.comment "Good method, clear writing" &&
	test_json s1.json .grade.released true &&
	test_json s1.json "[.grade.rubric[].points] | add" 16 &&
	edu_as teacher1 --json submission show "$S2" >s2.json &&
	test_json s2.json .grade.score null &&
	test_json s2.json .grade.rubric_score 20 &&
	edu_as teacher1 --json submission show "$S3" >s3.json &&
	test_json s3.json .grade.score 12 &&
	test_json s3.json .grade.released false
'

test_expect_success 'students see released grades only: a draft is not shown' '
	edu_as student01 grades >out &&
	test_grep "Lab report: falling bodies" out &&
	test_grep "17/20" out &&
	test_grep "Good method, clear writing" out &&
	edu_as student02 grades "$C" >out &&
	test_grep "20/20" out &&
	edu_as student03 grades >out 2>err &&
	test_grep "no released grades yet" err &&
	sec_lacks "Lab report" out &&
	sec_lacks "Attempt two is thin" out &&
	sec_lacks "12/20" out &&
	edu_as student03 --json submission show "$S3" >mine.json &&
	jq -e ".grade == null or (.grade.score == null and (.grade.comment // \"\") == \"\")" \
		mine.json >/dev/null &&
	sec_lacks "Attempt two is thin" mine.json
'

test_expect_success 'edu grade changes a grade with rubric levels and a comment, and releases it' '
	edu_as teacher1 grade "$S3" 14 --rubric Method=Sound --rubric Clarity=Clear \
		-m "Better after a second look" --release >out 2>err &&
	test_grep "graded student03: 14/20 (released)" out &&
	edu_as teacher1 grade history "$S3" >hist &&
	test_grep -E "teacher1 +12 +no +Attempt two is thin" hist &&
	test_grep -E "teacher1 +14 +yes +Better after a second look" hist &&
	test "$(grep -c teacher1 hist)" = 2 &&
	edu_as teacher1 --json grade history "$S3" >hist.json &&
	test_json hist.json "[.[].new.score] | map(tostring) | join(\",\")" "12,14" &&
	test_json hist.json ".[1].old.score" 12
'

test_expect_success 'once released, the student sees the grade, the levels and the comment' '
	edu_as student03 grades >out &&
	test_grep "Lab report: falling bodies" out &&
	test_grep "14/20" out &&
	test_grep "Better after a second look" out &&
	test_grep "Method: Sound" out &&
	test_grep "Clarity: Clear" out &&
	edu_as student03 --json grades >g.json &&
	test_json g.json "[.[].grade.score] | join(\",\")" 14 &&
	test_json g.json ".[0].grade.comment" "Better after a second look"
'

test_expect_success 'a student cannot grade, nor read the grade history' '
	test_exit_code 4 edu_as student01 grade "$S1" 20 >out 2>err &&
	test_grep "^edu: " err &&
	test_exit_code 4 edu_as student01 grade history "$S1" >out 2>err &&
	edu_as teacher1 --json submission show "$S1" >s1.json &&
	test_json s1.json .grade.score 17
'

# --- submissions named by the start of their id ----------------------------------------------

test_expect_success 'submission list shows the first 8 characters of each id; --csv and --json whole ones' '
	edu_as teacher1 submission list "$A" >out &&
	test_grep -E "^student01 .* ${S1:0:8}\$" out &&
	sec_lacks -F "$S1" out &&
	edu_as teacher1 --csv submission list "$A" >out.csv &&
	test_grep -F "$S1" out.csv &&
	edu_as teacher1 --json submission list "$A" >subs.json &&
	test_json subs.json ".[0].id" "$S1"
'

test_expect_success 'show, grade and grade history take the first 8 characters of a submission id' '
	edu_as teacher1 --json submission show "${S1:0:8}" >s1.json &&
	test_json s1.json .id "$S1" &&
	edu_as teacher1 submission show "${S1:0:8}" >out &&
	test_grep -E "^id: +$S1\$" out &&
	test_grep "g does not depend on mass" out &&
	edu_as teacher1 grade "${S1:0:8}" 18 -m "Read again: 18" >out 2>err &&
	test_grep "graded student01: 18/20" out &&
	edu_as teacher1 --json grade history "${S1:0:8}" >hist.json &&
	test_json hist.json ".[-1].new.score" 18 &&
	test_json hist.json ".[-1].new.comment" "Read again: 18" &&
	upper=$(printf "%s" "${S1:0:13}" | tr a-f A-F) &&
	edu_as teacher1 grade history "$upper" >hist &&
	test_grep "Read again: 18" hist &&
	edu_as teacher1 --json submission show "$S1" >s1.json &&
	test_json s1.json .grade.score 18
'

test_expect_success 'a prefix too short or not hex is a usage error; one that starts no id is not found' '
	test_exit_code 2 edu_as teacher1 submission show "${S1:0:7}" >out 2>err &&
	test_grep "^edu: .${S1:0:7}. is not a submission id (give the id, or at least its first 8 characters)" err &&
	test_exit_code 2 edu_as teacher1 grade history "${S1:0:6}zz" >out 2>err &&
	test_grep "is not a submission id" err &&
	test_exit_code 2 edu_as teacher1 grade "${S1:0:4}-${S1:4:4}" 5 >out 2>err &&
	test_grep "is not a submission id" err &&
	test_exit_code 5 edu_as teacher1 submission show ffffffff >out 2>err &&
	test_grep "^edu: no submission whose id starts with .ffffffff. among those you may read" err &&
	test_exit_code 5 edu_as teacher1 grade ffffffff 5 >out 2>err &&
	test_grep "no submission whose id starts with .ffffffff." err &&
	test_exit_code 5 edu_as teacher1 grade history ffffffff-ffff >out 2>err &&
	test_grep "no submission whose id starts with .ffffffff-ffff." err &&
	test_exit_code 2 edu_as teacher1 grade histroy "$S1" >out 2>err &&
	test_grep "unknown command .grade histroy." err
'

test_expect_success 'a prefix that starts two ids names both and does nothing' '
	c=0 && if [ "${S1:9:1}" = 0 ]; then c=1; fi &&
	twin="${S1:0:8}-${c}000-4000-8000-000000000000" &&
	psql_admin -c "INSERT INTO edu.submissions (school_id, id, assignment_id, student_id,
		attempt, text) SELECT school_id, '\''$twin'\'', assignment_id, student_id, 100,
		'\''a twin'\'' FROM edu.submissions WHERE id = '\''$S1'\''" >/dev/null &&
	test_exit_code 2 edu_as teacher1 grade "${S1:0:8}" 3 >out 2>err &&
	test_grep "^edu: .${S1:0:8}. is the start of more than one submission.s id; give more of it" err &&
	test_grep -F "$S1 (student01, attempt 1)" err &&
	test_grep -F "$twin (student01, attempt 100)" err &&
	edu_as teacher1 --json submission show "$S1" >s1.json &&
	test_json s1.json .grade.score 18 &&
	edu_as teacher1 --json submission show "${S1:0:10}" >s1.json &&
	test_json s1.json .id "$S1" &&
	edu_as teacher1 --json submission show "${twin:0:10}" >twin.json &&
	test_json twin.json .text "a twin" &&
	psql_admin -c "DELETE FROM edu.submissions WHERE id = '\''$twin'\''" >/dev/null
'

test_expect_success 'a student finds their own submission by its prefix, never another student'"'"'s' '
	edu_as student02 --json submission show "${S2:0:8}" >mine.json &&
	test_json mine.json .id "$S2" &&
	test_exit_code 5 edu_as student01 submission show "${S2:0:8}" >out 2>err &&
	test_grep "no submission whose id starts with .${S2:0:8}. among those you may read" err &&
	sec_lacks "Measurements" out &&
	test_exit_code 5 edu_as student01 submission show "$S2" >out 2>err &&
	test_exit_code 5 edu_as student01 grade "${S2:0:8}" 20 >out 2>err &&
	test_exit_code 5 edu_as student01 grade history "${S2:0:13}" >out 2>err &&
	edu_as teacher1 --json submission show "$S2" >s2.json &&
	test_json s2.json .grade.rubric_score 20
'

test_expect_success 'edud refuses an id_prefix that cannot start an id (curl)' '
	tok=$(token_for teacher1) &&
	api_expect 400 GET "/submissions" "" "$tok" >err.json &&
	test_json err.json .error.field id_prefix &&
	api_expect 400 GET "/submissions?id_prefix=${S1:0:7}" "" "$tok" >err.json &&
	api_expect 400 GET "/submissions?id_prefix=${S1:0:4}-${S1:4:4}" "" "$tok" >err.json &&
	api_expect 400 GET "/submissions?id_prefix=${S1}0" "" "$tok" >err.json &&
	api_expect 400 GET "/submissions?id_prefix=%27%20OR%201%3D1" "" "$tok" >err.json &&
	api_expect 200 GET "/submissions?id_prefix=${S1:0:8}" "" "$tok" >found.json &&
	test_json found.json "[.items[].id] | join(\",\")" "$S1"
'

# username|missing|excused|score|released of the grades of student04 and student05 for $A
late_grades () {
	psql_admin -F'|' -c "SELECT u.username, g.missing, g.excused, g.score, g.released
		FROM edu.grades g JOIN edu.users u ON u.school_id = g.school_id AND u.id = g.student_id
		WHERE g.assignment_id = '$A' AND u.username IN ('student04', 'student05')
		ORDER BY 1"
}

test_expect_success 'grade missing: students without a submission are listed, then marked missing' '
	edu_as teacher1 course enrol "$C" student04 >out 2>err &&
	edu_as teacher1 course enrol "$C" student05 >out 2>err &&
	tok=$(token_for teacher1) &&
	s05=$(psql_admin -c "SELECT id FROM edu.users WHERE username = '\''student05'\''") &&
	API_CURL_ARGS=(-H "If-Match: \"0\"") &&
	api_expect 200 PUT "/assignments/$A/grades/$s05" "{\"excused\": true}" "$tok" >/dev/null &&
	API_CURL_ARGS=() &&
	edu_as teacher1 grade missing "$A" --dry-run >out &&
	printf "student04\nstudent05\n" >expect &&
	test_cmp expect out &&
	late_grades >before &&
	printf "student05|f|t||f\n" >expect &&
	test_cmp expect before &&
	edu_as teacher1 grade missing "$A" --score 0 --release >out 2>err &&
	test_grep "^student04: marked missing" out &&
	test_grep "^student05 has a grade already: kept" out &&
	test_grep "^1 marked missing, 1 kept their grade" out &&
	late_grades >grades &&
	printf "student04|t|f|0.00|t\nstudent05|f|t||f\n" >expect &&
	test_cmp expect grades
'

test_expect_success 'grade missing again changes nothing; the student sees the missing grade' '
	edu_as teacher1 --json grade missing "$A" >again.json &&
	test_json again.json length 0 &&
	late_grades >grades &&
	test_cmp expect grades &&
	login_as student04 >out 2>err &&
	edu_as student04 --json grades >g.json &&
	test_json g.json ".[0].grade.missing" true &&
	test_json g.json ".[0].grade.score" 0
'

test_expect_success 'grade missing: a student may not use it, and a bad score is a usage error' '
	test_exit_code 4 edu_as student01 grade missing "$A" >out 2>err &&
	test_exit_code 2 edu_as teacher1 grade missing "$A" --score lots >out 2>err &&
	test_grep "not a score" err
'

test_done
