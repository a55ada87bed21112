#!/bin/bash
# 020-role-matrix: every route of `edud routes` × every kind of caller × every kind of target
# (the caller's own school, another school, a missing id, a malformed id), checked against
# the contract (docs/api.md): no unauthorised call gets a 2xx, every allowed call with a valid
# body does (so the matrix is not vacuous), denials are 401 (no token), 403 or 404, and another
# school's resource answers exactly as a missing one does.
#
# Course-scoped routes (courses, lessons, assignments, submissions, grades) add the callers a
# course knows: the student whose submission is the target, a classmate enrolled in the same
# course, a student of another course, the course's teacher and a teacher of another course.
# Someone who is neither a member of the course nor an admin of its school gets exactly 404,
# whatever the method; a member refused a teacher's action gets 403 or 404.
#
# The expected table below is the contract. A route that edud serves without a line here
# fails the test, and so does a line for a route that edud no longer serves: a new route
# cannot go untested.
. "$(dirname "$0")/lib.sh"
[ -f "$top_srcdir/tests/e2e/data/security.sh" ] || bail_out "no tests/e2e/data/security.sh"
. "$top_srcdir/tests/e2e/data/security.sh"

# Who may do what, by group of callers. "pat_read" and "pat_write" are personal API tokens of
# a school_admin; the other callers hold a login session (JWT) of a user of that role.
# In the course the targets belong to: "student" (student01) made the submission, "classmate"
# (student02) is enrolled too, "outsider" (student03) is a student of another course of the
# school; "teacher" (teacher1) teaches it, "teacher_out" (teacher2) teaches another course;
# admin and above act as its teacher without being members.
CALLERS=(anon student classmate outsider teacher teacher_out admin school_admin super_admin
	pat_read pat_write)
declare -A GRP=(
	[ALL]="anon student classmate outsider teacher teacher_out admin school_admin super_admin pat_read pat_write"
	[TOKENS]="student classmate outsider teacher teacher_out admin school_admin super_admin pat_read pat_write"
	[WRITERS]="student classmate outsider teacher teacher_out admin school_admin super_admin pat_write"
	[SESSIONS]="student classmate outsider teacher teacher_out admin school_admin super_admin"
	[ADMINS]="admin school_admin super_admin pat_read pat_write"
	[ADMIN_WRITERS]="admin school_admin super_admin pat_write"
	[SUPER]="super_admin"
	[NONE]=""
	[TEACHERS]="teacher teacher_out admin school_admin super_admin pat_read pat_write"
	[TEACHER_WRITERS]="teacher teacher_out admin school_admin super_admin pat_write"
	[MEMBERS]="student classmate teacher admin school_admin super_admin pat_read pat_write"
	[STAFF]="teacher admin school_admin super_admin pat_read pat_write"
	[STAFF_WRITERS]="teacher admin school_admin super_admin pat_write"
	[ENROLLED]="student classmate"
	[SUB_READERS]="student teacher admin school_admin super_admin pat_read pat_write"
)
# Members of no course of the targets and no admins: past the route's permission, they get
# exactly 404 for anything of the course.
NONMEMBERS=" outsider teacher_out "

# METHOD PATTERN PERM GATE OWN OTHER
#   PERM   what `edud routes` must print for it
#   GATE   who gets past the route's permission; everyone else gets 401 (no token) or 403
#          (whatever the id: a role refused the route learns nothing about the resource)
#   OWN    who succeeds on the caller's own school (or on the route itself when it has no id)
#   OTHER  who succeeds on another school's resource (everyone else past GATE: 404)
# Calls run in this order: the ones that end the caller's sessions come last.
EXPECTED='
GET    /health                    public  ALL           ALL           -
GET    /ready                     public  ALL           ALL           -
GET    /metrics                   public  ALL           ALL           -
POST   /api/v1/auth/login         public  ALL           ALL           -
POST   /api/v1/auth/refresh       public  ALL           ALL           -
POST   /api/v1/auth/logout        public  ALL           ALL           -
POST   /api/v1/auth/activate      public  ALL           ALL           -
GET    /api/v1/users/me           any     TOKENS        TOKENS        -
PUT    /api/v1/users/me           any     WRITERS       WRITERS       -
GET    /api/v1/users              admin   ADMINS        ADMINS        -
POST   /api/v1/users              admin   ADMIN_WRITERS ADMIN_WRITERS -
GET    /api/v1/users/{id}         any     TOKENS        ADMINS        NONE
PATCH  /api/v1/users/{id}         admin   ADMIN_WRITERS ADMIN_WRITERS NONE
POST   /api/v1/users/{id}/reset   admin   ADMIN_WRITERS ADMIN_WRITERS NONE
GET    /api/v1/tokens             session SESSIONS      SESSIONS      -
POST   /api/v1/tokens             session SESSIONS      SESSIONS      -
DELETE /api/v1/tokens/{id}        session SESSIONS      SESSIONS      NONE
GET    /api/v1/schools            any     TOKENS        TOKENS        -
POST   /api/v1/schools            super   SUPER         SUPER         -
GET    /api/v1/schools/{id}       any     TOKENS        TOKENS        SUPER
GET    /api/v1/courses                              any     TOKENS          TOKENS          -
POST   /api/v1/courses                              teacher TEACHER_WRITERS TEACHER_WRITERS -
POST   /api/v1/courses/join                         any     WRITERS         WRITERS         -
GET    /api/v1/courses/{id}                         any     TOKENS          MEMBERS         NONE
PATCH  /api/v1/courses/{id}                         teacher TEACHER_WRITERS STAFF_WRITERS   NONE
POST   /api/v1/courses/{id}/copy                    teacher TEACHER_WRITERS STAFF_WRITERS   NONE
GET    /api/v1/courses/{id}/members                 any     TOKENS          MEMBERS         NONE
POST   /api/v1/courses/{id}/members                 teacher TEACHER_WRITERS STAFF_WRITERS   NONE
DELETE /api/v1/courses/{id}/members/{user_id}       teacher TEACHER_WRITERS STAFF_WRITERS   NONE
GET    /api/v1/courses/{id}/progress                any     TOKENS          MEMBERS         NONE
GET    /api/v1/courses/{id}/lessons                 any     TOKENS          MEMBERS         NONE
POST   /api/v1/courses/{id}/lessons                 teacher TEACHER_WRITERS STAFF_WRITERS   NONE
GET    /api/v1/lessons/{id}                         any     TOKENS          MEMBERS         NONE
PATCH  /api/v1/lessons/{id}                         teacher TEACHER_WRITERS STAFF_WRITERS   NONE
DELETE /api/v1/lessons/{id}                         teacher TEACHER_WRITERS STAFF_WRITERS   NONE
POST   /api/v1/lessons/{id}/done                    any     WRITERS         ENROLLED        NONE
DELETE /api/v1/lessons/{id}/done                    any     WRITERS         ENROLLED        NONE
POST   /api/v1/lessons/{id}/attachments             teacher TEACHER_WRITERS STAFF_WRITERS   NONE
GET    /api/v1/lessons/{id}/attachments/{file_id}   any     TOKENS          MEMBERS         NONE
DELETE /api/v1/lessons/{id}/attachments/{file_id}   teacher TEACHER_WRITERS STAFF_WRITERS   NONE
GET    /api/v1/courses/{id}/assignments             any     TOKENS          MEMBERS         NONE
POST   /api/v1/courses/{id}/assignments             teacher TEACHER_WRITERS STAFF_WRITERS   NONE
GET    /api/v1/assignments/{id}                     any     TOKENS          MEMBERS         NONE
PATCH  /api/v1/assignments/{id}                     teacher TEACHER_WRITERS STAFF_WRITERS   NONE
DELETE /api/v1/assignments/{id}                     teacher TEACHER_WRITERS STAFF_WRITERS   NONE
GET    /api/v1/assignments/{id}/rubric              any     TOKENS          MEMBERS         NONE
PUT    /api/v1/assignments/{id}/rubric              teacher TEACHER_WRITERS STAFF_WRITERS   NONE
POST   /api/v1/assignments/{id}/rubric/copy         teacher TEACHER_WRITERS STAFF_WRITERS   NONE
POST   /api/v1/uploads                              any     WRITERS         ENROLLED        NONE
POST   /api/v1/assignments/{id}/submissions         any     WRITERS         ENROLLED        NONE
GET    /api/v1/assignments/{id}/submissions         any     TOKENS          MEMBERS         NONE
GET    /api/v1/submissions                          any     TOKENS          TOKENS          -
GET    /api/v1/submissions/{id}                     any     TOKENS          SUB_READERS     NONE
GET    /api/v1/submissions/{id}/files/{file_id}     any     TOKENS          SUB_READERS     NONE
GET    /api/v1/submissions/{id}/grade               any     TOKENS          SUB_READERS     NONE
PUT    /api/v1/submissions/{id}/grade               teacher TEACHER_WRITERS STAFF_WRITERS   NONE
GET    /api/v1/submissions/{id}/grade/history       teacher TEACHERS        STAFF           NONE
PUT    /api/v1/assignments/{id}/grades/{student_id} teacher TEACHER_WRITERS STAFF_WRITERS   NONE
POST   /api/v1/assignments/{id}/release             teacher TEACHER_WRITERS STAFF_WRITERS   NONE
GET    /api/v1/grades                               any     TOKENS          TOKENS          -
POST   /api/v1/auth/logout-all    session SESSIONS      SESSIONS      -
POST   /api/v1/users/me/password  session SESSIONS      SESSIONS      -
'

# Malformed ids: each must give 404 or 400 (401/403 before the id is looked at), never 2xx
# or 500.
BAD_IDS=(
	not-a-uuid
	00000000-0000-0000-0000-00000000000g
	12345678123412341234123456789012
	"%27%20OR%20%271%27%3D%271"
	"$(printf 'f%.0s' {1..600})"
)

in_group () {
	[ "$2" != - ] || return 1
	case " ${GRP[$2]} " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

start_edud --login-max-per-address 100000 --login-max-failures 100000
seed_demo

# --- callers ----------------------------------------------------------------------------

declare -A C_USER=([student]=student01 [classmate]=student02 [outsider]=student03
	[teacher]=teacher1 [teacher_out]=teacher2 [admin]=mxadmin [school_admin]=principal
	[super_admin]=root)
declare -A C_PASS=([student]=$DEMO_PASSWORD [classmate]=$DEMO_PASSWORD [outsider]=$DEMO_PASSWORD
	[teacher]=$DEMO_PASSWORD [teacher_out]=$DEMO_PASSWORD [admin]=$SEC_PASSWORD
	[school_admin]=$DEMO_PASSWORD [super_admin]=$DEMO_PASSWORD)
declare -A C_TOKEN=() C_ID=()
PAT_READ= PAT_WRITE=
N=0

# Sets CT to the caller's token, logging in again when a call ended the last session.
caller_token () {
	case $1 in
	anon) CT= ;;
	pat_read) CT=$PAT_READ ;;
	pat_write) CT=$PAT_WRITE ;;
	*)
		if [ -z "${C_TOKEN[$1]-}" ]; then
			C_TOKEN[$1]=$(token_for "${C_USER[$1]}" "${C_PASS[$1]}") || {
				echo "caller_token: $1 (${C_USER[$1]}) cannot log in" >&2
				CT=
				return 1
			}
		fi
		CT=${C_TOKEN[$1]}
		;;
	esac
}

# The route table as edud prints it: "METHOD PATTERN PERM", one a line.
routes_wellformed () {
	awk 'NF != 3 { print "malformed line: " $0; bad = 1 } END { exit bad }' routes.txt >&2
}

# Lines of $1 ("METHOD PATTERN") missing from $2, both files of "METHOD PATTERN ...".
routes_missing () {
	awk 'NR == FNR { have[$1 " " $2] = 1; next } !(($1 " " $2) in have) { print $1, $2 }' "$2" "$1"
}

perms_differ () {
	awk 'NR == FNR { want[$1 " " $2] = $3; next }
		($1 " " $2) in want && want[$1 " " $2] != $3 {
			print $1, $2 ": the contract says " want[$1 " " $2] ", edud says " $3; bad = 1
		}
		END { exit bad }' expected.txt routes.txt >&2
}

route_served () {
	awk -v m="$1" -v p="$2" '$1 == m && $2 == p { found = 1 } END { exit !found }' routes.txt
}

test_expect_success 'edud routes prints the route table' '
	edud_cmd routes >routes.txt &&
	test -s routes.txt &&
	routes_wellformed &&
	printf "%s\n" "$EXPECTED" | awk NF >expected.txt &&
	test -s expected.txt
'

test_expect_success 'every route edud serves has an expected entry' '
	routes_missing routes.txt expected.txt >untested &&
	if test -s untested; then
		echo "routes without an entry in the matrix (add them to EXPECTED):" >&2
		cat untested >&2
		false
	fi
'

test_expect_success 'every expected entry is a route edud serves' '
	routes_missing expected.txt routes.txt >stale &&
	if test -s stale; then
		echo "entries for routes edud does not serve:" >&2
		cat stale >&2
		false
	fi
'

test_expect_success 'each route requires the permission the contract gives it' '
	perms_differ
'

test_expect_success 'the demo school has the roles the matrix needs' '
	for c in student classmate outsider teacher teacher_out school_admin super_admin; do
		caller_token $c &&
		api_expect 200 GET /users/me "" "$CT" >me-$c.json &&
		case $c in
		classmate|outsider) role=student ;;
		teacher_out) role=teacher ;;
		*) role=$c ;;
		esac &&
		test_json me-$c.json .role "$role" &&
		C_ID[$c]=$(jq -r .id me-$c.json) || return 1
	done
'

test_expect_success 'a school_admin makes an admin, a token owner and the targets' '
	caller_token school_admin &&
	sec_new_user "$CT" demo mxadmin admin >/dev/null &&
	C_ID[admin]=$(sec_user_id mxadmin) &&
	sec_new_user "$CT" demo patowner school_admin >patowner.token &&
	sec_new_user "$CT" demo loginuser student >/dev/null &&
	sec_new_user "$CT" demo teacher9 teacher >teacher9.token &&
	sec_create_user "$CT" mxvictim student &&
	T_USER_OWN=$(sec_user_id mxvictim) &&
	A_ID=$(sec_school_id demo) && test -n "$A_ID"
'

test_expect_success 'the school_admin token owner makes a read and a write API token' '
	PAT_READ=$(sec_make_pat "$(cat patowner.token)" matrix-read read) &&
	PAT_WRITE=$(sec_make_pat "$(cat patowner.token)" matrix-write write) &&
	C_ID[pat_read]=$(sec_user_id patowner) &&
	C_ID[pat_write]=${C_ID[pat_read]} &&
	api_expect 200 GET /users/me "" "$PAT_READ" >me-pat.json &&
	test_json me-pat.json .username patowner &&
	sec_make_pat "$(cat teacher9.token)" sibling read >/dev/null &&
	T_TOKEN_SIBLING=$(jq -r .id pat-sibling.json) &&
	test -n "$T_TOKEN_SIBLING"
'

test_expect_success 'a super_admin makes school "other" with its own users and tokens' '
	sec_other_school other oprincipal >oprincipal.token &&
	B_ID=$(sec_school_id other) && test -n "$B_ID" && test "$B_ID" != "$A_ID" &&
	sec_new_user "$(cat oprincipal.token)" other ostudent student >ostudent.token &&
	T_USER_OTHER=$(sec_user_id ostudent) &&
	sec_make_pat "$(cat oprincipal.token)" other-token write >/dev/null &&
	T_TOKEN_OTHER=$(jq -r .id pat-other-token.json) &&
	test -n "$T_TOKEN_OTHER"
'

# --- the courses the course routes aim at --------------------------------------------------

# The id of a user of school A, read as the cluster's superuser.
a_user_id () {
	psql_admin -v u="$1" <<'SQL'
SELECT u.id FROM edu.users u JOIN edu.schools s ON s.id = u.school_id
WHERE s.slug = 'demo' AND u.username = :'u';
SQL
}

test_expect_success 'school A: a course of teacher1 with student01 and student02, graded work' '
	caller_token teacher && T1=$CT &&
	caller_token student && S1=$CT &&
	sec_course_fixture MA "$T1" "$S1" student01 &&
	sec_enrol "$T1" "$MA_COURSE" student02 &&
	sec_enrol "$T1" "$MA_COURSE" student05 &&
	STUDENT04=$(a_user_id student04) && test -n "$STUDENT04" &&
	STUDENT05=$(a_user_id student05) && test -n "$STUDENT05" &&
	MA_ASSIGNMENT2=$(sec_assignment_new "$T1" "$MA_COURSE" ma-second) &&
	sec_rubric_set "$T1" "$MA_ASSIGNMENT2" &&
	MA_DRAFT=$(sec_assignment_new "$T1" "$MA_COURSE" ma-draft "{\"published\": false}")
'

test_expect_success 'school A: teacher2 teaches another course, where student03 is enrolled' '
	caller_token teacher_out &&
	MD_COURSE=$(sec_course_new "$CT" md-course) &&
	sec_enrol "$CT" "$MD_COURSE" student03 &&
	MD_ASSIGNMENT=$(sec_assignment_new "$CT" "$MD_COURSE" md-assignment)
'

test_expect_success 'school A: a course of a teacher who is no caller, whose code anyone may use' '
	caller_token school_admin &&
	sec_new_user "$CT" demo jteacher teacher >jteacher.token &&
	J_COURSE=$(sec_course_new "$(cat jteacher.token)" join-course) &&
	J_CODE=$(jq -er .code course-join-course.json) &&
	test ${#J_CODE} = 8
'

test_expect_success 'school B: the same kinds of things, made by its principal and ostudent' '
	sec_course_fixture OB "$(cat oprincipal.token)" "$(cat ostudent.token)" ostudent
'

# Every row of school B but its sessions and failed logins, to show that no call of the
# matrix changed another school's course, lesson, assignment, submission or grade.
b_snapshot () {
	local t
	for t in $(psql_admin <<'SQL'
SELECT format('%I.%I', n.nspname, c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'school_id' AND NOT a.attisdropped
WHERE n.nspname = 'edu' AND c.relkind IN ('r', 'p')
  AND c.relname NOT IN ('refresh_tokens', 'login_failures') ORDER BY 1;
SQL
	); do
		echo "== $t"
		psql_admin -v t="$t" -v b="$B_ID" <<'SQL' || return 1
SELECT r::text FROM :t r WHERE school_id = :'b' ORDER BY 1;
SQL
	done
}

test_expect_success 'school B is photographed before the matrix' '
	b_snapshot >b-before.txt &&
	test_grep -F "$OB_SUBMISSION" b-before.txt
'

# --- one call -----------------------------------------------------------------------------

# A course route: its path names a course, lesson, assignment or submission (for /uploads,
# its query does).
course_route () {
	case $1 in
	/api/v1/courses/*/*|/api/v1/courses/\{id\}|/api/v1/lessons/*|/api/v1/assignments/*|\
	/api/v1/submissions/*|/api/v1/uploads)
		return 0 ;;
	esac
	return 1
}

# Sets ID1 and ID2, the ids of a course route's placeholders for a target that is "own"
# (school A, the course of teacher1) or "other" (school B), making a fresh one when the call
# uses it up.
course_ids () {
	local target=$1 method=$2 pattern=$3 p=OB v
	[ "$target" = own ] && p=MA
	ID2=
	case "$method $pattern" in
	*" /api/v1/courses/{id}/members/{user_id}")
		v=${p}_COURSE ID1=${!v}
		if [ "$target" = own ]; then
			caller_token teacher || return 1
			sec_enrol "$CT" "$MA_COURSE" student04 || return 1
			ID2=$STUDENT04
		else
			ID2=$OB_STUDENT
		fi
		;;
	*" /api/v1/courses/"*) v=${p}_COURSE ID1=${!v} ;;
	"DELETE /api/v1/lessons/{id}")
		if [ "$target" = own ]; then
			caller_token teacher || return 1
			ID1=$(sec_lesson_new "$CT" "$MA_COURSE" "mxdel$N") || return 1
		else
			ID1=$OB_LESSON
		fi
		;;
	"DELETE /api/v1/assignments/{id}")
		if [ "$target" = own ]; then
			caller_token teacher || return 1
			ID1=$(sec_assignment_new "$CT" "$MA_COURSE" "mxadel$N") || return 1
		else
			ID1=$OB_ASSIGNMENT
		fi
		;;
	"DELETE /api/v1/lessons/{id}/attachments/{file_id}")
		v=${p}_LESSON ID1=${!v}
		if [ "$target" = own ]; then
			caller_token teacher || return 1
			printf 'attachment %s to delete\n' "$N" >"mxdel-$N.txt"
			ID2=$(sec_attach "$CT" "$MA_LESSON" "mxdel-$N.txt" "mxdel-$N.txt") || return 1
		else
			ID2=$OB_ATTACHMENT
		fi
		;;
	*" /api/v1/lessons/{id}/attachments/{file_id}")
		v=${p}_LESSON ID1=${!v}
		v=${p}_ATTACHMENT ID2=${!v}
		;;
	*" /api/v1/lessons/"*) v=${p}_LESSON ID1=${!v} ;;
	*" /api/v1/assignments/{id}/grades/{student_id}")
		v=${p}_ASSIGNMENT ID1=${!v}
		[ "$target" = own ] && ID2=$STUDENT05 || ID2=$OB_STUDENT
		;;
	*" /api/v1/assignments/{id}/rubric"*)
		[ "$target" = own ] && ID1=$MA_ASSIGNMENT2 || ID1=$OB_ASSIGNMENT ;;
	*" /api/v1/assignments/"*|*" /api/v1/uploads") v=${p}_ASSIGNMENT ID1=${!v} ;;
	*" /api/v1/submissions/{id}/files/{file_id}")
		v=${p}_SUBMISSION ID1=${!v}
		v=${p}_FILE ID2=${!v}
		;;
	*" /api/v1/submissions/"*) v=${p}_SUBMISSION ID1=${!v} ;;
	*)
		echo "course_ids: no $target resource known for $method $pattern" >&2
		return 1
		;;
	esac
}

# The last version of each grade the matrix changes, by path: PUT needs If-Match.
declare -A GRADE_VERSION=()


# Sets OWN_ID: the caller's own-school resource for the pattern, made fresh when the call
# would use it up.
own_id () {
	local caller=$1 method=$2 pattern=$3 tok
	case "$method $pattern" in
	*" /api/v1/users/{id}/reset")
		caller_token school_admin || return 1
		sec_create_user "$CT" "mxreset$N" student || return 1
		OWN_ID=$(sec_user_id "mxreset$N")
		;;
	*" /api/v1/users/{id}") OWN_ID=$T_USER_OWN ;;
	*" /api/v1/tokens/{id}")
		# A token of the caller's own: API tokens cannot make one, so theirs is their
		# owner's (they are refused either way).
		case $caller in
		anon|pat_*) tok=$(cat patowner.token) ;;
		*) caller_token "$caller" || return 1; tok=$CT ;;
		esac
		sec_make_pat "$tok" "own$N" read >/dev/null || return 1
		OWN_ID=$(jq -r .id "pat-own$N.json")
		;;
	*" /api/v1/schools/{id}") OWN_ID=$A_ID ;;
	*)
		echo "own_id: no own resource known for $method $pattern" >&2
		return 1
		;;
	esac
}

# Sets M_PATH for a course route, and M_CURL (If-Match) for a grade.
m_course_path () {
	local method=$1 pattern=$2 target=$3 key
	case $target in
	none) ID1= ID2= ;;
	own|other) course_ids "$target" "$method" "$pattern" || return 1 ;;
	random) course_ids own "$method" "$pattern" || return 1; ID1=$(sec_uuid) ;;
	badid*) course_ids own "$method" "$pattern" || return 1; ID1=${BAD_IDS[${target#badid}]} ;;
	esac
	M_PATH=${pattern/\{id\}/$ID1}
	if [[ $M_PATH =~ \{[a-z_]+\} ]]; then
		M_PATH=${M_PATH/"${BASH_REMATCH[0]}"/$ID2}
	fi
	case $pattern in
	/api/v1/uploads) M_PATH="$M_PATH?assignment=$ID1&filename=mxup$N.txt" ;;
	*/attachments) [ "$method" = POST ] && M_PATH="$M_PATH?filename=mxatt$N.txt" ;;
	esac
	case "$method $pattern" in
	"PUT /api/v1/submissions/{id}/grade"|"PUT /api/v1/assignments/{id}/grades/{student_id}")
		key=$M_PATH
		if [ "$target" = own ] && [ -z "${GRADE_VERSION[$key]-}" ]; then
			case $pattern in
			*/grade)
				caller_token teacher || return 1
				GRADE_VERSION[$key]=$(sec_grade_version "$CT" "$ID1") || return 1
				;;
			*) GRADE_VERSION[$key]=0 ;;
			esac
		fi
		M_VERSION_KEY=$key
		M_CURL=(-H "If-Match: \"${GRADE_VERSION[$key]:-1}\"")
		;;
	esac
	return 0
}

# Sets M_PATH and M_BODY for one call, making whatever the call consumes; M_RAW is a file to
# send as a raw body instead, M_CURL more curl arguments.
m_prepare () {
	local caller=$1 method=$2 pattern=$3 target=$4 id= tok
	M_BODY=
	M_CREATES=
	M_RAW=
	M_CURL=()
	M_VERSION_KEY=
	M_MARK=
	N=$((N + 1))
	if course_route "$pattern"; then
		m_course_path "$method" "$pattern" "$target" || return 1
		target=course
	fi
	case $target in
	course) ;;
	none) ;;
	own) own_id "$caller" "$method" "$pattern" || return 1; id=$OWN_ID ;;
	self) id=${C_ID[$caller]:-$T_USER_OWN} ;;
	sibling) id=$T_TOKEN_SIBLING ;;
	other)
		case $pattern in
		*/users/*) id=$T_USER_OTHER ;;
		*/tokens/*) id=$T_TOKEN_OTHER ;;
		*/schools/*) id=$B_ID ;;
		esac
		;;
	random) id=$(sec_uuid) ;;
	badid*) id=${BAD_IDS[${target#badid}]} ;;
	esac
	[ "$target" = course ] || M_PATH=${pattern/\{id\}/$id}
	case "$method $pattern" in
	"POST /api/v1/auth/login")
		M_BODY=$(jq -cn --arg p "$SEC_PASSWORD" \
			'{school: "demo", username: "loginuser", password: $p}')
		;;
	"POST /api/v1/auth/refresh"|"POST /api/v1/auth/logout")
		token_for loginuser "$SEC_PASSWORD" >/dev/null || return 1
		M_BODY=$(jq -c '{refresh_token}' session-loginuser.json)
		;;
	"POST /api/v1/auth/activate")
		caller_token school_admin || return 1
		sec_create_user "$CT" "mxact$N" student || return 1
		M_BODY=$(jq -c --arg p "$SEC_PASSWORD" \
			'{school: "demo", username: .username, code: .activation_code, password: $p}' \
			"user-mxact$N.json")
		;;
	"GET /api/v1/submissions")
		# everyone may ask; only those who may read it find student01's submission
		M_PATH="$M_PATH?id_prefix=${MA_SUBMISSION:0:8}"
		;;
	"PUT /api/v1/users/me")
		M_BODY=$(jq -cn --arg c "$caller" '{display_name: ("Matrix " + $c)}')
		;;
	"POST /api/v1/users/me/password")
		M_BODY=$(jq -cn --arg o "${C_PASS[$caller]:-$SEC_PASSWORD}" --arg n "Changed-$N-password" \
			'{current_password: $o, new_password: $n}')
		;;
	"POST /api/v1/users")
		M_BODY=$(jq -cn --arg u "mxnew$N" '{username: $u, role: "student"}')
		M_CREATES="users username mxnew$N"
		;;
	"PATCH /api/v1/users/{id}")
		M_BODY=$(jq -cn --arg c "$caller" '{display_name: ("Patched by " + $c)}')
		;;
	"POST /api/v1/tokens")
		M_BODY=$(jq -cn --arg n "mxtok$N" '{name: $n, scope: "read"}')
		M_CREATES="api_tokens name mxtok$N"
		;;
	"POST /api/v1/schools")
		M_BODY=$(jq -cn --arg s "mx-$N" '{slug: $s, name: ("Matrix " + $s), admin: {username: "head"}}')
		M_CREATES="schools slug mx-$N"
		;;
	"POST /api/v1/courses")
		M_BODY=$(jq -cn --arg n "mxcourse$N" '{name: $n, term: "2026"}')
		M_CREATES="courses name mxcourse$N"
		;;
	"POST /api/v1/courses/join")
		M_BODY=$(jq -cn --arg c "$J_CODE" '{code: $c}')
		;;
	"PATCH /api/v1/courses/{id}")
		M_MARK="Patched by $caller #$N"
		M_BODY=$(jq -cn --arg m "$M_MARK" '{description: $m}')
		;;
	"POST /api/v1/courses/{id}/copy")
		M_BODY=$(jq -cn --arg n "mxcopy$N" '{name: $n}')
		M_CREATES="courses name mxcopy$N"
		;;
	"POST /api/v1/courses/{id}/members")
		M_BODY='{"username": "student06", "role": "student"}'
		;;
	"POST /api/v1/courses/{id}/lessons")
		M_BODY=$(jq -cn --arg t "mxlesson$N" '{title: $t, content: "made by the matrix"}')
		M_CREATES="lessons title mxlesson$N"
		;;
	"PATCH /api/v1/lessons/{id}")
		M_MARK="Patched by $caller #$N"
		M_BODY=$(jq -cn --arg m "$M_MARK" '{content: $m}')
		;;
	"POST /api/v1/courses/{id}/assignments")
		M_BODY=$(jq -cn --arg t "mxassign$N" '{title: $t, points_possible: 5, published: false}')
		M_CREATES="assignments title mxassign$N"
		;;
	"PATCH /api/v1/assignments/{id}")
		M_MARK="Patched by $caller #$N"
		M_BODY=$(jq -cn --arg m "$M_MARK" '{instructions: $m}')
		;;
	"PUT /api/v1/assignments/{id}/rubric")
		M_BODY='{"criteria": [{"name": "Care", "levels": [{"name": "Some", "points": 1}, {"name": "Much", "points": 2}]}]}'
		;;
	"POST /api/v1/assignments/{id}/rubric/copy")
		M_BODY=$(jq -cn --arg a "$MA_ASSIGNMENT" '{from: $a}')
		;;
	"POST /api/v1/lessons/{id}/attachments"|"POST /api/v1/uploads")
		printf 'matrix upload %s\n' "$N" >"mx-raw-$N.txt"
		M_RAW=mx-raw-$N.txt
		;;
	"POST /api/v1/assignments/{id}/submissions")
		M_BODY=$(jq -cn --arg t "mxsub$N" '{text: $t}')
		M_CREATES="submissions text mxsub$N"
		;;
	"PUT /api/v1/submissions/{id}/grade"|"PUT /api/v1/assignments/{id}/grades/{student_id}")
		M_MARK="Matrix grade by $caller #$N"
		M_BODY=$(jq -cn --arg m "$M_MARK" --argjson s $((N % 10)) '{score: $s, comment: $m}')
		;;
	esac
	return 0
}

# After a call that ended the caller's sessions or changed its password.
m_after () {
	local caller=$1 method=$2 pattern=$3 status=$4 old_token=$5
	case $status in 2??) ;; *) return 0 ;; esac
	case $caller in anon|pat_*) return 0 ;; esac
	case "$method $pattern" in
	"POST /api/v1/auth/logout-all")
		C_TOKEN[$caller]=
		api GET /users/me "" "$old_token" >/dev/null
		if [ "$(api_status)" != 401 ]; then
			echo "$caller: the access token still works after logout-all ($(api_status))" >>failures
		fi
		;;
	"POST /api/v1/users/me/password")
		C_PASS[$caller]="Changed-$N-password"
		C_TOKEN[$caller]=
		;;
	esac
}

# The statuses a call may get: "2xx", or a list like "403|404". Reading one resource that is
# not yours answers as a missing one would (404); a role refused a route gets 403.
m_expect () {
	local caller=$1 gate=$2 own=$3 other=$4 target=$5 method=$6 pattern=$7
	if ! in_group "$caller" "$gate"; then
		if [ "$caller" = anon ]; then
			case $target in badid*) echo "401|404|400" ;; *) echo 401 ;; esac
		else
			case $target in badid*) echo "403|404|400" ;; *) echo 403 ;; esac
		fi
		return
	fi
	case $target in
	none|own)
		if in_group "$caller" "$own"; then
			echo 2xx
		elif [ "$target" = own ] && course_route "$pattern" &&
		     [[ $NONMEMBERS == *" $caller "* ]]; then
			echo 404
		elif [ "$method" = GET ] && [ "$target" = own ]; then
			echo 404
		else
			echo "403|404"
		fi
		;;
	self) echo 2xx ;;
	sibling|random) echo 404 ;;
	other) if in_group "$caller" "$other"; then echo 2xx; else echo 404; fi ;;
	badid*) echo "404|400" ;;
	esac
}

m_matches () {
	local want=$1 got=$2
	if [ "$want" = 2xx ]; then
		case $got in 2??) return 0 ;; esac
		return 1
	fi
	case "|$want|" in *"|$got|"*) return 0 ;; esac
	return 1
}

UNAUTHORISED=0
ALLOWED_OK=0
CALLS=0
MARKS_CHECKED=0

# The rows of any school holding MARK, the text a write puts in a field: checked right after
# each refused write, before an allowed one can write over it. Grades also keep it in their
# history.
marked_rows () {
	psql_admin -v m="$1" <<'SQL'
SELECT (SELECT count(*) FROM edu.courses WHERE description = :'m')
     + (SELECT count(*) FROM edu.lessons WHERE content = :'m')
     + (SELECT count(*) FROM edu.assignments WHERE instructions = :'m')
     + (SELECT count(*) FROM edu.grades WHERE comment = :'m')
     + (SELECT count(*) FROM edu.grade_history WHERE new->>'comment' = :'m');
SQL
}

# Runs every caller against every target of one route; failures go to ./failures.
m_route () {
	local method=$1 pattern=$2 gate=$3 own=$4 other=$5 caller target want got
	local targets=(none) i
	declare -A got_of=()
	: >failures
	case $pattern in
	*"{id}"*|/api/v1/uploads)
		targets=(own)
		[ "$method $pattern" = "GET /api/v1/users/{id}" ] && targets+=(self)
		[[ $pattern == */tokens/* ]] && targets+=(sibling)
		targets+=(other random)
		for i in "${!BAD_IDS[@]}"; do targets+=("badid$i"); done
		;;
	esac
	for caller in "${CALLERS[@]}"; do
		for target in "${targets[@]}"; do
			if ! m_prepare "$caller" "$method" "$pattern" "$target"; then
				echo "$caller $target: could not prepare the call" >>failures
				continue
			fi
			caller_token "$caller" || { echo "$caller: no token" >>failures; continue; }
			if [ -n "$M_RAW" ]; then
				API_CURL_ARGS=(-H 'Content-Type: application/octet-stream'
					--data-binary "@$M_RAW")
			else
				API_CURL_ARGS=("${M_CURL[@]}")
			fi
			api "$method" "$M_PATH" "$M_BODY" "$CT" >/dev/null
			API_CURL_ARGS=()
			got=$(api_status)
			if [ -n "$M_VERSION_KEY" ]; then
				case $got in
				2??) GRADE_VERSION[$M_VERSION_KEY]=$(jq -r .version api.body) ;;
				412) GRADE_VERSION[$M_VERSION_KEY]=$(jq -r .current.version api.body) ;;
				esac
			fi
			CALLS=$((CALLS + 1))
			got_of[$caller.$target]=$got
			want=$(m_expect "$caller" "$gate" "$own" "$other" "$target" "$method" "$pattern")
			printf '%s %s %s %s %s %s\n' "$method" "$pattern" "$caller" "$target" "$got" "$want" >>matrix.txt
			if m_matches "$want" "$got"; then
				[ "$want" = 2xx ] && ALLOWED_OK=$((ALLOWED_OK + 1))
			else
				case $got in
				2??) UNAUTHORISED=$((UNAUTHORISED + 1)) ;;
				esac
				printf '%s %s as %s, target %s: %s, expected %s; body: %s\n' \
					"$method" "${M_PATH:0:120}" "$caller" "$target" "$got" "$want" \
					"$(head -c 300 api.body)" >>failures
			fi
			case $got in
			2??) ;;
			*)
				[ -z "$M_CREATES" ] || echo "$M_CREATES" >>denied-writes.txt
				if [ -n "$M_MARK" ]; then
					MARKS_CHECKED=$((MARKS_CHECKED + 1))
					[ "$(marked_rows "$M_MARK")" = 0 ] ||
						echo "$method $M_PATH as $caller: refused ($got), yet its change was made" >>failures
				fi
				;;
			esac
			m_after "$caller" "$method" "$pattern" "$got" "$CT"
		done
		# Another school's resource must answer as a missing one does.
		if [ -n "${got_of[$caller.other]-}" ] && ! in_group "$caller" "$other" &&
		   [ "${got_of[$caller.other]}" != "${got_of[$caller.random]}" ]; then
			printf '%s %s as %s: another school'"'"'s resource gives %s, a missing one %s\n' \
				"$method" "$pattern" "$caller" "${got_of[$caller.other]}" \
				"${got_of[$caller.random]}" >>failures
		fi
	done
	if [ -s failures ]; then
		cat failures >&2
		return 1
	fi
}

mapfile -t expected_lines < <(printf '%s\n' "$EXPECTED" | awk NF)
for line in "${expected_lines[@]}"; do
	read -r method pattern perm gate own other <<<"$line"
	test_expect_success "matrix: $method $pattern" '
		if ! route_served "$method" "$pattern"; then
			echo "edud does not serve $method $pattern" >&2
			false
		fi &&
		m_route "$method" "$pattern" "$gate" "$own" "$other"
	'
done

test_expect_success 'no unauthorised call got a 2xx, and allowed calls did' '
	echo "calls: $CALLS, allowed and 2xx: $ALLOWED_OK, unauthorised 2xx: $UNAUTHORISED" >&2 &&
	test "$UNAUTHORISED" -eq 0 &&
	test "$ALLOWED_OK" -ge 350 &&
	test "$CALLS" -ge 3000
'

test_expect_success 'no call of the matrix changed anything of school B' '
	b_snapshot >b-after.txt &&
	test_cmp b-before.txt b-after.txt
'

# The grade changes the matrix's allowed calls made, kept in the history.
matrix_history_rows () {
	psql_admin <<'SQL'
SELECT count(*) FROM edu.grade_history WHERE new->>'comment' LIKE 'Matrix grade by %';
SQL
}

test_expect_success 'refused writes were checked for their change; allowed ones made theirs' '
	echo "refused writes checked: $MARKS_CHECKED" >&2 &&
	test "$MARKS_CHECKED" -ge 200 &&
	test "$(matrix_history_rows)" -ge 10
'

# --- what a student may see of others -------------------------------------------------------

test_expect_success 'a classmate submits; teacher1 grades it without releasing' '
	caller_token classmate &&
	S3=$(sec_submit "$CT" "$MA_ASSIGNMENT" "the classmate'"'"'s own answer") &&
	caller_token teacher &&
	v=$(sec_grade_version "$CT" "$S3") &&
	sec_grade "$CT" "$S3" "$v" "{\"score\": 9, \"comment\": \"unreleased remark\"}" >/dev/null
'

# FILE holds neither the unreleased grade's comment nor student01's submission.
nothing_of_others () {
	sec_lacks -F "unreleased remark" "$1" &&
	sec_lacks -F "$MA_SUBMISSION" "$1" &&
	sec_lacks -F "the answer of MA" "$1"
}

test_expect_success 'the classmate sees their submission, not its unreleased grade' '
	caller_token classmate &&
	api_expect 200 GET "/submissions/$S3" "" "$CT" >s3.json &&
	test_json s3.json .text "the classmate'"'"'s own answer" &&
	jq -e ".grade == null or .grade.score == null" s3.json >/dev/null &&
	nothing_of_others s3.json &&
	api GET "/submissions/$S3/grade" "" "$CT" >s3-grade.json &&
	case $(api_status) in
	404) ;;
	200) jq -e ".score == null and (.comment // \"\") == \"\"" s3-grade.json >/dev/null ;;
	*) echo "GET /submissions/{id}/grade of an unreleased grade: $(api_status)" >&2; false ;;
	esac &&
	nothing_of_others s3-grade.json
'

test_expect_success "the classmate's lists hold only their own work and released grades" '
	caller_token classmate &&
	api_expect 200 GET "/assignments/$MA_ASSIGNMENT/submissions?attempts=all" "" "$CT" >mine.json &&
	jq -e --arg s "$S3" "[.items[].id] | index(\$s) != null" mine.json >/dev/null &&
	jq -e --arg u "${C_ID[classmate]}" "[.items[].student.id] | all(. == \$u)" mine.json >/dev/null &&
	nothing_of_others mine.json &&
	api_expect 200 GET /grades "" "$CT" >grades.json &&
	nothing_of_others grades.json &&
	api_expect 200 GET "/grades?course=$MA_COURSE" "" "$CT" >grades.json &&
	nothing_of_others grades.json
'

test_expect_success 'student01 sees nothing of the classmate: not the submission, not the grade' '
	caller_token student &&
	api_expect 404 GET "/submissions/$S3" "" "$CT" >out.json &&
	api_expect 404 GET "/submissions/$S3/grade" "" "$CT" >out.json &&
	api_expect 200 GET "/submissions?id_prefix=${S3:0:8}" "" "$CT" >out.json &&
	test_json out.json ".items | length" 0 &&
	api_expect 200 GET "/submissions?id_prefix=$S3" "" "$CT" >out.json &&
	test_json out.json ".items | length" 0 &&
	api_expect 200 GET "/assignments/$MA_ASSIGNMENT/submissions?attempts=all" "" "$CT" >theirs.json &&
	sec_lacks -F "$S3" theirs.json &&
	sec_lacks -F "unreleased remark" theirs.json
'

test_expect_success 'once released, the classmate sees the grade (the checks above can fail)' '
	caller_token teacher &&
	api_expect 200 POST "/assignments/$MA_ASSIGNMENT/release" "" "$CT" >released.json &&
	jq -e ".released >= 1" released.json >/dev/null &&
	caller_token classmate &&
	api_expect 200 GET "/submissions/$S3/grade" "" "$CT" >s3-grade.json &&
	test_json s3-grade.json .score 9 &&
	test_json s3-grade.json .comment "unreleased remark" &&
	api_expect 200 GET /grades "" "$CT" >grades.json &&
	test_grep -F "unreleased remark" grades.json
'

test_expect_success 'a draft assignment is hidden from students, listed for its teacher' '
	caller_token student &&
	api_expect 404 GET "/assignments/$MA_DRAFT" "" "$CT" >out.json &&
	api_expect 200 GET "/courses/$MA_COURSE/assignments" "" "$CT" >list.json &&
	sec_lacks -F "$MA_DRAFT" list.json &&
	test_grep -F "$MA_ASSIGNMENT" list.json &&
	caller_token teacher &&
	api_expect 200 GET "/courses/$MA_COURSE/assignments" "" "$CT" >list.json &&
	test_grep -F "$MA_DRAFT" list.json
'

# COURSE USER: how many times USER is a member of COURSE, in any school.
member_rows () {
	psql_admin -v c="$1" -v u="$2" <<'SQL'
SELECT count(*) FROM edu.course_members WHERE course_id = :'c' AND user_id = :'u';
SQL
}

test_expect_success 'a join code of another school joins nothing' '
	caller_token student &&
	api POST /courses/join "{\"code\": \"$OB_CODE\"}" "$CT" >join.json &&
	case $(api_status) in
	404|422) ;;
	*) echo "joining with school B'"'"'s code: $(api_status)" >&2; false ;;
	esac &&
	sec_lacks -F "$OB_COURSE" join.json &&
	test "$(member_rows "$OB_COURSE" "${C_ID[student]}")" = 0
'

test_expect_success 'teacher2 reaches nothing of teacher1'"'"'s course, and lists none of it' '
	caller_token teacher_out &&
	api_expect 200 GET /courses "" "$CT" >courses.json &&
	test_grep -F "$MD_COURSE" courses.json &&
	sec_lacks -F "$MA_COURSE" courses.json &&
	api_expect 404 GET "/assignments/$MA_ASSIGNMENT/submissions" "" "$CT" >out.json &&
	api_expect 404 GET "/submissions/$MA_SUBMISSION/grade/history" "" "$CT" >out.json
'

test_expect_success 'by the start of its id, a submission is found by those who may read it alone' '
	: >failures &&
	for c in "${CALLERS[@]}"; do
		[ "$c" != anon ] || continue
		caller_token "$c" || return 1
		for p in "${MA_SUBMISSION:0:8}" "${MA_SUBMISSION:0:13}" "$MA_SUBMISSION"; do
			api_expect 200 GET "/submissions?id_prefix=$p" "" "$CT" >found.json || return 1
			n=$(jq --arg s "$MA_SUBMISSION" "[.items[] | select(.id == \$s)] | length" found.json)
			if in_group "$c" SUB_READERS; then want=1; else want=0; fi
			[ "$n" = "$want" ] || echo "$c: id_prefix=$p found it $n times, expected $want" >>failures
		done
	done &&
	test_must_be_empty failures
'

# TABLE COLUMN VALUE: how many rows of edu.TABLE have COLUMN = VALUE, in any school.
rows_with () {
	psql_admin -v t="edu.$1" -v c="$2" -v v="$3" <<'EOF'
SELECT count(*) FROM :t WHERE :"c" = :'v';
EOF
}

test_expect_success 'a refused call that would have made something made nothing' '
	test -s denied-writes.txt &&
	: >failures &&
	while read -r table column value; do
		n=$(rows_with "$table" "$column" "$value") &&
		[ "$n" = 0 ] || echo "a refused call made edu.$table $column=$value ($n)" >>failures
	done <denied-writes.txt &&
	test_must_be_empty failures
'

# --- a super_admin in another school ----------------------------------------------------

test_expect_success 'a super_admin reaches another school through ?school=SLUG' '
	caller_token super_admin &&
	api_expect 200 GET "/users?school=other&limit=200" "" "$CT" >super-other.json &&
	jq -e --arg id "$T_USER_OTHER" "[.items[].id] | index(\$id) != null" super-other.json >/dev/null &&
	jq -e --arg s "$A_ID" "[.items[].school_id] | all(. != \$s)" super-other.json >/dev/null &&
	api_expect 200 GET "/users/$T_USER_OTHER?school=other" "" "$CT" >super-user.json &&
	test_json super-user.json .school_id "$B_ID"
'

# Someone other than a super_admin asks for school "other" by ?school=: 403 (docs/api.md),
# and nothing is made there. Failures go to ./failures.
school_param_refused () {
	local c=$1 n
	caller_token "$c" || return 1
	api GET "/users?school=other&limit=200" "" "$CT" >"list-$c.json"
	[ "$(api_status)" = 403 ] || echo "$c: GET /users?school=other: $(api_status), expected 403" >>failures
	api GET "/users/$T_USER_OTHER?school=other" "" "$CT" >/dev/null
	[ "$(api_status)" = 403 ] ||
		echo "$c: GET /users/{a user of other}?school=other: $(api_status), expected 403" >>failures
	api POST "/users/$T_USER_OTHER/reset?school=other" "" "$CT" >/dev/null
	[ "$(api_status)" = 403 ] ||
		echo "$c: POST /users/{a user of other}/reset?school=other: $(api_status), expected 403" >>failures
	api POST "/users?school=other" "{\"username\":\"smuggled-$c\",\"role\":\"student\"}" \
		"$CT" >/dev/null
	[ "$(api_status)" = 403 ] || echo "$c: POST /users?school=other: $(api_status), expected 403" >>failures
	n=$(psql_admin -v u="smuggled-$c" -v s="$B_ID" <<'EOF'
SELECT count(*) FROM edu.users WHERE username = :'u' AND school_id = :'s';
EOF
)
	[ "$n" = 0 ] || echo "$c: POST /users?school=other made a user in school other" >>failures
}

test_expect_success 'anyone else gets 403 for ?school=SLUG, and nothing is made there' '
	: >failures &&
	for c in student teacher admin school_admin pat_read pat_write; do
		school_param_refused $c || return 1
	done &&
	if test -s failures; then cat failures >&2; false; fi
'

test_done
