# The library every end-to-end test sources. A test drives the real binaries: it starts a
# real edud on its own embedded PostgreSQL in a private temporary directory, seeds the demo
# school, and runs the real `edu` client and curl against it. It prints TAP, which
# `make check` reads through automake's tap-driver.sh.
#
# A test looks like this (git's t/test-lib.sh is the model):
#
#	#!/bin/bash
#	# 010-login: logging in and out with the edu client
#	. "$(dirname "$0")/lib.sh"
#	start_edud
#	seed_demo
#	test_expect_success 'teacher logs in' '
#		login_as teacher1 &&
#		edu_as teacher1 whoami >out &&
#		test_grep teacher1 out
#	'
#	test_done
#
# Running one test by hand, from the build tree: `make check TESTS=tests/e2e/010-login.sh`
# (the log is tests/e2e/010-login.log), or `bash ../tests/e2e/010-login.sh` inside the
# build tree (it finds ./server/edud and ./cli/edu). EDU_TEST_KEEP=1 keeps the temporary
# directory (edud.log, the cluster) and prints where it is.
#
# Test bodies run in the test's own shell (variables set in one test are seen by the next),
# in the temporary directory, with stdin from /dev/null. Their output goes to stderr, which
# is the test's log; only the TAP lines go to stdout. Chain commands with && so that any
# failing step fails the test.
#
# Tests:
#   test_expect_success NAME BODY	passes when BODY exits 0
#   test_expect_code CODE NAME BODY	passes when BODY exits with CODE
#   test_expect_failure NAME BODY	a known breakage (TAP TODO): reported, not counted as a
#					failure; passing again is reported so the mark is removed
#   test_done				stops edud; adds a test that every edud of the script
#					exited 0 on TERM and left no cluster running, and one that
#					no program (edud, edu) wrote a sanitizer report; prints the
#					plan; exits non-zero when a test failed
#   test_when_finished CMD		runs CMD when the script ends (use it for anything a test
#					starts: a second server, a tmux session)
#
# Helpers for bodies (each returns non-zero and says why on stderr when the check fails):
#   test_cmp EXPECT ACTUAL		the files are the same (diff -u)
#   test_grep [-v] [GREP-OPTS] PATTERN FILE	PATTERN is in FILE (-v: in no line of FILE); prints FILE when not
#   test_exit_code CODE CMD [ARGS]	CMD exits with CODE (its output is left on stdout/stderr)
#   test_must_be_empty FILE		FILE is empty (else it is printed)
#   test_mode MODE PATH			PATH has permission bits MODE (octal, e.g. 600)
#   test_json FILE JQ-FILTER EXPECT	jq -r FILTER on FILE prints EXPECT
#
# Server:
#   start_edud [--KEY VALUE]...		starts edud (embedded cluster under $EDU_TEST_DATA, port 0,
#					--port-file) and waits for /ready; extra flags go to edud.
#					Exports EDU_TEST_URL, EDU_TEST_DATA, EDUD_PID. May be
#					called again after stop_edud (same data, other flags)
#   stop_edud				TERM, then KILL after 30 s; sets EDUD_STATUS to its exit
#					status; stops the cluster if edud left it running (and the
#					second edud, if one runs, before all that)
#   start_edud2 [--KEY VALUE]...	a second edud on the same database, as two servers behind
#					one load balancer: the first one's data_dir (so its JWT key
#					and file store) and config, and its cluster through
#					--database-url (edu_app) and --database-owner-url (edu_owner)
#					on the cluster's socket; its own port, log edud2.log. After
#					start_edud; extra flags go to edud. Exports EDU_TEST_URL2,
#					EDUD2_PID. To call it: EDU_TEST_URL=$EDU_TEST_URL2 api ...
#   stop_edud2				TERM, then KILL after 30 s. stop_edud, test_done and the exit
#					trap stop it before the first edud, and test_done checks that
#					it, too, exited 0
#   edud_cmd ARGS...			runs edud with the test's config, data and SQL dirs
#					(e.g. `edud_cmd init --school x --name X --admin a`)
#   seed_demo [--password P]		`edud demo`: school demo, users root, principal,
#					teacher1, teacher2, student01..student30 ($DEMO_PASSWORD)
#
# HTTP (curl, never through edu):
#   api METHOD PATH [JSON] [TOKEN]	prints the response body; PATH is under /api/v1 unless it
#					starts with /health, /ready, /metrics or /api/. The status
#					is in the file api.status (`api_status` prints it) and the
#					headers in api.headers (`api_header NAME` prints one).
#					Extra curl arguments: the array API_CURL_ARGS
#   api_expect STATUS METHOD PATH [JSON] [TOKEN]	as api, and fails unless the status is STATUS
#   token_for USER [PASSWORD] [SCHOOL]	logs in over HTTP, prints the access token; the whole
#					session JSON is left in session-USER.json
#
# Client (the real edu, isolated: XDG_CONFIG_HOME, XDG_STATE_HOME and XDG_CACHE_HOME point
# into the temporary directory, and EDU_SERVER, EDU_TOKEN, EDU_PROFILE are unset):
#   edu ARGS...				runs the edu binary under test
#   login_as USER [PASSWORD] [SCHOOL]	`edu --profile USER --server URL login --school SCHOOL
#					--user USER --password-stdin`
#   edu_as USER ARGS...			`edu --profile USER ARGS...`
#
# Database (psql over the cluster's Unix socket; -X -q -At, ON_ERROR_STOP):
#   psql_app [PSQL-ARGS]		as edu_app, the server's role (row-level security applies)
#   psql_owner [PSQL-ARGS]		as edu_owner, who owns the schema
#   psql_admin [PSQL-ARGS]		as edu_admin, the cluster's superuser
#   stored_files			the files of the file store (data_dir/files), temporary ones
#					included, relative to it, sorted
#   stored_rows				"FILES UPLOADS": how many rows edu.files and edu.uploads hold
#   addr_attempts ADDRESS		the login attempts counted for ADDRESS in its window (from
#					login_address_windows; nothing when it has none)
#   pg_dump_edu [PG_DUMP-ARGS]		pg_dump of the database edu (as edu_admin), e.g. to
#					check that a secret is stored nowhere in clear
#
# Variables: EDUD, EDU (binaries), top_srcdir, top_builddir, EDU_TEST_DIR (the temporary
# directory, also the current directory of the bodies), EDU_TEST_DATA, EDU_TEST_URL,
# DEMO_PASSWORD, DEMO_SCHOOL.
#
# A test that cannot find PostgreSQL, curl, jq, psql or a binary fails loudly ("Bail out!"),
# it never skips. Whatever happens (a failure, a signal, a killed edud), the exit trap stops
# edud, stops the cluster with `pg_ctl stop -m immediate` and removes the temporary directory.

# TAP goes to fd 5 (the script's stdout); everything else, bodies included, to stderr.
# The check helpers write why they failed to fd 6, the log, so that a body's own
# redirection (test_exit_code 3 edu whoami 2>err) cannot swallow it.
exec 5>&1 1>&2 6>&2 </dev/null

export LC_ALL=C.UTF-8 TZ=UTC

test_count=0
test_failed=0
test_fixed=0
test_broken=0
test_cleanup=()
EDUD_PID=
EDUD_STATUS=
EDUD2_PID=
EDU_TEST_URL2=
edud_bad_exits=
EDU_TEST_URL=
DEMO_PASSWORD=demo-password
DEMO_SCHOOL=demo

test_name=$(basename "$0" .sh)

bail_out () {
	echo "Bail out! $test_name: $*" >&5
	echo "$test_name: $*" >&2
	exit 1
}

# --- what the tests need ---------------------------------------------------------------

# Inside a build tree, by hand: take its binaries.
if [ -z "${top_builddir:-}" ]; then
	if [ -f ./Makefile ] && [ -d ./server ]; then
		top_builddir=$(pwd)
	else
		top_builddir=
	fi
fi
if [ -z "${top_srcdir:-}" ]; then
	top_srcdir=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fi
: "${EDUD:=$top_builddir/server/edud}"
: "${EDU:=$top_builddir/cli/edu}"

[ -x "$EDUD" ] || bail_out "no edud binary at '$EDUD' (build first, or set EDUD)"
[ -x "$EDU" ] || bail_out "no edu binary at '$EDU' (build first, or set EDU)"
[ -d "$top_srcdir/server/sql" ] || bail_out "no SQL migrations in '$top_srcdir/server/sql'"
for tool in curl jq; do
	command -v "$tool" >/dev/null 2>&1 ||
		bail_out "'$tool' not found: run scripts/deps.sh (Debian package $tool)"
done

if [ -z "${EDU_TEST_PG_BINDIR:-}" ] || [ ! -x "$EDU_TEST_PG_BINDIR/pg_ctl" ]; then
	EDU_TEST_PG_BINDIR=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
[ -n "$EDU_TEST_PG_BINDIR" ] && [ -x "$EDU_TEST_PG_BINDIR/pg_ctl" ] ||
	bail_out "PostgreSQL server programs (pg_ctl) not found: run scripts/deps.sh (Debian package postgresql)"
[ -x "$EDU_TEST_PG_BINDIR/psql" ] ||
	bail_out "psql not found in '$EDU_TEST_PG_BINDIR': run scripts/deps.sh (Debian package postgresql)"

# Nothing from the caller's environment may steer edud or edu: every EDU_* variable goes,
# except the harness's own EDU_TEST_*.
for v in $(compgen -e); do
	case $v in
	EDU_TEST_*) ;;
	EDU_*) unset "$v" ;;
	esac
done

# --- the environment of the programs under test ------------------------------------------
# edud and edu run as a service or a cron job runs them: with the PATH of a fresh machine
# (PostgreSQL's bin directory is not on it), no HOME (the tests set XDG_*), and nothing
# else but the variables their manual pages list under ENVIRONMENT: edud(8) for edud,
# edu(1) for edu, read from the pages themselves. So a program that depends on anything
# else in the environment fails a test here, on any machine, however the machine running
# the tests is set up. "$EDUD" and "$EDU" are wrappers that start the real binaries with
# `env -i` and those variables only (and the sanitizers' settings, which are the test's).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
unset HOME
EDUD_BIN=$EDUD EDU_BIN=$EDU

# The variables a manual page lists in its ENVIRONMENT section: every *NAME* in capitals.
man_env_names_ () {
	sed -n '/^# ENVIRONMENT/,/^# [A-Z]/p' "$1" | grep -oE '\*[A-Z][A-Z0-9_]+\*' | tr -d '*' |
		sort -u
}

# --- the private directory -------------------------------------------------------------

# Short, under /tmp: the cluster's socket path must fit in 107 bytes. 0755 so that the
# cluster's user (postgres, when the tests run as root) can reach its data.
EDU_TEST_DIR=$(mktemp -d "/tmp/edu-$test_name.XXXXXX") || bail_out "cannot create a temporary directory"
chmod 755 "$EDU_TEST_DIR"
EDU_TEST_DATA=$EDU_TEST_DIR/data
export EDU_TEST_DIR EDU_TEST_DATA EDU_TEST_URL
export XDG_CONFIG_HOME=$EDU_TEST_DIR/home/config
export XDG_STATE_HOME=$EDU_TEST_DIR/home/state
export XDG_CACHE_HOME=$EDU_TEST_DIR/home/cache
export XDG_DATA_HOME=$EDU_TEST_DIR/home/data
# Not exported (see above); a test of what HOME does exports it itself.
HOME=$EDU_TEST_DIR/home
mkdir -p "$HOME"
# In a sanitizer build, every report of edud and edu (a leak, a bad access, undefined
# behaviour, a data race) goes to a file here, so that none is lost in output a test redirected;
# test_done fails the script when there is one.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$EDU_TEST_DIR/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$EDU_TEST_DIR/sanitizer"
export TSAN_OPTIONS="${TSAN_OPTIONS:+$TSAN_OPTIONS:}log_path=$EDU_TEST_DIR/sanitizer"
# An empty config file, so a system-wide edu.conf cannot change what is tested.
: >"$EDU_TEST_DIR/edud.conf"

# write_env_wrapper_ PATH BINARY MANPAGE: PATH runs BINARY in the environment described above.
write_env_wrapper_ () {
	local names
	names=$(man_env_names_ "$3" | tr '\n' ' ')
	[ -n "$names" ] || bail_out "no ENVIRONMENT section in $3"
	cat >"$1" <<EOF || bail_out "cannot write $1"
#!/bin/bash
# $(basename "$2") with only what $(basename "$3" .scd) documents (lib.sh)
args=()
for v in $names ASAN_OPTIONS UBSAN_OPTIONS TSAN_OPTIONS LSAN_OPTIONS; do
	[ -n "\${!v+x}" ] && args+=("\$v=\${!v}")
done
exec /usr/bin/env -i "\${args[@]}" $(printf '%q' "$2") "\$@"
EOF
	chmod 755 "$1"
}
mkdir -p "$EDU_TEST_DIR/bin"
for page in "$top_srcdir/man/edud.8.scd" "$top_srcdir/man/edu.1.scd.in"; do
	[ -f "$page" ] || bail_out "no manual page $page"
done
write_env_wrapper_ "$EDU_TEST_DIR/bin/edud" "$EDUD_BIN" "$top_srcdir/man/edud.8.scd"
write_env_wrapper_ "$EDU_TEST_DIR/bin/edu" "$EDU_BIN" "$top_srcdir/man/edu.1.scd.in"
EDUD=$EDU_TEST_DIR/bin/edud EDU=$EDU_TEST_DIR/bin/edu
cd "$EDU_TEST_DIR" || bail_out "cannot enter $EDU_TEST_DIR"

# Runs a command as the owner of the cluster's data (postgres refuses root).
as_cluster_owner () {
	local owner
	owner=$(stat -c %U "$EDU_TEST_DATA/pg/data" 2>/dev/null || echo root)
	if [ "$(id -u)" -eq 0 ] && [ "$owner" != root ]; then
		runuser -u "$owner" -- "$@"
	else
		"$@"
	fi
}

stop_cluster () {
	[ -f "$EDU_TEST_DATA/pg/data/postmaster.pid" ] || return 0
	as_cluster_owner "$EDU_TEST_PG_BINDIR/pg_ctl" stop -m immediate -w -t 30 \
		-D "$EDU_TEST_DATA/pg/data" >/dev/null 2>&1 || true
}

test_exit_trap () {
	local status=$? cmd
	set +e
	for cmd in "${test_cleanup[@]}"; do
		eval "$cmd" >/dev/null 2>&1
	done
	# the second edud too when the first is gone already (stop_edud stops it first)
	stop_edud2
	if [ -n "$EDUD_PID" ]; then
		stop_edud
	fi
	# Always, even when edud said it stopped: nothing may outlive the test.
	stop_cluster
	if [ "${EDU_TEST_KEEP:-}" = 1 ]; then
		echo "$test_name: kept $EDU_TEST_DIR" >&2
	else
		cd / && rm -rf "$EDU_TEST_DIR"
	fi
	exit "$status"
}
trap test_exit_trap EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

test_when_finished () {
	test_cleanup+=("$1")
}

# --- edud ------------------------------------------------------------------------------

edud_cmd () {
	"$EDUD" --config "$EDU_TEST_DIR/edud.conf" --data-dir "$EDU_TEST_DATA" \
		--sql-dir "$top_srcdir/server/sql" "$@"
}

# Prints the end of edud's log, for the test log when something went wrong.
edud_log_tail () {
	[ -f "$EDU_TEST_DIR/edud.log" ] || return 0
	echo "--- last lines of edud.log ---"
	tail -n "${1:-40}" "$EDU_TEST_DIR/edud.log"
	echo "---"
}

start_edud () {
	local waited=0 port= limit=${EDU_TEST_START_TIMEOUT:-180}

	[ -z "$EDUD_PID" ] || bail_out "start_edud: edud is already running (stop_edud first)"
	mkdir -p "$EDU_TEST_DATA"
	chmod 755 "$EDU_TEST_DATA"
	rm -f "$EDU_TEST_DIR/port"
	echo "# starting edud $*" >>"$EDU_TEST_DIR/edud.log"
	# Not through edud_cmd: $! must be edud itself, not a subshell running it.
	"$EDUD" --config "$EDU_TEST_DIR/edud.conf" --data-dir "$EDU_TEST_DATA" \
		--sql-dir "$top_srcdir/server/sql" --listen 127.0.0.1:0 \
		--port-file "$EDU_TEST_DIR/port" "$@" serve >>"$EDU_TEST_DIR/edud.log" 2>&1 &
	EDUD_PID=$!
	# Ten tries a second; initdb under the sanitizers takes a while.
	while :; do
		if ! kill -0 "$EDUD_PID" 2>/dev/null; then
			wait "$EDUD_PID"
			EDUD_STATUS=$?
			EDUD_PID=
			edud_log_tail
			bail_out "edud exited with status $EDUD_STATUS while starting (log above)"
		fi
		if [ -s "$EDU_TEST_DIR/port" ]; then
			port=$(cat "$EDU_TEST_DIR/port")
			EDU_TEST_URL=http://127.0.0.1:$port
			[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$EDU_TEST_URL/ready")" = 200 ] && break
		fi
		waited=$((waited + 1))
		if [ "$waited" -ge $((limit * 10)) ]; then
			edud_log_tail
			bail_out "edud not ready after $limit s (log above)"
		fi
		sleep 0.1
	done
	export EDU_TEST_URL EDUD_PID
}

# stop_pid PID NAME: TERM, then KILL after 30 s; returns PID's exit status
stop_pid () {
	local i
	kill -TERM "$1" 2>/dev/null
	for ((i = 0; i < 300; i++)); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$1" 2>/dev/null; then
		echo "$test_name: $2 did not stop within 30 s of TERM: killing it" >&2
		kill -KILL "$1" 2>/dev/null
	fi
	wait "$1" 2>/dev/null
}

stop_edud () {
	# the second edud first: this one's cluster is its database
	stop_edud2
	[ -n "$EDUD_PID" ] || return 0
	stop_pid "$EDUD_PID" edud
	EDUD_STATUS=$?
	EDUD_PID=
	[ "$EDUD_STATUS" = 0 ] || edud_bad_exits="$edud_bad_exits $EDUD_STATUS"
	# edud stops its cluster; if it could not, nothing may be left running.
	if [ -f "$EDU_TEST_DATA/pg/data/postmaster.pid" ]; then
		echo "$test_name: edud left its PostgreSQL running: stopping it" >&2
		edud_bad_exits="$edud_bad_exits cluster-left-running"
		stop_cluster
	fi
	return 0
}

start_edud2 () {
	local waited=0 port= db limit=${EDU_TEST_START_TIMEOUT:-180} log=$EDU_TEST_DIR/edud2.log

	[ -n "$EDUD_PID" ] || bail_out "start_edud2: start_edud first (its cluster is the database)"
	[ -z "$EDUD2_PID" ] || bail_out "start_edud2: the second edud is already running"
	port=$(pg_socket_port) || bail_out "start_edud2: the first edud's cluster has no socket"
	db="host=$EDU_TEST_DATA/pg/run port=$port dbname=edu"
	rm -f "$EDU_TEST_DIR/port2"
	echo "# starting edud $*" >>"$log"
	"$EDUD" --config "$EDU_TEST_DIR/edud.conf" --data-dir "$EDU_TEST_DATA" \
		--sql-dir "$top_srcdir/server/sql" --listen 127.0.0.1:0 \
		--database-url "$db user=edu_app" --database-owner-url "$db user=edu_owner" \
		--port-file "$EDU_TEST_DIR/port2" "$@" serve >>"$log" 2>&1 &
	EDUD2_PID=$!
	while :; do
		if ! kill -0 "$EDUD2_PID" 2>/dev/null; then
			wait "$EDUD2_PID"
			echo "--- last lines of edud2.log ---"; tail -n 40 "$log"; echo "---"
			EDUD2_PID=
			bail_out "the second edud exited while starting (log above)"
		fi
		if [ -s "$EDU_TEST_DIR/port2" ]; then
			EDU_TEST_URL2=http://127.0.0.1:$(cat "$EDU_TEST_DIR/port2")
			[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$EDU_TEST_URL2/ready")" = 200 ] && break
		fi
		waited=$((waited + 1))
		if [ "$waited" -ge $((limit * 10)) ]; then
			echo "--- last lines of edud2.log ---"; tail -n 40 "$log"; echo "---"
			bail_out "the second edud not ready after $limit s (log above)"
		fi
		sleep 0.1
	done
	export EDU_TEST_URL2 EDUD2_PID
}

stop_edud2 () {
	local status
	[ -n "$EDUD2_PID" ] || return 0
	stop_pid "$EDUD2_PID" "the second edud"
	status=$?
	EDUD2_PID=
	[ "$status" = 0 ] || edud_bad_exits="$edud_bad_exits edud2:$status"
	return 0
}

seed_demo () {
	edud_cmd demo "$@" >>"$EDU_TEST_DIR/edud.log" 2>&1 || {
		edud_log_tail
		bail_out "edud demo failed (log above)"
	}
}

# --- HTTP ------------------------------------------------------------------------------

API_CURL_ARGS=()

api () {
	local method=$1 path=$2 body=${3-} token=${4-} url
	local args=(-sS --max-time 60 -X "$method" -o "$EDU_TEST_DIR/api.body"
		-D "$EDU_TEST_DIR/api.headers" -w '%{http_code}')

	case $path in
	/health*|/ready*|/metrics*|/api/*) url=$EDU_TEST_URL$path ;;
	*) url=$EDU_TEST_URL/api/v1$path ;;
	esac
	[ -z "$body" ] || args+=(-H 'Content-Type: application/json' --data-binary "$body")
	[ -z "$token" ] || args+=(-H "Authorization: Bearer $token")
	if ! curl "${args[@]}" "${API_CURL_ARGS[@]}" "$url" >"$EDU_TEST_DIR/api.status"; then
		echo "api: curl $method $url failed" >&2
		echo 000 >"$EDU_TEST_DIR/api.status"
		return 1
	fi
	cat "$EDU_TEST_DIR/api.body"
}

api_status () {
	cat "$EDU_TEST_DIR/api.status"
}

# The value of one response header of the last call (case-insensitive name).
api_header () {
	awk -v name="$1" 'BEGIN { name = tolower(name) }
		{ sub(/\r$/, "") }
		tolower(substr($0, 1, index($0, ":") - 1)) == name {
			v = substr($0, index($0, ":") + 1); sub(/^[ \t]+/, "", v); print v }' \
		"$EDU_TEST_DIR/api.headers"
}

api_expect () {
	local want=$1 got
	shift
	api "$@" || return 1
	got=$(api_status)
	if [ "$got" != "$want" ]; then
		echo "api_expect: $1 $2: status $got, expected $want; body:" >&6
		cat "$EDU_TEST_DIR/api.body" >&6
		echo >&6
		return 1
	fi
}

token_for () {
	local user=$1 password=${2:-$DEMO_PASSWORD} school=${3:-$DEMO_SCHOOL} body
	body=$(jq -cn --arg s "$school" --arg u "$user" --arg p "$password" \
		'{school: $s, username: $u, password: $p}')
	api_expect 200 POST /auth/login "$body" >"$EDU_TEST_DIR/session-$user.json" || return 1
	jq -er .access_token "$EDU_TEST_DIR/session-$user.json"
}

# --- the edu client --------------------------------------------------------------------

edu () {
	"$EDU" "$@"
}

login_as () {
	local user=$1 password=${2:-$DEMO_PASSWORD} school=${3:-$DEMO_SCHOOL}
	printf '%s\n' "$password" |
		"$EDU" --profile "$user" --server "$EDU_TEST_URL" login --school "$school" \
			--user "$user" --password-stdin
}

edu_as () {
	local user=$1
	shift
	"$EDU" --profile "$user" "$@"
}

# --- the database ----------------------------------------------------------------------

# The cluster listens only on its socket; the port is the one in the socket's name.
pg_socket_port () {
	local s
	for s in "$EDU_TEST_DATA"/pg/run/.s.PGSQL.*; do
		case $s in
		*.lock) ;;
		*) [ -S "$s" ] && { echo "${s##*.}"; return 0; } ;;
		esac
	done
	echo "no PostgreSQL socket in $EDU_TEST_DATA/pg/run" >&2
	return 1
}

psql_as () {
	local role=$1 port
	shift
	port=$(pg_socket_port) || return 1
	"$EDU_TEST_PG_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$EDU_TEST_DATA/pg/run" \
		-p "$port" -U "$role" -d edu "$@"
}

stored_files () {
	(cd "$EDU_TEST_DATA/files" && find . -type f | sort)
}

stored_rows () {
	psql_admin <<'EOF'
SELECT (SELECT count(*) FROM edu.files) || ' ' || (SELECT count(*) FROM edu.uploads);
EOF
}

# addr_attempts ADDRESS: the login attempts counted in ADDRESS's window (nothing when it has none)
addr_attempts () {
	psql_admin -v a="$1" <<'EOF'
SELECT attempts FROM edu.login_address_windows WHERE addr = :'a';
EOF
}

pg_dump_edu () {
	local port
	port=$(pg_socket_port) || return 1
	"$EDU_TEST_PG_BINDIR/pg_dump" -h "$EDU_TEST_DATA/pg/run" -p "$port" -U edu_admin "$@" edu
}

psql_app () { psql_as edu_app "$@"; }
psql_owner () { psql_as edu_owner "$@"; }
psql_admin () { psql_as edu_admin "$@"; }

# --- checks ----------------------------------------------------------------------------

test_cmp () {
	diff -u "$1" "$2"
}

test_grep () {
	local invert= file
	if [ "$1" = -v ]; then
		invert=-v
		shift
	fi
	file=${*: -1}
	# -v means "no line matches" (not grep's "some line does not match"), and a file
	# that is missing is never a pass
	if [ ! -f "$file" ]; then
		echo "test_grep: no file '$file'" >&6
		return 1
	fi
	if [ -n "$invert" ]; then
		grep "$@" >/dev/null || return 0
	elif grep "$@" >/dev/null; then
		return 0
	fi
	if [ -n "$invert" ]; then
		echo "test_grep: '${*: -2:1}' found in $file:" >&6
	else
		echo "test_grep: '${*: -2:1}' not found in $file:" >&6
	fi
	cat "$file" >&6
	return 1
}

test_exit_code () {
	local want=$1 got
	shift
	"$@"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "test_exit_code: '$*' exited $got, expected $want" >&6
		return 1
	fi
}

test_must_be_empty () {
	if [ -s "$1" ]; then
		echo "test_must_be_empty: $1 is not empty:" >&6
		cat "$1" >&6
		return 1
	fi
}

test_mode () {
	local got
	got=$(stat -c %a "$2") || return 1
	if [ "$got" != "$1" ]; then
		echo "test_mode: $2 has mode $got, expected $1" >&6
		return 1
	fi
}

test_json () {
	local got
	got=$(jq -r "$2" "$1") || { echo "test_json: $1 is not JSON:" >&6; cat "$1" >&6; return 1; }
	if [ "$got" != "$3" ]; then
		echo "test_json: $2 in $1 is '$got', expected '$3'; the file:" >&6
		cat "$1" >&6
		return 1
	fi
}

# --- TAP -------------------------------------------------------------------------------

# Runs a body in this shell, in the test directory; prints its failing text on failure.
test_run_ () {
	echo "=== $test_count: $1" >&2
	cd "$EDU_TEST_DIR" || return 1
	eval "$2"
}

test_report_ () {
	local ok=$1 name=$2 body=$3 directive=${4-}
	if [ "$ok" = ok ]; then
		echo "ok $test_count - $name$directive" >&5
	else
		echo "not ok $test_count - $name$directive" >&5
		# The body, as TAP diagnostics, so the log says what failed.
		printf '%s\n' "$body" | sed 's/^/#	/' >&5
	fi
}

test_expect_success () {
	[ $# -eq 2 ] || bail_out "test_expect_success needs NAME and BODY"
	test_count=$((test_count + 1))
	if test_run_ "$1" "$2"; then
		test_report_ ok "$1" "$2"
	else
		test_failed=$((test_failed + 1))
		test_report_ "not ok" "$1" "$2"
	fi
}

test_expect_code () {
	local want=$1 got
	[ $# -eq 3 ] || bail_out "test_expect_code needs CODE, NAME and BODY"
	test_count=$((test_count + 1))
	test_run_ "$2" "$3"
	got=$?
	if [ "$got" = "$want" ]; then
		test_report_ ok "$2" "$3"
	else
		echo "exit code $got, expected $want" >&2
		test_failed=$((test_failed + 1))
		test_report_ "not ok" "$2" "$3"
	fi
}

test_expect_failure () {
	[ $# -eq 2 ] || bail_out "test_expect_failure needs NAME and BODY"
	test_count=$((test_count + 1))
	if test_run_ "$1" "$2"; then
		test_fixed=$((test_fixed + 1))
		test_report_ ok "$1" "$2" " # TODO known breakage vanished"
	else
		test_broken=$((test_broken + 1))
		test_report_ "not ok" "$1" "$2" " # TODO known breakage"
	fi
}

# A sanitizer report means a memory error, a leak, undefined behaviour or a data race, even
# if every test passed.
sanitizer_clean_ () {
	local f clean=0
	for f in "$EDU_TEST_DIR"/sanitizer.*; do
		[ -e "$f" ] || continue
		clean=1
		echo "--- sanitizer report $f ---" >&2
		cat "$f" >&2
	done
	if grep -s -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|WARNING: ThreadSanitizer' \
		"$EDU_TEST_DIR/edud.log" "$EDU_TEST_DIR/edud2.log" >/dev/null; then
		clean=1
	fi
	return $clean
}

test_done () {
	local started=no
	[ -f "$EDU_TEST_DIR/edud.log" ] && started=yes
	stop_edud
	if [ $started = yes ]; then
		test_count=$((test_count + 1))
		if [ -z "$edud_bad_exits" ]; then
			echo "ok $test_count - edud stopped cleanly" >&5
		else
			test_failed=$((test_failed + 1))
			echo "not ok $test_count - edud stopped cleanly" >&5
			echo "# exit statuses:$edud_bad_exits" >&5
		fi
	fi
	test_count=$((test_count + 1))
	if sanitizer_clean_; then
		echo "ok $test_count - no sanitizer reports from edud or edu" >&5
	else
		test_failed=$((test_failed + 1))
		echo "not ok $test_count - no sanitizer reports from edud or edu (see the log)" >&5
	fi
	echo "1..$test_count" >&5
	if [ "$test_failed" -gt 0 ]; then
		echo "# failed $test_failed of $test_count" >&5
		[ $started = yes ] && edud_log_tail 80 >&2
		exit 1
	fi
	exit 0
}
