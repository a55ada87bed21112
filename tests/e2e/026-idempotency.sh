#!/bin/bash
# 026-idempotency: Idempotency-Key on POST. A POST retried with its key gets the first answer
# back (marked Idempotent-Replayed) and changes nothing, also after a restart; the same key
# with another request is 422; a request whose handler failed keeps no key; a key in flight
# (its advisory lock held) is 409; keys are per user and live in the caller's school only;
# a malformed key is refused naming the header; uploads and attachments, retried, are stored
# once and replayed; public POSTs and those whose answer holds a
# secret ignore it; after idempotency_ttl a key is new again. And the edu client sends a
# fresh key with every POST, and its retry after refreshing the session does the work once.
. "$(dirname "$0")/lib.sh"

[ -f "$top_srcdir/tests/e2e/data/security.sh" ] || bail_out "no tests/e2e/data/security.sh"
. "$top_srcdir/tests/e2e/data/security.sh"

start_edud
seed_demo

# KEY, then api's arguments: api with an Idempotency-Key header (an empty one for "").
idem () {
	local key=$1 saved=("${API_CURL_ARGS[@]}") rc
	shift
	if [ -n "$key" ]; then
		API_CURL_ARGS=(-H "Idempotency-Key: $key")
	else
		API_CURL_ARGS=(-H "Idempotency-Key;")
	fi
	api "$@"
	rc=$?
	API_CURL_ARGS=("${saved[@]}")
	return $rc
}

# STATUS KEY, then api's arguments.
idem_expect () {
	local want=$1 got
	shift
	idem "$@" || return 1
	got=$(api_status)
	if [ "$got" != "$want" ]; then
		echo "idem_expect: $2 $3 with key '$1': status $got, expected $want; body:" >&6
		cat api.body >&6
		echo >&6
		return 1
	fi
}

# The answer of the last call was (not) a replay.
replayed () {
	test "$(api_header Idempotent-Replayed)" = true || {
		echo "replayed: no 'Idempotent-Replayed: true' in the answer:" >&6
		cat api.headers >&6
		return 1
	}
}

not_replayed () {
	test -z "$(api_header Idempotent-Replayed)" || {
		echo "not_replayed: the answer says Idempotent-Replayed:" >&6
		cat api.headers >&6
		return 1
	}
}

# The number of courses named NAME (in any school: the superuser sees every row).
courses_named () {
	psql_admin -v n="$1" <<'EOF'
SELECT count(*) FROM edu.courses WHERE name = :'n';
EOF
}

# The number of stored keys KEY of USERNAME (any school).
key_rows () {
	psql_admin -v k="$1" -v u="$2" <<'EOF'
SELECT count(*) FROM edu.idempotency_keys k
JOIN edu.users u ON u.school_id = k.school_id AND u.id = k.user_id
WHERE k.key = :'k' AND u.username = :'u';
EOF
}

user_id () {
	psql_admin -v u="$1" -v s="${2:-$DEMO_SCHOOL}" <<'EOF'
SELECT u.id FROM edu.users u JOIN edu.schools s ON s.id = u.school_id
WHERE s.slug = :'s' AND u.username = :'u';
EOF
}

school_id () {
	psql_admin -v s="$1" <<'EOF'
SELECT id FROM edu.schools WHERE slug = :'s';
EOF
}

# The number of stored keys of the school with id SCHOOL.
keys_in_school () {
	psql_admin -v s="$1" <<'EOF'
SELECT count(*) FROM edu.idempotency_keys WHERE school_id = :'s';
EOF
}

# The keys of USER_ID's stored POST /api/v1/courses answers that hold TEXT.
course_keys_with () {
	psql_admin -v u="$1" -v t="%$2%" <<'EOF'
SELECT key FROM edu.idempotency_keys
WHERE user_id = :'u' AND method = 'POST' AND path = '/api/v1/courses' AND body LIKE :'t';
EOF
}

test_expect_success 'the demo school and its teachers' '
	DEMO_ID=$(school_id demo) && test -n "$DEMO_ID" &&
	T1_ID=$(user_id teacher1) && test -n "$T1_ID" &&
	T1=$(token_for teacher1) && T2=$(token_for teacher2) && ROOT=$(token_for root)
'

test_expect_success 'a course created twice with one key is created once, and replayed' '
	idem_expect 201 key-1 POST /courses "{\"name\":\"Idem One\"}" "$T1" >first.json &&
	not_replayed &&
	loc=$(api_header Location) && etag=$(api_header ETag) &&
	test -n "$loc" && test -n "$etag" &&
	idem_expect 201 key-1 POST /courses "{\"name\":\"Idem One\"}" "$T1" >second.json &&
	replayed &&
	test_cmp first.json second.json &&
	test "$(api_header Location)" = "$loc" &&
	test "$(api_header ETag)" = "$etag" &&
	test "$(api_header Content-Type)" = application/json &&
	test "$(courses_named "Idem One")" = 1 &&
	test "$(key_rows key-1 teacher1)" = 1 &&
	COURSE1=$(jq -er .id first.json) &&
	api_expect 200 GET "/courses/$COURSE1" "" "$T1" >/dev/null
'

test_expect_success 'the same request without a key is a new one' '
	api_expect 201 POST /courses "{\"name\":\"Idem One\"}" "$T1" >third.json &&
	not_replayed &&
	test "$(jq -r .id third.json)" != "$COURSE1" &&
	test "$(courses_named "Idem One")" = 2
'

test_expect_success 'the same key with another body or path is 422 naming the header' '
	idem_expect 422 key-1 POST /courses "{\"name\":\"Idem Other\"}" "$T1" >err.json &&
	test_json err.json .error.field Idempotency-Key &&
	test_json err.json .error.code idempotency_key_reused &&
	test "$(courses_named "Idem Other")" = 0 &&
	idem_expect 422 key-1 POST /courses/join "{\"code\":\"ABCDEFGH\"}" "$T1" >err.json &&
	test_json err.json .error.field Idempotency-Key &&
	test "$(courses_named "Idem One")" = 2 &&
	test "$(key_rows key-1 teacher1)" = 1
'

test_expect_success 'a request that fails keeps no key; the corrected retry with it works' '
	idem_expect 422 key-2 POST /courses "{\"name\":\"\"}" "$T1" >err.json &&
	test_json err.json .error.field name &&
	test "$(key_rows key-2 teacher1)" = 0 &&
	idem_expect 201 key-2 POST /courses "{\"name\":\"Idem Two\"}" "$T1" >two.json &&
	not_replayed &&
	test "$(courses_named "Idem Two")" = 1 &&
	test "$(key_rows key-2 teacher1)" = 1
'

test_expect_success 'a key too long, empty or with control or non-ASCII characters is 400' '
	long=$(printf "k%.0s" $(seq 256)) &&
	for key in "$long" "tab	inside" "é-accent"; do
		idem_expect 400 "$key" POST /courses "{\"name\":\"Idem Bad\"}" "$T1" >err.json &&
		test_json err.json .error.field Idempotency-Key &&
		test_grep Idempotency-Key err.json || return 1
	done &&
	idem_expect 400 "" POST /courses "{\"name\":\"Idem Bad\"}" "$T1" >err.json &&
	test_json err.json .error.field Idempotency-Key &&
	test "$(courses_named "Idem Bad")" = 0 &&
	idem_expect 201 "${long:1}" POST /courses "{\"name\":\"Idem Long\"}" "$T1" >/dev/null &&
	test "$(key_rows "${long:1}" teacher1)" = 1
'

test_expect_success 'public POSTs ignore the key: two logins with one key are two sessions' '
	body="{\"school\":\"demo\",\"username\":\"teacher1\",\"password\":\"$DEMO_PASSWORD\"}" &&
	idem_expect 200 login-key POST /auth/login "$body" >s1.json &&
	idem_expect 200 login-key POST /auth/login "$body" >s2.json &&
	not_replayed &&
	test "$(jq -r .refresh_token s1.json)" != "$(jq -r .refresh_token s2.json)" &&
	test "$(key_rows login-key teacher1)" = 0
'

# Holds the advisory lock of teacher1's key KEY from a psql session of its own, in a
# transaction, until release_lock cancels it.
HOLDER=
hold_lock () {
	rm -f holder.locked
	(
		export PGAPPNAME=idem-holder
		psql_app -v s="$DEMO_ID" -v u="$T1_ID" -v k="$1" <<'EOF'
BEGIN;
SELECT pg_advisory_xact_lock(edu.idempotency_lock_key(:'s', :'u', :'k'));
\! touch holder.locked
SELECT pg_sleep(120);
COMMIT;
EOF
	) >holder.out 2>&1 &
	HOLDER=$!
	for i in $(seq 300); do
		[ -f holder.locked ] && return 0
		kill -0 "$HOLDER" 2>/dev/null || break
		sleep 0.1
	done
	echo "hold_lock: the psql session did not take the lock:" >&6
	cat holder.out >&6
	return 1
}

release_lock () {
	[ -n "$HOLDER" ] || return 0
	psql_admin -c "SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity WHERE application_name = 'idem-holder'" >/dev/null
	wait "$HOLDER"
	HOLDER=
	return 0
}
test_when_finished release_lock

test_expect_success 'while the key is in flight (its lock held), the request is 409 and does nothing' '
	hold_lock key-3 &&
	idem_expect 409 key-3 POST /courses "{\"name\":\"Idem Three\"}" "$T1" >err.json &&
	test_json err.json .error.code in_progress &&
	test_json err.json .error.field Idempotency-Key &&
	test -n "$(api_header Retry-After)" &&
	test "$(courses_named "Idem Three")" = 0 &&
	release_lock &&
	idem_expect 201 key-3 POST /courses "{\"name\":\"Idem Three\"}" "$T1" >/dev/null &&
	not_replayed &&
	test "$(courses_named "Idem Three")" = 1
'

test_expect_success 'keys are per user: the same key of another user is their own' '
	idem_expect 201 key-1 POST /courses "{\"name\":\"Idem One\"}" "$T2" >t2.json &&
	not_replayed &&
	test "$(jq -r .id t2.json)" != "$COURSE1" &&
	test "$(courses_named "Idem One")" = 3 &&
	test "$(key_rows key-1 teacher2)" = 1 &&
	test "$(key_rows key-1 teacher1)" = 1
'

# N requests with one key at once, each with its own curl: their statuses, one a line.
race () {
	local n=$1 key=$2 i pids=()
	for i in $(seq "$n"); do
		curl -sS --max-time 60 -o "race-$i.json" -w "%{http_code}\n" -X POST \
			-H "Authorization: Bearer $T1" -H "Idempotency-Key: $key" \
			-H "Content-Type: application/json" --data-binary "{\"name\":\"Idem Race\"}" \
			"$EDU_TEST_URL/api/v1/courses" >"race-$i.status" &
		pids+=($!)
	done
	# (not a bare wait: edud is a child of this shell too)
	wait "${pids[@]}"
	cat race-*.status
}

test_expect_success 'eight requests with one key at once: one course; the rest 409 or the replay' '
	race 8 race-key >statuses &&
	cat statuses >&2 &&
	test "$(wc -l <statuses)" = 8 &&
	test_grep -v -vxE "201|409" statuses &&
	test "$(courses_named "Idem Race")" = 1 &&
	test "$(key_rows race-key teacher1)" = 1 &&
	for f in race-*.json; do
		jq -r ".id // .error.code" "$f"
	done | sort -u >outcomes &&
	cat outcomes >&2 &&
	test "$(grep -vcx in_progress outcomes)" = 1
'

test_expect_success 'routes whose answer holds a secret ignore the key and keep nothing' '
	body="{\"slug\":\"idem-other\",\"name\":\"Idem Other School\",\"admin\":{\"username\":\"ohead\",\"display_name\":\"Head\"}}" &&
	idem_expect 201 secret-key POST /schools "$body" "$ROOT" >school.json &&
	idem_expect 409 secret-key POST /schools "$body" "$ROOT" >err.json &&
	not_replayed &&
	test_json err.json .error.field slug &&
	OTHER_ID=$(school_id idem-other) && test -n "$OTHER_ID" &&
	test "$(jq -r .id school.json)" = "$OTHER_ID" &&
	idem_expect 201 secret-key POST /tokens "{\"name\":\"idem-pat\",\"scope\":\"read\"}" "$T1" >pat.json &&
	pat=$(jq -er .token pat.json) &&
	test "$(key_rows secret-key root)" = 0 &&
	test "$(key_rows secret-key teacher1)" = 0 &&
	pg_dump_edu >dump.sql &&
	test_grep "CREATE TABLE edu.idempotency_keys" dump.sql &&
	! grep -F "${pat#edu_pat_}" dump.sql &&
	! grep -F "$(jq -r .admin.activation_code school.json)" dump.sql
'

# upload_keyed KEY TOKEN PATH FILE: POST of FILE's bytes to PATH (under /api/v1) with
# Idempotency-Key KEY; the answer in api.body, its headers in api.headers, the status printed.
upload_keyed () {
	curl -sS --max-time 60 -o "$EDU_TEST_DIR/api.body" -D "$EDU_TEST_DIR/api.headers" \
		-w "%{http_code}" -X POST -H "Authorization: Bearer $2" \
		-H "Content-Type: application/octet-stream" -H "Idempotency-Key: $1" \
		--data-binary "@$4" "$EDU_TEST_URL/api/v1$3"
}

test_expect_success 'an upload retried with its key is stored once and replayed' '
	C=$(sec_course_new "$T1" "Idem Uploads") &&
	A=$(sec_assignment_new "$T1" "$C" "Idem Data") &&
	sec_enrol "$T1" "$C" student01 &&
	S1=$(token_for student01) &&
	head -c 3000000 /dev/urandom >data.bin &&
	test "$(upload_keyed up-1 "$S1" "/uploads?assignment=$A&filename=data.bin" data.bin)" = 201 &&
	not_replayed &&
	cp api.body up1.json &&
	stored_rows >rows-before &&
	test "$(upload_keyed up-1 "$S1" "/uploads?assignment=$A&filename=data.bin" data.bin)" = 201 &&
	replayed &&
	test_cmp up1.json api.body &&
	stored_rows >rows-after &&
	test_cmp rows-before rows-after &&
	test "$(key_rows up-1 student01)" = 1 &&
	test -z "$(ls -A "$EDU_TEST_DATA/files/tmp")"
'

test_expect_success '...other bytes, or another file name, with that key are 422' '
	head -c 3000000 /dev/urandom >other.bin &&
	test "$(upload_keyed up-1 "$S1" "/uploads?assignment=$A&filename=data.bin" other.bin)" = 422 &&
	test_json api.body .error.code idempotency_key_reused &&
	test "$(upload_keyed up-1 "$S1" "/uploads?assignment=$A&filename=renamed.bin" data.bin)" = 422 &&
	stored_rows >rows-now &&
	test_cmp rows-before rows-now &&
	stored_files >store-now &&
	sec_lacks "$(sha256sum other.bin | cut -d" " -f1)" store-now
'

test_expect_success 'a lesson attachment retried with its key is attached once' '
	L=$(sec_lesson_new "$T1" "$C" "Idem Lesson") &&
	printf "Read me.\n" >notes.txt &&
	test "$(upload_keyed att-1 "$T1" "/lessons/$L/attachments?filename=notes.txt" notes.txt)" = 201 &&
	cp api.body att1.json &&
	test "$(upload_keyed att-1 "$T1" "/lessons/$L/attachments?filename=notes.txt" notes.txt)" = 201 &&
	replayed &&
	test_cmp att1.json api.body &&
	api_expect 200 GET "/lessons/$L" "" "$T1" >lesson.json &&
	test_json lesson.json ".attachments | length" 1
'

# As edu_app with app.school_id set to SCHOOL: the stored keys it sees.
app_keys_seen () {
	psql_app -v s="$1" <<'EOF'
SELECT set_config('app.school_id', :'s', false) IS NULL AS ignored \gset
SELECT count(*) FROM edu.idempotency_keys;
EOF
}

test_expect_success 'as edu_app, another school sees none of the stored keys, their own all' '
	mine=$(keys_in_school "$DEMO_ID") &&
	test "$mine" -ge 6 &&
	test "$(app_keys_seen "$OTHER_ID")" = 0 &&
	test "$(app_keys_seen "$DEMO_ID")" = "$mine"
'

test_expect_success 'a replay survives a restart of edud' '
	stop_edud && start_edud &&
	idem_expect 201 key-1 POST /courses "{\"name\":\"Idem One\"}" "$T1" >again.json &&
	replayed &&
	test_cmp first.json again.json &&
	test "$(courses_named "Idem One")" = 3
'

test_expect_success 'the edu client sends a fresh key with each POST' '
	login_as teacher1 &&
	edu_as teacher1 course create "Idem Client" >out &&
	edu_as teacher1 course create "Idem Client" >>out &&
	test "$(courses_named "Idem Client")" = 2 &&
	course_keys_with "$T1_ID" "Idem Client" >keys.txt &&
	cat keys.txt >&2 &&
	test "$(sort -u keys.txt | wc -l)" = 2 &&
	test "$(grep -cE "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$" keys.txt)" = 2
'

# Another JWT key makes the client's access token fail (401) while its refresh token still
# works; the same port keeps its stored session for this server.
JWT_SECRET=idempotency-test-secret-of-forty-bytes-x

test_expect_success 'after a 401 the client refreshes and retries: one course, one key' '
	port=${EDU_TEST_URL##*:} &&
	stop_edud && start_edud --listen "127.0.0.1:$port" --jwt-secret "$JWT_SECRET" &&
	from=$(($(wc -l <edud.log) + 1)) &&
	edu_as teacher1 course create "Idem Retry" >out &&
	tail -n "+$from" edud.log >retry.log &&
	test_grep -E " POST /api/v1/courses 401 " retry.log &&
	test_grep -E " POST /api/v1/auth/refresh 200 " retry.log &&
	test_grep -E " POST /api/v1/courses 201 " retry.log &&
	test "$(courses_named "Idem Retry")" = 1 &&
	course_keys_with "$T1_ID" "Idem Retry" >keys.txt &&
	test "$(wc -l <keys.txt)" = 1
'

test_expect_success 'after idempotency_ttl the key is new again, and expired keys are pruned' '
	stop_edud && start_edud --jwt-secret "$JWT_SECRET" --idempotency-ttl 1 &&
	T1=$(token_for teacher1) &&
	sleep 2 &&
	old=$(keys_in_school "$DEMO_ID") &&
	test "$old" -ge 6 && test "$old" -le 16 &&
	idem_expect 201 key-1 POST /courses "{\"name\":\"Idem One\"}" "$T1" >ttl1.json &&
	not_replayed &&
	test "$(jq -r .id ttl1.json)" != "$COURSE1" &&
	test "$(courses_named "Idem One")" = 4 &&
	test "$(keys_in_school "$DEMO_ID")" = 1 &&
	idem_expect 201 key-1 POST /courses "{\"name\":\"Idem One\"}" "$T1" >ttl2.json &&
	replayed &&
	sleep 2 &&
	idem_expect 201 key-1 POST /courses "{\"name\":\"Idem One\"}" "$T1" >ttl3.json &&
	not_replayed &&
	test "$(courses_named "Idem One")" = 5 &&
	test "$(key_rows key-1 teacher1)" = 1
'

test_done
