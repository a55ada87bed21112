#!/bin/bash
# 043-files-gc: `edud gc` reclaims the file store. It deletes the rows of uploads that
# expired unsubmitted, in every school, then every content file of data_dir/files that no
# files row of any school names, and the temporary files no upload has written to for a
# day; submitted files, lesson attachments, held uploads and content that a live row in
# another school shares stay, byte for byte. --dry-run counts the same and deletes nothing;
# a second run finds nothing. gc and the ends of uploads share an advisory lock
# (SRV_FILES_LOCK_KEY in server/store/files.h): gc waits while an upload end holds it, and an
# upload end waits while gc does, before its bytes enter the store.
. "$(dirname "$0")/lib.sh"
[ -f "$top_srcdir/tests/e2e/data/security.sh" ] || bail_out "no tests/e2e/data/security.sh"
. "$top_srcdir/tests/e2e/data/security.sh"

# The lock's key as the server takes it: "CLASS, 0", the two-int form.
K=$(sed -n 's/^#define SRV_FILES_LOCK_KEY "\([0-9]*, [0-9]*\)"$/\1/p' "$top_srcdir/server/store/files.h")
[ -n "$K" ] || bail_out "no SRV_FILES_LOCK_KEY \"CLASS, N\" in server/store/files.h"
K1=${K%%,*}
K2=${K##* }

start_edud
seed_demo

STORE=$EDU_TEST_DATA/files

# content_path FILE: where the store keeps FILE's content.
content_path () {
	local sha
	sha=$(sha256sum "$1" | cut -d" " -f1) || return 1
	echo "$STORE/${sha:0:2}/$sha"
}

# rows_of ID...: how many files rows and uploads rows there are of these file ids.
rows_of () {
	local ids
	ids=$(printf "'%s'," "$@")
	psql_admin -c "SELECT (SELECT count(*) FROM edu.files WHERE id IN (${ids%,})) || ' ' ||
		(SELECT count(*) FROM edu.uploads WHERE file_id IN (${ids%,}))"
}

# Every row of the schema edu (pg_dump's random \restrict key left out).
db_rows () {
	pg_dump_edu --data-only -n edu | grep -v '^\\\(un\)\?restrict '
}

# The numbers of a summary line, one a line: runs and dry runs must agree on them.
numbers () {
	grep -o '[0-9][0-9.]*' "$1"
}

# store_locks MODE GRANTED: how many sessions hold (t) or wait for (f) the store's lock in
# MODE (ShareLock, ExclusiveLock).
store_locks () {
	psql_admin -c "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
		AND classid = $K1 AND objid = $K2 AND objsubid = 2
		AND mode = '$1' AND granted = '$2'"
}

# wait_locks MODE GRANTED N: until store_locks MODE GRANTED says N (10 s at most).
wait_locks () {
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(store_locks "$1" "$2")" = "$3" ] && return 0
		sleep 0.1
	done
	echo "wait_locks: not $3 $1 locks with granted = $2 after 10 s" >&6
	psql_admin -c "SELECT * FROM pg_locks WHERE locktype = 'advisory'" >&6
	return 1
}

# lock_hold FUNCTION MODE: a psql session takes the store's lock with FUNCTION (as an
# upload or gc would) and keeps it until lock_release.
lock_hold () {
	rm -f lock.fifo && mkfifo lock.fifo || return 1
	psql_admin <lock.fifo >lock.out 2>&1 &
	LOCK_PSQL=$!
	exec 7>lock.fifo
	test_when_finished "exec 7>&-; kill $LOCK_PSQL"
	echo "SELECT $1($K);" >&7
	wait_locks "$2" t 1
}

lock_release () {
	exec 7>&-
	wait "$LOCK_PSQL"
}

# curl_upload_to NAME TOKEN PATH FILE: a raw upload; its status in NAME.status, the
# answer in NAME.body (several may run at once, in the background).
curl_upload_to () {
	curl -sS --max-time 60 -o "$1.body" -w "%{http_code}" -X POST \
		-H "Authorization: Bearer $2" -H "Content-Type: application/octet-stream" \
		--data-binary "@$4" "$EDU_TEST_URL/api/v1$3" >"$1.status"
}

test_expect_success 'gc on an empty store deletes nothing' '
	edud_cmd gc >gc.out 2>gc.err &&
	cat gc.out gc.err >&2 &&
	echo "gc: 0 expired uploads removed, 0 stored files (0 bytes) deleted, 0 stale temporary files removed, 0 ended login address windows removed" >expect &&
	test_cmp expect gc.out &&
	test_must_be_empty gc.err
'

test_expect_success 'gc takes only --dry-run: anything else is a usage error' '
	test_exit_code 2 edud_cmd gc --dryrun >out 2>err &&
	test_grep "^edud: gc: unknown argument .--dryrun." err &&
	test_must_be_empty out &&
	test_exit_code 2 edud_cmd gc --dry-run now >out 2>err &&
	test_grep "^edud: gc: unknown argument .now." err
'

test_expect_success 'gc without its database fails, saying so' '
	test_exit_code 1 edud_cmd --database-url "postgresql:///edu?host=$EDU_TEST_DIR/nowhere" \
		gc >out 2>err &&
	cat err >&2 &&
	test_grep "cannot connect to the database" err &&
	test_must_be_empty out
'

test_expect_success 'a submission, an attachment, held uploads; the same content in another school' '
	T1=$(token_for teacher1) &&
	S1=$(token_for student01) &&
	S2=$(token_for student02) &&
	C=$(sec_course_new "$T1" Chemistry) &&
	sec_enrol "$T1" "$C" student01 &&
	sec_enrol "$T1" "$C" student02 &&
	L=$(sec_lesson_new "$T1" "$C" Acids) &&
	A=$(sec_assignment_new "$T1" "$C" Titration) &&
	for f in sub att held shared; do
		head -c 100000 /dev/urandom >$f.bin || return 1
	done &&
	head -c 1048576 /dev/urandom >gone.bin &&
	head -c 524288 /dev/urandom >orphan.bin &&
	ATT=$(sec_attach "$T1" "$L" att.bin att.bin) &&
	U_SUB=$(sec_upload "$S1" "$A" sub.bin sub.bin) &&
	SUB=$(sec_submit "$S1" "$A" "my titration" "$U_SUB") &&
	U_HELD=$(sec_upload "$S2" "$A" held.bin held.bin) &&
	U_GONE=$(sec_upload "$S1" "$A" gone.bin gone.bin) &&
	U_SHARED=$(sec_upload "$S1" "$A" shared.bin shared.bin) &&
	O=$(sec_other_school oak oakhead) &&
	OC=$(sec_course_new "$O" Biology) &&
	OL=$(sec_lesson_new "$O" "$OC" Cells) &&
	OATT=$(sec_attach "$O" "$OL" shared.bin shared-copy.bin) &&
	for f in sub att held shared gone; do
		test -f "$(content_path $f.bin)" || return 1
	done
'

test_expect_success 'expired uploads, content no row names, stale and fresh temporary files' '
	psql_admin -c "UPDATE edu.uploads SET expires_at = now() - interval '"'"'1 hour'"'"'
		WHERE file_id IN ('"'"'$U_GONE'"'"', '"'"'$U_SHARED'"'"')" &&
	orphan=$(content_path orphan.bin) &&
	mkdir -p "$(dirname "$orphan")" &&
	cp orphan.bin "$orphan" &&
	echo "not content" >"$(dirname "$orphan")/notes.txt" &&
	echo "not content either" >"$STORE/README" &&
	echo "a killed upload" >"$STORE/tmp/upload-stale1" &&
	touch -d "25 hours ago" "$STORE/tmp/upload-stale1" &&
	echo "an upload in flight" >"$STORE/tmp/upload-fresh1" &&
	touch -d "23 hours ago" "$STORE/tmp/upload-fresh1" &&
	test "$(rows_of $U_GONE $U_SHARED)" = "2 2"
'

test_expect_success '--dry-run reports what gc would delete, and deletes nothing' '
	stored_files >store-before &&
	db_rows >db-before &&
	edud_cmd gc --dry-run >dry.out 2>dry.err &&
	cat dry.out dry.err >&2 &&
	echo "gc: dry run: would remove 2 expired uploads, delete 2 stored files (1.5 MiB), remove 1 stale temporary file, remove 0 ended login address windows" >expect &&
	test_cmp expect dry.out &&
	stored_files >store-after &&
	test_cmp store-before store-after &&
	db_rows >db-after &&
	test_cmp db-before db-after
'

test_expect_success 'gc deletes the expired uploads'"'"' rows and the content no row names' '
	edud_cmd gc >gc.out 2>gc.err &&
	cat gc.out gc.err >&2 &&
	echo "gc: 2 expired uploads removed, 2 stored files (1.5 MiB) deleted, 1 stale temporary file removed, 0 ended login address windows removed" >expect &&
	test_cmp expect gc.out &&
	test_must_be_empty gc.err &&
	numbers dry.out >n-dry &&
	numbers gc.out >n-gc &&
	test_cmp n-dry n-gc &&
	test "$(rows_of $U_GONE $U_SHARED)" = "0 0" &&
	! test -e "$(content_path gone.bin)" &&
	! test -e "$(content_path orphan.bin)" &&
	! test -e "$STORE/tmp/upload-stale1"
'

test_expect_success 'what is named stays: held upload, shared content, strays, a fresh temporary file' '
	test "$(rows_of $U_HELD)" = "1 1" &&
	cmp held.bin "$(content_path held.bin)" &&
	cmp shared.bin "$(content_path shared.bin)" &&
	test -f "$(dirname "$(content_path orphan.bin)")/notes.txt" &&
	test -f "$STORE/README" &&
	test -f "$STORE/tmp/upload-fresh1"
'

test_expect_success 'the submitted file and the attachments still download byte for byte' '
	api_expect 200 GET "/submissions/$SUB/files/$U_SUB" "" "$T1" >got-sub.bin &&
	cmp sub.bin got-sub.bin &&
	api_expect 200 GET "/lessons/$L/attachments/$ATT" "" "$S1" >got-att.bin &&
	cmp att.bin got-att.bin &&
	api_expect 200 GET "/lessons/$OL/attachments/$OATT" "" "$O" >got-shared.bin &&
	cmp shared.bin got-shared.bin
'

test_expect_success 'a second run, with edud stopped, deletes nothing' '
	stored_files >store-before &&
	stop_edud &&
	edud_cmd gc >gc2.out 2>gc2.err &&
	cat gc2.out gc2.err >&2 &&
	echo "gc: 0 expired uploads removed, 0 stored files (0 bytes) deleted, 0 stale temporary files removed, 0 ended login address windows removed" >expect &&
	test_cmp expect gc2.out &&
	stored_files >store-after &&
	test_cmp store-before store-after &&
	start_edud
'

# gc_background OUT: `edud_cmd gc` in the background, its pid in GC_PID (edud itself, not a
# shell running it), without the lock session's pipe (else its psql would never see the end).
gc_background () {
	"$EDUD" --config "$EDU_TEST_DIR/edud.conf" --data-dir "$EDU_TEST_DATA" \
		--sql-dir "$top_srcdir/server/sql" gc >"$1.out" 2>"$1.err" 7>&- &
	GC_PID=$!
	test_when_finished "kill $GC_PID"
}

test_expect_success 'gc waiting for the lock stops on TERM, having deleted nothing' '
	cp orphan.bin "$(content_path orphan.bin)" &&
	lock_hold pg_advisory_lock_shared ShareLock &&
	gc_background gc-term &&
	wait_locks ExclusiveLock f 1 &&
	kill -TERM $GC_PID &&
	test_exit_code 1 wait $GC_PID &&
	cat gc-term.out gc-term.err >&2 &&
	test_grep "^edud: gc: stopped by a signal while waiting for the file store.s lock" gc-term.err &&
	test_must_be_empty gc-term.out &&
	test -e "$(content_path orphan.bin)" &&
	test "$(store_locks ExclusiveLock f)" = 0 &&
	test "$(store_locks ExclusiveLock t)" = 0 &&
	lock_release
'

test_expect_success 'gc waits while an upload'"'"'s end holds the lock shared' '
	lock_hold pg_advisory_lock_shared ShareLock &&
	gc_background gc3 &&
	gcpid=$GC_PID &&
	wait_locks ExclusiveLock f 1 &&
	sleep 1 &&
	kill -0 $gcpid &&
	test -e "$(content_path orphan.bin)" &&
	lock_release &&
	wait $gcpid &&
	cat gc3.out gc3.err >&2 &&
	test_grep "^gc: 0 expired uploads removed, 1 stored file (512.0 KiB) deleted," gc3.out &&
	! test -e "$(content_path orphan.bin)"
'

# held_upload NAME TOKEN PATH FILE: with gc's lock held, the upload of FILE waits at its
# end, before its bytes are in the store; once the lock goes, it is stored. One upload at a
# time: a request waiting on the database holds up its worker thread, and a second one
# could be queued behind it on that same worker instead of reaching the lock.
held_upload () {
	local p
	lock_hold pg_advisory_lock ExclusiveLock || return 1
	{ curl_upload_to "$1" "$2" "$3" "$4" 7>&- & }
	p=$!
	test_when_finished "kill $p"
	wait_locks ShareLock f 1 &&
	sleep 1 &&
	kill -0 $p &&
	! test -e "$(content_path "$4")" &&
	lock_release &&
	wait $p &&
	test "$(cat "$1.status")" = 201 &&
	cmp "$4" "$(content_path "$4")"
}

test_expect_success 'upload ends wait while gc holds the lock, before their bytes are stored' '
	T1=$(token_for teacher1) &&
	S1=$(token_for student01) &&
	head -c 50000 /dev/urandom >late-up.bin &&
	head -c 50000 /dev/urandom >late-att.bin &&
	held_upload up "$S1" "/uploads?assignment=$A&filename=late-up.bin" late-up.bin &&
	held_upload att "$T1" "/lessons/$L/attachments?filename=late-att.bin" late-att.bin &&
	edud_cmd gc >gc4.out 2>gc4.err &&
	test_grep "^gc: 0 expired uploads removed, 0 stored files (0 bytes) deleted," gc4.out &&
	test -e "$(content_path late-up.bin)" &&
	test -e "$(content_path late-att.bin)"
'

test_expect_success 'a removed attachment takes its file row along; gc then reclaims its bytes' '
	head -c 60000 /dev/urandom >detach.bin &&
	D=$(sec_attach "$T1" "$L" detach.bin detach.bin) &&
	test -e "$(content_path detach.bin)" &&
	api_expect 204 DELETE "/lessons/$L/attachments/$D" "" "$T1" &&
	test "$(psql_admin -c "SELECT count(*) FROM edu.files WHERE id = '\''$D'\''")" = 0 &&
	edud_cmd gc >gc5.out 2>gc5.err &&
	test_grep "^gc: 0 expired uploads removed, 1 stored file " gc5.out &&
	! test -e "$(content_path detach.bin)"
'

test_expect_success 'an attachment a copied course shares keeps its file when the first lesson drops it' '
	api_expect 201 POST "/courses/$C/copy" "{\"name\": \"Chemistry, again\"}" "$T1" >copy.json &&
	NC=$(jq -r .id copy.json) &&
	api_expect 200 GET "/courses/$NC/lessons" "" "$T1" >lessons.json &&
	NL=$(jq -r ".items[0].id" lessons.json) &&
	api_expect 204 DELETE "/lessons/$L/attachments/$ATT" "" "$T1" &&
	test "$(psql_admin -c "SELECT count(*) FROM edu.files WHERE id = '\''$ATT'\''")" = 1 &&
	edud_cmd gc >gc6.out 2>gc6.err &&
	api_expect 200 GET "/lessons/$NL/attachments/$ATT" "" "$T1" >got-copy.bin &&
	cmp att.bin got-copy.bin
'

test_done
