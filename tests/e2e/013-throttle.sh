#!/bin/bash
# 013-throttle: failed logins per account and login attempts per address are limited; past
# the limit the server answers 429 with Retry-After, and the client says so with exit 10.
# Both counts are in the database: a restart keeps them, and an address whose window has
# ended starts a new one. (019-throttle-shared: two edud on one database, one count.)
. "$(dirname "$0")/lib.sh"

start_edud --login-max-failures 3 --login-max-per-address 20
seed_demo

login_body () {
	jq -cn --arg u "$1" --arg p "$2" '{school: "demo", username: $u, password: $p}'
}

# failures_of USER: the failed logins counted for the demo school's USER
failures_of () {
	psql_admin -v u="$1" <<'EOF'
SELECT count(*) FROM edu.login_failures f
JOIN edu.users u ON u.school_id = f.school_id AND u.id = f.user_id
JOIN edu.schools s ON s.id = u.school_id
WHERE s.slug = 'demo' AND u.username = :'u';
EOF
}

test_expect_success 'three wrong passwords for teacher1 are 401' '
	for i in 1 2 3; do
		api POST /auth/login "$(login_body teacher1 wrong-password-$i)" >body &&
		test "$(api_status)" = 401 || return 1
	done
'

test_expect_success 'the fourth is 429 rate_limited with Retry-After' '
	api POST /auth/login "$(login_body teacher1 wrong-password-4)" >body &&
	test "$(api_status)" = 429 &&
	test_json body .error.code rate_limited &&
	ra=$(api_header Retry-After) &&
	test "$ra" -gt 0 && test "$ra" -le 3600
'

test_expect_success 'the right password is throttled as well (no guessing past the limit)' '
	api POST /auth/login "$(login_body teacher1 "$DEMO_PASSWORD")" >body &&
	test "$(api_status)" = 429
'

test_expect_success 'the client says so and exits 10' '
	test_exit_code 10 login_as teacher1 >out 2>err &&
	test_grep "^edu: " err &&
	test_grep -i -E "too many|rate|try again|retry" err
'

test_expect_success 'other accounts are not throttled' '
	token_for teacher2 >/dev/null &&
	login_as student01 >out 2>err
'

# So far 8 login attempts came from 127.0.0.1 (3 of them refused with 429); 20 are allowed
# per window, so at most 15 more can succeed, even if refused attempts do not count.
test_expect_success 'past login_max_per_address attempts from one address: 429' '
	ok=0 limited=0 &&
	for i in $(seq -w 1 20); do
		api POST /auth/login "$(login_body student$i "$DEMO_PASSWORD")" >body || return 1
		case $(api_status) in
		200) [ $limited = 0 ] || { echo "200 after a 429" >&2; return 1; }; ok=$((ok + 1)) ;;
		429) limited=$((limited + 1)) ;;
		*) echo "status $(api_status)" >&2; return 1 ;;
		esac
	done &&
	echo "$ok logins, $limited refused" >&2 &&
	test $limited -gt 0 && test $ok -le 15 &&
	test "$(api_header Retry-After)" -gt 0
'

test_expect_success 'once the address is limited, even an account never tried is refused' '
	api POST /auth/login "$(login_body student30 "$DEMO_PASSWORD")" >body &&
	test "$(api_status)" = 429
'

test_expect_success 'sessions made before keep working' '
	edu_as student01 whoami >out &&
	test_grep student01 out
'

test_expect_success 'X-Forwarded-For from a peer not trusted is ignored: still limited' '
	API_CURL_ARGS=(-H "X-Forwarded-For: 203.0.113.99") &&
	api POST /auth/login "$(login_body student29 "$DEMO_PASSWORD")" >body &&
	API_CURL_ARGS=() &&
	test "$(api_status)" = 429
'

test_expect_success 'each attempt is counted in the database, the refused ones too' '
	before=$(addr_attempts 127.0.0.1) &&
	test "$before" -gt 20 &&
	api POST /auth/login "$(login_body student29 "$DEMO_PASSWORD")" >body &&
	test "$(api_status)" = 429 &&
	test "$(addr_attempts 127.0.0.1)" = $((before + 1)) &&
	test -z "$(addr_attempts 203.0.113.99)"
'

stop_edud
start_edud --login-max-failures 3 --login-max-per-address 20

test_expect_success 'a restart keeps the count: the address is still limited' '
	api POST /auth/login "$(login_body student28 "$DEMO_PASSWORD")" >body &&
	test "$(api_status)" = 429 &&
	test_json body .error.code rate_limited &&
	ra=$(api_header Retry-After) &&
	test "$ra" -gt 0 && test "$ra" -le 900
'

test_expect_success 'a refused address reaches no account: a wrong password counts no failure' '
	api POST /auth/login "$(login_body student27 wrong-password-1)" >body &&
	test "$(api_status)" = 429 &&
	test "$(failures_of student27)" = 0
'

stop_edud
start_edud --login-max-per-address 2 --trusted-proxies "10.0.0.0/8 127.0.0.1"

# login_from ADDRESS-LIST USER: a login through the proxy with X-Forwarded-For; prints the status
login_from () {
	API_CURL_ARGS=(-H "X-Forwarded-For: $1")
	api POST /auth/login "$(login_body "$2" "$DEMO_PASSWORD")" >body
	API_CURL_ARGS=()
	api_status
}

test_expect_success 'behind a trusted proxy each client address has its own limit' '
	test "$(login_from 203.0.113.5 student01)" = 200 &&
	test "$(login_from 203.0.113.5 student02)" = 200 &&
	test "$(login_from 203.0.113.5 student03)" = 429 &&
	test "$(login_from 203.0.113.6 student04)" = 200
'

test_expect_success 'a client cannot choose its address: the proxy appends the one it saw' '
	test "$(login_from "203.0.113.7, 203.0.113.5" student05)" = 429 &&
	test "$(login_from "203.0.113.6, 10.1.2.3" student06)" = 200 &&
	test "$(login_from "203.0.113.6, 10.1.2.3" student07)" = 429
'

test_expect_success 'the request log names the client, not the proxy' '
	test_grep " 203.0.113.6 POST /api/v1/auth/login 200 " "$EDU_TEST_DIR/edud.log"
'

test_expect_success 'a bad trusted_proxies entry stops edud with the entry named' '
	test_exit_code 1 edud_cmd --trusted-proxies "10.0.0.0/40" serve >out 2>err;
	test_grep "trusted_proxies: .10.0.0.0/40. is not an address" err
'

stop_edud
start_edud --login-max-per-address 2 --login-address-window 2 --trusted-proxies 127.0.0.1

test_expect_success 'when its window has ended, the address starts a new one' '
	test "$(login_from 203.0.113.30 student01)" = 200 &&
	test "$(login_from 203.0.113.30 student02)" = 200 &&
	test "$(login_from 203.0.113.30 student03)" = 429 &&
	ra=$(api_header Retry-After) &&
	test "$ra" -ge 1 && test "$ra" -le 2 &&
	test "$(addr_attempts 203.0.113.30)" = 3 &&
	sleep "$ra" &&
	test "$(login_from 203.0.113.30 student03)" = 200 &&
	test "$(addr_attempts 203.0.113.30)" = 1
'

stop_edud
start_edud --login-max-per-address 0 --trusted-proxies 127.0.0.1

test_expect_success 'login_max_per_address 0: no limit, and nothing counted' '
	before=$(addr_attempts 127.0.0.1) &&
	test "$before" -gt 20 &&
	token_for student04 >/dev/null &&
	test "$(login_from 203.0.113.31 student05)" = 200 &&
	test "$(login_from 203.0.113.31 student06)" = 200 &&
	test "$(login_from 203.0.113.31 student07)" = 200 &&
	test "$(addr_attempts 127.0.0.1)" = "$before" &&
	test -z "$(addr_attempts 203.0.113.31)"
'

# Wrong passwords sent all at once: each is counted before its hash is checked, one after
# the other, so no more than login_max_failures are tried however many come together.
stop_edud
start_edud --login-max-failures 5 --login-max-per-address 0

test_expect_success '20 wrong passwords at once: 5 are tried, 15 refused, 5 counted' '
	login_body student10 wrong-password-at-once >wrong.json &&
	seq 20 | xargs -P 20 -I{} curl -sS -o /dev/null -w "%{http_code}\n" \
		-H "Content-Type: application/json" --data-binary @wrong.json \
		"$EDU_TEST_URL/api/v1/auth/login" >codes &&
	sort codes | uniq -c >&2 &&
	test "$(grep -c "^401$" codes)" = 5 &&
	# refused: 429, or 503 when the server is too busy to wait for the account (a
	# loaded machine); either way not tried
	test "$(grep -Ec "^(429|503)$" codes)" = 15 &&
	test "$(failures_of student10)" = 5
'

test_expect_success 'a right password is not counted: it is forgiven' '
	token_for student11 >/dev/null &&
	test "$(failures_of student11)" = 0
'

test_done
