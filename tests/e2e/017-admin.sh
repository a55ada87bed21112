#!/bin/bash
# 017-admin: school and user administration through the client. A super_admin creates
# schools; admins create, list, show, re-role, disable, enable and reset the users of their
# own school, within the limits of their role; a disabled user can neither log in nor use
# tokens made before.
. "$(dirname "$0")/lib.sh"

start_edud
seed_demo

test_expect_success 'root (super_admin), the principal and teacher1 log in' '
	login_as root >out 2>err &&
	login_as principal >out 2>err &&
	login_as teacher1 >out 2>err
'

test_expect_success 'root creates the school hill with its first admin' '
	edu_as root --json admin school create hill --name "Hillside Academy" --admin hana >hill.json &&
	test_json hill.json .slug hill &&
	test_json hill.json .name "Hillside Academy" &&
	test_json hill.json .admin.username hana &&
	test_json hill.json .admin.role school_admin &&
	hcode=$(jq -r .admin.activation_code hill.json) &&
	test -n "$hcode" && test "$hcode" != null
'

test_expect_success 'the new admin activates her account in the new school' '
	printf "%s\n" "hana-first-password" >pw &&
	edu --profile hana --server "$EDU_TEST_URL" activate --school hill --user hana \
		--code "$hcode" --password-stdin <pw >out 2>err &&
	edu_as hana --json whoami >me.json &&
	test_json me.json .role school_admin
'

test_expect_success 'root lists both schools; the principal sees only her own' '
	edu_as root admin school list >out &&
	test_grep -w demo out &&
	test_grep -w hill out &&
	edu_as principal admin school list >out &&
	test_grep -w demo out &&
	test_grep -v -w hill out
'

test_expect_success 'a school slug is unique (exit 6)' '
	test_exit_code 6 edu_as root admin school create hill --name "Again" --admin other >out 2>err &&
	test_grep "^edu: " err
'

test_expect_success 'only a super_admin creates schools (exit 4)' '
	test_exit_code 4 edu_as principal admin school create vale --name "Vale" --admin val >out 2>err &&
	test_grep "^edu: " err &&
	test_exit_code 4 edu_as teacher1 admin school create vale --name "Vale" --admin val >out 2>err
'

test_expect_success 'the principal creates a teacher' '
	edu_as principal --json admin user create mira --role teacher --email mira@demo.example.org \
		--name "Mira Okafor" >mira.json &&
	test_json mira.json .username mira &&
	test_json mira.json .role teacher &&
	test_json mira.json .email mira@demo.example.org &&
	mcode=$(jq -r .activation_code mira.json) &&
	printf "%s\n" "mira-first-password" >mpw &&
	edu --profile mira --server "$EDU_TEST_URL" activate --school demo --user mira \
		--code "$mcode" --password-stdin <mpw >out 2>err
'

test_expect_success 'a user name is unique in its school (exit 6)' '
	test_exit_code 6 edu_as principal admin user create mira --role student >out 2>err &&
	test_grep "already has a user with that username or email" err
'

test_expect_success 'a school slug is unique, and an email within a school (409 naming the field)' '
	test_exit_code 6 edu_as root admin school create hill --name "Hill again" --admin hal \
		>out 2>err &&
	test_grep "a school .hill. exists already" err &&
	admin=$(token_for principal) &&
	mira_id=$(jq -r .id mira.json) &&
	api_expect 409 PATCH /users/$mira_id "{\"email\": \"teacher1@demo.example.org\"}" \
		"$admin" >e.json &&
	test_json e.json .error.field email &&
	test_json e.json .error.code conflict &&
	mira=$(token_for mira mira-first-password) &&
	api_expect 409 PUT /users/me "{\"email\": \"teacher2@demo.example.org\"}" "$mira" >e.json &&
	test_json e.json .error.field email
'

test_expect_success 'but the same name in another school is fine' '
	edu_as hana --json admin user create mira --role student >hmira.json &&
	test_json hmira.json .username mira
'

test_expect_success 'user list shows the school, and only the school' '
	edu_as principal admin user list >list &&
	test_grep -w mira list &&
	test_grep -w student30 list &&
	test_grep -v -w hana list &&
	edu_as principal --json admin user list --role teacher >teachers.json &&
	jq -r ".. | .username? // empty" teachers.json | sort >names &&
	printf "%s\n" mira teacher1 teacher2 >expect &&
	test_cmp expect names
'

test_expect_success 'user show by name' '
	edu_as principal --json admin user show mira >show.json &&
	test_json show.json .display_name "Mira Okafor" &&
	test_json show.json .id "$(jq -r .id mira.json)"
'

test_expect_success 'a user of another school is not found (exit 5)' '
	test_exit_code 5 edu_as principal admin user show hana >out 2>err &&
	test_exit_code 5 edu_as principal admin user show "$(jq -r .admin.id hill.json)" >out 2>err
'

test_expect_success 'a teacher may not administer users (exit 4)' '
	test_exit_code 4 edu_as teacher1 admin user list >out 2>err &&
	test_exit_code 4 edu_as teacher1 admin user create eve --role student >out 2>err &&
	test_exit_code 4 edu_as teacher1 admin user disable student01 >out 2>err
'

test_expect_success 'set-role makes mira an admin' '
	edu_as principal admin user set-role mira admin >out 2>err &&
	edu_as principal --json admin user show mira >show.json &&
	test_json show.json .role admin
'

test_expect_success 'an admin may not give school_admin or super_admin (exit 4)' '
	login_as mira mira-first-password >out 2>err &&
	test_exit_code 4 edu_as mira admin user set-role student01 school_admin >out 2>err &&
	test_exit_code 4 edu_as mira admin user set-role student01 super_admin >out 2>err &&
	edu_as mira admin user set-role student01 teacher >out 2>err &&
	edu_as mira admin user set-role student01 student >out 2>err
'

test_expect_success 'nobody changes their own role or disables themselves (exit 4)' '
	test_exit_code 4 edu_as principal admin user set-role principal super_admin >out 2>err &&
	test_exit_code 4 edu_as principal admin user disable principal >out 2>err &&
	test_exit_code 4 edu_as mira admin user set-role mira school_admin >out 2>err
'

test_expect_success 'an unknown role is refused' '
	edu_as principal admin user set-role student02 headmaster >out 2>err
	case $? in 2|7) ;; *) false ;; esac
'

test_expect_success 'disable student03: its sessions and tokens end at once' '
	login_as student03 >out 2>err &&
	s3=$(token_for student03) &&
	edu_as principal admin user disable student03 >out 2>err &&
	edu_as principal --json admin user show student03 >show.json &&
	test_json show.json .disabled true &&
	api GET /users/me "" "$s3" >body &&
	test "$(api_status)" = 401 &&
	test_exit_code 3 edu_as student03 whoami >out 2>err
'

test_expect_success 'a disabled user cannot log in: told so with the right password (exit 4)' '
	test_exit_code 4 login_as student03 >out 2>err &&
	test_grep "^edu: " err &&
	test_grep disabled err &&
	test_exit_code 3 edu_as student03 whoami >out 2>err
'

test_expect_success 'and a wrong password for a disabled account is an ordinary 401' '
	test_exit_code 3 login_as student03 not-the-password >out 2>err
'

test_expect_success 'enable lets student03 log in again' '
	edu_as principal admin user enable student03 >out 2>err &&
	login_as student03 >out 2>err &&
	edu_as student03 whoami >out &&
	test_grep student03 out
'

test_expect_success 'the API token made before the disable stays dead' '
	login_as student04 >out 2>err &&
	pat=$(edu_as student04 token create cron --scope read) &&
	api_expect 200 GET /users/me "" "$pat" >/dev/null &&
	edu_as principal admin user disable student04 >out 2>err &&
	api GET /users/me "" "$pat" >body &&
	test "$(api_status)" = 401 &&
	edu_as principal admin user enable student04 >out 2>err
'

test_expect_success 'reset clears the password and prints a new activation code' '
	edu_as principal --json admin user reset student05 >reset.json &&
	rcode=$(jq -r .activation_code reset.json) &&
	test -n "$rcode" && test "$rcode" != null &&
	test_exit_code 3 login_as student05 >out 2>err &&
	printf "%s\n" "student05-new-password" >pw5 &&
	edu --profile student05 --server "$EDU_TEST_URL" activate --school demo --user student05 \
		--code "$rcode" --password-stdin <pw5 >out 2>err &&
	edu_as student05 whoami >out &&
	test_grep student05 out
'

test_expect_success 'reset -q prints the code alone, for scripts' '
	edu_as principal -q admin user reset student06 >code &&
	test "$(wc -l <code)" = 1 &&
	test_grep -E "^[A-Za-z0-9_-]{6,}$" code
'

test_expect_success 'root acts in another school with --school' '
	edu_as root --json admin user create theo --role teacher --school hill >theo.json &&
	test_json theo.json .school_id "$(jq -r .id hill.json)" &&
	edu_as root admin user list --school hill >list &&
	test_grep -w theo list &&
	test_grep -w hana list &&
	test_grep -v -w teacher1 list
'

test_expect_success 'only a super_admin may use --school' '
	test_exit_code 4 edu_as principal admin user list --school hill >out 2>err ||
	test_exit_code 5 edu_as principal admin user list --school hill >out 2>err
'

test_done
