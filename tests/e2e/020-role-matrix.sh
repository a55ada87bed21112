#!/bin/bash
# 020-role-matrix: every route of `edud routes` × every kind of caller × every kind of target
# (the caller's own school, another school, a missing id, a malformed id), checked against
# the contract (docs/api.md): no unauthorised call gets a 2xx, every allowed call with a valid
# body does (so the matrix is not vacuous), denials are 401 (no token), 403 or 404, and another
# school's resource answers exactly as a missing one does.
#
# The expected table below is the contract. A route that edud serves without a line here
# fails the test, and so does a line for a route that edud no longer serves: a new route
# cannot go untested.
. "$(dirname "$0")/lib.sh"
[ -f "$top_srcdir/tests/e2e/data/security.sh" ] || bail_out "no tests/e2e/data/security.sh"
. "$top_srcdir/tests/e2e/data/security.sh"

# Who may do what, by group of callers. "pat_read" and "pat_write" are personal API tokens of
# a school_admin; the other callers hold a login session (JWT) of a user of that role.
CALLERS=(anon student teacher admin school_admin super_admin pat_read pat_write)
declare -A GRP=(
	[ALL]="anon student teacher admin school_admin super_admin pat_read pat_write"
	[TOKENS]="student teacher admin school_admin super_admin pat_read pat_write"
	[WRITERS]="student teacher admin school_admin super_admin pat_write"
	[SESSIONS]="student teacher admin school_admin super_admin"
	[ADMINS]="admin school_admin super_admin pat_read pat_write"
	[ADMIN_WRITERS]="admin school_admin super_admin pat_write"
	[SUPER]="super_admin"
	[NONE]=""
)

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

declare -A C_USER=([student]=student01 [teacher]=teacher1 [admin]=mxadmin
	[school_admin]=principal [super_admin]=root)
declare -A C_PASS=([student]=$DEMO_PASSWORD [teacher]=$DEMO_PASSWORD [admin]=$SEC_PASSWORD
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
	for c in student teacher school_admin super_admin; do
		caller_token $c &&
		api_expect 200 GET /users/me "" "$CT" >me-$c.json &&
		test_json me-$c.json .role $c &&
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
	sec_create_user "$(cat oprincipal.token)" ostudent student &&
	T_USER_OTHER=$(sec_user_id ostudent) &&
	sec_make_pat "$(cat oprincipal.token)" other-token write >/dev/null &&
	T_TOKEN_OTHER=$(jq -r .id pat-other-token.json) &&
	test -n "$T_TOKEN_OTHER"
'

# --- one call -----------------------------------------------------------------------------

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

# Sets M_PATH and M_BODY for one call, making whatever the call consumes.
m_prepare () {
	local caller=$1 method=$2 pattern=$3 target=$4 id= tok
	M_BODY=
	M_CREATES=
	N=$((N + 1))
	case $target in
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
	M_PATH=${pattern/\{id\}/$id}
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
	local caller=$1 gate=$2 own=$3 other=$4 target=$5 method=$6
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

# Runs every caller against every target of one route; failures go to ./failures.
m_route () {
	local method=$1 pattern=$2 gate=$3 own=$4 other=$5 caller target want got
	local targets=(none) i
	declare -A got_of=()
	: >failures
	case $pattern in
	*"{id}"*)
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
			api "$method" "$M_PATH" "$M_BODY" "$CT" >/dev/null
			got=$(api_status)
			CALLS=$((CALLS + 1))
			got_of[$caller.$target]=$got
			want=$(m_expect "$caller" "$gate" "$own" "$other" "$target" "$method")
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
			*) [ -z "$M_CREATES" ] || echo "$M_CREATES" >>denied-writes.txt ;;
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
	test "$ALLOWED_OK" -ge 60 &&
	test "$CALLS" -ge 300
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
