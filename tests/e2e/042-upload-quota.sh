#!/bin/bash
# 042-upload-quota: edud's upload_quota, the bytes of uploaded files each user may keep.
# An upload that would pass it is refused with 413 quota_exceeded, saying how much of how
# much is used: before any byte when Content-Length tells, while streaming when it does not
# (chunked), and at the end under the user's lock, so that two uploads at once cannot both
# pass. A refused upload leaves nothing in data_dir/files and no row. The quota is per
# user, counts lesson attachments too, counts an upload whose content is stored already,
# leaves a file over the assignment's limit `too_large`, and with 0 there is none.
. "$(dirname "$0")/lib.sh"
[ -f "$top_srcdir/tests/e2e/data/security.sh" ] || bail_out "no tests/e2e/data/security.sh"
. "$top_srcdir/tests/e2e/data/security.sh"

QUOTA=300000
start_edud --upload-quota $QUOTA
seed_demo

# The bytes of the files rows USER created.
used_by () {
	psql_admin -v u="$1" <<'EOF'
SELECT coalesce(sum(f.size), 0) FROM edu.files f JOIN edu.users u
  ON u.school_id = f.school_id AND u.id = f.created_by WHERE u.username = :'u';
EOF
}

# Nothing was kept since rows-before and store-before were taken: no new stored file, nothing
# in the store's temporary directory, no new row.
kept_nothing () {
	stored_files >store-now &&
	test_cmp store-before store-now &&
	test -z "$(ls -A "$EDU_TEST_DATA/files/tmp")" &&
	stored_rows >rows-now &&
	test_cmp rows-before rows-now
}

snapshot () {
	stored_files >store-before &&
	stored_rows >rows-before
}

# curl_upload_to NAME TOKEN PATH FILE [CURL-ARGS]: a raw upload; the status in NAME.status,
# the answer in NAME.body (two may run at once under two names).
curl_upload_to () {
	local name=$1 token=$2 path=$3 file=$4
	shift 4
	curl -sS --max-time 60 -o "$name.body" -w "%{http_code}" -X POST \
		-H "Authorization: Bearer $token" -H "Content-Type: application/octet-stream" \
		"$@" --data-binary "@$file" "$EDU_TEST_URL/api/v1$path" >"$name.status"
}

# curl_upload TOKEN PATH FILE [CURL-ARGS]: the same into api.status and api.body.
curl_upload () {
	curl_upload_to api "$@"
}

# expect_quota_refusal USED: the last answer is 413 quota_exceeded, USED of QUOTA bytes used.
expect_quota_refusal () {
	test "$(cat api.status)" = 413 &&
	test_json api.body .error.code quota_exceeded &&
	test_json api.body .error.message \
		"this file would pass your upload quota: $1 of $QUOTA bytes used"
}

test_expect_success 'a course, its teacher and four students; files of 200 kB' '
	for u in teacher1 student01 student02 student03 student04; do
		login_as $u >out 2>err || return 1
	done &&
	C=$(edu_as teacher1 -q course create "Physics 11") &&
	edu_as teacher1 course enrol "$C" student01 student02 student03 student04 >out 2>err &&
	E=$(edu_as teacher1 -q assignment create "$C" --title Report --points 10 --kind both \
		--max-size 250K --publish -m "Your lab report.") &&
	S=$(edu_as teacher1 -q assignment create "$C" --title Sketch --points 5 --kind files \
		--max-size 50K --publish -m "A small sketch.") &&
	for f in a1 a2 a3 a4 a5 a6 t1 t2; do
		head -c 200000 /dev/urandom >$f.bin || return 1
	done &&
	head -c 100000 /dev/urandom >rest.bin &&
	head -c 60000 /dev/urandom >sketch.bin &&
	T1=$(token_for teacher1) &&
	for u in student01 student02 student03 student04; do
		eval "TOK_$u=\$(token_for $u)" || return 1
	done
'

test_expect_success 'a student uploads 200 kB of a 300000-byte quota' '
	curl_upload "$TOK_student01" "/uploads?assignment=$E&filename=a1.bin" a1.bin &&
	test "$(cat api.status)" = 201 &&
	test_json api.body .size 200000 &&
	test "$(used_by student01)" = 200000 &&
	snapshot
'

test_expect_success 'another 200 kB with Content-Length: 413 quota_exceeded, nothing kept' '
	curl_upload "$TOK_student01" "/uploads?assignment=$E&filename=a2.bin" a2.bin &&
	expect_quota_refusal 200000 &&
	kept_nothing
'

test_expect_success '...and chunked, refused while streaming: 413 quota_exceeded, nothing kept' '
	curl_upload "$TOK_student01" "/uploads?assignment=$E&filename=a2.bin" a2.bin \
		-H "Transfer-Encoding: chunked" &&
	expect_quota_refusal 200000 &&
	kept_nothing
'

test_expect_success 'the same content again counts again, though it is stored once' '
	curl_upload "$TOK_student01" "/uploads?assignment=$E&filename=again.bin" a1.bin &&
	expect_quota_refusal 200000 &&
	kept_nothing
'

test_expect_success 'up to the quota exactly is taken; then not one byte more' '
	curl_upload "$TOK_student01" "/uploads?assignment=$E&filename=rest.bin" rest.bin &&
	test "$(cat api.status)" = 201 &&
	test "$(used_by student01)" = $QUOTA &&
	snapshot &&
	printf x >one.bin &&
	curl_upload "$TOK_student01" "/uploads?assignment=$E&filename=one.bin" one.bin &&
	expect_quota_refusal $QUOTA &&
	curl_upload "$TOK_student01" "/uploads?assignment=$E&filename=one.bin" one.bin \
		-H "Transfer-Encoding: chunked" &&
	expect_quota_refusal $QUOTA &&
	kept_nothing
'

test_expect_success 'edu submit over the quota: the server'"'"'s message, exit 7, nothing kept' '
	test_exit_code 7 edu_as student01 submit "$E" a2.bin --text "My report." >out 2>err &&
	cat err >&2 &&
	test_grep "^edu: .*this file would pass your upload quota: $QUOTA of $QUOTA bytes used" err &&
	kept_nothing &&
	edu_as student01 --json submission list "$E" >mine.json &&
	test_json mine.json length 0
'

test_expect_success 'the quota is per user: another student uploads 200 kB' '
	curl_upload "$TOK_student02" "/uploads?assignment=$E&filename=a2.bin" a2.bin &&
	test "$(cat api.status)" = 201 &&
	test "$(used_by student02)" = 200000 &&
	snapshot
'

test_expect_success 'a file over the assignment'"'"'s limit, within the quota, is still too_large' '
	curl_upload "$TOK_student02" "/uploads?assignment=$S&filename=sketch.bin" sketch.bin &&
	test "$(cat api.status)" = 413 &&
	test_json api.body .error.code too_large &&
	curl_upload "$TOK_student02" "/uploads?assignment=$S&filename=sketch.bin" sketch.bin \
		-H "Transfer-Encoding: chunked" &&
	test "$(cat api.status)" = 413 &&
	test_json api.body .error.code too_large &&
	kept_nothing
'

test_expect_success 'a teacher'"'"'s lesson attachments count against their quota too' '
	L=$(sec_lesson_new "$T1" "$C" "Optics") &&
	edu_as teacher1 lesson attach "$L" t1.bin >out 2>err &&
	test_grep "attached .t1.bin. (200000 bytes" out &&
	test "$(used_by teacher1)" = 200000 &&
	snapshot &&
	curl_upload "$T1" "/lessons/$L/attachments?filename=t2.bin" t2.bin &&
	expect_quota_refusal 200000 &&
	kept_nothing &&
	curl_upload "$T1" "/lessons/$L/attachments?filename=t2.bin" t2.bin \
		-H "Transfer-Encoding: chunked" &&
	expect_quota_refusal 200000 &&
	kept_nothing
'

test_expect_success 'edu lesson attach over the quota: the server'"'"'s message, exit 7' '
	test_exit_code 7 edu_as teacher1 lesson attach "$L" t2.bin >out 2>err &&
	cat err >&2 &&
	test_grep "^edu: cannot attach .t2.bin.: " err &&
	test_grep "this file would pass your upload quota: 200000 of $QUOTA bytes used" err &&
	kept_nothing &&
	edu_as teacher1 --json lesson show "$L" >l.json &&
	test_json l.json ".attachments | length" 1
'

# --- two uploads at once ------------------------------------------------------------------------

# wait_for_upload: until a started upload has its temporary file (its begin() has passed).
wait_for_upload () {
	local i
	for ((i = 0; i < 100; i++)); do
		[ -z "$(ls -A "$EDU_TEST_DATA/files/tmp")" ] || return 0
		sleep 0.1
	done
	echo "wait_for_upload: no upload began within 10 s" >&6
	return 1
}

test_expect_success 'a slow upload that began within the quota is refused at its end' '
	snapshot || return 1
	curl_upload_to slow "$TOK_student03" "/uploads?assignment=$E&filename=a3.bin" a3.bin \
		-H "Transfer-Encoding: chunked" --limit-rate 50K &
	slow=$!
	test_when_finished "kill $slow 2>/dev/null"
	wait_for_upload &&
	curl_upload "$TOK_student03" "/uploads?assignment=$E&filename=a4.bin" a4.bin &&
	test "$(cat api.status)" = 201 &&
	wait $slow &&
	test "$(cat slow.status)" = 413 &&
	test_json slow.body .error.code quota_exceeded &&
	test_json slow.body .error.message \
		"this file would pass your upload quota: 200000 of $QUOTA bytes used" &&
	test "$(used_by student03)" = 200000 &&
	sha=$(sha256sum a3.bin | cut -d" " -f1) &&
	stored_files >store-now &&
	sec_lacks "$sha" store-now &&
	test -z "$(ls -A "$EDU_TEST_DATA/files/tmp")"
'

test_expect_success 'two uploads at once that together pass the quota: one is taken, one is 413' '
	stored_rows >rows-before || return 1
	curl_upload_to c5 "$TOK_student04" "/uploads?assignment=$E&filename=a5.bin" a5.bin \
		--limit-rate 200K &
	p5=$!
	curl_upload_to c6 "$TOK_student04" "/uploads?assignment=$E&filename=a6.bin" a6.bin \
		-H "Transfer-Encoding: chunked" --limit-rate 200K &
	p6=$!
	test_when_finished "kill $p5 $p6 2>/dev/null"
	wait $p5 && wait $p6 &&
	cat c5.status c5.body c6.status c6.body >&2 &&
	s5=$(cat c5.status) && s6=$(cat c6.status) &&
	if [ "$s5" = 413 ]; then lost=c5 f=a5; else lost=c6 f=a6; fi &&
	test "$s5 $s6" = "201 413" -o "$s5 $s6" = "413 201" &&
	test_json $lost.body .error.code quota_exceeded &&
	test "$(used_by student04)" = 200000 &&
	read -r files uploads <rows-before &&
	echo "$((files + 1)) $((uploads + 1))" >rows-expected &&
	stored_rows >rows-now &&
	test_cmp rows-expected rows-now &&
	sha=$(sha256sum $f.bin | cut -d" " -f1) &&
	stored_files >store-now &&
	sec_lacks "$sha" store-now &&
	test -z "$(ls -A "$EDU_TEST_DATA/files/tmp")"
'

# --- no quota --------------------------------------------------------------------------------

test_expect_success 'with --upload-quota 0 there is no limit' '
	stop_edud &&
	start_edud --upload-quota 0 &&
	login_as student01 >out 2>err &&
	login_as teacher1 >out 2>err &&
	TOK_student01=$(token_for student01) &&
	curl_upload "$TOK_student01" "/uploads?assignment=$E&filename=a2.bin" a2.bin &&
	test "$(cat api.status)" = 201 &&
	curl_upload "$TOK_student01" "/uploads?assignment=$E&filename=a6.bin" a6.bin \
		-H "Transfer-Encoding: chunked" &&
	test "$(cat api.status)" = 201 &&
	used_by student01 >used &&
	echo 700000 >used-expected &&
	test_cmp used-expected used &&
	edu_as student01 submit "$E" a5.bin --text "My report." >out 2>err &&
	test_grep "attempt 1" out &&
	edu_as teacher1 lesson attach "$L" t2.bin >out 2>err &&
	test_grep "attached .t2.bin." out &&
	test "$(used_by teacher1)" = 400000
'

test_done
