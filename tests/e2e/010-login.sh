#!/bin/bash
# 010-login: logging in with the edu client, whoami in text and JSON, what a wrong password
# or an unknown school says, and where the session is kept (mode 0600 in a 0700 directory).
. "$(dirname "$0")/lib.sh"

start_edud
seed_demo

test_expect_success 'whoami before any login says to log in (exit 3)' '
	test_exit_code 3 edu --server "$EDU_TEST_URL" whoami >out 2>err &&
	test_grep "^edu: " err &&
	test_grep "edu login" err
'

test_expect_success 'teacher1 logs in with --password-stdin' '
	login_as teacher1 >out 2>err
'

test_expect_success 'whoami names the user and the role' '
	edu_as teacher1 whoami >out 2>err &&
	test_grep teacher1 out &&
	test_grep teacher out &&
	test_grep -v "eyJ" out
'

test_expect_success '--json whoami prints the user object' '
	edu_as teacher1 --json whoami >me.json &&
	test_json me.json .username teacher1 &&
	test_json me.json .role teacher &&
	test_json me.json .disabled false &&
	test_json me.json ".id | test(\"^[0-9a-f-]{36}$\")" true
'

test_expect_success 'the session is the same user the server knows over HTTP' '
	tok=$(token_for teacher1) &&
	api_expect 200 GET /users/me "" "$tok" >http.json &&
	test "$(jq -r .id http.json)" = "$(jq -r .id me.json)"
'

test_expect_success 'the credentials file is 0600 in a 0700 directory' '
	test_mode 600 "$XDG_STATE_HOME/edu/credentials/teacher1.json" &&
	test_mode 700 "$XDG_STATE_HOME/edu/credentials" &&
	jq -e ".access_token and .refresh_token" "$XDG_STATE_HOME/edu/credentials/teacher1.json" >/dev/null
'

test_expect_success 'a permissive umask changes nothing' '
	(umask 000 && login_as teacher2 >out 2>err) &&
	test_mode 600 "$XDG_STATE_HOME/edu/credentials/teacher2.json" &&
	test_mode 700 "$XDG_STATE_HOME/edu/credentials"
'

test_expect_success 'the password is stored nowhere' '
	test -d "$XDG_STATE_HOME/edu" &&
	! grep -r "$DEMO_PASSWORD" "$HOME"
'

test_expect_success 'the profile remembers the server and the school' '
	edu_as teacher1 config get server >out &&
	test_grep "$EDU_TEST_URL" out
'

test_expect_success 'a wrong password fails with exit 3 and a clear message' '
	printf "%s\n" "not-the-password" >pw &&
	test_exit_code 3 edu --profile wrong --server "$EDU_TEST_URL" login --school demo \
		--user teacher1 --password-stdin <pw >out 2>err &&
	test_grep "^edu: " err &&
	test_grep -i -E "password|credentials" err &&
	test ! -e "$XDG_STATE_HOME/edu/credentials/wrong.json"
'

test_expect_success 'an unknown user says the same as a wrong password' '
	printf "%s\n" "$DEMO_PASSWORD" >pw &&
	test_exit_code 3 edu --profile wrong --server "$EDU_TEST_URL" login --school demo \
		--user nobody-here --password-stdin <pw >out 2>err2 &&
	test_cmp err err2
'

test_expect_success 'an unknown school fails with exit 3 and a message' '
	printf "%s\n" "$DEMO_PASSWORD" >pw &&
	test_exit_code 3 edu --profile wrong --server "$EDU_TEST_URL" login --school no-such-school \
		--user teacher1 --password-stdin <pw >out 2>err &&
	test_grep "^edu: " err &&
	test ! -e "$XDG_STATE_HOME/edu/credentials/wrong.json"
'

test_expect_success 'the failed logins left the stored session alone' '
	edu_as teacher1 whoami >out &&
	test_grep teacher1 out
'

test_expect_success 'a wrong password over HTTP is 401 bad_credentials' '
	api POST /auth/login "{\"school\":\"demo\",\"username\":\"teacher1\",\"password\":\"wrong-password-x\"}" >body &&
	test "$(api_status)" = 401 &&
	test_json body .error.code bad_credentials
'

test_expect_success 'a server that is not there is exit 8' '
	test_exit_code 8 edu --server http://127.0.0.1:1 --profile nowhere login --school demo \
		--user teacher1 --password-stdin <pw >out 2>err &&
	test_grep "^edu: " err
'

test_done
