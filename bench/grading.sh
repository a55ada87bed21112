#!/bin/bash
# Benchmark: grading and uploads, in one run.
#
#	bench/grading.sh [SECONDS] [CONNECTIONS]	(defaults: 10 s, 8 connections)
#
# Run from a build tree (or set EDUD and EDU). Prints:
#
# 1. Submission upload throughput: a 50 MiB file of random bytes (head -c from /dev/urandom)
#    sent by a student with curl to POST /api/v1/uploads, in MiB/s, against `cp` of the same
#    file to the same disk in the same run (plain cp, and cp followed by an fsync of the copy,
#    since edud fsyncs what it stores before answering). Best of three each; every upload is
#    of different bytes, so none is answered from content already stored. Target: the upload
#    at least half as fast as cp. For the ceiling, the same curl uploads to bench/sink, the
#    least a receiver can do: "raw" only writes the bytes to a file, "store" does what edud
#    does (SHA-256, fsync, rename, fsync of the directory) plainly on one thread. And SHA-256
#    alone on one core (openssl speed, 1 MiB blocks): a stored file is named by the SHA-256
#    of all its bytes, computed in order on one thread, so it bounds any upload. Last, edud's
#    CPU time per 50 MiB upload (all its threads, from /proc), beside that of SHA-256 alone:
#    a figure that moves less than the speed when others share the machine.
# 2. edud's memory: its peak resident size (VmHWM in /proc/PID/status) before any upload, after
#    one of 5 MiB and after those of 50 MiB. An upload is streamed to disk, so the peak must not
#    grow with the file's size.
# 3. Grade saving: PUT /api/v1/submissions/{id}/grade requests per second under wrk, each a
#    real change of a grade (new score and comment, a history row) with the If-Match the
#    contract requires. wrk runs one connection per thread and each thread grades its own
#    submission; its Lua script takes the new version from each answer's ETag and sends it
#    as the next If-Match. So every request is a successful write, none is a cheap 412, and the
#    client does no extra read: what is measured is the server saving grades. (A shell loop
#    that read the version with curl before each PUT would mostly measure starting curl.)
#    After the run, the versions of the grades must add up to the 2xx answers wrk counted.
#
# Benchmarks print figures; they never fail a build.

secs=${1:-10}
conns=${2:-8}
. "$(dirname "$0")/../tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/data/security.sh"

command -v wrk >/dev/null 2>&1 || bail_out "'wrk' not found: run scripts/deps.sh"
[ "$conns" -ge 1 ] && [ "$conns" -le 30 ] || bail_out "CONNECTIONS must be 1 to 30 (one student each)"

MIB=1048576

now () { date +%s.%N; }

# MiB/s for BYTES in SECONDS
mibps () {
	awk -v b="$1" -v s="$2" -v m="$MIB" 'BEGIN { printf "%.0f", (s > 0 ? b / m / s : 0) }'
}

# The best (largest) of the numbers given
best () {
	printf '%s\n' "$@" | sort -g | tail -n 1
}

# edud's peak and current resident size, kB
vm_kb () {
	awk -v k="$1:" '$1 == k { print $2 }' "/proc/$EDUD_PID/status"
}

start_edud --access-ttl 3600 --log-requests false --login-max-per-address 100000
seed_demo
teacher=$(token_for teacher1) || bail_out "cannot log in as teacher1"
course=$(sec_course_new "$teacher" bench) || bail_out "cannot create a course"
assignment=$(sec_assignment_new "$teacher" "$course" bench) ||
	bail_out "cannot create an assignment"
students=()
subs=()
for i in $(seq -f %02g 1 "$conns"); do
	sec_enrol "$teacher" "$course" "student$i" || bail_out "cannot enrol student$i"
	t=$(token_for "student$i") || bail_out "cannot log in as student$i"
	students+=("$t")
	s=$(sec_submit "$t" "$assignment" "work of student$i") || bail_out "student$i cannot submit"
	subs+=("$s")
done
student=${students[0]}

# --- uploads ------------------------------------------------------------------------------

# upload FILE: prints seconds (curl's total time), fails unless the answer is a 201 of FILE
upload () {
	local file=$1 out
	out=$(curl -sS -o upload.json -w '%{http_code} %{time_total}' -X POST \
		-H "Authorization: Bearer $student" -H 'Content-Type: application/octet-stream' \
		--data-binary "@$file" \
		"$EDU_TEST_URL/api/v1/uploads?assignment=$assignment&filename=$(basename "$file")") ||
		return 1
	[ "${out%% *}" = 201 ] || { echo "upload of $file: ${out%% *}: $(cat upload.json)" >&2; return 1; }
	[ "$(jq -r .size upload.json)" = "$(stat -c %s "$file")" ] || return 1
	[ "$(jq -r .sha256 upload.json)" = "$(sha256sum "$file" | cut -d' ' -f1)" ] || return 1
	echo "${out#* }"
}

# copy FILE [fsync]: prints seconds for cp of FILE beside it (and the fsync of the copy)
copy () {
	local t0 t1
	rm -f copy.bin
	t0=$(now)
	cp "$1" copy.bin || return 1
	[ -z "${2-}" ] || sync copy.bin || return 1
	t1=$(now)
	rm -f copy.bin
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }'
}

head -c 65536 /dev/urandom >warm.bin
head -c $((5 * MIB)) /dev/urandom >f5.bin
for i in 1 2 3; do
	head -c $((50 * MIB)) /dev/urandom >"f50-$i.bin"
done
size50=$((50 * MIB))
# The data directory and the files are on one file system, so cp and edud write to one disk.
[ "$(stat -c %d f5.bin)" = "$(stat -c %d "$EDU_TEST_DATA")" ] ||
	bail_out "the test files and edud's data directory are on different file systems"

upload warm.bin >/dev/null || bail_out "a small upload failed"
hwm_before=$(vm_kb VmHWM) anon_before=$(vm_kb RssAnon)
upload f5.bin >/dev/null || bail_out "the 5 MiB upload failed"
hwm_5=$(vm_kb VmHWM) anon_5=$(vm_kb RssAnon)
up=()
# edud's CPU time (user + system, in clock ticks, its finished threads included)
cpu_ticks () {
	awk '{ print $14 + $15 }' "/proc/$EDUD_PID/stat"
}
ticks0=$(cpu_ticks)
# Each timed copy and upload starts with nothing left to write back from the one before.
for i in 1 2 3; do
	sync
	t=$(upload "f50-$i.bin") || bail_out "the 50 MiB upload failed"
	up+=("$(mibps "$size50" "$t")")
done
# per 50 MiB upload, in ms: steadier than the speed, on a machine others share
cpu_ms=$(( ($(cpu_ticks) - ticks0) * 1000 / $(getconf CLK_TCK) / 3 ))
hwm_50=$(vm_kb VmHWM) anon_50=$(vm_kb RssAnon)
cp_plain=() cp_sync=()
for i in 1 2 3; do
	sync
	t=$(copy "f50-$i.bin") || bail_out "cp failed"
	cp_plain+=("$(mibps "$size50" "$t")")
	sync
	t=$(copy "f50-$i.bin" fsync) || bail_out "cp failed"
	cp_sync+=("$(mibps "$size50" "$t")")
done
# The ceiling: bench/sink, the least a receiver can do, in the same data directory. raw only
# writes the bytes; store does edud's work plainly on one thread (SHA-256, fsync, rename,
# fsync of the directory).
SINK=${SINK:-$top_builddir/bench/sink}
[ -x "$SINK" ] || bail_out "no bench/sink at '$SINK' (make bench/sink, or set SINK)"
# sink_run MODE: prints the MiB/s of three uploads to a sink in MODE, one per line
sink_run () {
	local pid port t i
	mkdir -p "$EDU_TEST_DATA/sink-$1"
	rm -f sink.port
	"$SINK" sink.port "$EDU_TEST_DATA/sink-$1" "$1" &
	pid=$!
	for _ in $(seq 50); do [ -s sink.port ] && break; sleep 0.1; done
	port=$(cat sink.port)
	for i in 1 2 3; do
		sync
		t=$(curl -sS -o /dev/null -w '%{time_total}' -H 'Content-Type: application/octet-stream' \
			--data-binary "@f50-$i.bin" "http://127.0.0.1:$port/") || break
		echo "$(mibps "$size50" "$t")"
	done
	kill "$pid"
	wait "$pid" 2>/dev/null
	rm -rf "$EDU_TEST_DATA/sink-$1"
}
# The other ceiling: SHA-256 alone, in 1 MiB blocks, on one core (openssl speed, with the
# libcrypto edud uses). edud names what it stores by the SHA-256 of all its bytes, which one
# thread must compute in order, so no upload can go faster than this.
sha_alone=()
for i in 1 2 3; do
	sha_alone+=("$(openssl speed -evp sha256 -bytes $MIB -seconds 1 2>/dev/null |
		awk -v m="$MIB" '$1 == "sha256" { sub(/k$/, "", $2); printf "%.0f", $2 * 1000 / m }')")
done
[ -n "${sha_alone[2]}" ] || bail_out "openssl speed gave no figure for sha256"
mapfile -t sink_raw < <(sink_run raw)
mapfile -t sink_store < <(sink_run store)
[ "${#sink_raw[@]}" = 3 ] && [ "${#sink_store[@]}" = 3 ] || bail_out "bench/sink failed"
raw_best=$(best "${sink_raw[@]}")
store_best=$(best "${sink_store[@]}")
sha_best=$(best "${sha_alone[@]}")
up_best=$(best "${up[@]}")
cp_best=$(best "${cp_plain[@]}")
cps_best=$(best "${cp_sync[@]}")
stored=$(find "$EDU_TEST_DATA/files" -type f -size +49M | wc -l)
[ "$stored" -ge 3 ] || bail_out "the 50 MiB uploads are not in the file store ($stored found)"

# --- grades -----------------------------------------------------------------------------------

cat >put-grade.lua <<'LUA'
-- One connection per thread; each thread grades its own submission and sends the version of
-- the last answer's ETag as the next If-Match, so every PUT changes the grade.
local n_threads = 0
local subs, versions = {}, {}
for s in string.gmatch(os.getenv("BENCH_SUBS"), "%S+") do subs[#subs + 1] = s end
for v in string.gmatch(os.getenv("BENCH_VERSIONS"), "%S+") do versions[#versions + 1] = v end

function setup(thread)
	n_threads = n_threads + 1
	thread:set("sub", subs[n_threads])
	thread:set("version", versions[n_threads])
	thread:set("token", os.getenv("BENCH_TOKEN"))
end

function init(args)
	path = "/api/v1/submissions/" .. sub .. "/grade"
	n = 0
	lost = 0
end

function request()
	n = n + 1
	local body = string.format('{"score": %d, "comment": "bench grade %d"}', n % 11, n)
	return wrk.format("PUT", path, {
		["Authorization"] = "Bearer " .. token,
		["Content-Type"] = "application/json",
		["If-Match"] = '"' .. version .. '"',
	}, body)
end

function response(status, headers, body)
	if status ~= 200 then
		return
	end
	for k, v in pairs(headers) do
		if string.lower(k) == "etag" then
			version = string.match(v, "%d+") or version
		end
	end
end
LUA

# The current version of each submission's grade, in the order of subs
versions () {
	local s v out=()
	for s in "${subs[@]}"; do
		v=$(sec_grade_version "$teacher" "$s") || return 1
		out+=("$v")
	done
	echo "${out[*]}"
}

# run_put SECONDS: wrk's output in wrk-put.txt; prints "req/s p99 non2xx requests"
run_put () {
	local v
	v=$(versions) || bail_out "cannot read the grades' versions"
	BENCH_SUBS="${subs[*]}" BENCH_VERSIONS="$v" BENCH_TOKEN=$teacher \
		wrk -t"$conns" -c"$conns" -d"$1s" --latency -s put-grade.lua \
		"$EDU_TEST_URL/api/v1/submissions" >wrk-put.txt 2>&1
	awk '/^Requests\/sec:/ { rps = $2 } $1 == "99%" { p99 = $2 }
		/Non-2xx/ { bad = $NF } / requests in / { reqs = $1 }
		END { print rps, p99, bad + 0, reqs + 0 }' wrk-put.txt
}

# warm up, then measure twice (the machine is shared: the best of two)
run_put 2 >/dev/null
v0=$(versions) || bail_out "cannot read the grades' versions"
read -r r1 p1 bad1 n1 < <(run_put "$secs")
read -r r2 p2 bad2 n2 < <(run_put "$secs")
v1=$(versions) || bail_out "cannot read the grades' versions"
if [ -z "$r1" ] || [ -z "$r2" ]; then
	cat wrk-put.txt >&2
	bail_out "wrk failed (see above)"
fi
saved=$(( ($(echo $v1 | tr ' ' '+')) - ($(echo $v0 | tr ' ' '+')) ))
answered=$(( n1 - bad1 + n2 - bad2 ))
if awk -v a="$r2" -v b="$r1" 'BEGIN { exit !(a > b) }'; then
	rps=$r2 p99=$p2
else
	rps=$r1 p99=$p1
fi

{
	echo "edu grading benchmark, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
	echo
	echo "upload of 50 MiB (POST /api/v1/uploads, curl, loopback), best of 3:"
	printf '  %-28s %6s MiB/s   (runs: %s)\n' "edud upload" "$up_best" "${up[*]}"
	printf '  %-28s %6s MiB/s   (runs: %s)\n' "cp, same disk" "$cp_best" "${cp_plain[*]}"
	printf '  %-28s %6s MiB/s   (runs: %s)\n' "cp + fsync, same disk" "$cps_best" "${cp_sync[*]}"
	printf '  %-28s %6s MiB/s   (runs: %s)\n' "bench/sink raw" "$raw_best" "${sink_raw[*]}"
	printf '  %-28s %6s MiB/s   (runs: %s)\n' "bench/sink store" "$store_best" "${sink_store[*]}"
	printf '  %-28s %6s MiB/s   (runs: %s)\n' "SHA-256 alone, one core" "$sha_best" "${sha_alone[*]}"
	awk -v u="$up_best" -v c="$cp_best" -v s="$cps_best" -v r="$raw_best" -v t="$store_best" \
	    -v h="$sha_best" 'BEGIN {
		printf "  upload/cp: %.0f%%, upload/(cp + fsync): %.0f%% (target >= 50%%)\n",
			100 * u / c, 100 * u / s
		printf "  ceiling: sink raw/cp %.0f%%, sink store/cp %.0f%%; upload/(sink store) %.0f%%\n",
			100 * r / c, 100 * t / c, 100 * u / t
		printf "  SHA-256 alone/cp: %.0f%%; upload/(SHA-256 alone): %.0f%%\n",
			100 * h / c, 100 * u / h }'
	awk -v ms="$cpu_ms" -v h="$sha_best" 'BEGIN {
		printf "  edud CPU per 50 MiB upload: %d ms (all threads, /proc), of which SHA-256 alone %.0f ms\n",
			ms, 50 * 1000 / h }'
	echo
	echo "edud memory: peak resident (VmHWM), and anonymous memory resident then (RssAnon):"
	printf '  %-28s %8s kB  %8s kB\n' "after a 64 KiB upload" "$hwm_before" "$anon_before" \
		"after 5 MiB" "$hwm_5" "$anon_5" "after 3 x 50 MiB" "$hwm_50" "$anon_50"
	echo "  peak growth from 5 MiB to 50 MiB: $((hwm_50 - hwm_5)) kB for 45 MiB more (target: none)"
	echo
	echo "grade saving (PUT /api/v1/submissions/{id}/grade with If-Match), wrk -t$conns -c$conns -d${secs}s:"
	printf '  %-28s %8.0f req/s, p99 %s   (runs: %.0f / %.0f req/s)\n' "edud" "$rps" "$p99" "$r1" "$r2"
	echo "  non-2xx answers: $((bad1 + bad2)); grades saved (sum of version steps): $saved;" \
		"2xx answers counted by wrk: $answered (wrk does not count the last $conns in flight)"
} >&5
test_count=0
test_done
