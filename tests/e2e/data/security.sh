# Helpers the security tests (020-025) share. Sourced after lib.sh; everything goes through
# lib.sh's api/api_expect, so a failing step says which request and which answer.
#
#   sec_password			a password that passes the server's policy
#   sec_create_user TOKEN USER ROLE [QUERY]
#					POST /users as TOKEN's user; the answer (with
#					"activation_code") is left in user-USER.json
#   sec_activate SCHOOL USER [PASSWORD]	POST /auth/activate with USER's code from user-USER.json;
#					prints the access token, leaves session-USER.json
#   sec_new_user TOKEN SCHOOL USER ROLE	both: a user who can log in; prints the access token
#   sec_user_id USER			the id in user-USER.json
#   sec_make_pat TOKEN NAME SCOPE	POST /tokens; prints the edu_pat_ token, leaves
#					pat-NAME.json
#   sec_school_id SLUG			the school's id, read as the cluster's superuser
#   sec_other_school SLUG ADMIN		as the super_admin root of the demo school, POST /schools
#					and activate its first admin; prints that admin's token
#   sec_ids_in FILE IDS-FILE		prints the ids of IDS-FILE (one a line) found in FILE
#   sec_no_terminal_bytes FILE		fails, naming them, when FILE holds ESC, BEL, CR, BS,
#					DEL, a C1 control or a bidi override/isolate
#   sec_uuid				a random UUID

SEC_PASSWORD='Tenant-Probe-2026!'

sec_password () {
	printf '%s\n' "$SEC_PASSWORD"
}

sec_uuid () {
	cat /proc/sys/kernel/random/uuid
}

sec_create_user () {
	local token=$1 user=$2 role=$3 query=${4-} body
	body=$(jq -cn --arg u "$user" --arg r "$role" \
		'{username: $u, role: $r, display_name: ("Probe " + $u)}')
	api_expect 201 POST "/users$query" "$body" "$token" >"user-$user.json" || return 1
	jq -e '(.id | type == "string") and (.activation_code | type == "string")' \
		"user-$user.json" >/dev/null || {
		echo "sec_create_user: no id or activation_code in the answer:" >&2
		cat "user-$user.json" >&2
		return 1
	}
}

sec_activate () {
	local school=$1 user=$2 password=${3:-$SEC_PASSWORD} code body
	code=$(jq -er .activation_code "user-$user.json") || return 1
	body=$(jq -cn --arg s "$school" --arg u "$user" --arg c "$code" --arg p "$password" \
		'{school: $s, username: $u, code: $c, password: $p}')
	api_expect 200 POST /auth/activate "$body" >"session-$user.json" || return 1
	jq -er .access_token "session-$user.json"
}

# TOKEN's user creates USER in their own school, which must be SCHOOL.
sec_new_user () {
	local token=$1 school=$2 user=$3 role=$4
	sec_create_user "$token" "$user" "$role" || return 1
	sec_activate "$school" "$user"
}

sec_user_id () {
	jq -er .id "user-$1.json"
}

sec_make_pat () {
	local token=$1 name=$2 scope=$3 body
	body=$(jq -cn --arg n "$name" --arg s "$scope" '{name: $n, scope: $s}')
	api_expect 201 POST /tokens "$body" "$token" >"pat-$name.json" || return 1
	jq -er '.token | select(startswith("edu_pat_"))' "pat-$name.json" || {
		echo "sec_make_pat: no edu_pat_ token in the answer:" >&2
		cat "pat-$name.json" >&2
		return 1
	}
}

sec_school_id () {
	psql_admin -v slug="$1" <<'EOF'
SELECT id FROM edu.schools WHERE slug = :'slug';
EOF
}

sec_other_school () {
	local slug=$1 admin=$2 root body code
	root=$(token_for root) || return 1
	body=$(jq -cn --arg s "$slug" --arg a "$admin" \
		'{slug: $s, name: ("School " + $s), admin: {username: $a, display_name: ("Head of " + $s)}}')
	api_expect 201 POST /schools "$body" "$root" >"school-$slug.json" || return 1
	code=$(jq -er .admin.activation_code "school-$slug.json") || {
		echo "sec_other_school: no admin.activation_code in the answer:" >&2
		cat "school-$slug.json" >&2
		return 1
	}
	jq '.admin' "school-$slug.json" >"user-$admin.json"
	sec_activate "$slug" "$admin"
}

sec_ids_in () {
	local file=$1 ids=$2 id
	while read -r id; do
		[ -n "$id" ] || continue
		grep -Fq -- "$id" "$file" && printf '%s\n' "$id"
	done <"$ids"
	return 0
}

# The bytes that move a cursor, start an escape sequence or reorder text, as UTF-8.
SEC_BAD_BYTES='\x1b|\x07|\r|\x08|\x7f|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]'

sec_no_terminal_bytes () {
	local file=$1
	if LC_ALL=C grep -qaP "$SEC_BAD_BYTES" "$file"; then
		echo "sec_no_terminal_bytes: $file holds control or bidi bytes:" >&2
		LC_ALL=C grep -naP "$SEC_BAD_BYTES" "$file" | od -c | head -n 40 >&2
		return 1
	fi
	return 0
}
