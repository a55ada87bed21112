#!/bin/bash
# 015-tokens: personal API tokens for scripts. `edu token create` makes read or write tokens;
# EDU_TOKEN lets a script use one without logging in; a read token cannot write; an API token
# cannot make more tokens or change a password; a revoked token is dead at once.
. "$(dirname "$0")/lib.sh"

start_edud
seed_demo

# The client as a script runs it: no stored session, the token and server from the
# environment.
script_edu () {
	local token=$1
	shift
	EDU_SERVER=$EDU_TEST_URL EDU_TOKEN=$token "$EDU" --profile script "$@"
}

test_expect_success 'teacher1 makes a read token and a write token' '
	login_as teacher1 >out 2>err &&
	edu_as teacher1 --json token create nightly-report --scope read >read.json &&
	edu_as teacher1 --json token create grade-sync --scope write >write.json &&
	test_json read.json .scope read &&
	test_json write.json .scope write &&
	test_json read.json .name nightly-report &&
	rtok=$(jq -r .token read.json) && wtok=$(jq -r .token write.json) &&
	case $rtok in edu_pat_*) ;; *) false ;; esac &&
	case $wtok in edu_pat_*) ;; *) false ;; esac
'

test_expect_success 'a token name is unique for its user (exit 6, the server says why)' '
	test_exit_code 6 edu_as teacher1 token create grade-sync --scope read >out 2>err &&
	test_grep "you have an API token of that name already" err
'

test_expect_success 'token list shows both, without the secrets' '
	edu_as teacher1 token list >list &&
	test_grep nightly-report list &&
	test_grep grade-sync list &&
	test_grep -v -F "$rtok" list &&
	edu_as teacher1 --json token list >list.json &&
	test "$(jq "[.[] | .items? // . ] | flatten | length" list.json)" -ge 2 &&
	! grep -F "edu_pat_" list.json
'

test_expect_success 'the secret is stored nowhere in clear on the server' '
	pg_dump_edu >dump.sql &&
	! grep -F "$rtok" dump.sql &&
	! grep -F "${wtok#edu_pat_}" dump.sql
'

test_expect_success 'a script uses EDU_TOKEN with no login at all' '
	test ! -e "$XDG_STATE_HOME/edu/credentials/script.json" &&
	script_edu "$rtok" whoami >out 2>err &&
	test_grep teacher1 out &&
	script_edu "$rtok" --json whoami >me.json &&
	test_json me.json .username teacher1 &&
	test ! -e "$XDG_STATE_HOME/edu/credentials/script.json"
'

test_expect_success 'a read token reads over HTTP' '
	api_expect 200 GET /users/me "" "$rtok" >me.json &&
	test_json me.json .username teacher1
'

test_expect_success 'a read token cannot write (403)' '
	api PUT /users/me "{\"display_name\":\"Changed By Read\"}" "$rtok" >body &&
	test "$(api_status)" = 403 &&
	test_json body .error.code forbidden
'

test_expect_success 'a write token can write' '
	api_expect 200 PUT /users/me "{\"display_name\":\"Teacher One\"}" "$wtok" >me.json &&
	test_json me.json .display_name "Teacher One"
'

test_expect_success 'an API token cannot make more tokens (403)' '
	api POST /tokens "{\"name\":\"more\",\"scope\":\"write\"}" "$wtok" >body &&
	test "$(api_status)" = 403 &&
	api GET /tokens "" "$wtok" >body &&
	test "$(api_status)" = 403 &&
	test_exit_code 4 script_edu "$wtok" token create more --scope read >out 2>err &&
	test_grep "^edu: " err
'

test_expect_success 'an API token cannot change the password (403)' '
	api POST /users/me/password "{\"current_password\":\"$DEMO_PASSWORD\",\"new_password\":\"a-new-password-1\"}" "$wtok" >body &&
	test "$(api_status)" = 403 &&
	login_as teacher1 >out 2>err
'

test_expect_success 'an API token cannot end sessions (logout-all needs a session)' '
	api POST /auth/logout-all "" "$wtok" >body &&
	test "$(api_status)" = 403 &&
	edu_as teacher1 whoami >out
'

test_expect_success 'a token of another user is not listed, and cannot be revoked by id' '
	login_as teacher2 >out 2>err &&
	edu_as teacher2 --json token list >t2.json &&
	! grep -F nightly-report t2.json &&
	rid=$(jq -r .id read.json) &&
	test_exit_code 5 edu_as teacher2 token revoke "$rid" >out 2>err &&
	api_expect 200 GET /users/me "" "$rtok" >/dev/null
'

test_expect_success 'a bad scope is refused: a usage error in the client, 422 from the server' '
	test_exit_code 2 edu_as teacher1 token create bad --scope admin >out 2>err &&
	test_grep "^edu: " err &&
	tok=$(jq -r .access_token "$XDG_STATE_HOME/edu/credentials/teacher1.json") &&
	api POST /tokens "{\"name\":\"bad\",\"scope\":\"admin\"}" "$tok" >body &&
	test "$(api_status)" = 422 &&
	test_json body .error.field scope &&
	jq -r .error.message body >msg &&
	test_grep "is \"read\" or \"write\"$" msg
'

test_expect_success 'revoking the read token ends it at once (401)' '
	edu_as teacher1 token revoke "$rid" >out 2>err &&
	api GET /users/me "" "$rtok" >body &&
	test "$(api_status)" = 401 &&
	test_exit_code 3 script_edu "$rtok" whoami >out 2>err &&
	edu_as teacher1 token list >list &&
	test_grep -v nightly-report list
'

test_expect_success 'the write token still works' '
	script_edu "$wtok" whoami >out &&
	test_grep teacher1 out
'

test_expect_success 'a made-up token is 401' '
	api GET /users/me "" "edu_pat_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" >body &&
	test "$(api_status)" = 401 &&
	test_exit_code 3 script_edu "edu_pat_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" whoami >out 2>err
'

test_done
