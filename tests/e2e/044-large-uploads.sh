#!/bin/bash
# 044-large-uploads: a large upload is stored byte for byte, whatever its size and however
# many come at once. Past its first MiB an upload goes through a pipe of buffers: the
# worker receives, one thread hashes, another writes (with O_DIRECT where the file system
# takes it); past one pipe per core, an upload is hashed and written by its worker. Sizes
# around the buffers' edges, more uploads at once than there are cores, and an upload that
# streams past the limit while its pipe runs (413, nothing kept) are checked here, each
# against the bytes sent and the SHA-256 the server answered.
. "$(dirname "$0")/lib.sh"
[ -f "$top_srcdir/tests/e2e/data/security.sh" ] || bail_out "no tests/e2e/data/security.sh"
. "$top_srcdir/tests/e2e/data/security.sh"

MIB=1048576
start_edud --max-upload $((16 * MIB))
seed_demo

STORE=$EDU_TEST_DATA/files

# stored_as FILE ANSWER: the upload answer ANSWER (JSON) names FILE's size and SHA-256, and
# the store holds exactly FILE's bytes under that SHA-256.
stored_as () {
	local sha
	sha=$(sha256sum "$1" | cut -d" " -f1) || return 1
	test_json "$2" .size "$(stat -c %s "$1")" &&
	test_json "$2" .sha256 "$sha" &&
	cmp "$1" "$STORE/${sha:0:2}/$sha"
}

# upload_raw TOKEN FILE OUT [CURL-ARGS]: POST /uploads of FILE as TOKEN; the answer in OUT,
# the status printed.
upload_raw () {
	local token=$1 file=$2 out=$3
	shift 3
	curl -sS --max-time 120 -o "$out" -w "%{http_code}" -X POST \
		-H "Authorization: Bearer $token" -H "Content-Type: application/octet-stream" \
		"$@" --data-binary "@$file" \
		"$EDU_TEST_URL/api/v1/uploads?assignment=$A&filename=$(basename "$file")"
}

test_expect_success 'a course with an assignment that takes files, and its students' '
	T=$(token_for teacher1) &&
	C=$(sec_course_new "$T" Physics) &&
	A=$(sec_assignment_new "$T" "$C" Dataset) &&
	for u in student01 student02 student03 student04 student05 student06; do
		sec_enrol "$T" "$C" $u || return 1
	done &&
	S=$(token_for student01)
'

test_expect_success 'edu submit: an upload of 9 MiB and 1,237 bytes comes back exact' '
	head -c $((9 * MIB + 1237)) /dev/urandom >odd.bin &&
	login_as student01 >out 2>err &&
	edu_as student01 submit "$A" odd.bin >out 2>err &&
	test_grep "attempt 1" out &&
	login_as teacher1 >out 2>err &&
	edu_as teacher1 submission download "$A" -o subs >out 2>err &&
	d=$(ls -d subs/student01*) &&
	cmp odd.bin "$d/odd.bin"
'

test_expect_success 'sizes at the edges of the buffers are stored byte for byte' '
	for size in $((MIB - 1)) $MIB $((MIB + 1)) $((4 * MIB)) $((4 * MIB + 4095)) \
		    $((5 * MIB - 1)) $((8 * MIB + 512)); do
		head -c $size /dev/urandom >edge-$size.bin &&
		status=$(upload_raw "$S" edge-$size.bin edge-$size.json) &&
		test "$status" = 201 &&
		stored_as edge-$size.bin edge-$size.json || return 1
	done
'

test_expect_success '...and so when the size is not said in advance (chunked)' '
	head -c $((6 * MIB + 77)) /dev/urandom >chunked.bin &&
	status=$(upload_raw "$S" chunked.bin chunked.json -H "Transfer-Encoding: chunked") &&
	test "$status" = 201 &&
	stored_as chunked.bin chunked.json
'

test_expect_success 'more large uploads at once than there are cores: every one is stored whole' '
	n=$(( $(nproc) * 2 + 2 )) &&
	pids=() &&
	for i in $(seq $n); do
		head -c $((6 * MIB + i)) /dev/urandom >many-$i.bin || return 1
	done &&
	for i in $(seq $n); do
		u=$(printf "student%02d" $(( (i - 1) % 6 + 1 ))) &&
		t=$(token_for $u) || return 1
		# slowed down, so that they all stream at the same time
		upload_raw "$t" many-$i.bin many-$i.json --limit-rate 3M >many-$i.status &
		pids+=($!)
	done &&
	for p in "${pids[@]}"; do
		wait $p || return 1
	done &&
	for i in $(seq $n); do
		test "$(cat many-$i.status)" = 201 &&
		stored_as many-$i.bin many-$i.json || return 1
	done
'

test_expect_success 'an upload that streams past the limit while its pipe runs: 413, nothing kept' '
	head -c $((20 * MIB)) /dev/urandom >over.bin &&
	sha=$(sha256sum over.bin | cut -d" " -f1) &&
	status=$(upload_raw "$S" over.bin over.json -H "Transfer-Encoding: chunked") &&
	test "$status" = 413 &&
	test_json over.json .error.code too_large &&
	test ! -e "$STORE/${sha:0:2}/$sha" &&
	test -z "$(ls -A "$STORE/tmp")"
'

test_expect_success 'after all of them the temporary directory is empty' '
	test -z "$(ls -A "$STORE/tmp")"
'

test_done
