#!/bin/bash
# 016-passwd: `edu passwd` changes the password: the old one stops working, the new one
# works, the session that changed it goes on and every other session ends. Wrong current
# passwords and passwords outside 12..128 characters are refused.
. "$(dirname "$0")/lib.sh"

start_edud
seed_demo

refresh_body () {
	jq -cn --arg t "$1" '{refresh_token: $t}'
}

test_expect_success 'student01 has two client sessions and one over HTTP' '
	login_as student01 >out 2>err &&
	printf "%s\n" "$DEMO_PASSWORD" >pw &&
	edu --profile laptop --server "$EDU_TEST_URL" login --school demo --user student01 \
		--password-stdin <pw >out 2>err &&
	other=$(token_for student01) &&
	cp session-student01.json other.json
'

test_expect_success 'a wrong current password is refused (exit 3) and changes nothing' '
	printf "%s\n%s\n" "not-my-password" "brand-new-password-1" >in &&
	test_exit_code 3 edu_as student01 passwd --password-stdin <in >out 2>err &&
	test_grep "^edu: " err &&
	token_for student01 >/dev/null &&
	edu_as student01 whoami >out
'

test_expect_success 'a new password shorter than 12 characters is refused (exit 7)' '
	printf "%s\n%s\n" "$DEMO_PASSWORD" "too-short" >in &&
	test_exit_code 7 edu_as student01 passwd --password-stdin <in >out 2>err &&
	test_grep "^edu: " err &&
	token_for student01 >/dev/null
'

test_expect_success 'a new password longer than 128 characters is refused (exit 7)' '
	long=$(printf "x%.0s" $(seq 1 129)) &&
	printf "%s\n%s\n" "$DEMO_PASSWORD" "$long" >in &&
	test_exit_code 7 edu_as student01 passwd --password-stdin <in >out 2>err &&
	token_for student01 >/dev/null
'

test_expect_success 'edu passwd changes the password' '
	printf "%s\n%s\n" "$DEMO_PASSWORD" "brand-new-password-1" >in &&
	edu_as student01 passwd --password-stdin <in >out 2>err
'

test_expect_success 'the session that changed it goes on' '
	edu_as student01 whoami >out &&
	test_grep student01 out
'

test_expect_success 'the old password no longer works (exit 3)' '
	test_exit_code 3 login_as student01 >out 2>err
'

test_expect_success 'the new one does' '
	login_as student01 brand-new-password-1 >out 2>err &&
	token_for student01 brand-new-password-1 >/dev/null
'

test_expect_success 'the other client session ended: exit 3, log in again' '
	test_exit_code 3 edu_as laptop whoami >out 2>err &&
	test_grep "edu login" err
'

test_expect_success 'the other access token is rejected, and its refresh token too' '
	api GET /users/me "" "$other" >body &&
	test "$(api_status)" = 401 &&
	api POST /auth/refresh "$(refresh_body "$(jq -r .refresh_token other.json)")" >body &&
	test "$(api_status)" = 401
'

test_expect_success 'another student was not touched' '
	login_as student02 >out 2>err &&
	token_for student02 >/dev/null
'

test_expect_success 'over HTTP: a wrong current password is 401, a short new one 422, then it works' '
	tok=$(token_for student02) &&
	api POST /users/me/password "{\"current_password\":\"wrong-password-99\",\"new_password\":\"another-new-password\"}" "$tok" >body &&
	test "$(api_status)" = 401 &&
	api POST /users/me/password "{\"current_password\":\"$DEMO_PASSWORD\",\"new_password\":\"short\"}" "$tok" >body &&
	test "$(api_status)" = 422 &&
	api POST /users/me/password "{\"current_password\":\"$DEMO_PASSWORD\",\"new_password\":\"another-new-password\"}" "$tok" >body &&
	case $(api_status) in
	204) ;;
	200) test_json body .user.username student02 ;;	# a fresh session for this client
	*) false ;;
	esac &&
	token_for student02 another-new-password >/dev/null
'

test_expect_success 'a password is stored as a libxcrypt hash, never in clear' '
	pg_dump_edu >dump.sql &&
	! grep -F "brand-new-password-1" dump.sql &&
	! grep -F "another-new-password" dump.sql &&
	grep -E "\\\$(y|2b|gy|7)\\\$" dump.sql >/dev/null
'

test_done
