#!/bin/bash
# 009-hostile-text: what the server takes as text is checked the same way everywhere, and
# what it says of a body is about that body.
# A C1 control (U+0080-U+009F) is refused in user names, display names, school names and
# course names alike; a field name that is not UTF-8 is answered in valid JSON that does
# not echo it; and U+0000 is refused wherever it comes (a NUL byte or \u0000 in a body's
# strings or keys, %00 in a query argument or the path), naming the field, where it used to
# end the text silently ({"name":"BI\u0000evil"} was stored as "BI").
. "$(dirname "$0")/lib.sh"
command -v iconv >/dev/null || bail_out "iconv not found (Debian package libc-bin)"

start_edud
seed_demo

# raw_api METHOD PATH FILE TOKEN: sends FILE's bytes as the JSON body, as they are
raw_api () {
	curl -sS --max-time 60 -X "$1" -o "$EDU_TEST_DIR/api.body" -w '%{http_code}' \
		-H 'Content-Type: application/json' -H "Authorization: Bearer $4" \
		--data-binary "@$3" "$EDU_TEST_URL/api/v1$2" >"$EDU_TEST_DIR/api.status"
}

# refused STATUS FIELD: the last answer is STATUS, valid JSON in UTF-8, naming FIELD
refused () {
	test "$(api_status)" = "$1" || { echo "status $(api_status), expected $1" >&2; cat api.body >&2; return 1; }
	iconv -f UTF-8 -t UTF-8 api.body >/dev/null || { echo "the answer is not UTF-8" >&2; return 1; }
	test_json api.body .error.field "$2"
}

test_expect_success 'the callers log in' '
	T1=$(token_for teacher1) && S1=$(token_for student01) && P=$(token_for principal) &&
	R=$(token_for root)
'

# U+0085 (NEL) and U+009B (CSI, which a terminal takes for an escape sequence)
for c in '\u0085' '\u009b'; do
	test_expect_success "a C1 control ($c) is refused in a display name" '
		api PUT /users/me "{\"display_name\":\"Eve$c\"}" "$S1" >/dev/null &&
		refused 422 display_name &&
		api POST /users "{\"username\":\"eve1\",\"display_name\":\"Eve$c\",\"role\":\"student\"}" "$P" >/dev/null &&
		refused 422 display_name
	'

	test_expect_success "... in a user name" '
		api POST /users "{\"username\":\"eve$c\",\"role\":\"student\"}" "$P" >/dev/null &&
		refused 422 username
	'

	test_expect_success "... in a school name" '
		api POST /schools "{\"slug\":\"c1-school\",\"name\":\"Evil$c School\",\"admin\":{\"username\":\"c1admin\"}}" "$R" >/dev/null &&
		refused 422 name
	'

	test_expect_success "... and in a course name, as before" '
		api POST /courses "{\"name\":\"Physics$c\"}" "$T1" >/dev/null &&
		refused 422 name
	'
done

test_expect_success 'nothing was stored with a C1 control' '
	test "$(psql_admin -c "SELECT count(*) FROM edu.users WHERE display_name ~ '\''[\x80-\x9f]'\'' OR username LIKE '\''eve%'\''")" = 0 &&
	test "$(psql_admin -c "SELECT count(*) FROM edu.schools WHERE slug = '\''c1-school'\''")" = 0
'

test_expect_success 'the same names without it are taken' '
	api_expect 200 PUT /users/me "{\"display_name\":\"Eve Adams\"}" "$S1" >/dev/null &&
	api_expect 201 POST /courses "{\"name\":\"Physics\"}" "$T1" >c.json &&
	C=$(jq -r .id c.json) &&
	api_expect 201 POST "/courses/$C/members" "{\"username\":\"student01\",\"role\":\"student\"}" "$T1" >/dev/null
'

test_expect_success 'a field name that is not UTF-8: 400 in valid JSON, the bytes not echoed' '
	printf "{\"\377\376x\":1}" >badkey.json &&
	raw_api PUT /users/me badkey.json "$S1" &&
	test "$(api_status)" = 400 &&
	iconv -f UTF-8 -t UTF-8 api.body >/dev/null &&
	test_json api.body .error.code unknown_field &&
	test_json api.body .error.field null &&
	test_grep "not valid UTF-8" api.body &&
	! grep -q "$(printf "\377")" api.body
'

test_expect_success '... and deeper in a body: named with U+FFFD, never the raw bytes' '
	printf "{\"slug\":\"k-school\",\"name\":\"K\",\"admin\":{\"username\":\"kadmin\",\"\377x\":1}}" >badnested.json &&
	raw_api POST /schools badnested.json "$R" &&
	test "$(api_status)" = 400 &&
	iconv -f UTF-8 -t UTF-8 api.body >/dev/null &&
	jq -e . api.body >/dev/null &&
	test_json api.body .error.code unknown_field &&
	test_json api.body .error.field "$(printf "\357\277\275x")" &&
	! grep -q "$(printf "\377")" api.body
'

# ---- U+0000 ----

test_expect_success 'a name with \u0000 is refused, naming the field; "BI" is not stored' '
	api POST /courses "{\"name\":\"BI\\u0000evil\"}" "$T1" >/dev/null &&
	refused 422 name &&
	test_grep "NUL" api.body &&
	test "$(psql_admin -c "SELECT count(*) FROM edu.courses WHERE name = '\''BI'\''")" = 0
'

test_expect_success 'so is a NUL byte in the body (it is not JSON)' '
	printf "{\"name\":\"BI\000evil\"}" >rawnul.json &&
	raw_api POST /courses rawnul.json "$T1" &&
	test "$(api_status)" = 400 &&
	test_json api.body .error.code bad_json &&
	test "$(psql_admin -c "SELECT count(*) FROM edu.courses WHERE name = '\''BI'\''")" = 0
'

test_expect_success 'a key with \u0000 does not count as the key before it' '
	api PATCH "/courses/$C" "{\"name\\u0000anything\":\"Renamed\"}" "$T1" >/dev/null &&
	refused 422 name &&
	test "$(psql_admin -c "SELECT name FROM edu.courses WHERE id = '\''$C'\''")" = Physics
'

test_expect_success 'deeper in a body, the field is named by its path' '
	api_expect 201 POST "/courses/$C/assignments" "{\"title\":\"Essay\",\"published\":true,\"submission_kind\":\"text\"}" "$T1" >a.json &&
	A=$(jq -r .id a.json) &&
	api PUT "/assignments/$A/rubric" "{\"criteria\":[{\"name\":\"Style\",\"levels\":[{\"name\":\"ok\",\"points\":1}]},{\"name\":\"Con\\u0000tent\",\"levels\":[{\"name\":\"ok\",\"points\":1}]}]}" "$T1" >/dev/null &&
	refused 422 "criteria[1].name"
'

test_expect_success 'submitted text is not cut at a NUL: refused' '
	api POST "/assignments/$A/submissions" "{\"text\":\"my essay\\u0000 and the rest\"}" "$S1" >/dev/null &&
	refused 422 text &&
	test "$(psql_admin -c "SELECT count(*) FROM edu.submissions WHERE assignment_id = '\''$A'\''")" = 0 &&
	api_expect 201 POST "/assignments/$A/submissions" "{\"text\":\"my essay\\\\u0000 and the rest\"}" "$S1" >sub.json &&
	test_json sub.json .text "my essay\\u0000 and the rest"
'

test_expect_success '?filename=evil.exe%00.pdf is refused naming filename; nothing is stored' '
	echo "MZ not really" >evil.bin &&
	before=$(psql_admin -c "SELECT count(*) FROM edu.files") &&
	code=$(curl -sS -o up.json -w "%{http_code}" -X POST -H "Authorization: Bearer $T1" \
		-H "Content-Type: application/octet-stream" --data-binary @evil.bin \
		"$EDU_TEST_URL/api/v1/lessons/00000000-0000-4000-8000-000000000000/attachments?filename=evil.exe%00.pdf") &&
	test "$code" = 400 &&
	test_json up.json .error.field filename &&
	code=$(curl -sS -o up.json -w "%{http_code}" -X POST -H "Authorization: Bearer $S1" \
		-H "Content-Type: application/octet-stream" --data-binary @evil.bin \
		"$EDU_TEST_URL/api/v1/uploads?assignment=$A&filename=evil.exe%00.pdf") &&
	test "$code" = 400 &&
	test_json up.json .error.field filename &&
	test "$(psql_admin -c "SELECT count(*) FROM edu.files")" = "$before"
'

test_expect_success 'and %00 in the path' '
	api GET "/courses/$C%00x" "" "$T1" >/dev/null &&
	refused 400 path
'

# Where a body stops being JSON is this parse's own: cJSON_GetErrorPtr() is one pointer for
# every thread, so under load an answer named the byte of another request's body.
test_expect_success 'under load, each answer names where its own body stops being JSON' '
	printf "{\"a\":xx}" >short.json &&
	{ printf "{\"a\":1,"; head -c 3000 /dev/zero | tr "\0" " "; printf "x}"; } >long.json &&
	for i in $(seq 600); do echo short; echo long; done >bodies &&
	xargs -P 16 -I{} sh -c "a=\$(curl -sS -H \"Content-Type: application/json\" \
		--data-binary @{}.json \"$EDU_TEST_URL/api/v1/auth/login\"); echo \"{} \$a\"" \
		<bodies >answers &&
	test "$(grep -c "bad_json" answers)" = 1200 &&
	sed -n "s/^\([a-z]*\) .*near byte \([0-9]*\).*/\1 \2/p" answers | sort | uniq -c >seen &&
	cat seen >&2 &&
	test "$(grep -c "^ *[0-9]* short 5$" seen)" = 1 &&
	test "$(grep -c "^ *[0-9]* long 3008$" seen)" = 1 &&
	test "$(wc -l <seen)" = 2
'

test_done
