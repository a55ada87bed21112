#!/bin/bash
# 021-tenant-isolation: the users of school B never reach school A. Over HTTP, for every
# route edud serves, B's callers asking for A's resources get 404 (as for a missing one),
# B's lists hold none of A's rows, and B's writes change nothing of A. Below the handlers,
# as edu_app (the server's database role): with app.school_id set to B every tenant table
# shows none of A's rows; with no school set (unset, '' or after a transaction's SET LOCAL)
# it shows no rows at all; and writing A's rows while set to B fails or touches nothing.
# The tenant tables come from the catalog, so a new one is probed without changing this.
. "$(dirname "$0")/lib.sh"
[ -f "$top_srcdir/tests/e2e/data/security.sh" ] || bail_out "no tests/e2e/data/security.sh"
. "$top_srcdir/tests/e2e/data/security.sh"

start_edud --login-max-per-address 100000 --login-max-failures 100000
seed_demo

# B's callers: the session of each role, and an API token (write) of its school_admin.
B_CALLERS=(ostudent oteacher oadmin oprincipal opat)
B_ADMINS=" oadmin oprincipal opat "
B_SESSIONS=" ostudent oteacher oadmin oprincipal "
declare -A B_PASS=() B_TOKEN=()
OPAT=

# Sets CT to B's caller's token, logging in again after a call ended the session.
b_token () {
	if [ "$1" = opat ]; then
		CT=$OPAT
		return 0
	fi
	if [ -z "${B_TOKEN[$1]-}" ]; then
		B_TOKEN[$1]=$(token_for "$1" "${B_PASS[$1]:-$SEC_PASSWORD}" other) || {
			fail "$1 cannot log in to school other"
			return 1
		}
	fi
	CT=${B_TOKEN[$1]}
}

is_admin () { case $B_ADMINS in *" $1 "*) return 0 ;; esac; return 1; }
is_session () { case $B_SESSIONS in *" $1 "*) return 0 ;; esac; return 1; }

fail () {
	printf '%s\n' "$*" >>failures
}

# A's ids that B must never see, from every tenant table that has a uuid id, and A itself.
# (A serial id such as grade_history's would match any number in an answer.)
collect_a_ids () {
	local t
	printf '%s\n' "$A_ID" >a-ids.txt
	for t in $(psql_admin <<'EOF'
SELECT format('%I.%I', c.table_schema, c.table_name)
FROM information_schema.columns c
JOIN information_schema.columns i
  ON i.table_schema = c.table_schema AND i.table_name = c.table_name AND i.column_name = 'id'
  AND i.data_type = 'uuid'
WHERE c.table_schema = 'edu' AND c.column_name = 'school_id' ORDER BY 1;
EOF
	); do
		psql_admin -v a="$A_ID" -v t="$t" <<'EOF' >>a-ids.txt || return 1
SELECT id FROM :t WHERE school_id = :'a';
EOF
	done
	[ "$(wc -l <a-ids.txt)" -gt 30 ]
}

# FILE holds none of A's ids, but for those of SENT (ids the caller sent in the request, which
# an error message may name back: "no assignment ID to copy from").
no_a_ids () {
	local found id
	found=$(sec_ids_in "$1" a-ids.txt)
	for id in ${3-}; do
		found=$(printf '%s\n' $found | grep -vxF -- "$id")
	done
	if [ -n "$found" ]; then
		fail "$2: the answer holds ids of school A: $(echo $found)"
		return 1
	fi
	return 0
}

# What can change of A's data by B's doing: its users (all columns) and API tokens, its
# school, and everything of its courses.
a_snapshot () {
	psql_admin -v a="$A_ID" <<'EOF'
SELECT u::text FROM edu.users u WHERE school_id = :'a' ORDER BY id;
SELECT id, user_id, name, scope, token_hash FROM edu.api_tokens WHERE school_id = :'a' ORDER BY id;
SELECT id, slug, name, version FROM edu.schools WHERE id = :'a';
EOF
	a_snapshot_courses
}

# The rest of A's rows, table by table: courses, members, lessons, files, assignments,
# rubrics, submissions, grades and their history, and whatever a later migration adds.
a_snapshot_courses () {
	local t
	for t in $(psql_admin <<'SQL'
SELECT format('%I.%I', n.nspname, c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'school_id' AND NOT a.attisdropped
WHERE n.nspname = 'edu' AND c.relkind IN ('r', 'p')
  AND c.relname NOT IN ('users', 'api_tokens', 'refresh_tokens', 'login_failures') ORDER BY 1;
SQL
	); do
		echo "== $t"
		psql_admin -v t="$t" -v a="$A_ID" <<'SQL' || return 1
SELECT r::text FROM :t r WHERE school_id = :'a' ORDER BY 1;
SQL
	done
}

a_unchanged () {
	a_snapshot >a-now.txt || return 1
	if ! cmp -s a-before.txt a-now.txt; then
		fail "$1: school A's rows changed:"
		diff -u a-before.txt a-now.txt >>failures
		return 1
	fi
}

# --- the two schools ----------------------------------------------------------------------

# A few of A's users, of every role, and one not activated yet.
a_user_ids () {
	psql_admin -v a="$A_ID" <<'EOF'
SELECT id FROM edu.users WHERE school_id = :'a'
  AND username IN ('root', 'principal', 'teacher1', 'student01', 'apending') ORDER BY username;
EOF
}

test_expect_success 'school A (demo) has users, a pending user, tokens, sessions and a failed login' '
	A_ID=$(sec_school_id demo) && test -n "$A_ID" &&
	A_PRINCIPAL=$(token_for principal) &&
	sec_create_user "$A_PRINCIPAL" apending student &&
	A_PAT=$(sec_make_pat "$A_PRINCIPAL" shared-name write) &&
	A_PAT_ID=$(jq -r .id pat-shared-name.json) &&
	token_for teacher1 >/dev/null &&
	api POST /auth/login "{\"school\":\"demo\",\"username\":\"teacher2\",\"password\":\"wrong-password-1\"}" >/dev/null &&
	test "$(api_status)" = 401 &&
	A_USER_IDS=$(a_user_ids) &&
	test "$(echo "$A_USER_IDS" | wc -l)" = 5
'

test_expect_success 'school B (other) has a user of each role and an API token' '
	B_TOKEN[oprincipal]=$(sec_other_school other oprincipal) &&
	B_ID=$(sec_school_id other) && test -n "$B_ID" && test "$B_ID" != "$A_ID" &&
	for u in ostudent:student oteacher:teacher oadmin:admin; do
		B_TOKEN[${u%%:*}]=$(sec_new_user "${B_TOKEN[oprincipal]}" other "${u%%:*}" "${u#*:}") ||
			return 1
	done &&
	OPAT=$(sec_make_pat "${B_TOKEN[oprincipal]}" shared-name write) &&
	api POST /auth/login "{\"school\":\"other\",\"username\":\"ostudent\",\"password\":\"wrong-password-1\"}" >/dev/null &&
	test "$(api_status)" = 401
'

# The id of A's user USERNAME.
a_user_id () {
	psql_admin -v a="$A_ID" -v u="$1" <<'EOF'
SELECT id FROM edu.users WHERE school_id = :'a' AND username = :'u';
EOF
}

test_expect_success 'school A has a course with a lesson, an attachment, graded work' '
	A_TEACHER=$(token_for teacher1) &&
	A_STUDENT=$(token_for student01) &&
	sec_course_fixture TA "$A_TEACHER" "$A_STUDENT" student01 &&
	sec_enrol "$A_TEACHER" "$TA_COURSE" student02 &&
	A_STUDENT02=$(a_user_id student02) && test -n "$A_STUDENT02"
'

test_expect_success 'school B has its own: a course of oteacher with ostudent, graded work' '
	b_token oteacher && OT=$CT &&
	b_token ostudent && OS=$CT &&
	sec_course_fixture TB "$OT" "$OS" ostudent
'

test_expect_success 'the ids of school A are known' '
	collect_a_ids &&
	a_snapshot >a-before.txt &&
	test -s a-before.txt
'

# --- one probe per route --------------------------------------------------------------------

# A missing id and an id of A must get the same answer; for those who could read it in their
# own school that answer is 404.
same_as_missing () {
	local c=$1 method=$2 pattern=$3 a_id=$4 body=${5-} want_404=$6 got_a got_none
	api "$method" "${pattern/\{id\}/$a_id}" "$body" "$CT" >answer.json
	got_a=$(api_status)
	no_a_ids answer.json "$c $method $pattern"
	api "$method" "${pattern/\{id\}/$(sec_uuid)}" "$body" "$CT" >/dev/null
	got_none=$(api_status)
	case $got_a in
	2??|5??|000) fail "$c: $method ${pattern/\{id\}/$a_id} (school A): $got_a" ;;
	esac
	[ "$got_a" = "$got_none" ] ||
		fail "$c: $method $pattern: school A's id gives $got_a, a missing id $got_none"
	if [ "$want_404" = yes ] && [ "$got_a" != 404 ]; then
		fail "$c: $method ${pattern/\{id\}/$a_id} (school A): $got_a, expected 404"
	fi
	return 0
}

probe_public_get () {
	local c
	for c in "${B_CALLERS[@]}"; do
		b_token "$c" || return 1
		api GET "$1" "" "$CT" >answer.json
		case $(api_status) in 200|503) ;; *) fail "$c: GET $1: $(api_status)" ;; esac
		no_a_ids answer.json "$c GET $1"
	done
}

probe_login () {
	local body
	# B's user is not a user of A, and A's user is not a user of B.
	body=$(jq -cn --arg p "$SEC_PASSWORD" '{school: "demo", username: "oprincipal", password: $p}')
	api POST /auth/login "$body" >/dev/null
	[ "$(api_status)" = 401 ] || fail "B's oprincipal logging in to demo: $(api_status)"
	body=$(jq -cn --arg p "$DEMO_PASSWORD" '{school: "other", username: "principal", password: $p}')
	api POST /auth/login "$body" >/dev/null
	[ "$(api_status)" = 401 ] || fail "A's principal logging in to other: $(api_status)"
	# B has its own teacher1 (not activated): A's password does not open it.
	body=$(jq -cn --arg p "$DEMO_PASSWORD" '{school: "other", username: "teacher1", password: $p}')
	api POST /auth/login "$body" >/dev/null
	[ "$(api_status)" = 401 ] || fail "teacher1 with A's password at other: $(api_status)"
	return 0
}

probe_refresh () {
	local c
	for c in ostudent oprincipal; do
		token_for "$c" "${B_PASS[$c]:-$SEC_PASSWORD}" other >/dev/null || return 1
		api POST /auth/refresh "$(jq -c '{refresh_token}' "session-$c.json")" >answer.json
		[ "$(api_status)" = 200 ] || { fail "$c: refresh: $(api_status)"; continue; }
		[ "$(jq -r .user.school_id answer.json)" = "$B_ID" ] ||
			fail "$c: refresh answers a user of another school"
		no_a_ids answer.json "$c POST /auth/refresh"
	done
	api POST /auth/refresh "{\"refresh_token\":\"$(sec_uuid)\"}" >/dev/null
	[ "$(api_status)" = 401 ] || fail "an unknown refresh token: $(api_status)"
	return 0
}

probe_logout () {
	token_for principal >/dev/null || return 1
	cp session-principal.json a-session.json
	token_for oprincipal "${B_PASS[oprincipal]:-$SEC_PASSWORD}" other >/dev/null || return 1
	api POST /auth/logout "$(jq -c '{refresh_token}' session-oprincipal.json)" >/dev/null
	case $(api_status) in 2??) ;; *) fail "oprincipal: logout: $(api_status)" ;; esac
	api POST /auth/refresh "$(jq -c '{refresh_token}' a-session.json)" >/dev/null
	[ "$(api_status)" = 200 ] || fail "A's session no longer refreshes after B's logout"
	return 0
}

probe_logout_all () {
	local c a_token
	a_token=$(token_for principal) || return 1
	for c in ostudent oteacher oadmin oprincipal; do
		b_token "$c" || return 1
		api POST /auth/logout-all "" "$CT" >/dev/null
		case $(api_status) in 2??) B_TOKEN[$c]= ;; *) fail "$c: logout-all: $(api_status)" ;; esac
	done
	api GET /users/me "" "$a_token" >/dev/null
	[ "$(api_status)" = 200 ] || fail "A's session ended by B's logout-all: $(api_status)"
	a_unchanged "logout-all"
}

probe_activate () {
	local body
	body=$(jq -c '{school: "other", username: .username, code: .activation_code,
		password: "Stolen-code-password1"}' user-apending.json)
	api POST /auth/activate "$body" >answer.json
	case $(api_status) in
	2??|5??) fail "A's activation code at school other: $(api_status)" ;;
	esac
	no_a_ids answer.json "POST /auth/activate"
	a_unchanged "activate with A's code"
}

probe_me_get () {
	local c
	for c in "${B_CALLERS[@]}"; do
		b_token "$c" || return 1
		api GET /users/me "" "$CT" >answer.json
		[ "$(api_status)" = 200 ] || { fail "$c: GET /users/me: $(api_status)"; continue; }
		[ "$(jq -r .school_id answer.json)" = "$B_ID" ] || fail "$c: /users/me is not of school B"
		no_a_ids answer.json "$c GET /users/me"
	done
}

probe_me_put () {
	local c
	for c in ostudent oteacher oadmin oprincipal opat; do
		b_token "$c" || return 1
		api PUT /users/me '{"display_name":"Renamed in B"}' "$CT" >answer.json
		[ "$(api_status)" = 200 ] || { fail "$c: PUT /users/me: $(api_status)"; continue; }
		[ "$(jq -r .school_id answer.json)" = "$B_ID" ] || fail "$c: PUT /users/me left school B"
	done
	a_unchanged "PUT /users/me"
}

probe_me_password () {
	local c body
	for c in ostudent oteacher; do
		b_token "$c" || return 1
		body=$(jq -cn --arg o "${B_PASS[$c]:-$SEC_PASSWORD}" '{current_password: $o, new_password: "B-changed-password-1"}')
		api POST /users/me/password "$body" "$CT" >/dev/null
		case $(api_status) in
		2??) B_PASS[$c]=B-changed-password-1; B_TOKEN[$c]= ;;
		*) fail "$c: POST /users/me/password: $(api_status)" ;;
		esac
	done
	a_unchanged "POST /users/me/password"
}

probe_users_list () {
	local c q cursor
	api_expect 200 GET "/users?limit=1" "" "$A_PRINCIPAL" >a-page.json || return 1
	cursor=$(jq -r '.next // empty' a-page.json)
	[ -n "$cursor" ] || { fail "A's first page of users has no next cursor"; return 0; }
	for c in "${B_CALLERS[@]}"; do
		b_token "$c" || return 1
		for q in "" "?limit=200" "?q=principal" "?q=teacher" "?role=school_admin" \
			"?school=demo" "?after=$cursor" "?limit=200&after=$cursor"; do
			api GET "/users$q" "" "$CT" >answer.json
			if ! is_admin "$c"; then
				case $(api_status) in
				403|404) ;;
				*) fail "$c: GET /users$q: $(api_status), expected 403" ;;
				esac
			else
				case "$(api_status) $q" in
				"200 "*) ;;
				"400 ?"*|"403 ?school"*|"404 ?school"*) ;;
				*) fail "$c: GET /users$q: $(api_status)" ;;
				esac
			fi
			no_a_ids answer.json "$c GET /users$q"
		done
	done
	return 0
}

probe_users_create () {
	local c=oprincipal u
	b_token "$c" || return 1
	# A's usernames are free in B: "already exists" would tell B about A.
	for u in principal teacher1 student01 root; do
		api POST /users "{\"username\":\"$u\",\"role\":\"student\"}" "$CT" >answer.json
		[ "$(api_status)" = 201 ] || { fail "$c: POST /users $u: $(api_status)"; continue; }
		[ "$(jq -r .school_id answer.json)" = "$B_ID" ] || fail "$c: POST /users $u: not in school B"
		no_a_ids answer.json "$c POST /users $u"
	done
	a_unchanged "POST /users"
}

probe_user_ids () {
	local method=$1 pattern=$2 body=${3-} c id
	for c in "${B_CALLERS[@]}"; do
		b_token "$c" || return 1
		for id in $A_USER_IDS; do
			same_as_missing "$c" "$method" "$pattern" "$id" "$body" \
				"$(is_admin "$c" && echo yes || echo no)"
		done
	done
	a_unchanged "$method $pattern"
}

probe_tokens_list () {
	local c
	for c in ostudent oteacher oadmin oprincipal; do
		b_token "$c" || return 1
		api GET /tokens "" "$CT" >answer.json
		[ "$(api_status)" = 200 ] || fail "$c: GET /tokens: $(api_status)"
		no_a_ids answer.json "$c GET /tokens"
	done
}

probe_tokens_create () {
	local c
	for c in oteacher oadmin; do
		b_token "$c" || return 1
		api POST /tokens '{"name":"shared-name","scope":"read"}' "$CT" >answer.json
		[ "$(api_status)" = 201 ] || fail "$c: POST /tokens: $(api_status)"
	done
	a_unchanged "POST /tokens"
}

probe_token_delete () {
	local c
	for c in "${B_CALLERS[@]}"; do
		b_token "$c" || return 1
		same_as_missing "$c" DELETE /api/v1/tokens/{id} "$A_PAT_ID" "" \
			"$(is_session "$c" && echo yes || echo no)"
	done
	api GET /users/me "" "$A_PAT" >/dev/null
	[ "$(api_status)" = 200 ] || fail "A's API token stopped working: $(api_status)"
	a_unchanged "DELETE /tokens/{id}"
}

probe_schools_list () {
	local c
	for c in "${B_CALLERS[@]}"; do
		b_token "$c" || return 1
		api GET /schools "" "$CT" >answer.json
		[ "$(api_status)" = 200 ] || { fail "$c: GET /schools: $(api_status)"; continue; }
		jq -e --arg b "$B_ID" '[.items[].id] == [$b]' answer.json >/dev/null ||
			fail "$c: GET /schools lists more than school B: $(cat answer.json)"
	done
}

probe_schools_create () {
	local c n
	for c in "${B_CALLERS[@]}"; do
		b_token "$c" || return 1
		api POST /schools "{\"slug\":\"by-$c\",\"name\":\"By $c\",\"admin\":{\"username\":\"x\"}}" "$CT" >/dev/null
		case $(api_status) in 403) ;; *) fail "$c: POST /schools: $(api_status), expected 403" ;; esac
	done
	n=$(psql_admin -c "SELECT count(*) FROM edu.schools WHERE slug LIKE 'by-%'")
	[ "$n" = 0 ] || fail "B's users made $n schools"
	return 0
}

probe_school_get () {
	local c
	for c in "${B_CALLERS[@]}"; do
		b_token "$c" || return 1
		same_as_missing "$c" GET /api/v1/schools/{id} "$A_ID" "" yes
	done
}

# --- courses and everything in them ---------------------------------------------------------

# Whether B's caller C gets past the permission edud's route table gives METHOD PATTERN
# (opat is a write token): then A's resource must answer 404, as a missing one does.
passes_route () {
	local c=$1 method=$2 pattern=$3 perm
	perm=$(awk -v m="$method" -v p="$pattern" '$1 == m && $2 == p { print $3 }' routes.txt)
	case $perm in
	public|any) return 0 ;;
	session) is_session "$c" ;;
	teacher) [ "$c" != ostudent ] ;;
	admin) is_admin "$c" ;;
	*) return 1 ;;
	esac
}

# Sets P_ID1 and P_ID2, the placeholders of PATTERN, from the fixture PREFIX (TA: school A's,
# TB: school B's).
course_ids_of () {
	local prefix=$1 pattern=$2 v
	P_ID2=
	case $pattern in
	*/courses/{id}/members/{user_id}) v=${prefix}_COURSE P_ID1=${!v} v=${prefix}_STUDENT P_ID2=${!v} ;;
	*/courses/*) v=${prefix}_COURSE P_ID1=${!v} ;;
	*/lessons/{id}/attachments/{file_id}) v=${prefix}_LESSON P_ID1=${!v} v=${prefix}_ATTACHMENT P_ID2=${!v} ;;
	*/lessons/*) v=${prefix}_LESSON P_ID1=${!v} ;;
	*/assignments/{id}/grades/{student_id}) v=${prefix}_ASSIGNMENT P_ID1=${!v} v=${prefix}_STUDENT P_ID2=${!v} ;;
	*/assignments/*|*/uploads) v=${prefix}_ASSIGNMENT P_ID1=${!v} ;;
	*/submissions/{id}/files/{file_id}) v=${prefix}_SUBMISSION P_ID1=${!v} v=${prefix}_FILE P_ID2=${!v} ;;
	*/submissions/*) v=${prefix}_SUBMISSION P_ID1=${!v} ;;
	*) return 1 ;;
	esac
}

# The path of PATTERN with ids ID1 and ID2 (and the query an upload needs).
course_path () {
	local method=$1 pattern=$2 id1=$3 id2=$4 path
	path=${pattern/\{id\}/$id1}
	[[ $path =~ \{[a-z_]+\} ]] && path=${path/"${BASH_REMATCH[0]}"/$id2}
	case "$method $pattern" in
	"POST /api/v1/uploads") path="$path?assignment=$id1&filename=probe.txt" ;;
	"POST "*/attachments) path="$path?filename=probe.txt" ;;
	esac
	printf '%s\n' "$path"
}

printf 'bytes from school B\n' >"$EDU_TEST_DIR/probe.txt"

# One call of B's caller C: raw uploads send a file, grade updates carry If-Match.
b_call () {
	local method=$1 path=$2 body=${3-}
	case "$method $path" in
	"POST /api/v1/uploads"*|"POST "*/attachments*)
		API_CURL_ARGS=(-H 'Content-Type: application/octet-stream' --data-binary @probe.txt) ;;
	"PUT "*/grade|"PUT "*/grades/*) API_CURL_ARGS=(-H 'If-Match: "1"') ;;
	*) API_CURL_ARGS=() ;;
	esac
	api "$method" "$path" "$body" "$CT" >answer.json
	API_CURL_ARGS=()
}

# Every B caller asks for A's course resource and for a missing one: the same answer, 404 for
# those past the route's permission, none of A's ids in it, and A unchanged. For a GET, B's
# own resource answers too, with none of A's ids.
probe_course_route () {
	local method=$1 pattern=$2 body=${3-} c got_a got_none a_path none_path b_path
	course_ids_of TA "$pattern" || { fail "no ids of school A for $pattern"; return 1; }
	a_path=$(course_path "$method" "$pattern" "$P_ID1" "$P_ID2")
	none_path=$(course_path "$method" "$pattern" "$(sec_uuid)" "$P_ID2")
	course_ids_of TB "$pattern" || return 1
	b_path=$(course_path "$method" "$pattern" "$P_ID1" "$P_ID2")
	for c in "${B_CALLERS[@]}"; do
		b_token "$c" || return 1
		b_call "$method" "$a_path" "$body"
		got_a=$(api_status)
		no_a_ids answer.json "$c $method $a_path"
		b_call "$method" "$none_path" "$body"
		got_none=$(api_status)
		case $got_a in
		2??|5??|000) fail "$c: $method $a_path (school A): $got_a" ;;
		esac
		[ "$got_a" = "$got_none" ] ||
			fail "$c: $method $pattern: school A's id gives $got_a, a missing id $got_none"
		if passes_route "$c" "$method" "$pattern" && [ "$got_a" != 404 ]; then
			fail "$c: $method $a_path (school A): $got_a, expected 404"
		fi
		if [ "$method" = GET ]; then
			b_call GET "$b_path"
			no_a_ids answer.json "$c GET $b_path (school B's own)"
		fi
	done
	a_unchanged "$method $pattern"
}

probe_courses_list () {
	local c q
	for c in "${B_CALLERS[@]}"; do
		b_token "$c" || return 1
		for q in "" "?all=1" "?archived=1" "?all=1&archived=1&limit=200"; do
			api GET "/courses$q" "" "$CT" >answer.json
			case $(api_status) in
			200) ;;
			400|403) [ -n "$q" ] || fail "$c: GET /courses: $(api_status)" ;;
			*) fail "$c: GET /courses$q: $(api_status)" ;;
			esac
			no_a_ids answer.json "$c GET /courses$q"
		done
	done
}

probe_courses_create () {
	local n
	b_token oteacher || return 1
	api POST /courses '{"name": "Made in B"}' "$CT" >answer.json
	[ "$(api_status)" = 201 ] || { fail "oteacher: POST /courses: $(api_status)"; return 0; }
	n=$(psql_admin -v id="$(jq -r .id answer.json)" -v b="$B_ID" <<'SQL'
SELECT count(*) FROM edu.courses WHERE id = :'id' AND school_id = :'b';
SQL
)
	[ "$n" = 1 ] || fail "oteacher: POST /courses made a course outside school B"
	a_unchanged "POST /courses"
}

probe_courses_join () {
	local c got_a got_none
	for c in "${B_CALLERS[@]}"; do
		b_token "$c" || return 1
		api POST /courses/join "{\"code\": \"$TA_CODE\"}" "$CT" >answer.json
		got_a=$(api_status)
		no_a_ids answer.json "$c POST /courses/join (school A's code)"
		api POST /courses/join '{"code": "ZZZZZZZZ"}' "$CT" >/dev/null
		got_none=$(api_status)
		case $got_a in 2??|5??) fail "$c: joining with school A's code: $got_a" ;; esac
		[ "$got_a" = "$got_none" ] ||
			fail "$c: school A's join code gives $got_a, an unknown one $got_none"
	done
	a_unchanged "POST /courses/join"
}

# B's teacher names A's user, by name and by id, as a member of B's course.
probe_members_add () {
	local body got
	probe_course_route POST /api/v1/courses/{id}/members '{"username": "ostudent", "role": "student"}'
	b_token oteacher || return 1
	for body in '{"username": "student02", "role": "student"}' \
		"{\"user_id\": \"$A_STUDENT02\", \"role\": \"student\"}"; do
		api POST "/courses/$TB_COURSE/members" "$body" "$CT" >answer.json
		got=$(api_status)
		case $got in 2??|5??) fail "oteacher: adding A's student02 to B's course ($body): $got" ;; esac
		no_a_ids answer.json "oteacher: POST /courses/{B}/members $body" "$A_STUDENT02"
	done
	api GET "/courses/$TB_COURSE/members" "" "$CT" >answer.json
	no_a_ids answer.json "oteacher: GET /courses/{B}/members"
	a_unchanged "POST /courses/{id}/members"
}

# B's teacher copies A's rubric into B's assignment.
probe_rubric_copy () {
	local got_a got_none
	probe_course_route POST /api/v1/assignments/{id}/rubric/copy "{\"from\": \"$TB_ASSIGNMENT\"}"
	b_token oteacher || return 1
	api GET "/assignments/$TB_ASSIGNMENT/rubric" "" "$CT" >rubric-b-before.json
	api POST "/assignments/$TB_ASSIGNMENT/rubric/copy" "{\"from\": \"$TA_ASSIGNMENT\"}" "$CT" >answer.json
	got_a=$(api_status)
	no_a_ids answer.json "oteacher: rubric copy from A" "$TA_ASSIGNMENT"
	api POST "/assignments/$TB_ASSIGNMENT/rubric/copy" "{\"from\": \"$(sec_uuid)\"}" "$CT" >/dev/null
	got_none=$(api_status)
	case $got_a in 2??|5??) fail "oteacher: copying A's rubric: $got_a" ;; esac
	[ "$got_a" = "$got_none" ] || fail "copying A's rubric gives $got_a, a missing one $got_none"
	api GET "/assignments/$TB_ASSIGNMENT/rubric" "" "$CT" >rubric-b-after.json
	cmp -s rubric-b-before.json rubric-b-after.json || fail "B's rubric changed by a refused copy"
	a_unchanged "POST /assignments/{id}/rubric/copy"
}

# B's student hands in A's upload.
probe_submit () {
	local got_a got_none
	probe_course_route POST /api/v1/assignments/{id}/submissions '{"text": "from B"}'
	b_token ostudent || return 1
	api POST "/assignments/$TB_ASSIGNMENT/submissions" "{\"files\": [\"$TA_UPLOAD\"]}" "$CT" >answer.json
	got_a=$(api_status)
	no_a_ids answer.json "ostudent: submitting A's upload" "$TA_UPLOAD"
	api POST "/assignments/$TB_ASSIGNMENT/submissions" "{\"files\": [\"$(sec_uuid)\"]}" "$CT" >/dev/null
	got_none=$(api_status)
	case $got_a in 2??|5??) fail "ostudent: submitting A's upload: $got_a" ;; esac
	[ "$got_a" = "$got_none" ] || fail "submitting A's upload gives $got_a, a missing one $got_none"
	a_unchanged "POST /assignments/{id}/submissions"
}

# B's teacher grades B's submission with A's rubric levels.
probe_grade_put () {
	local v body got_a got_none
	probe_course_route PUT /api/v1/submissions/{id}/grade '{"score": 1}'
	b_token oteacher || return 1
	v=$(sec_grade_version "$CT" "$TB_SUBMISSION") || { fail "oteacher: no grade version of B's submission"; return 0; }
	body=$(jq -cn --arg c "$TA_CRITERION" --arg l "$TA_LEVEL" '{rubric: [{criterion_id: $c, level_id: $l}]}')
	API_CURL_ARGS=(-H "If-Match: \"$v\"")
	api PUT "/submissions/$TB_SUBMISSION/grade" "$body" "$CT" >answer.json
	got_a=$(api_status)
	no_a_ids answer.json "oteacher: grading with A's rubric" "$TA_CRITERION $TA_LEVEL"
	body=$(jq -cn --arg c "$(sec_uuid)" --arg l "$(sec_uuid)" '{rubric: [{criterion_id: $c, level_id: $l}]}')
	api PUT "/submissions/$TB_SUBMISSION/grade" "$body" "$CT" >/dev/null
	got_none=$(api_status)
	API_CURL_ARGS=()
	case $got_a in 2??|5??) fail "oteacher: grading with A's rubric levels: $got_a" ;; esac
	[ "$got_a" = "$got_none" ] || fail "A's rubric levels give $got_a, missing ones $got_none"
	a_unchanged "PUT /submissions/{id}/grade"
}

# B's callers look for A's submission by the start of its id, and by the whole of it.
probe_submissions_prefix () {
	local c p
	for c in "${B_CALLERS[@]}"; do
		b_token "$c" || return 1
		for p in "${TA_SUBMISSION:0:8}" "${TA_SUBMISSION:0:13}" "$TA_SUBMISSION"; do
			api GET "/submissions?id_prefix=$p" "" "$CT" >answer.json
			[ "$(api_status)" = 200 ] || fail "$c: GET /submissions?id_prefix=$p: $(api_status)"
			no_a_ids answer.json "$c GET /submissions?id_prefix=$p"
		done
	done
}

probe_grades_list () {
	local c q
	for c in "${B_CALLERS[@]}"; do
		b_token "$c" || return 1
		for q in "" "?course=$TA_COURSE" "?course=$TB_COURSE"; do
			api GET "/grades$q" "" "$CT" >answer.json
			case $(api_status) in 2??|403|404) ;; *) fail "$c: GET /grades$q: $(api_status)" ;; esac
			no_a_ids answer.json "$c GET /grades$q"
		done
	done
}

# The probe of each route; a route without one fails.
probe_for () {
	case "$1 $2" in
	"GET /health"|"GET /ready"|"GET /metrics") probe_public_get "$2" ;;
	"POST /api/v1/auth/login") probe_login ;;
	"POST /api/v1/auth/refresh") probe_refresh ;;
	"POST /api/v1/auth/logout") probe_logout ;;
	"POST /api/v1/auth/logout-all") probe_logout_all ;;
	"POST /api/v1/auth/activate") probe_activate ;;
	"GET /api/v1/users/me") probe_me_get ;;
	"PUT /api/v1/users/me") probe_me_put ;;
	"POST /api/v1/users/me/password") probe_me_password ;;
	"GET /api/v1/users") probe_users_list ;;
	"POST /api/v1/users") probe_users_create ;;
	"GET /api/v1/users/{id}") probe_user_ids GET "$2" ;;
	"PATCH /api/v1/users/{id}") probe_user_ids PATCH "$2" '{"display_name":"Changed by B"}' ;;
	"POST /api/v1/users/{id}/reset") probe_user_ids POST "$2" ;;
	"GET /api/v1/tokens") probe_tokens_list ;;
	"POST /api/v1/tokens") probe_tokens_create ;;
	"DELETE /api/v1/tokens/{id}") probe_token_delete ;;
	"GET /api/v1/schools") probe_schools_list ;;
	"POST /api/v1/schools") probe_schools_create ;;
	"GET /api/v1/schools/{id}") probe_school_get ;;
	"GET /api/v1/courses") probe_courses_list ;;
	"POST /api/v1/courses") probe_courses_create ;;
	"POST /api/v1/courses/join") probe_courses_join ;;
	"POST /api/v1/courses/{id}/members") probe_members_add ;;
	"POST /api/v1/assignments/{id}/rubric/copy") probe_rubric_copy ;;
	"POST /api/v1/assignments/{id}/submissions") probe_submit ;;
	"PUT /api/v1/submissions/{id}/grade") probe_grade_put ;;
	"GET /api/v1/grades") probe_grades_list ;;
	"GET /api/v1/submissions") probe_submissions_prefix ;;
	"PATCH /api/v1/courses/{id}") probe_course_route "$1" "$2" '{"description": "Changed by B"}' ;;
	"POST /api/v1/courses/{id}/copy") probe_course_route "$1" "$2" '{"name": "Copied by B"}' ;;
	"POST /api/v1/courses/{id}/lessons") probe_course_route "$1" "$2" '{"title": "Lesson by B"}' ;;
	"PATCH /api/v1/lessons/{id}") probe_course_route "$1" "$2" '{"content": "Changed by B"}' ;;
	"POST /api/v1/courses/{id}/assignments") probe_course_route "$1" "$2" '{"title": "Work by B"}' ;;
	"PATCH /api/v1/assignments/{id}") probe_course_route "$1" "$2" '{"instructions": "Changed by B"}' ;;
	"PUT /api/v1/assignments/{id}/rubric")
		probe_course_route "$1" "$2" '{"criteria": [{"name": "B", "levels": [{"name": "b", "points": 1}]}]}' ;;
	"PUT /api/v1/assignments/{id}/grades/{student_id}") probe_course_route "$1" "$2" '{"score": 1}' ;;
	*" /api/v1/courses/"*|*" /api/v1/lessons/"*|*" /api/v1/assignments/"*|*" /api/v1/submissions/"*|\
	"POST /api/v1/uploads")
		probe_course_route "$1" "$2" ;;
	*)
		fail "no isolation probe for $1 $2: add one to this test"
		return 1
		;;
	esac
}
PROBED_ROUTES=58

test_expect_success 'edud routes lists the routes to probe' '
	edud_cmd routes >routes.txt &&
	test "$(wc -l <routes.txt)" -ge "$PROBED_ROUTES"
'

# The session-ending routes go last, so the others run with live sessions.
mapfile -t ROUTES < <(awk '{ print ($2 ~ /logout-all|password/ ? 1 : 0), $1, $2 }' routes.txt |
	sort -s -k1,1n | cut -d" " -f2-)
for route in "${ROUTES[@]}"; do
	read -r method pattern <<<"$route"
	test_expect_success "school B cannot reach school A: $method $pattern" '
		: >failures
		probe_for "$method" "$pattern"
		test_must_be_empty failures
	'
done

test_expect_success 'every probe above belongs to a route edud serves' '
	for r in "GET /health" "GET /ready" "GET /metrics" "POST /api/v1/auth/login" \
		"POST /api/v1/auth/refresh" "POST /api/v1/auth/logout" "POST /api/v1/auth/logout-all" \
		"POST /api/v1/auth/activate" "GET /api/v1/users/me" "PUT /api/v1/users/me" \
		"POST /api/v1/users/me/password" "GET /api/v1/users" "POST /api/v1/users" \
		"GET /api/v1/users/{id}" "PATCH /api/v1/users/{id}" "POST /api/v1/users/{id}/reset" \
		"GET /api/v1/tokens" "POST /api/v1/tokens" "DELETE /api/v1/tokens/{id}" \
		"GET /api/v1/schools" "POST /api/v1/schools" "GET /api/v1/schools/{id}" \
		"GET /api/v1/courses" "POST /api/v1/courses" "POST /api/v1/courses/join" \
		"POST /api/v1/courses/{id}/members" "POST /api/v1/assignments/{id}/rubric/copy" \
		"POST /api/v1/assignments/{id}/submissions" "PUT /api/v1/submissions/{id}/grade" \
		"GET /api/v1/grades" "GET /api/v1/submissions" "PATCH /api/v1/courses/{id}" \
		"POST /api/v1/courses/{id}/copy" \
		"POST /api/v1/courses/{id}/lessons" "PATCH /api/v1/lessons/{id}" \
		"POST /api/v1/courses/{id}/assignments" "PATCH /api/v1/assignments/{id}" \
		"PUT /api/v1/assignments/{id}/rubric" "PUT /api/v1/assignments/{id}/grades/{student_id}" \
		"POST /api/v1/uploads"; do
		grep -qxF "$r" <(cut -d" " -f1,2 routes.txt) || {
			echo "a probe for $r, which edud does not serve" >&2
			return 1
		}
	done
'

# --- below the handlers: the database as edu_app ----------------------------------------------

# Runs SQL from stdin as edu_app; :t is the table, :a and :b the schools. With SCHOOL ("-":
# none) app.school_id is set for the session first, as edud sets it for a transaction.
app_sql () {
	local school=$1 table=$2
	{
		[ "$school" = - ] ||
			echo "SELECT set_config('app.school_id', :'s', false) IS NULL AS ignored \gset"
		cat
	} | psql_app -v t="$table" -v a="$A_ID" -v b="$B_ID" -v s="$school"
}

# The relations with a school_id column in schema edu; "base": tables only, no views.
tenant_relations () {
	psql_admin -v kind="${1:-any}" <<'EOF'
SELECT format('%I.%I', c.table_schema, c.table_name)
FROM information_schema.columns c
JOIN information_schema.tables t USING (table_schema, table_name)
WHERE c.table_schema = 'edu' AND c.column_name = 'school_id'
  AND (:'kind' = 'any' OR t.table_type = 'BASE TABLE')
ORDER BY 1;
EOF
}

# TABLE SCHOOL: the real number of the school's rows (the superuser bypasses RLS).
real_count () {
	psql_admin -v t="$1" -v s="$2" <<'EOF'
SELECT count(*) FROM :t WHERE school_id = :'s';
EOF
}

# TABLE: as edu_app set to B, "rows of A" and "all rows".
app_counts_as_b () {
	app_sql "$B_ID" "$1" <<'EOF'
SELECT count(*) FROM :t WHERE school_id = :'a';
SELECT count(*) FROM :t;
EOF
}

# HOW TABLE: the rows edu_app sees with no school, set up in one of the ways that must all
# mean "none".
count_no_school () {
	case $1 in
	unset)
		psql_app -v t="$2" <<'EOF'
SELECT count(*) FROM :t;
EOF
		;;
	empty)
		psql_app -v t="$2" <<'EOF'
SELECT set_config('app.school_id', '', false) IS NULL AS ignored \gset
SELECT count(*) FROM :t;
EOF
		;;
	after-set-local)
		# current_setting() then gives '', not NULL: the policies must take it as none.
		psql_app -v t="$2" -v a="$A_ID" <<'EOF'
BEGIN;
SELECT set_config('app.school_id', :'a', true) IS NULL AS ignored \gset
COMMIT;
SELECT CASE WHEN current_setting('app.school_id', true) = '' THEN count(*) ELSE -1 END FROM :t;
EOF
		;;
	lookup-flag)
		# only the owner's definer lookups may use it
		psql_app -v t="$2" <<'EOF'
SELECT set_config('edu.lookup', 'on', false) IS NULL AS ignored \gset
SELECT count(*) FROM :t;
EOF
		;;
	super-role)
		# app.role opens the schools list to a super_admin, never a tenant table
		psql_app -v t="$2" <<'EOF'
SELECT set_config('app.role', 'super_admin', false) IS NULL AS ignored \gset
SELECT count(*) FROM :t;
EOF
		;;
	esac
}

count_malformed_school () {
	psql_app -v t="$1" <<'EOF'
SELECT set_config('app.school_id', 'not-a-uuid', false) IS NULL AS ignored \gset
SELECT count(*) FROM :t;
EOF
}

# TABLE: as edu_app set to B, how many rows of A an UPDATE and a DELETE touch (rolled back).
app_touch_a () {
	app_sql "$B_ID" "$1" <<'EOF'
BEGIN;
WITH u AS (UPDATE :t SET school_id = school_id WHERE school_id = :'a' RETURNING 1)
SELECT count(*) FROM u;
WITH d AS (DELETE FROM :t WHERE school_id = :'a' RETURNING 1)
SELECT count(*) FROM d;
ROLLBACK;
EOF
}

# TABLE: as edu_app set to B, copy one of B's rows into A (must fail).
app_insert_into_a () {
	app_sql "$B_ID" "$1" <<'EOF'
BEGIN;
INSERT INTO :t
SELECT (jsonb_populate_record(CAST(NULL AS :t), to_jsonb(r) || jsonb_build_object('school_id', :'a'))).*
FROM :t r LIMIT 1;
ROLLBACK;
EOF
}

# TABLE: as edu_app set to B, move B's rows to A (must fail).
app_move_to_a () {
	app_sql "$B_ID" "$1" <<'EOF'
BEGIN;
UPDATE :t SET school_id = :'a' WHERE school_id = :'b';
ROLLBACK;
EOF
}

# As edu_app set to B: A's school row seen, A's school row updated, schools seen.
app_schools_as_b () {
	app_sql "$B_ID" - <<'EOF'
SELECT count(*) FROM edu.schools WHERE id = :'a';
BEGIN;
WITH u AS (UPDATE edu.schools SET name = 'taken' WHERE id = :'a' RETURNING 1)
SELECT count(*) FROM u;
ROLLBACK;
SELECT count(*) FROM edu.schools;
EOF
}

test_expect_success 'the tenant tables come from the catalog' '
	tenant_relations >tenant-tables.txt &&
	tenant_relations base >tenant-base-tables.txt &&
	cat tenant-tables.txt >&2 &&
	for t in edu.users edu.refresh_tokens edu.api_tokens edu.login_failures; do
		test_grep -qxF "$t" tenant-base-tables.txt || return 1
	done
'

test_expect_success 'both schools have rows in the tables this test fills' '
	for t in edu.users edu.refresh_tokens edu.api_tokens edu.login_failures; do
		for s in "$A_ID" "$B_ID"; do
			n=$(real_count $t "$s") && test "$n" -gt 0 ||
				{ echo "$t has no rows of school $s" >&2; return 1; }
		done
	done
'

test_expect_success 'set to school B, edu_app sees no row of A and every row of B' '
	: >failures
	while read -r t; do
		counts=$(app_counts_as_b "$t") || { fail "$t: cannot count as edu_app"; continue; }
		a_rows=$(echo "$counts" | sed -n 1p)
		seen=$(echo "$counts" | sed -n 2p)
		b_rows=$(real_count "$t" "$B_ID")
		[ "$a_rows" = 0 ] || fail "$t: edu_app set to B sees $a_rows rows of A"
		[ "$seen" = "$b_rows" ] || fail "$t: edu_app set to B sees $seen rows, B has $b_rows"
		[ "$(real_count "$t" "$A_ID")" != 0 ] ||
			echo "# note: $t has no rows of A, so this probe of it proves little" >&2
	done <tenant-tables.txt
	test -s tenant-tables.txt && test_must_be_empty failures
'

test_expect_success 'with no school set (unset, empty, after SET LOCAL), edu_app sees no rows' '
	: >failures
	while read -r t; do
		for how in unset empty after-set-local lookup-flag super-role; do
			n=$(count_no_school $how "$t") || { fail "$t ($how): the query failed"; continue; }
			[ "$n" = 0 ] || fail "$t ($how): edu_app sees $n rows with no school set"
		done
	done <tenant-tables.txt
	test -s tenant-tables.txt && test_must_be_empty failures
'

test_expect_success 'a malformed school id fails closed' '
	: >failures
	while read -r t; do
		if n=$(count_malformed_school "$t" 2>err); then
			[ "$n" = 0 ] || fail "$t: app.school_id=not-a-uuid shows $n rows"
		fi
	done <tenant-tables.txt
	test_must_be_empty failures
'

test_expect_success "set to school B, edu_app updates and deletes none of A's rows" '
	: >failures
	while read -r t; do
		n=$(app_touch_a "$t") || { fail "$t: the update/delete probe failed"; continue; }
		[ "$(echo $n)" = "0 0" ] ||
			fail "$t: edu_app set to B updated/deleted rows of A: $(echo $n)"
	done <tenant-base-tables.txt
	a_unchanged "SQL update/delete"
	test_must_be_empty failures
'

test_expect_success 'set to school B, edu_app cannot insert a row into A or move one there' '
	: >failures
	while read -r t; do
		if [ "$(real_count "$t" "$B_ID")" = 0 ]; then
			echo "# note: $t has no row of B to copy" >&2
			continue
		fi
		if app_insert_into_a "$t" >out 2>err; then
			fail "$t: edu_app set to B inserted a row of A"
		elif ! grep -q "row-level security" err; then
			fail "$t: the insert into A failed, but not by row-level security: $(cat err)"
		fi
		if app_move_to_a "$t" >out 2>err; then
			fail "$t: edu_app set to B moved its rows to A"
		elif ! grep -q "row-level security" err; then
			fail "$t: moving rows to A failed, but not by row-level security: $(cat err)"
		fi
	done <tenant-base-tables.txt
	a_unchanged "SQL insert/move"
	test_must_be_empty failures
'

test_expect_success 'set to school B, edu_app sees and changes nothing of school A itself' '
	: >failures
	n=$(app_schools_as_b) &&
	test "$(echo $n)" = "0 0 1" &&
	a_unchanged "schools" &&
	test_must_be_empty failures
'

test_done
