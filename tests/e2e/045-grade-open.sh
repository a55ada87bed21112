#!/bin/bash
# 045-grade-open: in `edu grade next`, 'o N' opens a submitted file as a teacher at a
# terminal needs it: a text file through the pager, stripped of escape sequences (an OSC
# sequence whole, with what it carries) as all server text is; another one with $EDU_OPEN, or xdg-open on a desktop, or else (over SSH)
# edu only says where its copy is. And -q on a list prints whole ids, one a line, for
# scripts; the lesson list shows short ids as the other lists do.
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/e2e/data/security.sh"

start_edud
seed_demo
# no desktop and no opener, unless a test says otherwise
unset EDU_OPEN DISPLAY WAYLAND_DISPLAY

# grade_next ANSWER...: one run of edu grade next on A as teacher1 from the first
# submission, its answers given one a line, with no desktop and no EDU_OPEN unless the
# caller's environment adds them; output in out and err
grade_next () {
	printf "%s\n" "$@" >answers
	edu_as teacher1 grade next "$A" --from-start <answers >out 2>err
}

test_expect_success 'a course and an assignment; two students hand in files' '
	for u in teacher1 student01 student02; do
		login_as $u >out 2>err || return 1
	done &&
	T1=$(token_for teacher1) &&
	C=$(sec_course_new "$T1" open) &&
	sec_enrol "$T1" "$C" student01 && sec_enrol "$T1" "$C" student02 &&
	A=$(sec_assignment_new "$T1" "$C" open) &&
	printf "length_m,period_s\n0.2,0.90\n\033]0;owned\007\033[2Jcleared\n" >data.csv &&
	head -c 3000 /dev/urandom >photo.bin &&
	edu_as student01 -q submit "$A" data.csv photo.bin >sub1 &&
	sleep 0.01 &&
	edu_as student02 -q submit "$A" data.csv >sub2 &&
	S1=$(cat sub1) && S2=$(cat sub2) && test -n "$S1" && test -n "$S2" &&
	edu_as teacher1 --json submission show "$S1" >s1.json &&
	TEXT=$(jq -r "[.files[].filename] | index(\"data.csv\") + 1" s1.json) &&
	PHOTO=$(jq -r "[.files[].filename] | index(\"photo.bin\") + 1" s1.json)
'

test_expect_success 'o N on a text file: the file through the pager, made safe' '
	grade_next "o $TEXT" q &&
	test_grep "student01" out &&
	test_grep "0.2,0.90" out &&
	test_grep "cleared" out &&
	sec_lacks "owned" out &&
	sec_lacks "$(printf "\033")" out &&
	sec_lacks "$(printf "\007")" out
'

test_expect_success 'o N on another file, no desktop: where its copy is, byte for byte' '
	grade_next "o $PHOTO" q &&
	copy=$(sed -n "s/^saved as \(.*\) (set EDU_OPEN to a program that opens .* files)$/\1/p" out) &&
	test -n "$copy" &&
	cmp photo.bin "$copy"
'

test_expect_success 'o N with EDU_OPEN: that program gets the copy, text or not' '
	printf "#!/bin/sh\ncp \"\$1\" \"%s/opened\"\n" "$PWD" >opener &&
	chmod +x opener &&
	EDU_OPEN="$PWD/opener" grade_next "o $TEXT" q &&
	cmp data.csv opened &&
	sec_lacks "0.2,0.90" out &&
	rm opened &&
	EDU_OPEN="$PWD/opener" grade_next "o $PHOTO" q &&
	cmp photo.bin opened
'

test_expect_success 'o N on a desktop: xdg-open gets the copy; text still goes to the pager' '
	mkdir -p bin &&
	printf "#!/bin/sh\ncp \"\$1\" \"%s/xdg-opened\"\n" "$PWD" >bin/xdg-open &&
	chmod +x bin/xdg-open &&
	PATH="$PWD/bin:$PATH" DISPLAY=:99 grade_next "o $PHOTO" "o $TEXT" q &&
	cmp photo.bin xdg-opened &&
	test_grep "0.2,0.90" out
'

test_expect_success 'o N: a program that cannot run, or no such file, is said; grading goes on; the draft is marked' '
	EDU_OPEN=/nonexistent/opener grade_next "o $PHOTO" "o 9" 4 "" n &&
	test_grep "cannot run ./nonexistent/opener." err &&
	test_grep "no file 9" err &&
	test_grep "graded student01: 4/10 (draft" out &&
	edu_as teacher1 submission list "$A" >out &&
	test_grep -E "^student01 .* 4/10 draft " out &&
	edu_as teacher1 --csv submission list "$A" >out.csv &&
	test_grep "\"4/10\"" out.csv
'

test_expect_success '-q on a list: the whole ids of what the table shows, one a line' '
	edu_as teacher1 -q course list >ids &&
	test "$(cat ids)" = "$C" &&
	edu_as teacher1 --json submission list "$A" >subs.json &&
	jq -r ".[].id" subs.json | sort >want &&
	edu_as teacher1 -q submission list "$A" >ids &&
	sort ids >got && test_cmp want got &&
	test "$(wc -l <got)" = 2 &&
	edu_as student01 -q submission list "$A" >ids &&
	test "$(cat ids)" = "$S1"
'

test_expect_success '-q leaves out of the ids what a filter leaves out of the table' '
	edu_as teacher1 -q submission list "$A" --ungraded >ids &&
	test "$(cat ids)" = "$S2"
'

test_expect_success '-q with --csv is the CSV, with whole ids; an empty list with -q prints nothing' '
	edu_as teacher1 -q --csv course list >csv &&
	test_grep -i "^\"id\",\"name\"" csv &&
	test_grep -F "\"$C\"" csv &&
	edu_as teacher1 --csv assignment list "$C" >csv &&
	test_grep -F "\"$A\"" csv &&
	C2=$(sec_course_new "$T1" empty) &&
	edu_as teacher1 -q lesson list "$C2" >out 2>err &&
	test_must_be_empty out && test_must_be_empty err
'

test_expect_success 'lesson list: ids of 8 characters, as other lists; whole in CSV and -q' '
	L=$(sec_lesson_new "$T1" "$C" Pendulum) &&
	edu_as teacher1 lesson list "$C" >out &&
	test_grep -E "^1 +Pendulum +${L:0:8}\$" out &&
	sec_lacks -F "$L" out &&
	edu_as teacher1 --csv lesson list "$C" >out.csv &&
	test_grep -F "$L" out.csv &&
	test "$(edu_as teacher1 -q lesson list "$C")" = "$L" &&
	edu_as teacher1 lesson show "${L:0:8}" >out &&
	test_grep "Read this: Pendulum" out
'

test_done
