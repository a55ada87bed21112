#!/bin/bash
# 031-grading-server: the grading workflow over HTTP. A teacher sets an assignment and its
# rubric; students upload files (streamed, stored byte for byte under their SHA-256; too
# large is 413 and a refused type 415, and neither leaves a byte or a row behind) and
# submit attempts, late ones marked or refused; the teacher lists the latest attempts,
# grades them with If-Match (428 without, 412 when stale), every change in the grade's
# history; students see a grade only once it is released. Outsiders get 404, the wrong
# side of the course 403.
. "$(dirname "$0")/lib.sh"
[ -f "$top_srcdir/tests/e2e/data/security.sh" ] || bail_out "no tests/e2e/data/security.sh"
. "$top_srcdir/tests/e2e/data/security.sh"
command -v sha256sum >/dev/null || bail_out "sha256sum not found (Debian package coreutils)"

start_edud --max-upload 1048576
seed_demo

# upload TOKEN QUERY FILE [CURL-ARGS...]: POST /uploads?QUERY with FILE as the raw body
# (Content-Type: $UPLOAD_TYPE, application/octet-stream by default); the answer in
# api.body, the status in api.status.
upload () {
	local token=$1 query=$2 file=$3
	shift 3
	curl -sS --max-time 60 -X POST -o "$EDU_TEST_DIR/api.body" -D "$EDU_TEST_DIR/api.headers" \
		-w '%{http_code}' -H "Authorization: Bearer $token" \
		-H "Content-Type: ${UPLOAD_TYPE:-application/octet-stream}" --data-binary "@$file" "$@" \
		"$EDU_TEST_URL/api/v1/uploads?$query" >"$EDU_TEST_DIR/api.status" || echo 000 >"$EDU_TEST_DIR/api.status"
}

# upload_expect STATUS TOKEN QUERY FILE [CURL-ARGS...]
upload_expect () {
	local want=$1
	shift
	upload "$@"
	if [ "$(api_status)" != "$want" ]; then
		echo "upload_expect: status $(api_status), expected $want; body:" >&6
		cat "$EDU_TEST_DIR/api.body" >&6
		echo >&6
		return 1
	fi
}

# download TOKEN PATH OUT: GET PATH's bytes into OUT; the status in api.status.
download () {
	curl -sS --max-time 60 -o "$3" -D "$EDU_TEST_DIR/api.headers" -w '%{http_code}' \
		-H "Authorization: Bearer $1" "$EDU_TEST_URL/api/v1$2" >"$EDU_TEST_DIR/api.status"
}

# grade_put TOKEN PATH IF-MATCH BODY: PUT a grade (IF-MATCH "-": no If-Match header).
grade_put () {
	if [ "$3" = - ]; then
		api PUT "$2" "$4" "$1"
	else
		API_CURL_ARGS=(-H "If-Match: \"$3\"")
		api PUT "$2" "$4" "$1"
		API_CURL_ARGS=()
	fi
}

sql () {
	psql_admin -c "$1"
}

sha () {
	sha256sum "$1" | cut -d" " -f1
}

in_days () {
	date -u -d "$1 days" +%Y-%m-%dT%H:%M:%SZ
}

test_expect_success 'teachers, students and the principal log in' '
	T1=$(token_for teacher1) && T2=$(token_for teacher2) &&
	S1=$(token_for student01) && S2=$(token_for student02) && S3=$(token_for student03) &&
	P=$(token_for principal) &&
	S1_ID=$(jq -r .user.id session-student01.json) &&
	S2_ID=$(jq -r .user.id session-student02.json) &&
	S3_ID=$(jq -r .user.id session-student03.json) &&
	T1_ID=$(jq -r .user.id session-teacher1.json)
'

test_expect_success 'teacher1 makes a course with two students' '
	api_expect 201 POST /courses "{\"name\":\"Physics\"}" "$T1" >c.json &&
	C=$(jq -r .id c.json) &&
	api_expect 201 POST "/courses/$C/members" "{\"username\":\"student01\",\"role\":\"student\"}" "$T1" &&
	api_expect 201 POST "/courses/$C/members" "{\"username\":\"student02\",\"role\":\"student\"}" "$T1"
'

# ---- assignments ----

test_expect_success 'a teacher creates a draft assignment; defaults fill what is left out' '
	due=$(in_days 7) &&
	api_expect 201 POST "/courses/$C/assignments" "{\"title\":\"Lab report 1\",\"instructions\":\"Measure g.\nTwice.\",\"due_at\":\"$due\",\"points_possible\":20,\"category\":\"labs\",\"submission_kind\":\"files\",\"allowed_types\":[\"application/pdf\",\"Text/Plain\"],\"max_file_size\":4096}" "$T1" >a.json &&
	A=$(jq -r .id a.json) &&
	test "$(api_header Location)" = "/api/v1/assignments/$A" &&
	test "$(api_header ETag)" = "\"1\"" &&
	test_json a.json .course_id "$C" &&
	test_json a.json .due_at "$due" &&
	test_json a.json .points_possible 20 &&
	test_json a.json ".allowed_types | join(\",\")" "application/pdf,text/plain" &&
	test_json a.json .max_file_size 4096 &&
	test_json a.json .late_policy accept &&
	test_json a.json .published false &&
	test_json a.json .version 1 &&
	api_expect 201 POST "/courses/$C/assignments" "{\"title\":\"Reading\"}" "$T1" >d.json &&
	test_json d.json .submission_kind both &&
	test_json d.json .due_at null &&
	test_json d.json .points_possible 100 &&
	test_json d.json .max_file_size 1048576 &&
	test_json d.json .instructions "" &&
	test_json d.json ".allowed_types | length" 0
'

test_expect_success 'every bad field is 422 naming it; an unknown one 400' '
	for case in \
		"title|{\"title\":\"\"}" \
		"title|{\"instructions\":\"no title\"}" \
		"title|{\"title\":\"two\nlines\"}" \
		"due_at|{\"title\":\"x\",\"due_at\":\"next week\"}" \
		"due_at|{\"title\":\"x\",\"due_at\":\"2026-02-30T10:00:00Z\"}" \
		"points_possible|{\"title\":\"x\",\"points_possible\":-1}" \
		"points_possible|{\"title\":\"x\",\"points_possible\":\"10\"}" \
		"category|{\"title\":\"x\",\"category\":7}" \
		"submission_kind|{\"title\":\"x\",\"submission_kind\":\"paper\"}" \
		"allowed_types|{\"title\":\"x\",\"allowed_types\":\"application/pdf\"}" \
		"allowed_types|{\"title\":\"x\",\"allowed_types\":[\"pdf\"]}" \
		"max_file_size|{\"title\":\"x\",\"max_file_size\":1048577}" \
		"max_file_size|{\"title\":\"x\",\"max_file_size\":1.5}" \
		"late_policy|{\"title\":\"x\",\"late_policy\":\"maybe\"}" \
		"published|{\"title\":\"x\",\"published\":\"yes\"}"
	do
		field=${case%%|*} body=${case#*|} &&
		api_expect 422 POST "/courses/$C/assignments" "$body" "$T1" >err.json &&
		test_json err.json .error.field "$field" || return 1
	done &&
	api_expect 400 POST "/courses/$C/assignments" "{\"title\":\"x\",\"version\":9}" "$T1" >err.json &&
	test_json err.json .error.code unknown_field &&
	api_expect 400 POST "/courses/$C/assignments" "{\"title\":\"x\",\"course_id\":\"$C\"}" "$T1" &&
	test "$(sql "SELECT count(*) FROM edu.assignments WHERE title = '\''x'\''")" = 0
'

test_expect_success 'students do not see a draft; outsiders see nothing; students may not add' '
	api_expect 404 GET "/assignments/$A" "" "$S1" &&
	api_expect 200 GET "/courses/$C/assignments" "" "$S1" >l.json &&
	test_json l.json ".items | length" 0 &&
	api_expect 200 GET "/courses/$C/assignments" "" "$T1" >l.json &&
	test_json l.json ".items | length" 2 &&
	test_json l.json ".items[0].id" "$A" &&
	api_expect 404 GET "/assignments/$A" "" "$T2" &&
	api_expect 404 GET "/assignments/$A" "" "$S3" &&
	api_expect 404 PATCH "/assignments/$A" "{\"title\":\"Mine\"}" "$T2" &&
	api_expect 404 GET "/courses/$C/assignments" "" "$S3" &&
	api_expect 403 POST "/courses/$C/assignments" "{\"title\":\"Mine\"}" "$S1" &&
	api_expect 200 GET "/assignments/$A" "" "$P"
'

test_expect_success 'PATCH with a stale If-Match is 412 with the current assignment' '
	API_CURL_ARGS=(-H "If-Match: \"7\"") &&
	api_expect 412 PATCH "/assignments/$A" "{\"published\":true}" "$T1" >err.json &&
	API_CURL_ARGS=() &&
	test_json err.json .error.code version_mismatch &&
	test_json err.json .current.version 1 &&
	test_json err.json .current.published false &&
	API_CURL_ARGS=(-H "If-Match: \"1\"") &&
	api_expect 200 PATCH "/assignments/$A" "{\"published\":true}" "$T1" >a.json &&
	API_CURL_ARGS=() &&
	test_json a.json .published true &&
	test_json a.json .version 2 &&
	test_json a.json .title "Lab report 1" &&
	test "$(api_header ETag)" = "\"2\"" &&
	api_expect 200 GET "/assignments/$A" "" "$S1" >a.json &&
	test_json a.json .title "Lab report 1"
'

# ---- rubrics ----

test_expect_success 'a teacher sets a rubric; members read it; a stale If-Match is 412' '
	api_expect 200 GET "/assignments/$A/rubric" "" "$S1" >r.json &&
	test_json r.json ".criteria | length" 0 &&
	test_json r.json .version 0 &&
	api_expect 200 PUT "/assignments/$A/rubric" "{\"criteria\":[{\"name\":\"Method\",\"description\":\"How it was measured\",\"levels\":[{\"name\":\"none\",\"points\":0},{\"name\":\"some\",\"points\":5},{\"name\":\"full\",\"points\":10}]},{\"name\":\"Result\",\"levels\":[{\"name\":\"wrong\",\"points\":0},{\"name\":\"right\",\"points\":7.5}]}]}" "$T1" >r.json &&
	test_json r.json .version 1 &&
	test_json r.json ".criteria | map(.name) | join(\",\")" "Method,Result" &&
	test_json r.json ".criteria[0].levels | map(.points) | join(\",\")" "0,5,10" &&
	test_json r.json ".criteria[1].levels[1].points" 7.5 &&
	test_json r.json ".criteria[1].description" "" &&
	METHOD=$(jq -r ".criteria[0].id" r.json) &&
	METHOD_SOME=$(jq -r ".criteria[0].levels[1].id" r.json) &&
	RESULT=$(jq -r ".criteria[1].id" r.json) &&
	RESULT_RIGHT=$(jq -r ".criteria[1].levels[1].id" r.json) &&
	api_expect 200 GET "/assignments/$A/rubric" "" "$S1" >r2.json &&
	test_json r2.json ".criteria[0].levels[2].name" full &&
	API_CURL_ARGS=(-H "If-Match: \"0\"") &&
	api_expect 412 PUT "/assignments/$A/rubric" "{\"criteria\":[]}" "$T1" >err.json &&
	API_CURL_ARGS=() &&
	test_json err.json .current.version 1 &&
	test_json err.json ".current.criteria | length" 2
'

test_expect_success 'bad rubrics are refused naming the field; students may not set one' '
	api_expect 422 PUT "/assignments/$A/rubric" "{\"criteria\":[{\"name\":\"X\",\"levels\":[]}]}" "$T1" >err.json &&
	test_json err.json .error.field "criteria[0].levels" &&
	api_expect 422 PUT "/assignments/$A/rubric" "{\"criteria\":[{\"name\":\"X\",\"levels\":[{\"name\":\"a\",\"points\":-2}]}]}" "$T1" >err.json &&
	test_json err.json .error.field "criteria[0].levels[0].points" &&
	api_expect 400 PUT "/assignments/$A/rubric" "{\"criteria\":[{\"name\":\"X\",\"weight\":2,\"levels\":[{\"name\":\"a\",\"points\":1}]}]}" "$T1" >err.json &&
	test_json err.json .error.code unknown_field &&
	api_expect 403 PUT "/assignments/$A/rubric" "{\"criteria\":[]}" "$S1" &&
	api_expect 404 PUT "/assignments/$A/rubric" "{\"criteria\":[]}" "$T2" &&
	api_expect 200 GET "/assignments/$A/rubric" "" "$T1" >r.json &&
	test_json r.json .version 1
'

test_expect_success 'a rubric is copied onto another assignment with new ids' '
	B=$(jq -r .id d.json) &&
	api_expect 200 POST "/assignments/$B/rubric/copy" "{\"from\":\"$A\"}" "$T1" >rb.json &&
	test_json rb.json .assignment_id "$B" &&
	test_json rb.json ".criteria | map(.name) | join(\",\")" "Method,Result" &&
	test_json rb.json ".criteria[1].levels[1].points" 7.5 &&
	test "$(jq -r ".criteria[0].id" rb.json)" != "$METHOD" &&
	api_expect 422 POST "/assignments/$B/rubric/copy" "{\"from\":\"$(sec_uuid)\"}" "$T1" >err.json &&
	test_json err.json .error.field from
'

# ---- uploads ----

test_expect_success 'files to upload: text, PDF, PNG, and one past the limit' '
	printf "g = 9.81 m/s^2, measured twice\n" >report.txt &&
	printf "%%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n" >report.pdf &&
	printf "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde" >photo.png &&
	head -c 5000 /dev/urandom >big.bin &&
	{ printf "%%PDF-1.4\n"; head -c 4200 /dev/urandom; } >big.pdf
'

test_expect_success 'a student uploads a file: 201, its SHA-256 and size, stored under its hash' '
	upload_expect 201 "$S1" "assignment=$A&filename=report.txt" report.txt &&
	cp api.body u1.json &&
	U1=$(jq -r .id u1.json) &&
	test_json u1.json .sha256 "$(sha report.txt)" &&
	test_json u1.json .size "$(stat -c %s report.txt)" &&
	test_json u1.json .mime text/plain &&
	test_json u1.json .filename report.txt &&
	cmp report.txt "$EDU_TEST_DATA/files/$(sha report.txt | cut -c1-2)/$(sha report.txt)" &&
	test "$(sql "SELECT count(*) FROM edu.uploads WHERE file_id = '\''$U1'\''")" = 1
'

# refused UPLOAD-ARGS...: the upload was not taken (no 201; an answer or a closed connection).
refused () {
	upload "$@"
	if [ "$(api_status)" = 201 ]; then
		echo "refused: the upload was taken: $(cat "$EDU_TEST_DIR/api.body")" >&6
		return 1
	fi
}

# Over the limit: announced by Content-Length (refused before any byte) or streamed
# chunked (refused when the limit is passed).
test_expect_success 'an upload over the limit is refused and nothing of it is kept' '
	stored_files >before.txt &&
	files_before=$(sql "SELECT count(*) FROM edu.files") &&
	uploads_before=$(sql "SELECT count(*) FROM edu.uploads") &&
	refused "$S1" "assignment=$A&filename=big.pdf" big.pdf &&
	refused "$S1" "assignment=$A&filename=big.pdf" big.pdf -H "Transfer-Encoding: chunked" &&
	stored_files >after.txt &&
	test_cmp before.txt after.txt &&
	test "$(sql "SELECT count(*) FROM edu.files")" = "$files_before" &&
	test "$(sql "SELECT count(*) FROM edu.uploads")" = "$uploads_before" &&
	test "$(sql "SELECT count(*) FROM edu.files WHERE sha256 = '\''$(sha big.pdf)'\''")" = 0
'

test_expect_success 'an upload over the limit is answered 413 too_large' '
	upload_expect 413 "$S1" "assignment=$A&filename=big.pdf" big.pdf &&
	test_json api.body .error.code too_large &&
	upload_expect 413 "$S1" "assignment=$A&filename=big.pdf" big.pdf -H "Transfer-Encoding: chunked" &&
	test_json api.body .error.code too_large
'

test_expect_success 'a type the assignment does not take is 415 naming both; nothing is kept' '
	stored_files >before.txt &&
	files_before=$(sql "SELECT count(*) FROM edu.files") &&
	upload_expect 415 "$S1" "assignment=$A&filename=photo.pdf" photo.png &&
	test_json api.body .error.code forbidden_type &&
	test_json api.body .error.type image/png &&
	test_json api.body ".error.allowed | join(\",\")" "application/pdf,text/plain" &&
	test_grep "image/png" api.body &&
	stored_files >after.txt &&
	test_cmp before.txt after.txt &&
	test ! -e "$EDU_TEST_DATA/files/$(sha photo.png | cut -c1-2)/$(sha photo.png)" &&
	test "$(sql "SELECT count(*) FROM edu.files")" = "$files_before"
'

test_expect_success 'uploads only by the students of a published assignment that takes files' '
	files_before=$(sql "SELECT count(*) FROM edu.files") &&
	refused "$T1" "assignment=$A&filename=report.txt" report.txt &&
	refused "$S3" "assignment=$A&filename=report.txt" report.txt &&
	refused "$S1" "assignment=$(sec_uuid)&filename=report.txt" report.txt &&
	refused "$S1" "assignment=$B&filename=report.txt" report.txt &&
	refused "$S1" "assignment=$A" report.txt &&
	refused "$S1" "assignment=$A&filename=..%2Fetc%2Fpasswd" report.txt &&
	UPLOAD_TYPE=application/json refused "$S1" "assignment=$A&filename=r.txt" report.txt &&
	test "$(sql "SELECT count(*) FROM edu.files")" = "$files_before"
'

test_expect_success 'a refused upload is answered: 403, 404, 422, 415' '
	upload_expect 403 "$T1" "assignment=$A&filename=report.txt" report.txt &&
	upload_expect 404 "$S3" "assignment=$A&filename=report.txt" report.txt &&
	upload_expect 404 "$S1" "assignment=$(sec_uuid)&filename=report.txt" report.txt &&
	upload_expect 404 "$S1" "assignment=$B&filename=report.txt" report.txt &&
	upload_expect 422 "$S1" "assignment=$A" report.txt &&
	upload_expect 422 "$S1" "assignment=$A&filename=..%2Fetc%2Fpasswd" report.txt &&
	UPLOAD_TYPE=application/json upload_expect 415 "$S1" "assignment=$A&filename=r.txt" report.txt
'

# ---- submissions ----

test_expect_success 'a student submits the upload: attempt 1, on time, the file attached' '
	api_expect 201 POST "/assignments/$A/submissions" "{\"files\":[\"$U1\"]}" "$S1" >s1.json &&
	SUB1=$(jq -r .id s1.json) &&
	test "$(api_header Location)" = "/api/v1/submissions/$SUB1" &&
	test_json s1.json .attempt 1 &&
	test_json s1.json .late false &&
	test_json s1.json .student.username student01 &&
	test_json s1.json .text null &&
	test_json s1.json ".files[0].id" "$U1" &&
	test_json s1.json ".files[0].sha256" "$(sha report.txt)" &&
	test_json s1.json .grade null &&
	test "$(sql "SELECT count(*) FROM edu.uploads WHERE file_id = '\''$U1'\''")" = 0
'

test_expect_success 'the file comes back byte for byte with its digest, to its student and teacher' '
	download "$S1" "/submissions/$SUB1/files/$U1" got.txt &&
	test "$(api_status)" = 200 &&
	cmp report.txt got.txt &&
	api_header Content-Disposition >disp &&
	test_grep "attachment; filename=\"report.txt\"" disp &&
	b64=$(openssl dgst -sha256 -binary report.txt | base64) &&
	test "$(api_header Digest)" = "sha-256=$b64" &&
	download "$T1" "/submissions/$SUB1/files/$U1" got2.txt &&
	cmp report.txt got2.txt &&
	download "$S2" "/submissions/$SUB1/files/$U1" nope &&
	test "$(api_status)" = 404 &&
	download "$S1" "/submissions/$SUB1/files/$(sec_uuid)" nope &&
	test "$(api_status)" = 404
'

test_expect_success 'an upload is submitted once, and only by its own student' '
	api_expect 422 POST "/assignments/$A/submissions" "{\"files\":[\"$U1\"]}" "$S1" >err.json &&
	test_json err.json .error.field files &&
	upload_expect 201 "$S1" "assignment=$A&filename=report.pdf" report.pdf &&
	U2=$(jq -r .id api.body) &&
	test_json api.body .mime application/pdf &&
	api_expect 422 POST "/assignments/$A/submissions" "{\"files\":[\"$U2\"]}" "$S2" &&
	api_expect 422 POST "/assignments/$A/submissions" "{\"text\":\"here\"}" "$S1" >err.json &&
	test_json err.json .error.field text &&
	api_expect 422 POST "/assignments/$A/submissions" "{}" "$S1" >err.json &&
	test_json err.json .error.field files &&
	api_expect 403 POST "/assignments/$A/submissions" "{\"files\":[\"$U2\"]}" "$T1" &&
	api_expect 404 POST "/assignments/$A/submissions" "{\"files\":[\"$U2\"]}" "$S3" &&
	test "$(sql "SELECT count(*) FROM edu.submissions")" = 1
'

test_expect_success 'resubmitting makes attempt 2; the teacher lists the latest per student' '
	api_expect 201 POST "/assignments/$A/submissions" "{\"files\":[\"$U2\"]}" "$S1" >s2.json &&
	SUB2=$(jq -r .id s2.json) &&
	test_json s2.json .attempt 2 &&
	upload_expect 201 "$S2" "assignment=$A&filename=mine.txt" report.txt &&
	U3=$(jq -r .id api.body) &&
	test_json api.body .sha256 "$(sha report.txt)" &&
	api_expect 201 POST "/assignments/$A/submissions" "{\"files\":[\"$U3\"]}" "$S2" >s3.json &&
	SUB3=$(jq -r .id s3.json) &&
	api_expect 200 GET "/assignments/$A/submissions" "" "$T1" >l.json &&
	test_json l.json "[.items[] | \"\(.student.username):\(.attempt)\"] | join(\",\")" "student01:2,student02:1" &&
	api_expect 200 GET "/assignments/$A/submissions?attempts=all" "" "$T1" >l.json &&
	test_json l.json "[.items[] | \"\(.student.username):\(.attempt)\"] | join(\",\")" "student01:1,student01:2,student02:1" &&
	api_expect 200 GET "/assignments/$A/submissions?attempts=all&limit=2" "" "$T1" >l.json &&
	test_json l.json ".items | length" 2 &&
	next=$(jq -r .next l.json) &&
	api_expect 200 GET "/assignments/$A/submissions?attempts=all&limit=2&after=$next" "" "$T1" >l.json &&
	test_json l.json "[.items[] | \"\(.student.username):\(.attempt)\"] | join(\",\")" "student02:1" &&
	test_json l.json .next null
'

test_expect_success 'students see their own attempts only' '
	api_expect 200 GET "/assignments/$A/submissions" "" "$S2" >l.json &&
	test_json l.json "[.items[] | .student.username] | unique | join(\",\")" student02 &&
	api_expect 200 GET "/assignments/$A/submissions" "" "$S1" >l.json &&
	test_json l.json "[.items[] | .attempt] | join(\",\")" "1,2" &&
	api_expect 404 GET "/submissions/$SUB1" "" "$S2" &&
	api_expect 200 GET "/submissions/$SUB1" "" "$S1" &&
	api_expect 404 GET "/submissions/$SUB1" "" "$T2" &&
	api_expect 404 GET "/assignments/$A/submissions" "" "$S3"
'

test_expect_success 'late work is marked late; a reject policy refuses it with 422' '
	past=$(in_days -1) &&
	api_expect 201 POST "/courses/$C/assignments" "{\"title\":\"Essay\",\"submission_kind\":\"text\",\"due_at\":\"$past\",\"published\":true}" "$T1" >e.json &&
	E=$(jq -r .id e.json) &&
	api_expect 201 POST "/assignments/$E/submissions" "{\"text\":\"Late, sorry.\"}" "$S1" >late.json &&
	test_json late.json .late true &&
	test_json late.json .text "Late, sorry." &&
	api_expect 201 POST "/assignments/$E/submissions" "{\"text\":\"On time? No.\"}" "$S2" &&
	api_expect 200 GET "/assignments/$E/submissions?late=1" "" "$T1" >l.json &&
	test_json l.json ".items | length" 2 &&
	api_expect 422 POST "/assignments/$E/submissions" "{\"files\":[\"$U2\"]}" "$S1" >err.json &&
	test_json err.json .error.field files &&
	upload_expect 422 "$S1" "assignment=$E&filename=x.txt" report.txt &&
	api_expect 201 POST "/courses/$C/assignments" "{\"title\":\"Quiz\",\"submission_kind\":\"text\",\"due_at\":\"$past\",\"late_policy\":\"reject\",\"published\":true}" "$T1" >q.json &&
	Q=$(jq -r .id q.json) &&
	api_expect 422 POST "/assignments/$Q/submissions" "{\"text\":\"too late\"}" "$S1" &&
	test "$(sql "SELECT count(*) FROM edu.submissions WHERE assignment_id = '\''$Q'\''")" = 0
'

# ---- grades ----

test_expect_success 'a grade without If-Match is 428; the first grade is If-Match "0"' '
	grade_put "$T1" "/submissions/$SUB2/grade" - "{\"score\":15}" >err.json &&
	test "$(api_status)" = 428 &&
	test_json err.json .error.code precondition_required &&
	api_expect 200 GET "/submissions/$SUB2/grade" "" "$T1" >g.json &&
	test_json g.json .version 0 &&
	test_json g.json .score null &&
	grade_put "$T1" "/submissions/$SUB2/grade" 0 "{\"score\":15,\"comment\":\"Good method.\"}" >g.json &&
	test "$(api_status)" = 200 &&
	test "$(api_header ETag)" = "\"1\"" &&
	test_json g.json .version 1 &&
	test_json g.json .score 15 &&
	test_json g.json .submission_id "$SUB2" &&
	test_json g.json .student_id "$S1_ID" &&
	test_json g.json .graded_by "$T1_ID" &&
	test_json g.json .released false &&
	test_json g.json .comment "Good method."
'

test_expect_success 'a stale If-Match is 412 carrying the current grade' '
	grade_put "$T1" "/submissions/$SUB2/grade" 0 "{\"score\":3}" >err.json &&
	test "$(api_status)" = 412 &&
	test_json err.json .error.code version_mismatch &&
	test_json err.json .current.version 1 &&
	test_json err.json .current.score 15 &&
	grade_put "$T1" "/submissions/$SUB2/grade" - "{\"score\":3}" &&
	test "$(api_status)" = 428 &&
	test "$(sql "SELECT score FROM edu.grades WHERE student_id = '\''$S1_ID'\''")" = 15.00
'

test_expect_success 'a rubric assessment scores the sum of the chosen levels; null score uses it' '
	grade_put "$T1" "/submissions/$SUB2/grade" 1 "{\"score\":null,\"rubric\":[{\"criterion_id\":\"$METHOD\",\"level_id\":\"$METHOD_SOME\"},{\"criterion_id\":\"$RESULT\",\"level_id\":\"$RESULT_RIGHT\"}]}" >g.json &&
	test "$(api_status)" = 200 &&
	test_json g.json .version 2 &&
	test_json g.json .score null &&
	test_json g.json .rubric_score 12.5 &&
	test_json g.json ".rubric | map(.points) | join(\",\")" "5,7.5" &&
	grade_put "$T1" "/submissions/$SUB2/grade" 2 "{\"rubric\":[{\"criterion_id\":\"$METHOD\",\"level_id\":\"$RESULT_RIGHT\"}]}" >err.json &&
	test "$(api_status)" = 422 &&
	test_json err.json .error.field "rubric[0]" &&
	grade_put "$T1" "/submissions/$SUB2/grade" 2 "{\"score\":-4}" >err.json &&
	test "$(api_status)" = 422 &&
	test_json err.json .error.field score
'

test_expect_success 'a rubric that grades use cannot be replaced (409)' '
	api_expect 409 PUT "/assignments/$A/rubric" "{\"criteria\":[]}" "$T1" &&
	api_expect 200 GET "/assignments/$A/rubric" "" "$T1" >r.json &&
	test_json r.json ".criteria | length" 2
'

test_expect_success 'only the course'\''s teachers grade' '
	grade_put "$S1" "/submissions/$SUB2/grade" 2 "{\"score\":20}" &&
	test "$(api_status)" = 403 &&
	grade_put "$T2" "/submissions/$SUB2/grade" 2 "{\"score\":20}" &&
	test "$(api_status)" = 404 &&
	grade_put "$P" "/submissions/$SUB2/grade" 2 "{\"comment\":\"Seen by the principal.\"}" >g.json &&
	test "$(api_status)" = 200 &&
	test_json g.json .version 3
'

test_expect_success 'an unchanged PUT changes nothing and adds no history' '
	grade_put "$T1" "/submissions/$SUB2/grade" 3 "{\"comment\":\"Seen by the principal.\"}" >g.json &&
	test "$(api_status)" = 200 &&
	test_json g.json .version 3 &&
	test "$(sql "SELECT count(*) FROM edu.grade_history WHERE student_id = '\''$S1_ID'\''")" = 3
'

test_expect_success 'until released, the student sees no grade' '
	api_expect 404 GET "/submissions/$SUB2/grade" "" "$S1" &&
	api_expect 200 GET "/submissions/$SUB2" "" "$S1" >s.json &&
	test_json s.json .grade null &&
	api_expect 200 GET /grades "" "$S1" >mine.json &&
	test_json mine.json ".items | length" 0 &&
	api_expect 200 GET "/submissions/$SUB2" "" "$T1" >s.json &&
	test_json s.json .grade.version 3
'

test_expect_success 'a student who did not submit is graded missing through the assignment' '
	grade_put "$T1" "/assignments/$A/grades/$S3_ID" 0 "{\"missing\":true}" &&
	test "$(api_status)" = 404 &&
	api_expect 201 POST "/courses/$C/members" "{\"username\":\"student03\",\"role\":\"student\"}" "$T1" &&
	grade_put "$T1" "/assignments/$A/grades/$S3_ID" 0 "{\"missing\":true,\"score\":0}" >g.json &&
	test "$(api_status)" = 200 &&
	test_json g.json .missing true &&
	test_json g.json .submission_id null &&
	test_json g.json .student_id "$S3_ID" &&
	grade_put "$T1" "/assignments/$A/grades/$S2_ID" 0 "{\"score\":18}" >g.json &&
	test "$(api_status)" = 200 &&
	test_json g.json .submission_id "$SUB3" &&
	grade_put "$T1" "/assignments/$A/grades/$(sec_uuid)" 0 "{\"score\":1}" &&
	test "$(api_status)" = 404
'

test_expect_success 'release makes every draft grade visible to its student' '
	api_expect 403 POST "/assignments/$A/release" "" "$S1" &&
	api_expect 200 POST "/assignments/$A/release" "" "$T1" >rel.json &&
	test_json rel.json .released 3 &&
	api_expect 200 POST "/assignments/$A/release" "" "$T1" >rel.json &&
	test_json rel.json .released 0 &&
	api_expect 200 GET "/submissions/$SUB2/grade" "" "$S1" >g.json &&
	test_json g.json .released true &&
	test_json g.json .rubric_score 12.5 &&
	test_json g.json .version 4 &&
	api_expect 200 GET "/submissions/$SUB1" "" "$S1" >s.json &&
	test_json s.json .grade.submission_id "$SUB2" &&
	api_expect 200 GET /grades "" "$S1" >mine.json &&
	test_json mine.json ".items | length" 1 &&
	test_json mine.json ".items[0].course.id" "$C" &&
	test_json mine.json ".items[0].assignment.id" "$A" &&
	test_json mine.json ".items[0].grade.rubric_score" 12.5 &&
	test_json mine.json ".items[0].submission_id" "$SUB2" &&
	api_expect 200 GET "/grades?course=$C" "" "$S2" >mine.json &&
	test_json mine.json ".items[0].grade.score" 18 &&
	api_expect 400 GET "/grades?course=nope" "" "$S2" &&
	api_expect 200 GET /grades "" "$T1" >mine.json &&
	test_json mine.json ".items | length" 0
'

test_expect_success 'the history has every change, oldest first, who and what' '
	api_expect 200 GET "/submissions/$SUB2/grade/history" "" "$T1" >h.json &&
	test_json h.json ".items | length" 4 &&
	test_json h.json ".items[0].old" null &&
	test_json h.json ".items[0].new.score" 15 &&
	test_json h.json ".items[0].by.username" teacher1 &&
	test_json h.json ".items[1].old.score" 15 &&
	test_json h.json ".items[1].new.rubric_score" 12.5 &&
	test_json h.json ".items[2].by.username" principal &&
	test_json h.json ".items[3].old.released" false &&
	test_json h.json ".items[3].new.released" true &&
	test_json h.json "[.items[].new.version] | join(\",\")" "1,2,3,4" &&
	api_expect 403 GET "/submissions/$SUB2/grade/history" "" "$S1" &&
	api_expect 404 GET "/submissions/$SUB2/grade/history" "" "$T2" &&
	test "$(sql "SELECT count(*) FROM edu.grade_history")" = 8
'

test_expect_success 'a new attempt after grading is ungraded again' '
	api_expect 200 GET "/assignments/$A/submissions?ungraded=1" "" "$T1" >l.json &&
	test_json l.json ".items | length" 0 &&
	upload_expect 201 "$S1" "assignment=$A&filename=v3.pdf" report.pdf &&
	U4=$(jq -r .id api.body) &&
	api_expect 201 POST "/assignments/$A/submissions" "{\"files\":[\"$U4\"]}" "$S1" >s4.json &&
	test_json s4.json .attempt 3 &&
	api_expect 200 GET "/assignments/$A/submissions?ungraded=1" "" "$T1" >l.json &&
	test_json l.json "[.items[] | \"\(.student.username):\(.attempt)\"] | join(\",\")" "student01:3" &&
	test_json l.json ".items[0].grade.submission_id" "$SUB2" &&
	api_expect 400 GET "/assignments/$A/submissions?ungraded=maybe" "" "$T1"
'

test_expect_success 'uploads never submitted expire after a day with their file rows' '
	upload_expect 201 "$S2" "assignment=$A&filename=left.txt" report.txt &&
	U5=$(jq -r .id api.body) &&
	sql "UPDATE edu.uploads SET expires_at = now() - interval '\''1 minute'\'' WHERE file_id = '\''$U5'\''" >/dev/null &&
	upload_expect 201 "$S2" "assignment=$A&filename=other.pdf" report.pdf &&
	test "$(sql "SELECT count(*) FROM edu.files WHERE id = '\''$U5'\''")" = 0 &&
	api_expect 422 POST "/assignments/$A/submissions" "{\"files\":[\"$U5\"]}" "$S2"
'

test_expect_success 'an archived course takes no more work' '
	api_expect 200 PATCH "/courses/$C" "{\"archived\":true}" "$T1" &&
	api_expect 409 POST "/assignments/$E/submissions" "{\"text\":\"again\"}" "$S1" &&
	upload_expect 409 "$S1" "assignment=$A&filename=x.txt" report.txt &&
	api_expect 409 PATCH "/assignments/$A" "{\"title\":\"Renamed\"}" "$T1" &&
	api_expect 200 GET "/assignments/$A" "" "$S1" &&
	api_expect 200 PATCH "/courses/$C" "{\"archived\":false}" "$T1"
'

# SQL from stdin as edu_app, in the school of the grade history of $A (as edud sets it)
app_history_sql () {
	local school
	school=$(sql "SELECT DISTINCT school_id FROM edu.grade_history WHERE assignment_id = '$A'")
	{
		echo "SELECT set_config('app.school_id', '$school', false) IS NULL AS ignored \gset"
		cat
	} | psql_app
}

test_expect_success 'the grade history is append-only, even for edud' '
	before=$(sql "SELECT count(*) FROM edu.grade_history WHERE assignment_id = '\''$A'\''") &&
	test "$before" -ge 2 &&
	! echo "UPDATE edu.grade_history SET new = '\''{}'\'' WHERE assignment_id = '\''$A'\'';" |
		app_history_sql >out 2>err &&
	test_grep "append-only: UPDATE refused" err &&
	! echo "DELETE FROM edu.grade_history WHERE assignment_id = '\''$A'\'';" |
		app_history_sql >out 2>err &&
	test_grep "append-only: DELETE refused" err &&
	test "$(sql "SELECT count(*) FROM edu.grade_history WHERE assignment_id = '\''$A'\''")" = "$before" &&
	test "$(sql "SELECT count(*) FROM edu.grade_history WHERE assignment_id = '\''$A'\'' AND new = '\''{}'\''")" = 0
'

test_expect_success 'the history goes with its student when that account is deleted (a cascade)' '
	st=$(sql "SELECT student_id FROM edu.grade_history WHERE assignment_id = '\''$A'\'' LIMIT 1") &&
	test -n "$st" &&
	sql "DELETE FROM edu.users WHERE id = '\''$st'\''" >/dev/null &&
	test "$(sql "SELECT count(*) FROM edu.grade_history WHERE student_id = '\''$st'\''")" = 0
'

test_done
