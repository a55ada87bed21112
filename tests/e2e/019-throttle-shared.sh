#!/bin/bash
# 019-throttle-shared: the login attempts per client address are counted in the database, so
# two edud on one database (as behind a load balancer) share one count: attempts spent on
# one leave only the rest for the other, logins and activations alike, and logins at once
# on both let exactly login_max_per_address through. Restarting both keeps the count.
# `edud gc` deletes the windows that have ended and keeps the live ones; --dry-run counts
# them and deletes nothing.
. "$(dirname "$0")/lib.sh"

# both_edud [--KEY VALUE]...: (re)starts both edud on one database with the same flags, a
# limit of 3 attempts per address behind "the proxy" 127.0.0.1 (each test sends its own
# client address in X-Forwarded-For); A and B are their URLs.
# Three hash slots on each: the three logins the limit lets through never wait for one,
# however slow the machine (a slot not free within its wait is a 503, not what this tests).
both_edud () {
	stop_edud
	start_edud --login-max-per-address 3 --trusted-proxies 127.0.0.1 --hash-threads 3 "$@"
	start_edud2 --login-max-per-address 3 --trusted-proxies 127.0.0.1 --hash-threads 3 "$@"
	A=$EDU_TEST_URL
	B=$EDU_TEST_URL2
}

both_edud
seed_demo

login_body () {
	jq -cn --arg u "$1" --arg p "$2" '{school: "demo", username: $u, password: $p}'
}

# login_at URL ADDRESS USER: USER logs in on the edud at URL from ADDRESS; prints the status
login_at () {
	API_CURL_ARGS=(-H "X-Forwarded-For: $2")
	EDU_TEST_URL=$1 api POST /auth/login "$(login_body "$3" "$DEMO_PASSWORD")" >body
	API_CURL_ARGS=()
	api_status
}

# activate_at URL ADDRESS: an activation with a wrong code on the edud at URL from ADDRESS;
# prints the status
activate_at () {
	API_CURL_ARGS=(-H "X-Forwarded-For: $2")
	EDU_TEST_URL=$1 api POST /auth/activate '{"school": "demo", "username": "student30",
		"code": "NOT-THE-CODE", "password": "a-new-password-1"}' >body
	API_CURL_ARGS=()
	api_status
}

# The rows of the table, one a line, to compare before and after.
addr_rows () {
	psql_admin <<'EOF'
SELECT addr || ' ' || attempts || ' ' || ends_at FROM edu.login_address_windows ORDER BY addr;
EOF
}

test_expect_success 'two edud, two processes, both ready' '
	test "$EDUD_PID" != "$EDUD2_PID" && test "$A" != "$B" &&
	kill -0 "$EDUD_PID" && kill -0 "$EDUD2_PID" &&
	api_expect 200 GET /ready &&
	EDU_TEST_URL=$B api_expect 200 GET /ready &&
	test_grep "listening on" edud2.log
'

test_expect_success 'attempts spent on one edud leave only the rest for the other' '
	test "$(login_at "$A" 203.0.113.20 student01)" = 200 &&
	test "$(login_at "$B" 203.0.113.20 student02)" = 200 &&
	test "$(login_at "$B" 203.0.113.20 student03)" = 200 &&
	test "$(addr_attempts 203.0.113.20)" = 3
'

test_expect_success 'the next attempt on either is 429 with Retry-After' '
	test "$(login_at "$A" 203.0.113.20 student04)" = 429 &&
	test_json body .error.code rate_limited &&
	ra=$(api_header Retry-After) &&
	test "$ra" -gt 0 && test "$ra" -le 900 &&
	test "$(login_at "$B" 203.0.113.20 student05)" = 429 &&
	test_json body .error.code rate_limited &&
	ra=$(api_header Retry-After) &&
	test "$ra" -gt 0 && test "$ra" -le 900
'

test_expect_success 'another address still has its own allowance, on both' '
	test "$(login_at "$B" 203.0.113.21 student06)" = 200 &&
	test "$(login_at "$A" 203.0.113.21 student07)" = 200
'

test_expect_success 'activations and logins share the count, on either edud' '
	test "$(activate_at "$A" 203.0.113.22)" = 401 &&
	test "$(login_at "$B" 203.0.113.22 student08)" = 200 &&
	test "$(activate_at "$B" 203.0.113.22)" = 401 &&
	test "$(login_at "$A" 203.0.113.22 student09)" = 429 &&
	test "$(activate_at "$B" 203.0.113.22)" = 429 &&
	test "$(addr_attempts 203.0.113.22)" = 5
'

# login_now URL ADDRESS USER OUT: a login in the background, its status to OUT; its pid is
# added to LOGIN_PIDS (a bare `wait` would wait for the edud too)
LOGIN_PIDS=()
login_now () {
	curl -sS --max-time 60 -o /dev/null -w "%{http_code}\n" -H "X-Forwarded-For: $2" \
		-H "Content-Type: application/json" \
		--data-binary "$(login_body "$3" "$DEMO_PASSWORD")" "$1/api/v1/auth/login" >"$4" &
	LOGIN_PIDS+=($!)
}

test_expect_success 'twelve logins at once, six on each edud: exactly three get in' '
	for i in $(seq 10 21); do
		if [ $((i % 2)) = 0 ]; then url=$A; else url=$B; fi
		login_now "$url" 203.0.113.23 student$i now-$i.status
	done &&
	wait "${LOGIN_PIDS[@]}" &&
	cat now-*.status >statuses &&
	sort statuses | uniq -c >&2 &&
	test "$(grep -cx 200 statuses)" = 3 &&
	test "$(grep -cx 429 statuses)" = 9 &&
	test "$(addr_attempts 203.0.113.23)" = 12
'

both_edud

test_expect_success 'after both restart the count holds: the address is still limited' '
	test "$(login_at "$A" 203.0.113.20 student01)" = 429 &&
	test "$(login_at "$B" 203.0.113.20 student01)" = 429 &&
	test "$(login_at "$B" 203.0.113.21 student01)" = 200 &&
	test "$(login_at "$A" 203.0.113.21 student01)" = 429
'

# Windows of a second, that have ended by the time gc runs, beside the live ones above.
both_edud --login-address-window 1

test_expect_success 'windows of one second, on both edud, have ended a moment later' '
	test "$(login_at "$A" 203.0.113.40 student01)" = 200 &&
	test "$(login_at "$B" 203.0.113.41 student02)" = 200 &&
	test "$(activate_at "$B" 203.0.113.42)" = 401 &&
	sleep 2 &&
	psql_admin -c "SELECT addr FROM edu.login_address_windows WHERE ends_at <= now()
		ORDER BY addr" >ended.txt &&
	printf "%s\n" 203.0.113.40 203.0.113.41 203.0.113.42 >expect &&
	test_cmp expect ended.txt &&
	psql_admin -c "SELECT addr FROM edu.login_address_windows WHERE ends_at > now()
		ORDER BY addr" >live.txt &&
	cat live.txt >&2 &&
	printf "%s\n" 203.0.113.20 203.0.113.21 203.0.113.22 203.0.113.23 >expect &&
	test_cmp expect live.txt
'

test_expect_success 'gc --dry-run counts the ended windows and deletes nothing' '
	addr_rows >before.txt &&
	edud_cmd gc --dry-run >dry.out 2>dry.err &&
	cat dry.out dry.err >&2 &&
	test_grep "^gc: dry run: .*, remove 3 ended login address windows$" dry.out &&
	test_must_be_empty dry.err &&
	addr_rows >after.txt &&
	test_cmp before.txt after.txt
'

test_expect_success 'gc deletes the ended windows and keeps the live ones as they were' '
	edud_cmd gc >gc.out 2>gc.err &&
	cat gc.out gc.err >&2 &&
	test_grep "^gc: .*, 3 ended login address windows removed$" gc.out &&
	test_must_be_empty gc.err &&
	addr_rows >after.txt &&
	grep -v "^203\\.0\\.113\\.4[012] " before.txt >expect &&
	test_cmp expect after.txt &&
	edud_cmd gc >gc2.out 2>gc2.err &&
	test_grep "^gc: .*, 0 ended login address windows removed$" gc2.out
'

test_expect_success 'an address gc forgot starts again with a new window' '
	test "$(login_at "$B" 203.0.113.40 student03)" = 200 &&
	test "$(addr_attempts 203.0.113.40)" = 1
'

test_done
