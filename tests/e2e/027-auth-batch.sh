#!/bin/bash
# 027-auth-batch: the rows of access and API tokens read many at a time (auth.c's batcher).
# Requests of users of two schools arrive together; each must get its own user, refused
# tokens stay refused in a batch of good ones, a cut database connection is opened again,
# and edud stops cleanly with requests waiting.
. "$(dirname "$0")/lib.sh"
. "$top_srcdir/tests/e2e/data/security.sh"

# a known key, so that tokens can be forged (sec_jwt_forge)
export EDU_JWT_SECRET='e2e-batch-key-0123456789-abcdefghijklmnopqrstuvwxyz'
start_edud --login-max-per-address 100000
seed_demo

# burst N [FILE]: users/me for every token of FILE ("USER TOKEN" lines; tokens.txt), N times
# each, all at once (curl --parallel, 64 connections); the answers go to me-USER-I.json, the
# statuses ("USER CODE" lines) to statuses.txt
burst () {
	local n=$1 list=${2:-tokens.txt} user token i
	: >burst.cfg
	while read -r user token; do
		for i in $(seq "$n"); do
			# "next" goes between two transfers, not after the last
			[ ! -s burst.cfg ] || echo next >>burst.cfg
			cat >>burst.cfg <<EOF
url = "$EDU_TEST_URL/api/v1/users/me"
header = "Authorization: Bearer $token"
output = "me-$user-$i.json"
write-out = "$user %{http_code}\\n"
EOF
		done
	done <"$list"
	curl -sS --no-progress-meter --parallel --parallel-max 64 -K burst.cfg >statuses.txt
}

# the user's id, as the database has it
id_of () {
	psql_admin -v u="$1" <<'EOF'
SELECT id FROM edu.users WHERE username = :'u';
EOF
}

# token_of USER: USER's token in tokens.txt
token_of () {
	awk -v u="$1" '$1 == u { print $2 }' tokens.txt
}

# saw USER CODE COUNT: the last burst answered USER's requests with CODE COUNT times
saw () {
	local got
	got=$(grep -c "^$1 $2\$" statuses.txt)
	[ "$got" = "$3" ] || { echo "saw: $1 got $2 $got times, not $3" >&2; return 1; }
}

metric () {
	api GET /metrics | awk -v m="$1" '$1 == m { print $2 }'
}

test_expect_success 'users of two schools log in: the demo school and beta' '
	: >tokens.txt &&
	for u in teacher1 teacher2 student01 student02 student03 student04 student05 \
		 student06 student07 student08; do
		t=$(token_for $u) && echo "$u $t" >>tokens.txt || return 1
	done &&
	head=$(sec_other_school beta bhead) && echo "bhead $head" >>tokens.txt &&
	for u in bteacher bstudent1 bstudent2; do
		t=$(sec_new_user "$head" beta $u student) && echo "$u $t" >>tokens.txt || return 1
	done &&
	test $(wc -l <tokens.txt) = 14
'

test_expect_success 'many requests at once: every one is answered with its own user' '
	burst 12 &&
	test $(wc -l <statuses.txt) = 168 &&
	sec_lacks -v " 200$" statuses.txt &&
	while read -r user token; do
		id=$(id_of $user) &&
		for i in $(seq 12); do
			test_json me-$user-$i.json ".id + \" \" + .username" "$id $user" || return 1
		done
	done <tokens.txt
'

test_expect_success 'the checks shared round trips: fewer batches than checks' '
	tries=0 &&
	while :; do
		batches=$(metric edud_auth_batches_total) &&
		checks=$(metric edud_auth_batched_checks_total) &&
		echo "batches $batches, checks $checks" >&2 &&
		test "$checks" -ge 168 &&
		if [ "$batches" -lt "$checks" ]; then break; fi &&
		tries=$((tries + 1)) && test $tries -lt 5 &&
		burst 12 || return 1
	done
'

test_expect_success 'a disabled user and a logged-out session are refused among good requests' '
	admin=$(token_for principal) &&
	id=$(id_of student05) &&
	api_expect 200 PATCH /users/$id "{\"disabled\": true}" "$admin" >/dev/null &&
	api_expect 204 POST /auth/logout-all "" "$(token_of student06)" &&
	burst 6 &&
	test $(wc -l <statuses.txt) = 84 &&
	saw student05 401 6 && saw student06 401 6 &&
	test $(grep -c " 200$" statuses.txt) = 72 &&
	test_json me-student05-1.json .error.code unauthenticated &&
	test_json me-bstudent2-6.json .username bstudent2
'

test_expect_success 'a token naming a user of the other school finds nobody, in a batch' '
	# signed right, but its user is of beta and its school the demo school, and the
	# other way round: each school is read under its own tenant, so no row is found
	# even when both schools are read in one round trip
	token_of teacher1 | cut -d. -f2 | sec_b64url_decode >claims.json &&
	beta=$(sec_school_id beta) &&
	cross1=$(sec_jwt_forge "{\"alg\":\"HS256\",\"typ\":\"JWT\"}" \
		"$(jq -c --arg s "$(id_of bstudent1)" ".sub = \$s" claims.json)") &&
	cross2=$(sec_jwt_forge "{\"alg\":\"HS256\",\"typ\":\"JWT\"}" \
		"$(jq -c --arg s "$beta" ".sch = \$s" claims.json)") &&
	same=$(sec_jwt_forge "{\"alg\":\"HS256\",\"typ\":\"JWT\"}" "$(cat claims.json)") &&
	grep -v "^student0[56] " tokens.txt >good.txt &&
	{ cat good.txt; echo "cross1 $cross1"; echo "cross2 $cross2"; echo "same $same"; } \
		>mixed.txt &&
	burst 6 mixed.txt &&
	saw cross1 401 6 && saw cross2 401 6 && saw same 200 6 &&
	test $(grep -c " 200$" statuses.txt) = 78 &&
	test_json me-same-3.json .username teacher1 &&
	test_json me-cross1-2.json .error.code unauthenticated
'

test_expect_success 'API tokens of both schools, among JWTs: each its own user; a revoked one refused' '
	pat_t1=$(sec_make_pat "$(token_of teacher1)" t1-report read) &&
	pat_b1=$(sec_make_pat "$(token_of bstudent1)" b1-sync write) &&
	pat_old=$(sec_make_pat "$(token_of teacher2)" t2-old read) &&
	api_expect 204 DELETE /tokens/$(jq -r .id pat-t2-old.json) "" "$(token_of teacher2)" &&
	{ cat good.txt; echo "patt1 $pat_t1"; echo "patb1 $pat_b1"; echo "patold $pat_old"; } \
		>mixed.txt &&
	burst 6 mixed.txt &&
	saw patt1 200 6 && saw patb1 200 6 && saw patold 401 6 &&
	test $(grep -c " 200$" statuses.txt) = 84 &&
	for i in 1 6; do
		test_json me-patt1-$i.json ".id + \" \" + .username" "$(id_of teacher1) teacher1" &&
		test_json me-patb1-$i.json ".id + \" \" + .username" "$(id_of bstudent1) bstudent1" ||
		return 1
	done &&
	test_json me-patold-1.json .error.code unauthenticated
'

test_expect_success 'a read-only API token may read, not write, also when its check was batched' '
	api_expect 200 GET /courses "" "$pat_t1" >/dev/null &&
	api_expect 403 POST /courses "{\"name\": \"Nope\"}" "$pat_t1" >denied.json &&
	test_json denied.json .error.code forbidden &&
	api_expect 200 GET /users/me "" "$pat_b1" >/dev/null
'

test_expect_success 'its database connections cut, the token checks reconnect at once: no 503' '
	teacher=$(token_for teacher1) &&
	api_expect 200 GET /users/me "" "$teacher" >/dev/null &&
	psql_admin -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		       WHERE application_name = '\''edud'\''" >cut.txt &&
	test "$(cat cut.txt)" -ge 1 &&
	for i in 1 2 3; do
		api_expect 200 GET /users/me "" "$teacher" >/dev/null || return 1
	done &&
	burst 2 &&
	test $(grep -c " 200$" statuses.txt) = 24
'

test_expect_success 'edud stops cleanly while requests wait for their rows' '
	burst 200 >/dev/null 2>&1 &
	pid=$! &&
	sleep 0.5 &&
	stop_edud &&
	test "$EDUD_STATUS" = 0 &&
	{ wait $pid || :; }
'

test_done
