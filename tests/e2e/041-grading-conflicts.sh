#!/bin/bash
# 041-grading-conflicts: what goes wrong, and that nothing is lost or overwritten when it does.
# Two teachers grade the same submission: the second one's write is refused (412), the client
# says who changed what and exits 6, and the first one's grade stands, in `edu grade` and in
# `edu grade next` alike. An upload over the assignment's max_file_size or over edud's
# --max-upload is refused (413), by the client before sending when it can tell, else by the
# server while streaming, and leaves nothing in data_dir/files or in the tables. A file of a
# type the assignment does not allow is refused with the type found and the types allowed.
. "$(dirname "$0")/lib.sh"
[ -f "$top_srcdir/tests/e2e/data/security.sh" ] || bail_out "no tests/e2e/data/security.sh"
. "$top_srcdir/tests/e2e/data/security.sh"

MIB=1048576
# The client keeps a comment it could not save in $TMPDIR: keep it inside the test's directory.
export TMPDIR=$EDU_TEST_DIR/tmp
mkdir -p "$TMPDIR"
start_edud --max-upload $((2 * MIB))
seed_demo

# FILE was kept nowhere: no stored file of its content, nothing left in the store's
# temporary directory, no new row (against the counts in rows-before).
kept_nothing_of () {
	local sha
	sha=$(sha256sum "$1" | cut -d" " -f1)
	stored_files >store-now &&
	sec_lacks "$sha" store-now &&
	test -z "$(ls -A "$EDU_TEST_DATA/files/tmp")" &&
	stored_rows >rows-now &&
	test_cmp rows-before rows-now
}

# curl_upload TOKEN PATH FILE [CURL-ARGS]: a raw upload; the status in api.status, the
# answer in api.body.
curl_upload () {
	local token=$1 path=$2 file=$3
	shift 3
	curl -sS --max-time 60 -o api.body -w "%{http_code}" -X POST \
		-H "Authorization: Bearer $token" -H "Content-Type: application/octet-stream" \
		"$@" --data-binary "@$file" "$EDU_TEST_URL/api/v1$path" >api.status
}

test_expect_success 'two teachers of one course, and two of its students' '
	for u in teacher1 teacher2 student01 student02; do
		login_as $u >out 2>err || return 1
	done &&
	C=$(edu_as teacher1 -q course create "Chemistry 10") &&
	edu_as teacher1 course enrol "$C" student01 student02 >out 2>err &&
	edu_as teacher1 course enrol "$C" teacher2 --role teacher >out 2>err &&
	edu_as teacher2 --json course show "$C" >c.json &&
	test_json c.json .my_role teacher
'

test_expect_success 'assignments: an essay (files up to 1 MiB), a poster (PDF only), a big one' '
	E=$(edu_as teacher1 -q assignment create "$C" --title Essay --points 20 --kind both \
		--max-size 1M --publish -m "Write about acids.") &&
	P=$(edu_as teacher1 -q assignment create "$C" --title Poster --points 10 --kind files \
		--allow application/pdf --publish -m "A poster, as a PDF.") &&
	B=$(edu_as teacher1 -q assignment create "$C" --title Dataset --points 5 --kind files \
		--publish -m "Your raw data.") &&
	edu_as teacher1 --json assignment show "$E" >e.json &&
	test_json e.json .max_file_size $MIB &&
	edu_as teacher1 --json assignment show "$P" >p.json &&
	test_json p.json ".allowed_types | join(\",\")" application/pdf &&
	edu_as teacher1 --json assignment show "$B" >b.json &&
	test_json b.json .max_file_size $((2 * MIB))
'

test_expect_success 'an assignment cannot take files larger than edud takes' '
	if edu_as teacher1 -q assignment create "$C" --title Huge --max-size 5M --publish \
		-m "Too big." >huge-id 2>err; then
		edu_as teacher1 --json assignment show "$(cat huge-id)" >huge.json &&
		test_json huge.json ".max_file_size <= $((2 * MIB))" true
	else
		test_grep "^edu: " err
	fi
'

test_expect_success 'the students hand in their essays; teacher1 grades the first' '
	S1=$(edu_as student01 -q submit "$E" --text "Acids give away protons.") &&
	S2=$(edu_as student02 -q submit "$E" --text "Lemons are acidic.") &&
	edu_as teacher1 grade "$S1" 10 -m "A start" >out 2>err &&
	test_grep "graded student01: 10/20" out
'

# --- two teachers, one grade ---------------------------------------------------------------

# An editor that, while teacher2 writes their comment, lets teacher1 change the grade first.
# What it runs and writes are in files: edu passes its editor no variable of the test's.
cat >editor-race.sh <<EOF
#!/bin/bash
# race.cmd runs as if another teacher saved a grade while this one was typing
cd "$EDU_TEST_DIR" || exit 1
eval "\$(cat race.cmd)" >race.log 2>&1 || echo "the other teacher's grade failed" >>race.log
cat race.comment >"\$1"
EOF
chmod +x editor-race.sh

test_expect_success 'teacher2 grades while teacher1 changes the same grade: 412, exit 6' '
	printf "%s\n" "XDG_CONFIG_HOME=$XDG_CONFIG_HOME XDG_STATE_HOME=$XDG_STATE_HOME \"$EDU\" --profile teacher1 grade $S1 15 -m \"Much better\" --release" >race.cmd &&
	echo "teacher2 would have said this" >race.comment &&
	test_exit_code 6 env EDITOR="$EDU_TEST_DIR/editor-race.sh" \
		"$EDU" --profile teacher2 grade "$S1" 8 -e >out 2>err &&
	cat err >&2 &&
	test_grep "graded student01: 15/20 (released)" race.log &&
	test_grep "^edu: the grade was changed by teacher1" err &&
	test_grep "yours was not saved" err &&
	test_grep -E "score: 10 -> 15" err &&
	test_grep -E "comment: .*A start.* -> .*Much better" err &&
	test_grep -E "released: (no|false) -> (yes|true)" err &&
	kept=$(sed -n "s/^edu: your comment is kept in //p" err) &&
	test -n "$kept" &&
	case $kept in "$TMPDIR"/*) ;; *) false ;; esac &&
	test_grep -F "teacher2 would have said this" "$kept"
'

test_expect_success "nothing of teacher2's was saved: the grade and its history are teacher1's" '
	edu_as teacher1 --json submission show "$S1" >s1.json &&
	test_json s1.json .grade.score 15 &&
	test_json s1.json .grade.comment "Much better" &&
	test_json s1.json .grade.released true &&
	edu_as teacher1 --json grade history "$S1" >hist.json &&
	test_json hist.json length 2 &&
	test_json hist.json "[.[].by.username] | unique | join(\",\")" teacher1 &&
	sec_lacks "teacher2 would have said" hist.json &&
	edu_as student01 grades >out &&
	test_grep "15/20" out &&
	test_grep "Much better" out
'

test_expect_success 'with the current version, teacher2 may change it after all' '
	edu_as teacher2 grade "$S1" 16 -m "Agreed, and one more point" --release >out 2>err &&
	test_grep "graded student01: 16/20 (released)" out &&
	edu_as teacher1 --json grade history "$S1" >hist.json &&
	test_json hist.json "[.[].by.username] | join(\",\")" "teacher1,teacher1,teacher2"
'

test_expect_success 'grade next: the other teacher grades it meanwhile; told, not overwritten' '
	rm -f race.log &&
	printf "%s\n" "XDG_CONFIG_HOME=$XDG_CONFIG_HOME XDG_STATE_HOME=$XDG_STATE_HOME \"$EDU\" --profile teacher1 grade $S2 11 -m \"Seen by teacher1\"" >race.cmd &&
	echo "teacher2 in grade next" >race.comment &&
	printf "%s\n" 9 e n >answers &&
	test_exit_code 6 env EDITOR="$EDU_TEST_DIR/editor-race.sh" \
		"$EDU" --profile teacher2 grade next "$E" <answers >out 2>err &&
	cat out err >&2 &&
	test_grep "graded student02: 11/20 (draft" race.log &&
	test_grep "1 to grade" out &&
	test_grep "left to the other teacher" out &&
	test_grep "^edu: the grade was changed by teacher1" err &&
	test_grep "score: none -> 11" err &&
	test_grep "comment: none -> .Seen by teacher1." err &&
	edu_as teacher1 --json submission show "$S2" >s2.json &&
	test_json s2.json .grade.score 11 &&
	test_json s2.json .grade.comment "Seen by teacher1" &&
	edu_as teacher1 --json grade history "$S2" >hist.json &&
	test_json hist.json length 1
'

test_expect_success 'over HTTP: no If-Match is 428, a stale one 412 with the current grade' '
	T2=$(token_for teacher2) &&
	api_expect 428 PUT "/submissions/$S1/grade" "{\"score\": 1}" "$T2" >/dev/null &&
	API_CURL_ARGS=(-H "If-Match: \"1\"") &&
	api_expect 412 PUT "/submissions/$S1/grade" "{\"score\": 1}" "$T2" >stale.json &&
	API_CURL_ARGS=() &&
	test_json stale.json .error.code version_mismatch &&
	test_json stale.json .current.score 16 &&
	test_json stale.json .current.version 3 &&
	edu_as teacher1 --json submission show "$S1" >s1.json &&
	test_json s1.json .grade.score 16
'

# --- uploads too large ------------------------------------------------------------------------

test_expect_success 'the store as it is before the refused uploads' '
	head -c $((3 * MIB / 2)) /dev/urandom >big.bin &&
	head -c $((3 * MIB)) /dev/urandom >huge.bin &&
	S1TOKEN=$(token_for student01) &&
	stored_rows >rows-before &&
	test -d "$EDU_TEST_DATA/files/tmp"
'

test_expect_success 'the client refuses a file larger than the assignment takes, sending nothing' '
	test_exit_code 7 edu_as student01 submit "$E" big.bin >out 2>err &&
	test_grep "^edu: .big.bin. is 1.5 MiB, larger than this assignment takes (1 MiB)" err &&
	kept_nothing_of big.bin
'

test_expect_success 'over the assignment'"'"'s max_file_size, edud answers 413 and keeps nothing' '
	curl_upload "$S1TOKEN" "/uploads?assignment=$E&filename=big.bin" big.bin &&
	test "$(cat api.status)" = 413 &&
	test_json api.body .error.code too_large &&
	kept_nothing_of big.bin
'

test_expect_success '...also when the size is not said in advance (chunked)' '
	curl_upload "$S1TOKEN" "/uploads?assignment=$E&filename=big.bin" big.bin \
		-H "Transfer-Encoding: chunked" &&
	test "$(cat api.status)" = 413 &&
	test_json api.body .error.code too_large &&
	kept_nothing_of big.bin
'

test_expect_success 'over --max-upload, uploads and lesson attachments get 413 and keep nothing' '
	curl_upload "$S1TOKEN" "/uploads?assignment=$B&filename=huge.bin" huge.bin &&
	test "$(cat api.status)" = 413 &&
	curl_upload "$S1TOKEN" "/uploads?assignment=$B&filename=huge.bin" huge.bin \
		-H "Transfer-Encoding: chunked" &&
	test "$(cat api.status)" = 413 &&
	T1=$(token_for teacher1) &&
	L=$(sec_lesson_new "$T1" "$C" "Titration") &&
	curl_upload "$T1" "/lessons/$L/attachments?filename=huge.bin" huge.bin &&
	test "$(cat api.status)" = 413 &&
	test_json api.body .error.code too_large &&
	kept_nothing_of huge.bin
'

test_expect_success 'a file of exactly the limit is taken (the checks above can pass)' '
	head -c $MIB /dev/urandom >exact.bin &&
	edu_as student01 submit "$E" exact.bin --text "With my data." >out 2>err &&
	test_grep "attempt 2" out &&
	sha=$(sha256sum exact.bin | cut -d" " -f1) &&
	stored_files >store &&
	test_grep "$sha" store &&
	stored_rows >rows-before
'

# --- file types --------------------------------------------------------------------------------

test_expect_success 'a file of a type the assignment does not allow: a clear error, exit 7' '
	printf "This poster is plain text.\n" >poster.txt &&
	test_exit_code 7 edu_as student01 submit "$P" poster.txt >out 2>err &&
	cat err >&2 &&
	test_grep "^edu: " err &&
	test_grep "text/plain" err &&
	test_grep "application/pdf" err &&
	kept_nothing_of poster.txt &&
	edu_as student01 --json submission list "$P" >mine.json &&
	test_json mine.json length 0
'

test_expect_success 'over HTTP the same upload is 415 forbidden_type, naming both types' '
	curl_upload "$S1TOKEN" "/uploads?assignment=$P&filename=poster.txt" poster.txt &&
	test "$(cat api.status)" = 415 &&
	test_json api.body .error.code forbidden_type &&
	test_grep "text/plain" api.body &&
	test_grep "application/pdf" api.body &&
	kept_nothing_of poster.txt
'

test_expect_success 'a renamed text file is still text: the type comes from the content' '
	cp poster.txt poster.pdf &&
	test_exit_code 7 edu_as student01 submit "$P" poster.pdf >out 2>err &&
	test_grep "text/plain" err &&
	kept_nothing_of poster.pdf
'

test_expect_success 'a real PDF is taken' '
	printf "%%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n" \
		>poster-real.pdf &&
	edu_as student01 submit "$P" poster-real.pdf >out 2>err &&
	test_grep "attempt 1" out &&
	edu_as student01 --json submission list "$P" >mine.json &&
	test_json mine.json ".[0].files[0].mime" application/pdf
'

# --- a smaller cap after a restart --------------------------------------------------------------

test_expect_success 'edud restarts with --max-upload 1 MiB; the assignment still says 2 MiB' '
	stop_edud &&
	start_edud --max-upload $MIB &&
	login_as student01 >out 2>err &&
	stored_rows >rows-before &&
	edu_as student01 --json assignment show "$B" >b.json &&
	test_json b.json .max_file_size $((2 * MIB))
'

test_expect_success 'the client sends 1.5 MiB, edud refuses it while streaming: exit 7, nothing kept' '
	test_exit_code 7 edu_as student01 submit "$B" big.bin >out 2>err &&
	cat err >&2 &&
	test_grep "^edu: " err &&
	test_grep -i "large\|413" err &&
	kept_nothing_of big.bin &&
	edu_as student01 --json submission list "$B" >mine.json &&
	test_json mine.json length 0
'

test_done
