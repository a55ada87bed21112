#!/bin/bash
# 018-cpu-affinity: on the embedded cluster each HTTP worker and the PostgreSQL backend that
# serves it are pinned to one core, the workers dealt round the cores edud may use; with
# cpu_affinity off (or one core) nothing is pinned.
. "$(dirname "$0")/lib.sh"

ncpu=$(nproc)
all=$(awk '/^Cpus_allowed_list/ {print $2}' /proc/self/status)

# the cores a process or thread may run on, as a list ("0-1", "3")
cpus_of () {
	awk '/^Cpus_allowed_list/ {print $2}' "$1/status"
}

# every worker connects to the database only when it first serves a request: enough
# requests at once reach them all
busy () {
	local tok
	tok=$(token_for teacher1) || return 1
	seq 64 | xargs -P 16 -I{} curl -s -o /dev/null -H "Authorization: Bearer $tok" \
		"$EDU_TEST_URL/api/v1/users/me"
}

# one line per edud backend of the cluster: its cores
backend_cpus () {
	local pid
	for pid in $(psql_admin -c "SELECT pid FROM pg_stat_activity
			WHERE usename = 'edu_app' AND application_name = 'edud'"); do
		cpus_of "/proc/$pid"
	done
}

# one line per HTTP worker thread of edud: its cores
worker_cpus () {
	local t
	for t in /proc/"$EDUD_PID"/task/*; do
		[ "$(cat "$t/comm")" = MHD-worker ] && cpus_of "$t"
	done
}

start_edud --threads 4
seed_demo

test_expect_success 'workers serve requests and hold database connections' '
	busy &&
	backend_cpus >backends &&
	test "$(wc -l <backends)" -ge 2
'

if [ "$ncpu" -ge 2 ]; then
	test_expect_success 'each backend of a worker is pinned to one core' '
		test_grep -v -e , -e - backends
	'

	test_expect_success 'the backends share the workers cores, dealt round them' '
		worker_cpus | grep -v -e , -e - | sort -u >workers &&
		sort -u backends >backend-set &&
		test_cmp workers backend-set &&
		test "$(wc -l <backend-set)" -ge 2
	'
else
	test_expect_success 'on one core nothing is pinned' '
		sort -u backends >backend-set &&
		echo "$all" >expect &&
		test_cmp expect backend-set
	'
fi

test_expect_success 'edud itself (its main thread) is not pinned' '
	test "$(cpus_of /proc/$EDUD_PID)" = "$all"
'

stop_edud
start_edud --threads 4 --cpu-affinity false

test_expect_success 'with cpu_affinity false nothing is pinned' '
	busy &&
	backend_cpus | sort -u >backend-set &&
	worker_cpus | sort -u >workers &&
	echo "$all" >expect &&
	test_cmp expect backend-set &&
	test_cmp expect workers
'

test_done
