#!/bin/bash
# 092-demo: scripts/demo, the README's first command, as a newcomer runs it: it starts edud
# on its embedded PostgreSQL, fills the demo school, adds a course with work to grade, and
# logs the user in as teacher1 in their own edu configuration. Run again, it reuses what
# runs and adds nothing twice; stop stops edud and its cluster. Here its state goes to the
# test's directory (EDU_DEMO_DIR), its port is a free one (EDU_DEMO_PORT), and it builds in
# this build tree (EDU_BUILD_DIR), where there is nothing left to build.
. "$(dirname "$0")/lib.sh"

[ -x "$top_srcdir/scripts/demo" ] || bail_out "no scripts/demo in $top_srcdir"

# a port nothing listens on
free_port () {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 20000))
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
	done
	return 1
}

export EDU_DEMO_DIR=$EDU_TEST_DIR/demo EDU_BUILD_DIR=$top_builddir
EDU_DEMO_PORT=$(free_port) || bail_out "no free port"
export EDU_DEMO_PORT
demo () {
	"$top_srcdir/scripts/demo" "$@"
}
test_when_finished 'demo stop >/dev/null 2>&1'

test_expect_success 'scripts/demo starts edud, fills the school and logs in teacher1' '
	demo >out 2>err &&
	test_grep "edu is running at http://127.0.0.1:$EDU_DEMO_PORT" out &&
	test_grep "adding a course with lessons, assignments and work to grade" out &&
	test_grep "^user *teacher1" out &&
	test_grep "student01 .. student30" out &&
	pid=$(cat "$EDU_DEMO_DIR/edud.pid") && kill -0 "$pid" &&
	demo status >out &&
	test_grep "running at http://127.0.0.1:$EDU_DEMO_PORT" out
'

test_expect_success 'edu is logged in as teacher1 on the demo profile, with no flag' '
	edu whoami >out &&
	test_grep "^user *teacher1" out &&
	test_grep "^profile *demo" out
'

test_expect_success 'the demo keeps no session of its own users in yours, nor anywhere' '
	(cd "$XDG_STATE_HOME/edu/credentials" && ls) >sessions &&
	echo demo.json >expect &&
	test_cmp expect sessions &&
	find "$EDU_DEMO_DIR" -name "*.json" -path "*credentials*" >left &&
	test_must_be_empty left &&
	grep "^\[" "$XDG_CONFIG_HOME/edu/config" >profiles &&
	echo "[profile demo]" >expect &&
	test_cmp expect profiles
'

test_expect_success 'the course is there: lessons, a lab report with its rubric, a late essay' '
	edu course list >out &&
	test_grep "Physics 1" out &&
	C=$(edu -q course list) && test -n "$C" &&
	edu lesson list "$C" >out &&
	test "$(grep -c -e "Measurement" -e "pendulum" -e "Graphs" out)" = 3 &&
	edu --json assignment list "$C" >as.json &&
	LAB=$(jq -er ".[] | select(.title | startswith(\"Lab report\")) | .id" as.json) &&
	ESSAY=$(jq -er ".[] | select(.title | startswith(\"Reading\")) | .id" as.json) &&
	edu rubric show "$LAB" >out &&
	test_grep "Data and uncertainty" out &&
	edu submission list "$ESSAY" >out &&
	test "$(grep -c late out)" = 2
'

test_expect_success 'five lab reports wait to be graded; three are graded, two released' '
	edu -q submission list "$LAB" --ungraded >ids &&
	test "$(wc -l <ids)" = 5 &&
	edu --json submission list "$LAB" >subs.json &&
	test_json subs.json "[.[] | select(.grade != null)] | length" 3 &&
	test_json subs.json "[.[] | select(.grade.released == true)] | length" 2 &&
	edu submission list "$LAB" >out &&
	test_grep -E "^student03 .* 16/20 draft " out &&
	test_grep -E "^student01 .* 20/20 " out
'

test_expect_success 'a student of the demo sees a released grade, and not a draft' '
	for u in student01 student03; do
		printf "%s\n" demo-password | edu --profile $u --server "$(cat "$EDU_DEMO_DIR/url")" \
			login --school demo --user $u --password-stdin >/dev/null || return 1
	done &&
	edu --profile student01 grades >out &&
	test_grep "Lab report 1" out &&
	test_grep "20/20" out &&
	edu --profile student03 grades >out &&
	test_grep -v "16/20" out
'

test_expect_success 'the teacher grades the next report with grade next' '
	printf "%s\n" 15 Complete Partial Weak "Good data" y q >answers &&
	edu grade next "$LAB" <answers >out 2>err &&
	test_grep "5 to grade" out &&
	test_grep "graded student04: 15/20 (released)" out
'

test_expect_success 'run again, it reuses the server and adds nothing twice' '
	pid=$(cat "$EDU_DEMO_DIR/edud.pid") &&
	demo >out 2>err &&
	test_grep "already running" out &&
	test_grep -v "adding a course" out &&
	test "$(cat "$EDU_DEMO_DIR/edud.pid")" = "$pid" &&
	test "$(edu -q course list | wc -l)" = 1
'

test_expect_success 'stop stops edud and its cluster' '
	pid=$(cat "$EDU_DEMO_DIR/edud.pid") &&
	data=$(cat "$EDU_DEMO_DIR/data-dir") &&
	demo stop >out &&
	test_grep "stopped edud" out &&
	! kill -0 "$pid" 2>/dev/null &&
	test ! -f "$data/pg/data/postmaster.pid" &&
	test_exit_code 1 demo status >out &&
	test_grep "not running" out
'

test_expect_success 'a real profile named demo, for another server, is never overwritten' '
	edu --profile demo config set server https://school.example >out 2>err &&
	cp "$XDG_STATE_HOME/edu/credentials/demo.json" real-session.json &&
	cp "$XDG_CONFIG_HOME/edu/config" real-config
'

test_expect_success 'started again on its data, it is the same school and course' '
	demo >out 2>err &&
	test_grep "your profile .demo. is for https://school.example: it is left as it is" out &&
	test "$(edu --profile demo config get server)" = https://school.example &&
	test_cmp real-session.json "$XDG_STATE_HOME/edu/credentials/demo.json" &&
	edu whoami >who &&
	test_grep "^profile *demo-$EDU_DEMO_PORT" who &&
	test_grep -v "filling the demo school" out &&
	test_grep -v "adding a course" out &&
	test "$(edu -q course list | wc -l)" = 1 &&
	edu -q submission list "$LAB" --ungraded >ids &&
	test "$(wc -l <ids)" = 4 &&
	demo stop >out
'

test_done
