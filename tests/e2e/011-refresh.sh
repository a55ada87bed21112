#!/bin/bash
# 011-refresh: short access tokens are refreshed by the client without the user noticing;
# each refresh rotates the refresh token; reusing an old one (past the grace window) ends
# the whole family, and the access tokens of the user with it, and the client then says to
# log in again.
. "$(dirname "$0")/lib.sh"

start_edud --access-ttl 2 --refresh-grace 0
seed_demo

creds=$XDG_STATE_HOME/edu/credentials

# The JSON body of a refresh request.
refresh_body () {
	jq -cn --arg t "$1" '{refresh_token: $t}'
}

test_expect_success 'teacher1 logs in' '
	login_as teacher1 >out 2>err &&
	jq -r .refresh_token "$creds/teacher1.json" >refresh.before
'

test_expect_success 'after the access token expired, the client refreshes unnoticed' '
	sleep 3 &&
	edu_as teacher1 whoami >out 2>err &&
	test_grep teacher1 out &&
	test_must_be_empty err &&
	jq -r .refresh_token "$creds/teacher1.json" >refresh.after &&
	! test_cmp refresh.before refresh.after &&
	test_mode 600 "$creds/teacher1.json"
'

test_expect_success 'and again, with the rotated token it stored' '
	sleep 3 &&
	edu_as teacher1 --json whoami >me.json &&
	test_json me.json .username teacher1
'

test_expect_success 'an expired access token is 401 token_expired over HTTP' '
	tok=$(token_for teacher2) &&
	sleep 3 &&
	api GET /users/me "" "$tok" >body &&
	test "$(api_status)" = 401 &&
	test_json body .error.code token_expired
'

test_expect_success 'refresh rotates: a new access and refresh token' '
	r1=$(jq -r .refresh_token session-teacher2.json) &&
	api_expect 200 POST /auth/refresh "$(refresh_body "$r1")" >s2.json &&
	r2=$(jq -r .refresh_token s2.json) &&
	test -n "$r2" && test "$r2" != "$r1" &&
	test_json s2.json .token_type Bearer &&
	test_json s2.json .user.username teacher2 &&
	api_expect 200 GET /users/me "" "$(jq -r .access_token s2.json)" >me.json &&
	test_json me.json .username teacher2
'

test_expect_success 'reusing the old refresh token is refused' '
	api POST /auth/refresh "$(refresh_body "$r1")" >body &&
	test "$(api_status)" = 401
'

test_expect_success 'and it revoked the family: the child token stops working too' '
	api POST /auth/refresh "$(refresh_body "$r2")" >body &&
	test "$(api_status)" = 401
'

test_expect_success 'another session of the same user is not touched' '
	tok=$(token_for teacher2) &&
	r=$(jq -r .refresh_token session-teacher2.json) &&
	api_expect 200 POST /auth/refresh "$(refresh_body "$r")" >s.json
'

test_expect_success 'an access token is not a refresh token' '
	tok=$(token_for student01) &&
	api POST /auth/refresh "$(refresh_body "$tok")" >body &&
	case $(api_status) in 401|422) ;; *) false ;; esac
'

test_expect_success 'a made-up refresh token is 401' '
	api POST /auth/refresh "$(refresh_body "bm90LWEtdG9rZW4tYXQtYWxs")" >body &&
	test "$(api_status)" = 401 &&
	api POST /auth/refresh "{}" >body &&
	case $(api_status) in 400|401|422) ;; *) false ;; esac
'

test_expect_success 'the client session of student02 is stolen and used elsewhere' '
	login_as student02 >out 2>err &&
	stolen=$(jq -r .refresh_token "$creds/student02.json") &&
	api_expect 200 POST /auth/refresh "$(refresh_body "$stolen")" >thief.json
'

test_expect_success 'the client then reuses its (now old) token: exit 3, log in again' '
	sleep 3 &&
	test_exit_code 3 edu_as student02 whoami >out 2>err &&
	test_grep "^edu: " err &&
	test_grep "edu login" err
'

test_expect_success 'the reuse also ended the session the thief got' '
	api POST /auth/refresh "$(refresh_body "$(jq -r .refresh_token thief.json)")" >body &&
	test "$(api_status)" = 401
'

test_expect_success 'logging in again works' '
	login_as student02 >out 2>err &&
	edu_as student02 whoami >out &&
	test_grep student02 out
'

# Access tokens that live long enough to be stolen.
stop_edud
start_edud --access-ttl 600 --refresh-grace 0

test_expect_success 'a reused refresh token ends the access tokens too, not only the family' '
	a1=$(token_for teacher1) &&
	r1=$(jq -r .refresh_token session-teacher1.json) &&
	api_expect 200 POST /auth/refresh "$(refresh_body "$r1")" >thief.json &&
	a2=$(jq -r .access_token thief.json) &&
	api_expect 200 GET /users/me "" "$a2" >/dev/null &&
	api POST /auth/refresh "$(refresh_body "$r1")" >body &&
	test "$(api_status)" = 401 &&
	api GET /users/me "" "$a2" >body &&
	test "$(api_status)" = 401 &&
	api GET /users/me "" "$a1" >body &&
	test "$(api_status)" = 401
'

test_expect_success 'the user logs in again and works' '
	a3=$(token_for teacher1) &&
	api_expect 200 GET /users/me "" "$a3" >me.json &&
	test_json me.json .username teacher1
'

test_done
