#!/bin/bash
# 014-activation: an admin creates a user, who gets an activation code; `edu activate` sets
# the first password with it and logs in. A code works once, and not after activation_ttl.
. "$(dirname "$0")/lib.sh"

start_edud
seed_demo

activate_body () {
	jq -cn --arg u "$1" --arg c "$2" --arg p "$3" \
		'{school: "demo", username: $u, code: $c, password: $p}'
}

test_expect_success 'the principal creates the student ada' '
	login_as principal >out 2>err &&
	edu_as principal --json admin user create ada --role student --name "Ada Lovelace" >ada.json &&
	test_json ada.json .username ada &&
	test_json ada.json .role student &&
	test_json ada.json .activated false &&
	code=$(jq -r .activation_code ada.json) &&
	test -n "$code" && test "$code" != null
'

test_expect_success 'ada cannot log in before she is activated' '
	printf "%s\n" "$DEMO_PASSWORD" >pw &&
	test_exit_code 3 edu --profile ada --server "$EDU_TEST_URL" login --school demo \
		--user ada --password-stdin <pw >out 2>err
'

test_expect_success 'a wrong code is refused' '
	printf "%s\n" "ada-first-password" >newpw &&
	test_exit_code 3 edu --profile ada --server "$EDU_TEST_URL" activate --school demo \
		--user ada --code "not-$code" --password-stdin <newpw >out 2>err &&
	test_grep "^edu: " err
'

test_expect_success 'a password shorter than 12 characters is refused (exit 7)' '
	printf "%s\n" "short-pw" >shortpw &&
	test_exit_code 7 edu --profile ada --server "$EDU_TEST_URL" activate --school demo \
		--user ada --code "$code" --password-stdin <shortpw >out 2>err &&
	test_grep "^edu: " err
'

test_expect_success 'edu activate sets the password and logs ada in' '
	edu --profile ada --server "$EDU_TEST_URL" activate --school demo --user ada \
		--code "$code" --password-stdin <newpw >out 2>err &&
	edu_as ada --json whoami >me.json &&
	test_json me.json .username ada &&
	test_json me.json .activated true &&
	test_mode 600 "$XDG_STATE_HOME/edu/credentials/ada.json"
'

test_expect_success 'ada logs in with her new password' '
	test_exit_code 0 login_as ada ada-first-password >out 2>err
'

test_expect_success 'the code works only once' '
	api POST /auth/activate "$(activate_body ada "$code" another-password-1)" >body &&
	test "$(api_status)" = 401 &&
	login_as ada ada-first-password >out 2>err
'

test_expect_success 'an activated account cannot be activated again with any code' '
	test_exit_code 3 edu --profile ada2 --server "$EDU_TEST_URL" activate --school demo \
		--user ada --code "$code" --password-stdin <newpw >out 2>err
'

test_expect_success 'the code is stored nowhere in clear' '
	pg_dump_edu >dump.sql &&
	test_grep "CREATE TABLE" dump.sql &&
	! grep -F "$code" dump.sql
'

test_expect_success 'a reset ends the password and sessions and gives a fresh code' '
	edu_as principal --json admin user reset ada >reset.json &&
	rcode=$(jq -r .activation_code reset.json) &&
	test -n "$rcode" && test "$rcode" != null && test "$rcode" != "$code" &&
	test_exit_code 3 login_as ada ada-first-password >out 2>err &&
	test_exit_code 3 edu_as ada whoami >out 2>err &&
	printf "%s\n" "ada-second-password" >pw2 &&
	edu --profile ada --server "$EDU_TEST_URL" activate --school demo --user ada \
		--code "$rcode" --password-stdin <pw2 >out 2>err &&
	edu_as ada whoami >out &&
	test_grep ada out
'

test_expect_success 'edu activate --help says why not to give the code with --code' '
	edu activate --help >out &&
	test_grep -e "--code-stdin" out &&
	test_grep -e "--code CODE .*ps" out
'

test_expect_success '--code-stdin reads the code, then --password-stdin the password' '
	edu_as principal --json admin user create lin --role student >lin.json &&
	lcode=$(jq -r .activation_code lin.json) &&
	printf "%s\n%s\n" "$lcode" "lin-first-password" >in &&
	edu --profile lin --server "$EDU_TEST_URL" activate --school demo --user lin \
		--code-stdin --password-stdin <in >out 2>err &&
	test_grep "account activated" out &&
	edu_as lin --json whoami >me.json &&
	test_json me.json .activated true &&
	login_as lin lin-first-password >out 2>err
'

test_expect_success '--code-stdin with no code, or with --code too, is a usage error' '
	edu_as principal --json admin user create mei --role student >mei.json &&
	mcode=$(jq -r .activation_code mei.json) &&
	test_exit_code 2 edu --profile mei --server "$EDU_TEST_URL" activate --school demo \
		--user mei --code-stdin --password-stdin </dev/null >out 2>err &&
	test_grep "no activation code on standard input" err &&
	test_exit_code 2 edu --profile mei --server "$EDU_TEST_URL" activate --school demo \
		--user mei --code "$mcode" --code-stdin --password-stdin <newpw >out 2>err &&
	test_grep "not both" err
'

test_expect_success 'on a terminal edu asks for the code: it is never on the command line' '
	printf "%s\n%s\n" "$mcode" "mei-first-password" >in &&
	printf -v cmd "%q " "$EDU" --profile mei --server "$EDU_TEST_URL" activate \
		--school demo --user mei --password-stdin &&
	script -qec "$cmd" /dev/null <in >tty 2>&1 &&
	tr -d "\r" <tty >tty.lf &&
	test_grep "activation code: " tty.lf &&
	test_grep "account activated" tty.lf &&
	login_as mei mei-first-password >out 2>err
'

test_expect_success 'with activation_ttl 1, a code expires' '
	stop_edud &&
	start_edud --activation-ttl 1 &&
	login_as principal >out 2>err &&
	edu_as principal --json admin user create grace --role teacher >grace.json &&
	gcode=$(jq -r .activation_code grace.json) &&
	sleep 2 &&
	api POST /auth/activate "$(activate_body grace "$gcode" grace-first-password)" >body &&
	test "$(api_status)" = 401 &&
	test_exit_code 3 edu --profile grace --server "$EDU_TEST_URL" activate --school demo \
		--user grace --code "$gcode" --password-stdin <newpw >out 2>err &&
	test_grep "^edu: " err
'

test_done
