#!/bin/bash
# 012-logout: `edu logout` ends this session only; `edu logout --all` ends every session and
# every access token of the user, wherever they were made.
. "$(dirname "$0")/lib.sh"

start_edud
seed_demo

creds=$XDG_STATE_HOME/edu/credentials

refresh_body () {
	jq -cn --arg t "$1" '{refresh_token: $t}'
}

test_expect_success 'teacher1 logs in twice (profiles a and b) and once over HTTP' '
	printf "%s\n" "$DEMO_PASSWORD" >pw &&
	edu --profile a --server "$EDU_TEST_URL" login --school demo --user teacher1 --password-stdin <pw &&
	edu --profile b --server "$EDU_TEST_URL" login --school demo --user teacher1 --password-stdin <pw &&
	tok=$(token_for teacher1) &&
	edu_as a whoami && edu_as b whoami &&
	api_expect 200 GET /users/me "" "$tok" >/dev/null
'

test_expect_success 'logout ends the session of profile a' '
	refresh_a=$(jq -r .refresh_token "$creds/a.json") &&
	edu_as a logout >out 2>err &&
	test ! -e "$creds/a.json"
'

test_expect_success 'profile a is now logged out (exit 3)' '
	test_exit_code 3 edu_as a whoami >out 2>err &&
	test_grep "edu login" err
'

test_expect_success 'the refresh token of a was revoked on the server' '
	api POST /auth/refresh "$(refresh_body "$refresh_a")" >body &&
	test "$(api_status)" = 401
'

test_expect_success 'profile b and the HTTP session still work' '
	edu_as b whoami >out &&
	test_grep teacher1 out &&
	api_expect 200 GET /users/me "" "$tok" >/dev/null &&
	api_expect 200 POST /auth/refresh "$(refresh_body "$(jq -r .refresh_token session-teacher1.json)")" >s.json
'

test_expect_success 'logging out twice is fine' '
	edu_as a logout >out 2>err || test $? = 3
'

test_expect_success 'logout over HTTP: 204 and the token is dead' '
	t2=$(token_for teacher2) &&
	r=$(jq -r .refresh_token session-teacher2.json) &&
	api_expect 204 POST /auth/logout "$(refresh_body "$r")" >/dev/null &&
	api POST /auth/refresh "$(refresh_body "$r")" >body &&
	test "$(api_status)" = 401
'

test_expect_success 'teacher1 logs in again as a, and student01 logs in (another user)' '
	edu --profile a --server "$EDU_TEST_URL" login --school demo --user teacher1 --password-stdin <pw &&
	login_as student01 >out 2>err &&
	other=$(jq -r .access_token s.json) &&
	api_expect 200 GET /users/me "" "$other" >/dev/null
'

test_expect_success 'logout --all from profile a' '
	edu_as a logout --all >out 2>err &&
	test ! -e "$creds/a.json"
'

test_expect_success 'the access token of the HTTP session is rejected at once' '
	api GET /users/me "" "$other" >body &&
	test "$(api_status)" = 401
'

test_expect_success 'and its refresh token too' '
	api POST /auth/refresh "$(refresh_body "$(jq -r .refresh_token s.json)")" >body &&
	test "$(api_status)" = 401
'

test_expect_success 'profile b was ended too: exit 3 and log in again' '
	test_exit_code 3 edu_as b whoami >out 2>err &&
	test_grep "edu login" err
'

test_expect_success 'another user was not touched' '
	edu_as student01 whoami >out &&
	test_grep student01 out
'

test_expect_success 'logout-all needs a session' '
	api POST /auth/logout-all >body &&
	test "$(api_status)" = 401
'

test_expect_success 'teacher1 can log in again afterwards' '
	edu --profile a --server "$EDU_TEST_URL" login --school demo --user teacher1 --password-stdin <pw &&
	edu_as a whoami >out &&
	test_grep teacher1 out
'

test_done
