#!/bin/bash
# 024-mass-assignment: who a user is (school, role, id) and what protects an account
# (password hash, token_version, disabled, version) come from the server, never from a
# request body. Bodies that carry such fields are refused (400 unknown_field, naming the
# field) or the field is ignored, and the database shows that nothing changed. Roles are
# given only along the ladder of docs/api.md. And the body itself: wrong Content-Type 415,
# over max_body 413, nested deeper than 16 or not JSON 400, unknown field 400 naming it.
. "$(dirname "$0")/lib.sh"
[ -f "$top_srcdir/tests/e2e/data/security.sh" ] || bail_out "no tests/e2e/data/security.sh"
. "$top_srcdir/tests/e2e/data/security.sh"

MAX_BODY=4096
start_edud --max-body $MAX_BODY --login-max-per-address 100000
seed_demo

# A user's row as the cluster's superuser sees it (RLS does not apply to it): USER [SLUG]
user_row () {
	psql_admin -v u="$1" -v s="${2:-demo}" <<'EOF'
SELECT u::text FROM edu.users u JOIN edu.schools s ON s.id = u.school_id
WHERE s.slug = :'s' AND u.username = :'u';
EOF
}

# Only the columns no body may set.
guarded_row () {
	psql_admin -v u="$1" -v s="${2:-demo}" <<'EOF'
SELECT u.school_id, u.id, u.username, u.role, u.password_hash, u.disabled, u.token_version,
	u.activation_hash
FROM edu.users u JOIN edu.schools s ON s.id = u.school_id
WHERE s.slug = :'s' AND u.username = :'u';
EOF
}

fail () {
	printf '%s\n' "$*" >>failures
}

# The last answer refused FIELD: 400 unknown_field with "field": FIELD (for a field of a
# nested object, FIELD is "b|a.b|a": any will do). 0 when it did, 1 when it was a 2xx (the
# caller then checks the field was ignored); else a failure.
refused_field () {
	local field=$1 what=$2
	case $(api_status) in
	400)
		[ "$(jq -r .error.code api.body)" = unknown_field ] ||
			fail "$what: 400 but code $(jq -r .error.code api.body), expected unknown_field"
		case "|$field|" in
		*"|$(jq -r .error.field api.body)|"*) ;;
		*) fail "$what: the error does not name '$field': $(cat api.body)" ;;
		esac
		return 0
		;;
	2??) return 1 ;;
	*) fail "$what: status $(api_status): $(cat api.body)"; return 0 ;;
	esac
}

# PUT /users/me as USER with BODY, whose FIELD must not take: refused (and the whole row is
# unchanged) or ignored (and the guarded columns are unchanged).
probe_me () {
	local user=$1 token=$2 field=$3 body=$4 before_all before_guard
	before_all=$(user_row "$user")
	before_guard=$(guarded_row "$user")
	api PUT /users/me "$body" "$token" >/dev/null
	if refused_field "$field" "PUT /users/me $body"; then
		[ "$(user_row "$user")" = "$before_all" ] ||
			fail "PUT /users/me $body: refused, yet the row changed"
	else
		[ "$(guarded_row "$user")" = "$before_guard" ] ||
			fail "PUT /users/me $body: $field was taken: $(guarded_row "$user")"
		[ "$(jq -r .school_id api.body)" != "$B_ID" ] ||
			fail "PUT /users/me $body: the answer says school B"
	fi
}

test_expect_success 'setup: the callers, and a second school whose id can be smuggled' '
	STUDENT=$(token_for student01) &&
	TEACHER=$(token_for teacher1) &&
	PRINCIPAL=$(token_for principal) &&
	ROOT=$(token_for root) &&
	ADMIN=$(sec_new_user "$PRINCIPAL" demo mxadmin admin) &&
	sec_other_school other oprincipal >/dev/null &&
	B_ID=$(sec_school_id other) && A_ID=$(sec_school_id demo) &&
	test -n "$B_ID" && test -n "$A_ID" &&
	PRINCIPAL_ID=$(jq -r .user.id session-principal.json) &&
	STUDENT_ID=$(jq -r .user.id session-student01.json) &&
	TEACHER_ID=$(jq -r .user.id session-teacher1.json) &&
	test -n "$PRINCIPAL_ID" && test -n "$STUDENT_ID"
'

test_expect_success 'PUT /users/me: school_id, role, id, version, token_version, password_hash, disabled do not take' '
	: >failures
	FIXED=$(sec_uuid)
	for body in "{\"role\":\"super_admin\"}" "{\"role\":\"admin\"}" "{\"school_id\":\"$B_ID\"}" \
		"{\"id\":\"$FIXED\"}" "{\"version\":999}" "{\"token_version\":999}" \
		"{\"password_hash\":\"\$y\$j9T\$forged\$forged\"}" "{\"disabled\":true}" \
		"{\"username\":\"renamed\"}" "{\"activated\":false}" "{\"activation_hash\":\"00\"}" \
		"{\"created_at\":\"2000-01-01T00:00:00Z\"}"; do
		field=$(printf "%s" "$body" | jq -r "keys[0]")
		probe_me student01 "$STUDENT" "$field" "$body"
	done
	test_must_be_empty failures
'

test_expect_success 'PUT /users/me: a forbidden field beside an allowed one is refused whole or ignored' '
	: >failures
	probe_me student01 "$STUDENT" role "{\"display_name\":\"Sneaky\",\"role\":\"super_admin\"}"
	probe_me student01 "$STUDENT" school_id "{\"display_name\":\"Sneaky\",\"school_id\":\"$B_ID\"}"
	test_must_be_empty failures &&
	test "$(psql_admin -c "SELECT count(*) FROM edu.users WHERE role = '\''super_admin'\''")" = 1
'

# POST /users with one extra field: refused, or the user made with the server's values.
probe_create () {
	local user=$1 field=$2 extra=$3 body
	body=$(jq -cn --arg u "$user" --argjson x "$extra" '{username: $u, role: "student"} + $x')
	api POST /users "$body" "$PRINCIPAL" >/dev/null
	if refused_field "$field" "POST /users $body"; then
		[ -z "$(user_row "$user")" ] || fail "POST /users $body: refused, yet the user exists"
	else
		[ -z "$(user_row "$user" other)" ] || fail "POST /users $body: the user is in school B"
		[ -n "$(user_row "$user")" ] || fail "POST /users $body: 2xx, but no user in school A"
	fi
}

guarded_field () {
	psql_admin -v u="$1" -v f="$2" <<'EOF'
SELECT to_jsonb(u) ->> :'f' FROM edu.users u
JOIN edu.schools s ON s.id = u.school_id WHERE s.slug = 'demo' AND u.username = :'u';
EOF
}

test_expect_success 'POST /users: school_id, id, password_hash, token_version, version do not take' '
	: >failures
	FIXED=$(sec_uuid)
	probe_create mass1 school_id "{\"school_id\":\"$B_ID\"}"
	probe_create mass2 id "{\"id\":\"$FIXED\"}"
	probe_create mass3 password_hash "{\"password_hash\":\"\$y\$j9T\$forged\$forged\"}"
	probe_create mass4 token_version "{\"token_version\":-5}"
	probe_create mass5 version "{\"version\":777}"
	probe_create mass6 activated "{\"activated\":true}"
	probe_create mass7 activation_hash "{\"activation_hash\":\"0000\"}"
	[ "$(psql_admin -c "SELECT count(*) FROM edu.users WHERE id = '\''$FIXED'\''")" = 0 ] ||
		fail "a user has the id the body chose"
	[ -z "$(user_row mass3)" ] || [ -z "$(guarded_field mass3 password_hash)" ] ||
		fail "mass3 has the password hash the body chose"
	[ -z "$(user_row mass4)" ] || [ "$(guarded_field mass4 token_version)" != -5 ] ||
		fail "mass4 has the token_version the body chose"
	[ -z "$(user_row mass5)" ] || [ "$(guarded_field mass5 version)" != 777 ] ||
		fail "mass5 has the version the body chose"
	[ -z "$(user_row mass7)" ] || [ "$(guarded_field mass7 activation_hash)" != 0000 ] ||
		fail "mass7 has the activation hash the body chose"
	test_must_be_empty failures
'

# PATCH /users/{id} of student02 as the principal with a field PATCH does not take.
probe_patch () {
	local field=$1 body=$2 before_all before_guard
	before_all=$(user_row student02)
	before_guard=$(guarded_row student02)
	api PATCH "/users/$(jq -r .id student02.json)" "$body" "$PRINCIPAL" >/dev/null
	if refused_field "$field" "PATCH /users/{id} $body"; then
		[ "$(user_row student02)" = "$before_all" ] ||
			fail "PATCH /users/{id} $body: refused, yet the row changed"
	else
		[ "$(guarded_row student02)" = "$before_guard" ] ||
			fail "PATCH /users/{id} $body: $field was taken: $(guarded_row student02)"
	fi
}

test_expect_success 'PATCH /users/{id}: school_id, id, token_version, password_hash, version, username do not take' '
	: >failures
	api_expect 200 GET "/users?q=student02" "" "$PRINCIPAL" >list.json &&
	jq ".items[] | select(.username == \"student02\")" list.json >student02.json &&
	test -s student02.json || return 1
	probe_patch school_id "{\"school_id\":\"$B_ID\"}"
	probe_patch id "{\"id\":\"$(sec_uuid)\"}"
	probe_patch token_version "{\"token_version\":0}"
	probe_patch password_hash "{\"password_hash\":\"\$y\$j9T\$forged\$forged\"}"
	probe_patch version "{\"version\":999}"
	probe_patch username "{\"username\":\"renamed02\"}"
	probe_patch activation_hash "{\"activation_hash\":\"00\"}"
	probe_patch school_id "{\"display_name\":\"Two\",\"school_id\":\"$B_ID\"}"
	test_must_be_empty failures
'

api_token_owner () {
	psql_admin -v n="$1" <<'EOF'
SELECT user_id, school_id FROM edu.api_tokens WHERE name = :'n';
EOF
}

test_expect_success 'POST /tokens: user_id and school_id do not take; the token is the caller'"'"'s' '
	: >failures
	for x in "user_id:\"$PRINCIPAL_ID\"" "school_id:\"$B_ID\"" "id:\"$(sec_uuid)\"" \
		"token_hash:\"00\""; do
		field=${x%%:*}
		name=mass-$field
		api POST /tokens "{\"name\":\"$name\",\"scope\":\"write\",\"$field\":${x#*:}}" "$TEACHER" >/dev/null
		if refused_field "$field" "POST /tokens with $field"; then
			[ -z "$(api_token_owner "$name")" ] || fail "POST /tokens with $field: refused, yet made"
		else
			[ "$(api_token_owner "$name")" = "$TEACHER_ID|$A_ID" ] ||
				fail "POST /tokens with $field: the token belongs to $(api_token_owner "$name")"
			tok=$(jq -r .token api.body)
			api GET /users/me "" "$tok" >/dev/null
			[ "$(jq -r .username api.body)" = teacher1 ] ||
				fail "POST /tokens with $field: the token acts as $(jq -r .username api.body)"
		fi
	done
	test_must_be_empty failures
'

test_expect_success 'POST /schools: the new admin is a school_admin whatever the body says' '
	: >failures
	FIXED=$(sec_uuid)
	api POST /schools "{\"slug\":\"mass-a\",\"name\":\"Mass A\",\"admin\":{\"username\":\"boss\",\"role\":\"super_admin\"}}" "$ROOT" >/dev/null
	if refused_field "admin.role|admin|role" "POST /schools with admin.role"; then :; else
		[ "$(psql_admin -c "SELECT u.role FROM edu.users u JOIN edu.schools s ON s.id = u.school_id WHERE s.slug = '\''mass-a'\''")" = school_admin ] ||
			fail "POST /schools: admin.role was taken"
	fi
	api POST /schools "{\"slug\":\"mass-b\",\"name\":\"Mass B\",\"id\":\"$FIXED\",\"admin\":{\"username\":\"boss\"}}" "$ROOT" >/dev/null
	refused_field id "POST /schools with id" ||
		[ "$(psql_admin -c "SELECT count(*) FROM edu.schools WHERE id = '\''$FIXED'\''")" = 0 ] ||
		fail "POST /schools: the body chose the school id"
	test_must_be_empty failures
'

test_expect_success 'login and activation with role or school_id in the body: refused or ignored' '
	: >failures
	api POST /auth/login "{\"school\":\"demo\",\"username\":\"teacher2\",\"password\":\"$DEMO_PASSWORD\",\"role\":\"super_admin\"}" >/dev/null
	refused_field role "POST /auth/login with role" ||
		[ "$(jq -r .user.role api.body)" = teacher ] || fail "login with role: $(cat api.body)"
	api POST /auth/login "{\"school\":\"demo\",\"username\":\"teacher2\",\"password\":\"$DEMO_PASSWORD\",\"school_id\":\"$B_ID\"}" >/dev/null
	refused_field school_id "POST /auth/login with school_id" ||
		[ "$(jq -r .user.school_id api.body)" = "$A_ID" ] || fail "login with school_id: $(cat api.body)"
	sec_create_user "$PRINCIPAL" masspend student &&
	body=$(jq -c --arg p "$SEC_PASSWORD" "{school: \"demo\", username: .username, code: .activation_code, password: \$p, role: \"admin\"}" user-masspend.json) &&
	api POST /auth/activate "$body" >/dev/null
	refused_field role "POST /auth/activate with role" ||
		[ "$(guarded_field masspend role)" = student ] || fail "activate with role: role taken"
	test_must_be_empty failures
'

# CALLER-TOKEN TARGET-USER BODY: must be 403, and the target's role unchanged.
role_denied () {
	local token=$1 user=$2 body=$3 id before
	id=$(psql_admin -v u="$user" <<'EOF'
SELECT u.id FROM edu.users u JOIN edu.schools s ON s.id = u.school_id
WHERE s.slug = 'demo' AND u.username = :'u';
EOF
)
	before=$(guarded_row "$user")
	api PATCH "/users/$id" "$body" "$token" >/dev/null
	[ "$(api_status)" = 403 ] || fail "PATCH $user $body: $(api_status), expected 403"
	[ "$(guarded_row "$user")" = "$before" ] || fail "PATCH $user $body: the row changed"
}

test_expect_success 'roles only go along the ladder: admin gives up to admin, school_admin up to school_admin' '
	: >failures
	role_denied "$ADMIN" student03 "{\"role\":\"school_admin\"}"
	role_denied "$ADMIN" student03 "{\"role\":\"super_admin\"}"
	role_denied "$ADMIN" principal "{\"role\":\"student\"}"
	role_denied "$PRINCIPAL" student03 "{\"role\":\"super_admin\"}"
	role_denied "$PRINCIPAL" root "{\"role\":\"student\"}"
	for r in school_admin super_admin; do
		api POST /users "{\"username\":\"byadmin-$r\",\"role\":\"$r\"}" "$ADMIN" >/dev/null
		[ "$(api_status)" = 403 ] || fail "admin creating a $r: $(api_status)"
	done
	api POST /users "{\"username\":\"byprincipal-super\",\"role\":\"super_admin\"}" "$PRINCIPAL" >/dev/null
	[ "$(api_status)" = 403 ] || fail "school_admin creating a super_admin: $(api_status)"
	test_must_be_empty failures &&
	api_expect 200 PATCH "/users/$(jq -r .user.id session-student01.json)" "{\"role\":\"teacher\"}" "$ADMIN" >/dev/null &&
	test "$(guarded_field student01 role)" = teacher
'

test_expect_success 'nobody changes their own role or disables themselves' '
	: >failures
	role_denied "$PRINCIPAL" principal "{\"role\":\"admin\"}"
	role_denied "$PRINCIPAL" principal "{\"disabled\":true}"
	role_denied "$ADMIN" mxadmin "{\"role\":\"teacher\"}"
	role_denied "$ROOT" root "{\"role\":\"school_admin\"}"
	role_denied "$ROOT" root "{\"disabled\":true}"
	test_must_be_empty failures
'

# --- the body itself ----------------------------------------------------------------------

# raw METHOD PATH CONTENT-TYPE FILE TOKEN [CURL-ARGS...]: like api, but the body comes from
# FILE as it is and the Content-Type is ours ("-": none at all).
raw () {
	local method=$1 path=$2 ct=$3 file=$4 token=$5 url
	shift 5
	local args=(-sS --max-time 60 -X "$method" -o "$EDU_TEST_DIR/api.body"
		-D "$EDU_TEST_DIR/api.headers" -w '%{http_code}' --data-binary "@$file")
	if [ "$ct" = - ]; then
		args+=(-H "Content-Type:")
	else
		args+=(-H "Content-Type: $ct")
	fi
	[ -z "$token" ] || args+=(-H "Authorization: Bearer $token")
	url=$EDU_TEST_URL/api/v1$path
	curl "${args[@]}" "$@" "$url" >"$EDU_TEST_DIR/api.status" ||
		echo 000 >"$EDU_TEST_DIR/api.status"
}

# status CODE: the last answer had this status (and this error code).
answered () {
	local status=$1 code=${2-}
	if [ "$(api_status)" != "$status" ]; then
		echo "status $(api_status), expected $status: $(head -c 300 api.body)" >&2
		return 1
	fi
	if [ -n "$code" ] && [ "$(jq -r .error.code api.body)" != "$code" ]; then
		echo "error code $(jq -r .error.code api.body), expected $code" >&2
		return 1
	fi
}

test_expect_success 'a body that is not application/json gets 415' '
	printf "{\"display_name\":\"Typed\"}" >typed.json &&
	for ct in text/plain application/x-www-form-urlencoded - application/jsonp \
		multipart/form-data text/json; do
		raw PUT /users/me "$ct" typed.json "$TEACHER" &&
		answered 415 unsupported_media_type || { echo "Content-Type $ct" >&2; return 1; }
	done &&
	raw PUT /users/me "application/json; charset=utf-8" typed.json "$TEACHER" &&
	answered 200 &&
	raw PUT /users/me "Application/JSON" typed.json "$TEACHER" &&
	answered 200
'

test_expect_success "a body over max_body ($MAX_BODY bytes) gets 413, also when chunked or anonymous" '
	jq -cn --arg n "$(head -c 5000 /dev/zero | tr "\0" x)" "{display_name: \$n}" >big.json &&
	test "$(wc -c <big.json)" -gt $MAX_BODY &&
	raw PUT /users/me application/json big.json "$TEACHER" && answered 413 too_large &&
	raw PUT /users/me application/json big.json "$TEACHER" -H "Transfer-Encoding: chunked" &&
	answered 413 too_large &&
	raw POST /auth/login application/json big.json "" && answered 413 too_large &&
	head -c 20000000 /dev/zero | tr "\0" " " >huge.json &&
	raw PUT /users/me application/json huge.json "$TEACHER" -H "Transfer-Encoding: chunked" &&
	case $(api_status) in 413|000) ;; *) echo "20 MB body: $(api_status)" >&2; false ;; esac &&
	api_expect 200 GET /users/me "" "$TEACHER" >/dev/null
'

test_expect_success 'a body just under max_body is read (and judged on its values)' '
	jq -cn --arg n "$(head -c 4000 /dev/zero | tr "\0" x)" "{display_name: \$n}" >under.json &&
	test "$(wc -c <under.json)" -le $MAX_BODY &&
	raw PUT /users/me application/json under.json "$TEACHER" && answered 422 invalid
'

# JSON nested N deep: {"display_name": [[...]]} (the object counts as one level).
nested () {
	local n=$1 open close
	open=$(printf "%$((n - 1))s" "" | tr " " "[")
	close=$(printf "%$((n - 1))s" "" | tr " " "]")
	printf '{"display_name":%s%s}' "$open" "$close"
}

test_expect_success 'JSON nested deeper than 16 gets 400; 16 deep is parsed' '
	nested 17 >deep17.json && raw PUT /users/me application/json deep17.json "$TEACHER" &&
	answered 400 bad_json &&
	nested 2000 >deep2000.json && raw PUT /users/me application/json deep2000.json "$TEACHER" &&
	answered 400 bad_json &&
	nested 16 >deep16.json && raw PUT /users/me application/json deep16.json "$TEACHER" &&
	answered 422 invalid
'

# bad_json TEXT...: each body must get 400 bad_json.
bad_json () {
	local text n=0
	: >failures
	for text in "$@"; do
		n=$((n + 1))
		printf '%s' "$text" >"bad$n.json"
		raw PUT /users/me application/json "bad$n.json" "$TEACHER"
		answered 400 bad_json || fail "body: $text"
	done
	test_must_be_empty failures
}

test_expect_success 'invalid JSON gets 400 bad_json' '
	bad_json "{\"display_name\": \"x\"" "{display_name: \"x\"}" "{\"display_name\": \"x\",}" \
		"{\"a\" \"b\"}" "{\"display_name\": \"\\x41\"}" "{\"display_name\": 0x10}" \
		"{\"display_name\": NaN}" "nul"
'

# The parser stops after the first value and ignores what follows (http.c calls
# cJSON_ParseWithLength without checking that only white space is left).
test_expect_success 'JSON followed by anything but white space gets 400 bad_json' '
	bad_json "{\"display_name\": \"x\"} trailing" "{\"display_name\": \"x\"}{}" \
		"{\"display_name\": \"x\"}," "{\"display_name\": \"x\"}}"
'

test_expect_success 'JSON followed by white space only is fine' '
	printf "{\"display_name\": \"Spaced\"} \n\t " >ws.json &&
	raw PUT /users/me application/json ws.json "$TEACHER" && answered 200
'

test_expect_success 'JSON that is not an object, or no body at all, gets 400' '
	for text in "[]" "[{\"display_name\":\"x\"}]" "\"x\"" "42" "null" "true"; do
		printf "%s" "$text" >notobj.json &&
		raw PUT /users/me application/json notobj.json "$TEACHER" &&
		answered 400 || { echo "body: $text" >&2; return 1; }
	done &&
	api PUT /users/me "" "$TEACHER" >/dev/null && answered 400
'

test_expect_success 'an unknown field gets 400 unknown_field naming it' '
	api PUT /users/me "{\"display_name\":\"x\",\"colour\":\"red\"}" "$TEACHER" >/dev/null &&
	answered 400 unknown_field &&
	test_json api.body .error.field colour &&
	jq -r .error.message api.body | grep -q colour &&
	api POST /auth/login "{\"school\":\"demo\",\"username\":\"teacher1\",\"password\":\"x\",\"remember\":true}" >/dev/null &&
	answered 400 unknown_field &&
	test_json api.body .error.field remember
'

test_expect_success 'wrong types get 422 naming the field' '
	api PUT /users/me "{\"display_name\":42}" "$TEACHER" >/dev/null && answered 422 invalid &&
	test_json api.body .error.field display_name &&
	api PUT /users/me "{\"email\":[\"a@b.c\"]}" "$TEACHER" >/dev/null && answered 422 invalid &&
	test_json api.body .error.field email
'

# The answer to a body edud cannot store as it is: refused, or stored some safe way, never
# a 500 from the database.
not_a_crash () {
	case $(api_status) in
	200|400|422) ;;
	*) echo "$1: status $(api_status): $(head -c 300 api.body)" >&2; return 1 ;;
	esac
}

test_expect_success 'a NUL, invalid UTF-8 or a lone surrogate in a string never gives a 5xx' '
	api PUT /users/me "{\"display_name\":\"a\\u0000b\"}" "$TEACHER" >/dev/null &&
	not_a_crash NUL &&
	printf "{\"display_name\":\"a\377\376b\"}" >badutf8.json &&
	raw PUT /users/me application/json badutf8.json "$TEACHER" && not_a_crash "invalid UTF-8" &&
	printf "%s" "{\"display_name\":\"\\ud800\"}" >surrogate.json &&
	raw PUT /users/me application/json surrogate.json "$TEACHER" && not_a_crash "lone surrogate" &&
	api_expect 200 GET /users/me "" "$TEACHER" >me.json &&
	jq -e ".display_name | type == \"string\"" me.json
'

test_done
