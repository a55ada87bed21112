#!/bin/bash
# 028-one-line-fields: a name, a title or a file name is one line wherever edu prints it. A
# teacher gives a course, a lesson, an attachment, an assignment and a rubric criterion a
# title with a newline that forges a line of its own ("Eve\n[10:02] Teacher: exam
# cancelled"); every view (lesson show, grades, grade next, the lines that say what was
# made, submission show) shows the newline as "⏎", in a pipe and on a terminal. Characters
# that take no room (U+200B, U+200D splitting a name) are shown as "<U+200B>" in those
# fields, while an emoji's ZWJ and a Persian ZWNJ still show as they are; the file names edu
# writes (lesson and submission downloads) lose them.
. "$(dirname "$0")/lib.sh"
[ -f "$top_srcdir/tests/e2e/data/security.sh" ] || bail_out "no tests/e2e/data/security.sh"
. "$top_srcdir/tests/e2e/data/security.sh"

start_edud
seed_demo

# As JSON strings.
FORGED='"Eve\n[10:02] Teacher: exam cancelled"'
ZW_NAME='"adm\u200bin\u200d"'
EMOJI_NAME='"\ud83d\udc69\u200d\ud83d\udcbb Ada"'
PERSIAN_NAME='"\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"'

# No line of FILE starts with the forged one (a terminal's CR LF counts as LF).
not_forged () {
	tr -d '\r' <"$1" >"$1.lf" &&
	sec_lacks -E '^\[10:02\]' "$1.lf"
}

# Runs edu as USER on a terminal (a pty made by script(1)), PAGER=cat; its output on stdout.
on_terminal () {
	local user=$1 cmd
	shift
	printf -v cmd '%q ' "$EDU" --profile "$user" "$@"
	PAGER=cat TERM=dumb script -qec "$cmd" /dev/null </dev/null
}

# Gives the row of TABLE whose COLUMN_KEY is KEY the text of the JSON string VALUE in COLUMN,
# as the cluster's superuser: edud may refuse such names (that is its right), but the client
# must show them safely whatever a server holds.
force () {
	local table=$1 column=$2 key_column=$3 key=$4 text
	text=$(jq -r . <<<"$5") &&
	psql_admin -v t="$text" -v k="$key" >/dev/null \
		<<<"UPDATE edu.$table SET $column = :'t' WHERE $key_column = :'k';" &&
	test "$(psql_admin -v k="$key" <<<"SELECT $column FROM edu.$table
		WHERE $key_column = :'k';")" = "$text"
}
# The same for a user of the demo school, by user name.
force_user () {
	local id
	id=$(psql_admin -v u="$1" <<<"SELECT u.id FROM edu.users u JOIN edu.schools s
		ON s.id = u.school_id WHERE s.slug = 'demo' AND u.username = :'u';") &&
	force users display_name id "$id" "$2"
}

test_expect_success 'a course whose names forge lines and hide characters' '
	for u in teacher1 student01 student02 student03 principal; do
		login_as $u >out 2>err || return 1
	done &&
	T1=$(token_for teacher1) && S1=$(token_for student01) && S2=$(token_for student02) &&
	S3=$(token_for student03) &&
	force_user student02 "$ZW_NAME" &&
	force_user student01 "$EMOJI_NAME" &&
	force_user student03 "$PERSIAN_NAME" &&
	C=$(sec_course_new "$T1" forged) && force courses name id "$C" "$FORGED" &&
	CODE=$(jq -er .code course-forged.json) &&
	for u in student01 student02; do
		sec_enrol "$T1" "$C" $u || return 1
	done &&
	L=$(sec_lesson_new "$T1" "$C" forged) && force lessons title id "$L" "$FORGED" &&
	printf "notes\n" >notes.txt &&
	F1=$(sec_attach "$T1" "$L" notes.txt notes.txt) &&
	force files filename id "$F1" "${FORGED%\"}.txt\"" &&
	printf "more\n" >more.txt &&
	F2=$(sec_attach "$T1" "$L" more.txt more.txt) &&
	force files filename id "$F2" "${ZW_NAME%\"}.txt\"" &&
	A=$(sec_assignment_new "$T1" "$C" forged) && force assignments title id "$A" "$FORGED" &&
	sec_rubric_set "$T1" "$A" &&
	force rubric_criteria name id "$(jq -r ".criteria[0].id" "rubric-$A.json")" "$FORGED" &&
	printf "my report\n" >report.txt &&
	U=$(sec_upload "$S2" "$A" report.txt report.txt) &&
	S=$(sec_submit "$S2" "$A" "my work" "$U") &&
	force files filename id "$(jq -r ".files[0].id" "submission-$S.json")" \
		"${ZW_NAME%\"}.txt\"" &&
	S1SUB=$(sec_submit "$S1" "$A" "mine") &&
	sec_grade "$T1" "$S1SUB" 0 "{\"score\": 9, \"comment\": \"Well done\", \"released\": true,
		\"rubric\": [{\"criterion_id\": \"$(jq -r ".criteria[0].id" "rubric-$A.json")\",
		\"level_id\": \"$(jq -r ".criteria[0].levels[0].id" "rubric-$A.json")\"}]}" >/dev/null
'

test_expect_success 'edu lesson show: the title and the files are one line each' '
	edu_as student01 lesson show "$L" >out 2>err &&
	not_forged out &&
	test_grep -F "# Eve⏎[10:02] Teacher: exam cancelled" out &&
	test_grep -F "Eve⏎[10:02] Teacher: exam cancelled.txt" out &&
	test_grep -F "adm<U+200B>in<U+200D>.txt" out &&
	on_terminal student01 lesson show "$L" >tty 2>&1 &&
	not_forged tty &&
	test_grep -F "# Eve⏎[10:02]" tty.lf
'

test_expect_success 'edu grades: the feedback heading is one line' '
	edu_as student01 grades >out 2>err &&
	not_forged out &&
	test_grep -F "Eve⏎[10:02] Teacher: exam cancelled: Eve⏎[10:02]" out &&
	on_terminal student01 grades >tty 2>&1 &&
	not_forged tty
'

test_expect_success 'edu grade next: the header is one line' '
	echo q | edu_as teacher1 grade next "$A" >out 2>err &&
	not_forged out && not_forged err &&
	test_grep -F "Eve⏎[10:02] Teacher: exam cancelled: 1 to grade" out &&
	test_grep -F "adm<U+200B>in<U+200D>" out
'

test_expect_success 'the lines that say what was done keep a name on one line' '
	edu_as student03 course join "$CODE" >out 2>err &&
	not_forged out &&
	test_grep -F "joined course '"'"'Eve⏎[10:02] Teacher: exam cancelled'"'"'" out &&
	edu_as student03 submit "$A" -t "late work" >out 2>err &&
	not_forged out &&
	test_grep -F "of '"'"'Eve⏎[10:02] Teacher: exam cancelled'"'"'" out &&
	edu_as teacher1 assignment edit "$A" --points 10 >out 2>err &&
	not_forged out &&
	test_grep -F "saved '"'"'Eve⏎[10:02] Teacher: exam cancelled'"'"'" out &&
	on_terminal teacher1 course archive "$C" >tty 2>&1 &&
	not_forged tty &&
	test_grep -F "archived course '"'"'Eve⏎[10:02]" tty.lf &&
	edu_as teacher1 course archive "$C" --undo >out 2>err &&
	not_forged out
'

test_expect_success 'edu submission show and the rubric: one line each' '
	edu_as teacher1 submission show "$S" >out 2>err &&
	not_forged out &&
	test_grep -F "adm<U+200B>in<U+200D>" out &&
	edu_as teacher1 rubric show "$A" >out 2>err &&
	not_forged out
'

test_expect_success 'names split by invisible characters show it; emoji and Persian stay' '
	edu_as principal admin user list >out 2>err &&
	test_grep -F "adm<U+200B>in<U+200D>" out &&
	test_grep -F "$(jq -r . <<<"$EMOJI_NAME")" out &&
	test_grep -F "$(jq -r . <<<"$PERSIAN_NAME")" out &&
	sec_lacks -F "$(printf "\xe2\x80\x8b")" out &&
	edu_as teacher1 course members "$C" >out 2>err &&
	test_grep -F "adm<U+200B>in<U+200D>" out &&
	test_grep -F "$(jq -r . <<<"$EMOJI_NAME")" out
'

test_expect_success 'the files edu writes are named without them (an emoji keeps its ZWJ)' '
	edu_as student01 lesson download "$L" -o lesson-files >out 2>err &&
	ls lesson-files >names &&
	test_grep -xF "admin.txt" names &&
	test_grep -xF "Eve⏎[10:02] Teacher: exam cancelled.txt" names &&
	edu_as teacher1 submission download "$A" -o subs >out 2>err &&
	ls subs >folders &&
	test_grep -xF "student02 - admin" folders &&
	ls "subs/student02 - admin" >files &&
	test_grep -xF "admin.txt" files &&
	find lesson-files subs -print >all &&
	sec_lacks -F "$(printf "\xe2\x80\x8b")" all &&
	test_grep -xF "student01 - $(jq -r . <<<"$EMOJI_NAME")" folders &&
	{ grep -F "$(printf "\xe2\x80\x8d")" all | grep -vF "$(jq -r . <<<"$EMOJI_NAME")" >zwj
	  true; } &&
	test_must_be_empty zwj
'

test_done
