#!/bin/bash
# 025-terminal-safe: text from the server is an injection into the user's terminal. A
# student gives herself a display name full of escape sequences (CSI, OSC, DCS), carriage
# returns, backspaces, a C1 CSI, DEL and bidi overrides; `edu whoami`, `edu admin user
# list` and `edu admin user show` (as tables, --json and --csv) print none of those bytes
# yet still the visible text, a newline in a one-line cell cannot start a new row, and
# edud's log holds none of them either.
. "$(dirname "$0")/lib.sh"
[ -f "$top_srcdir/tests/e2e/data/security.sh" ] || bail_out "no tests/e2e/data/security.sh"
. "$top_srcdir/tests/e2e/data/security.sh"

start_edud
seed_demo

# As a JSON string: every escape is JSON's, so the bytes reach the server only through it.
HOSTILE='"Mallory \u001b[31mRED\u001b[0m \u001b]0;owned-title\u0007 \u001bPq#0;2;0;0;0\u001b\\ \r\b\bX \u009b31m c1 \u007f del \u202eevil\u202c \u2066iso\u2069 Lovelace"'
TWO_LINES='"Firstline\nSecondline"'

# The bytes of a JSON string, as the database must hold them.
json_text () {
	jq -j . <<<"$1"
}

# USER's display name, from the database (the superuser sees every school).
stored_name () {
	psql_admin -v u="$1" <<'EOF'
SELECT display_name FROM edu.users u JOIN edu.schools s ON s.id = u.school_id
WHERE s.slug = 'demo' AND u.username = :'u';
EOF
}

# Makes sure USER's display name is exactly the JSON string's text: if edud refused or
# cleaned it (which is its right), the superuser writes it, so the client still meets it.
force_name () {
	local user=$1 text
	text=$(json_text "$2")
	[ "$(stored_name "$user")" = "$text" ] && return 0
	echo "# edud did not store the name as sent; writing it in the database" >&2
	psql_admin -v u="$1" -v t="$text" <<'EOF'
UPDATE edu.users u SET display_name = :'t' FROM edu.schools s
WHERE s.id = u.school_id AND s.slug = 'demo' AND u.username = :'u';
EOF
	[ "$(stored_name "$user")" = "$text" ]
}

# The output is clean and still says what the name says.
clean_and_visible () {
	local file=$1
	shift
	sec_no_terminal_bytes "$file" || return 1
	for word in "$@"; do
		test_grep -F "$word" "$file" || return 1
	done
}

test_expect_success 'a student sets a display name full of control sequences over HTTP' '
	STUDENT=$(token_for student01) &&
	api PUT /users/me "{\"display_name\":$HOSTILE}" "$STUDENT" >answer.json &&
	case $(api_status) in
	200|422) ;;
	*) echo "PUT /users/me: $(api_status)" >&2; false ;;
	esac &&
	STUDENT2=$(token_for student02) &&
	api PUT /users/me "{\"display_name\":$TWO_LINES}" "$STUDENT2" >answer2.json &&
	case $(api_status) in 200|422) ;; *) false ;; esac
'

test_expect_success 'the database holds the hostile names, raw' '
	force_name student01 "$HOSTILE" &&
	force_name student02 "$TWO_LINES" &&
	stored_name student01 >stored.txt &&
	! sec_no_terminal_bytes stored.txt 2>/dev/null
'

test_expect_success 'edu whoami prints the name without a control byte' '
	login_as student01 >out 2>err &&
	edu_as student01 whoami >out 2>err &&
	clean_and_visible out Mallory Lovelace &&
	sec_no_terminal_bytes err
'

test_expect_success 'edu --json whoami has no raw control byte, and is still JSON' '
	edu_as student01 --json whoami >out.json 2>err &&
	sec_no_terminal_bytes out.json &&
	sec_no_terminal_bytes err &&
	jq -e ".display_name | contains(\"Mallory\") and contains(\"Lovelace\")" out.json
'

test_expect_success 'edu admin user list prints the name without a control byte' '
	login_as principal >out 2>err &&
	edu_as principal admin user list >out 2>err &&
	clean_and_visible out Mallory student01 &&
	sec_no_terminal_bytes err
'

test_expect_success 'a newline in a display name does not start a row of its own' '
	test_grep -F Firstline out &&
	! grep -q "^Secondline" out &&
	test "$(grep -c student out)" -ge 30 &&
	test "$(grep -F Firstline out | grep -c student02)" = 1
'

test_expect_success 'edu --json admin user list has no raw control byte' '
	edu_as principal --json admin user list >list.json 2>err &&
	sec_no_terminal_bytes list.json && sec_no_terminal_bytes err &&
	jq -e . list.json >/dev/null &&
	test_grep -F Mallory list.json
'

test_expect_success 'edu --csv admin user list has no raw control byte' '
	edu_as principal --csv admin user list >list.csv 2>err &&
	sec_no_terminal_bytes list.csv && sec_no_terminal_bytes err &&
	test_grep -F Mallory list.csv
'

test_expect_success 'edu admin user show prints the name without a control byte' '
	edu_as principal admin user show student01 >out 2>err &&
	clean_and_visible out Mallory Lovelace &&
	sec_no_terminal_bytes err &&
	edu_as principal --json admin user show student01 >out.json 2>err &&
	sec_no_terminal_bytes out.json
'

test_expect_success 'edud'"'"'s log holds none of those bytes' '
	test -s "$EDU_TEST_DIR/edud.log" &&
	sec_no_terminal_bytes "$EDU_TEST_DIR/edud.log"
'

test_done
