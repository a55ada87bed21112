#!/bin/bash
# Benchmark: GET /api/v1/users/me with a bearer token (a token check and one primary-key
# read), loaded with wrk on loopback, against nginx serving a static response of the same
# size from memory on the same machine in the same run: nginx is the ceiling.
#
#	bench/users-me.sh [SECONDS] [CONNECTIONS]	(defaults: 10 s, 64 connections)
#
# Run from a build tree (or set EDUD and EDU). Prints req/s, p99 and max latency and wrk's
# socket errors for both, each the better of two runs taken in turns (edud, nginx, edud,
# nginx), and their ratio. Target: edud at least 30% of nginx's req/s with p99 under 10 ms.
# Also edud with an API token instead of a JWT (one run), and how many token checks edud
# answered per database round trip (its batcher, auth.c).
# Benchmarks print figures; they never fail a build.

secs=${1:-10}
conns=${2:-64}
. "$(dirname "$0")/../tests/e2e/lib.sh"

for tool in wrk nginx; do
	command -v "$tool" >/dev/null 2>&1 ||
		[ -x "/usr/sbin/$tool" ] || bail_out "'$tool' not found: run scripts/deps.sh"
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# wrk's latency figure ("1.23ms", "845.00us", "1.02s") in milliseconds
to_ms () {
	awk -v v="$1" 'BEGIN {
		n = v + 0
		if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000
		printf "%.2f", n
	}'
}

# run_wrk NAME URL [HEADER]: prints "req/s p99ms maxms socket-errors"
run_wrk () {
	local name=$1 url=$2 header=${3:-} out=wrk-$1.txt
	if [ -n "$header" ]; then
		wrk -t2 -c"$conns" -d"${secs}s" --latency -H "$header" "$url" >"$out" 2>&1
	else
		wrk -t2 -c"$conns" -d"${secs}s" --latency "$url" >"$out" 2>&1
	fi
	local rps p99 max non2xx errors
	rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
	p99=$(awk '$1 == "99%" {print $2}' "$out")
	max=$(awk '$1 == "Latency" && NF >= 4 {print $4}' "$out")
	non2xx=$(awk '/Non-2xx/ {print $NF}' "$out")
	# "Socket errors: connect 0, read 0, write 0, timeout 0": their sum (timeouts are not in
	# the latency figures)
	errors=$(awk '/Socket errors:/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$out")
	if [ -z "$rps" ] || [ -n "$non2xx" ]; then
		cat "$out" >&2
		bail_out "$name: wrk failed or saw errors (see above)"
	fi
	echo "$rps $(to_ms "$p99") $(to_ms "$max") ${errors:-0}"
}

start_edud --access-ttl 3600 --log-requests false
seed_demo
token=$(token_for teacher1) || bail_out "cannot log in as teacher1"
api GET /users/me "" "$token" >me.json
[ "$(api_status)" = 200 ] || bail_out "GET /users/me answered $(api_status)"
size=$(stat -c %s me.json)

# nginx: the same bytes, from memory (open_file_cache), two workers like edud's two cores
mkdir -p nginx/logs nginx/www
cp me.json nginx/www/me.json
chmod -R a+rX nginx
# start_nginx PORT: starts nginx listening on PORT; 0 once it answers, 1 when it exited (the
# port was taken)
start_nginx () {
	local port=$1
	cat >nginx/nginx.conf <<CONF
worker_processes 2;
daemon off;
error_log $EDU_TEST_DIR/nginx/logs/error.log;
pid $EDU_TEST_DIR/nginx/nginx.pid;
events { worker_connections 1024; }
http {
	access_log off;
	open_file_cache max=16;
	keepalive_requests 1000000;
	server {
		listen 127.0.0.1:$port;
		location = /api/v1/users/me {
			default_type application/json;
			alias $EDU_TEST_DIR/nginx/www/me.json;
		}
	}
}
CONF
	"$NGINX" -p "$EDU_TEST_DIR/nginx" -c "$EDU_TEST_DIR/nginx/nginx.conf" 2>>nginx/start.err &
	nginx_pid=$!
	for _ in $(seq 50); do
		curl -fs "http://127.0.0.1:$port/api/v1/users/me" >/dev/null && return 0
		kill -0 "$nginx_pid" 2>/dev/null || { wait "$nginx_pid"; return 1; }
		sleep 0.1
	done
	return 0
}

# A port below the kernel's ephemeral range, where no connection of the machine can hold
# it; another one when it is taken all the same.
read -r low _ </proc/sys/net/ipv4/ip_local_port_range
started=no
for _ in 1 2 3 4 5 6 7 8; do
	nport=$(( 10000 + RANDOM % (low - 10000) ))
	if start_nginx "$nport"; then
		started=yes
		break
	fi
done
[ $started = yes ] || { cat nginx/start.err >&2; bail_out "nginx could not listen on a free port"; }
test_when_finished "kill $nginx_pid; wait $nginx_pid"
curl -fs "http://127.0.0.1:$nport/api/v1/users/me" | cmp -s - me.json ||
	bail_out "nginx does not serve the response"

# warm both, then measure edud, nginx, edud, nginx: the machine is shared, so each gets the
# best of its two runs, taken in turns so that neither has the quieter moments
wrk -t2 -c"$conns" -d2s -H "Authorization: Bearer $token" "$EDU_TEST_URL/api/v1/users/me" >/dev/null 2>&1
wrk -t2 -c"$conns" -d2s "http://127.0.0.1:$nport/api/v1/users/me" >/dev/null 2>&1
edud_url=$EDU_TEST_URL/api/v1/users/me nginx_url=http://127.0.0.1:$nport/api/v1/users/me
e1=$(run_wrk edud1 "$edud_url" "Authorization: Bearer $token")
n1=$(run_wrk nginx1 "$nginx_url")
e2=$(run_wrk edud2 "$edud_url" "Authorization: Bearer $token")
n2=$(run_wrk nginx2 "$nginx_url")
for run in "$e1" "$n1" "$e2" "$n2"; do
	[ -n "$run" ] || bail_out "a wrk run failed (see above)"
done
# faster RUN RUN: the one ("req/s p99") with more requests a second
faster () {
	awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); print (x[1] >= y[1] ? a : b) }'
}
# the same request with an API token (scripts and cron use them), one run: not in the ratio
pat=$(api POST /tokens '{"name": "bench", "scope": "read"}' "$token" | jq -r .token)
[ "$(api_status)" = 201 ] || bail_out "cannot make an API token: POST /tokens answered $(api_status)"
p1=$(run_wrk edud-pat "$edud_url" "Authorization: Bearer $pat")
read -r p_rps p_p99 p_max p_err <<<"$p1"
read -r e_rps e_p99 e_max e_err < <(faster "$e1" "$e2")
read -r n_rps n_p99 n_max n_err < <(faster "$n1" "$n2")
ratio=$(awk -v e="$e_rps" -v n="$n_rps" 'BEGIN { printf "%.1f", 100 * e / n }')
# how many token checks shared one database round trip (auth.c's batcher), over all runs
per_trip=$(api GET /metrics | awk '$1 == "edud_auth_batches_total" { b = $2 }
	$1 == "edud_auth_batched_checks_total" { c = $2 }
	END { printf "%.1f", (b > 0 ? c / b : 0) }')

{
	echo "GET /api/v1/users/me, $size-byte response, wrk -t2 -c$conns -d${secs}s, $(nproc) cores"
	printf '%-8s %12s %10s %10s %8s\n' server 'req/s' 'p99 ms' 'max ms' 'errors'
	printf '%-8s %12.0f %10s %10s %8s   (runs: %.0f / %.0f req/s)\n' nginx "$n_rps" "$n_p99" \
		"$n_max" "$n_err" "${n1%% *}" "${n2%% *}"
	printf '%-8s %12.0f %10s %10s %8s   (runs: %.0f / %.0f req/s)\n' edud "$e_rps" "$e_p99" \
		"$e_max" "$e_err" "${e1%% *}" "${e2%% *}"
	printf '%-8s %12.0f %10s %10s %8s   (with an API token instead of a JWT, one run)\n' \
		edud-pat "$p_rps" "$p_p99" "$p_max" "$p_err"
	echo "edud/nginx: ${ratio}% of req/s (target >= 30%); edud p99 ${e_p99} ms (target < 10 ms)"
	echo "edud: $per_trip token checks a database round trip, on average (/metrics)"
} >&5
test_count=0
test_done
