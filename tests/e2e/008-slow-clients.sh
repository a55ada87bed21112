#!/bin/bash
# 008-slow-clients: slow and crowding clients cannot stop edud. 1,100 connections from one
# address and a few from others each send a request's header one byte a second, and never
# end it: the address past max_connections_per_address is refused at once, every slow
# header is cut at header_timeout however it trickles, and meanwhile a normal request from
# another address is answered promptly. A JSON body whose Content-Length is past max_body
# is refused with 413 before any of it is sent.
. "$(dirname "$0")/lib.sh"

SLOW=$top_builddir/tests/e2e/slow-clients
[ -x "$SLOW" ] || bail_out "no slow-clients helper at '$SLOW' (make check builds it)"
# 1,100 connections here and as many in edud: the hard limit must allow them
hard=$(ulimit -Hn)
[ "$hard" = unlimited ] || [ "$hard" -ge 2500 ] ||
	bail_out "the open-file limit ($hard) is too low for 1,100 connections"

# The defaults: 256 connections per address, a header within 10 s, 10,000 in all. edud
# starts with the soft limit most machines give (1024), as a service started by hand
# would, and raises it to the hard limit itself.
ulimit -S -n 1024
start_edud
ulimit -S -n "$hard"
seed_demo
port=${EDU_TEST_URL##*:}
token=$(token_for teacher1) || bail_out "cannot log in as teacher1"

# from ADDRESS: curl from that local address (127.0.0.0/8 is all loopback)
# [--max-time S] at the end of the command: curl gives up after S seconds
from () {
	API_CURL_ARGS=(--interface "$1")
	shift
	if [ "${*: -2:1}" = --max-time ]; then
		API_CURL_ARGS+=(--max-time "${*: -1}")
		set -- "${@:1:$#-2}"
	fi
	"$@"
	local rc=$?
	API_CURL_ARGS=()
	return $rc
}

metric () {
	curl -sS --interface 127.0.0.9 "$EDU_TEST_URL/metrics" | awk -v m="$1" '$1 == m { print $2 }'
}

test_expect_success 'the configuration shows the three limits' '
	edud_cmd --print-config >config &&
	test_grep "^max_connections = 10000$" config &&
	test_grep "^max_connections_per_address = 256$" config &&
	test_grep "^header_timeout = 10$" config
'

# held for 16 s: the 10 s deadline passes, with room for a loaded machine
"$SLOW" "$port" 16 127.0.0.1:1100 127.0.0.2:5 127.0.0.3:5 127.0.0.4:5 >slow.out 2>slow.err &
slow_pid=$!
test_when_finished "kill $slow_pid"
for i in $(seq 100); do
	grep -q '^held$' slow.out && break
	sleep 0.1
done

test_expect_success '1,115 slow connections are open' '
	test_grep "^held$" slow.out
'

test_expect_success 'meanwhile a request from another address is answered promptly' '
	sleep 1 &&
	t=$(curl -sS --interface 127.0.0.5 --max-time 5 -o /dev/null -w "%{http_code} %{time_total}" \
		"$EDU_TEST_URL/health") &&
	echo "status and time: $t" >&2 &&
	test "${t%% *}" = 200 &&
	awk -v t="${t##* }" "BEGIN { exit !(t < 1.0) }" &&
	from 127.0.0.6 api_expect 200 GET /users/me "" "$token" --max-time 5 >me.json &&
	test_json me.json .username teacher1
'

test_expect_success 'and from an address with a few slow connections' '
	from 127.0.0.2 api_expect 200 GET /ready --max-time 5 >/dev/null
'

test_expect_success 'the crowding address gets no answer while it holds its limit' '
	! curl -sS --interface 127.0.0.1 --max-time 5 -o /dev/null "$EDU_TEST_URL/health" 2>curl.err &&
	cat curl.err >&2
'

test_expect_success 'the slow connections past the limit were refused at once' '
	wait $slow_pid &&
	cat slow.out >&2 &&
	read -r addr _ connected _ early _ late _ open _ first _ last < <(grep "^127.0.0.1 " slow.out) &&
	test "$connected" = 1100 &&
	test "$early" = $((1100 - 256)) &&
	test "$late" = 256
'

test_expect_success 'the others were cut at header_timeout although they kept sending' '
	grep "^127.0.0.1 " slow.out | awk "{ exit !(\$9 == 0 && \$11 >= 9.5 && \$13 <= 13) }" &&
	for a in 127.0.0.2 127.0.0.3 127.0.0.4; do
		grep "^$a connected 5 early 0 late 5 open 0 " slow.out >/dev/null || return 1
		grep "^$a " slow.out | awk "{ exit !(\$11 >= 9.5 && \$13 <= 13) }" || return 1
	done
'

test_expect_success 'the crowding address is served again once they are gone' '
	api_expect 200 GET /health >/dev/null
'

test_expect_success '/metrics counts the refused and the cut connections' '
	test "$(metric edud_connections_refused_total)" -ge $((1100 - 256)) &&
	test "$(metric edud_connections_timed_out_total)" -ge $((256 + 15))
'

test_expect_success 'the log says so in one line, not one per connection' '
	n=$(grep -c "max_connections_per_address" edud.log) &&
	test "$n" -ge 1 && test "$n" -le 2 &&
	test_grep -v "incomplete request" edud.log
'

# raw_request FILE: sends FILE's bytes on a new connection and prints what comes back
# within 5 s (the connection is left open from our side: an answer must not wait for it)
raw_request () {
	exec 7<>"/dev/tcp/127.0.0.1/$port" || return 1
	cat "$1" >&7
	timeout 5 cat <&7
	exec 7>&-
}

test_expect_success 'a JSON body past max_body is refused before any of it is sent' '
	printf "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n" >big.req &&
	raw_request big.req >big.out &&
	head -n 1 big.out >status &&
	test_grep "^HTTP/1.1 413 " status &&
	test_grep "too_large" big.out
'

test_expect_success 'so is one that announces it with Expect: 100-continue' '
	head -c 2000001 /dev/zero | tr "\0" " " >big.json &&
	t=$(curl -sS -o big.body -w "%{http_code} %{size_upload}" -H "Expect: 100-continue" \
		-H "Content-Type: application/json" --data-binary @big.json \
		"$EDU_TEST_URL/api/v1/auth/login") &&
	echo "status and bytes sent: $t" >&2 &&
	test "${t%% *}" = 413 &&
	test "${t##* }" -lt 2000001 &&
	test_json big.body .error.code too_large
'

test_expect_success 'a body within max_body is read as before' '
	api_expect 401 POST /auth/login "{\"school\":\"demo\",\"username\":\"teacher1\",\"password\":\"wrong-password\"}" >/dev/null
'

test_done
