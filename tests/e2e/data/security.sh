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
#   sec_csv_table FILE			fails, saying why, unless FILE is one RFC 4180 table
#					(every record as many fields as the first, nothing
#					after it) in which no cell could run as a spreadsheet
#					formula (it starts with =, +, -, @, TAB or CR and is no
#					plain decimal); prints its number of records
#   sec_csv_cell FILE ROW COL		the cell (counted from 1) as a spreadsheet reads it
#   sec_b64url, sec_b64url_decode	base64url (no padding) of stdin, and back
#   sec_hex				stdin as lower-case hex
#   sec_hmac DIGEST KEY-HEX		the base64url HMAC-DIGEST of stdin
#   sec_jwt_forge HEADER PAYLOAD [DIGEST [KEY-HEX]]
#					a token signed with HMAC-DIGEST (sha256) under KEY-HEX
#					(default: the hex of $EDU_JWT_SECRET, the key edud was
#					started with), as edud would sign it; on stdout
#   sec_uuid				a random UUID
#   sec_lacks [GREP-OPTS] PATTERN FILE	no line of FILE matches (`test_grep -v` passes as soon as
#					one line does not match, and fails on an empty file)

SEC_PASSWORD='Tenant-Probe-2026!'

sec_b64url () {
	base64 -w0 | tr '+/' '-_' | tr -d '=\n'
}

sec_b64url_decode () {
	local s
	s=$(tr '_-' '/+')
	while [ $((${#s} % 4)) -ne 0 ]; do
		s="$s="
	done
	printf '%s' "$s" | base64 -d
}

sec_hex () {
	od -An -v -tx1 | tr -d ' \n'
}

sec_hmac () {
	openssl dgst -"$1" -mac HMAC -macopt "hexkey:$2" -binary | sec_b64url
}

sec_jwt_forge () {
	local h p key=${4:-$(printf '%s' "$EDU_JWT_SECRET" | sec_hex)}
	h=$(printf '%s' "$1" | sec_b64url)
	p=$(printf '%s' "$2" | sec_b64url)
	printf '%s.%s.%s\n' "$h" "$p" "$(printf '%s.%s' "$h" "$p" | sec_hmac "${3:-sha256}" "$key")"
}

sec_password () {
	printf '%s\n' "$SEC_PASSWORD"
}

sec_uuid () {
	cat /proc/sys/kernel/random/uuid
}

sec_lacks () {
	local file=${*: -1}
	if [ ! -f "$file" ]; then
		echo "sec_lacks: no file $file" >&6
		return 1
	fi
	if grep "$@" >/dev/null; then
		echo "sec_lacks: '${*: -2:1}' found in $file:" >&6
		grep "$@" >&6
		return 1
	fi
	return 0
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

# The cells of a CSV file, parsed as RFC 4180 says (quotes, doubled quotes, newlines in a
# quoted field), one a line: "ROW<TAB>COL<TAB>TEXT", a newline in TEXT written as \n. A
# break of the format prints "BAD ROW: why" and stops.
sec_csv_cells () {
	LC_ALL=C awk '
	function cell() { gsub(/\n/, "\\n", field); printf "%d\t%d\t%s\n", row, ++col, field; field = "" }
	BEGIN { row = 1 }
	{
		line = $0; n = length(line)
		if (inq) field = field "\n"
		for (i = 1; i <= n; i++) {
			c = substr(line, i, 1)
			if (inq) {
				if (c != "\"") { field = field c; continue }
				if (substr(line, i + 1, 1) == "\"") { field = field c; i++; continue }
				inq = 0; closed = 1; continue
			}
			if (c == ",") { cell(); closed = 0; quoted = 0; continue }
			if (closed) { print "BAD " row ": text after a closing quote"; exit }
			if (c == "\"") {
				if (field != "") { print "BAD " row ": a quote inside an unquoted field"; exit }
				inq = 1; quoted = 1; continue
			}
			field = field c
		}
		if (!inq) { cell(); row++; col = 0; closed = 0; quoted = 0 }
	}
	END { if (inq) print "BAD " row ": a quoted field never ends" }' "$1"
}

sec_csv_table () {
	local file=$1 cells
	cells=$(sec_csv_cells "$file") || return 1
	if grep -q "^BAD " <<<"$cells"; then
		echo "sec_csv_table: $file is not RFC 4180: $(grep "^BAD " <<<"$cells")" >&6
		cat "$file" >&6
		return 1
	fi
	awk -F '\t' -v file="$file" '
	{ n[$1]++; if ($1 > rows) rows = $1 }
	$3 ~ /^[-=+@\t\r]/ && $3 !~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)$/ {
		print "sec_csv_table: " file ": row " $1 ", column " $2 " runs as a formula: " $3
		bad = 1
	}
	END {
		for (r = 2; r <= rows; r++)
			if (n[r] != n[1]) {
				print "sec_csv_table: " file ": row " r " has " n[r] " fields, the first " n[1]
				bad = 1
			}
		if (bad) exit 1
	}' <<<"$cells" >&6 || { cat "$file" >&6; return 1; }
	awk -F '\t' '$1 > r { r = $1 } END { print r + 0 }' <<<"$cells"
}

sec_csv_cell () {
	sec_csv_cells "$1" | awk -F '\t' -v r="$2" -v c="$3" '$1 == r && $2 == c { sub(/^[^\t]*\t[^\t]*\t/, ""); print; found = 1 } END { exit !found }'
}

# --- courses, lessons, assignments, submissions, grades -----------------------------------
#
# Each helper makes one thing over HTTP as TOKEN's user, leaves the answer in a file named
# after it and prints its id, so a fixture reads as a list of what it makes:
#
#   sec_api_2xx METHOD PATH [JSON] [TOKEN]	as api_expect, for any 2xx
#   sec_api_raw METHOD PATH FILE [TOKEN] [CURL-ARGS...]
#					sends FILE as a raw body (application/octet-stream),
#					the answer as api's (api.status, api.body)
#   sec_course_new TOKEN NAME		POST /courses, course-NAME.json
#   sec_enrol TOKEN COURSE USER [ROLE]	POST /courses/{id}/members (ROLE: student)
#   sec_lesson_new TOKEN COURSE TITLE	POST /courses/{id}/lessons, lesson-TITLE.json
#   sec_attach TOKEN LESSON FILE NAME	POST /lessons/{id}/attachments, attachment-NAME.json
#   sec_assignment_new TOKEN COURSE TITLE [JSON-FIELDS]
#					POST /courses/{id}/assignments, published, any type,
#					due in a week; JSON-FIELDS (an object) changes any field;
#					assignment-TITLE.json
#   sec_rubric_set TOKEN ASSIGNMENT	PUT /assignments/{id}/rubric: "Method" (Weak=1,
#					Good=5) and "Clarity" (Poor=0, Fine=3); rubric-ID.json
#   sec_upload TOKEN ASSIGNMENT FILE NAME	POST /uploads, upload-NAME.json
#   sec_submit TOKEN ASSIGNMENT TEXT [UPLOAD-ID...]
#					POST /assignments/{id}/submissions, submission-ID.json
#   sec_grade TOKEN SUBMISSION VERSION JSON	PUT /submissions/{id}/grade with If-Match VERSION;
#					prints the new version; grade-ID.json
#   sec_grade_version TOKEN SUBMISSION	the grade's current version (0: not graded)
#   sec_course_fixture PREFIX TEACHER-TOKEN STUDENT-TOKEN STUDENT-USER
#					a course taught by TEACHER-TOKEN's user with
#					STUDENT-USER enrolled; a lesson with an attachment; a
#					published assignment with a rubric; the student's
#					submission (text and a file) graded and released. Sets
#					PREFIX_COURSE, _CODE, _LESSON, _ATTACHMENT, _ASSIGNMENT,
#					_CRITERION, _LEVEL, _UPLOAD, _SUBMISSION, _FILE,
#					_STUDENT (the student's id)

sec_api_2xx () {
	api "$@" || return 1
	case $(api_status) in
	2??) return 0 ;;
	esac
	echo "sec_api_2xx: $1 $2: status $(api_status), expected 2xx; body:" >&6
	cat "$EDU_TEST_DIR/api.body" >&6
	echo >&6
	return 1
}

sec_api_raw () {
	local method=$1 path=$2 file=$3 token=${4-} saved=("${API_CURL_ARGS[@]}") rc
	shift 4 2>/dev/null || shift $#
	API_CURL_ARGS=(-H 'Content-Type: application/octet-stream' --data-binary "@$file" "$@")
	api "$method" "$path" "" "$token"
	rc=$?
	API_CURL_ARGS=("${saved[@]}")
	return $rc
}

sec_course_new () {
	local token=$1 name=$2 body
	body=$(jq -cn --arg n "$name" '{name: $n, description: ("About " + $n), term: "2026"}')
	sec_api_2xx POST /courses "$body" "$token" >"course-$name.json" || return 1
	jq -er .id "course-$name.json"
}

sec_enrol () {
	local token=$1 course=$2 user=$3 role=${4:-student} body
	body=$(jq -cn --arg u "$user" --arg r "$role" '{username: $u, role: $r}')
	sec_api_2xx POST "/courses/$course/members" "$body" "$token" >/dev/null
}

sec_lesson_new () {
	local token=$1 course=$2 title=$3 body
	body=$(jq -cn --arg t "$title" '{title: $t, content: ("Read this: " + $t)}')
	sec_api_2xx POST "/courses/$course/lessons" "$body" "$token" >"lesson-$title.json" || return 1
	jq -er .id "lesson-$title.json"
}

sec_attach () {
	local token=$1 lesson=$2 file=$3 name=$4
	sec_api_raw POST "/lessons/$lesson/attachments?filename=$name" "$file" "$token" \
		>"attachment-$name.json" || return 1
	case $(api_status) in
	2??) ;;
	*) echo "sec_attach: status $(api_status): $(cat "attachment-$name.json")" >&6; return 1 ;;
	esac
	jq -er .id "attachment-$name.json"
}

sec_assignment_new () {
	local token=$1 course=$2 title=$3 extra=${4:-'{}'} due body
	due=$(date -u -d '+7 days' +%Y-%m-%dT%H:%M:%SZ)
	body=$(jq -cn --arg t "$title" --arg d "$due" --argjson x "$extra" \
		'{title: $t, instructions: ("Do " + $t), due_at: $d, points_possible: 10,
		  category: "homework", submission_kind: "both", allowed_types: [],
		  late_policy: "accept", published: true} + $x')
	sec_api_2xx POST "/courses/$course/assignments" "$body" "$token" \
		>"assignment-$title.json" || return 1
	jq -er .id "assignment-$title.json"
}

sec_rubric_set () {
	local token=$1 assignment=$2
	sec_api_2xx PUT "/assignments/$assignment/rubric" '{"criteria": [
		{"name": "Method", "description": "how it was done",
		 "levels": [{"name": "Weak", "points": 1}, {"name": "Good", "points": 5}]},
		{"name": "Clarity", "levels": [{"name": "Poor", "points": 0}, {"name": "Fine", "points": 3}]}]}' \
		"$token" >"rubric-$assignment.json" || return 1
	jq -e '.criteria | length == 2' "rubric-$assignment.json" >/dev/null
}

sec_upload () {
	local token=$1 assignment=$2 file=$3 name=$4
	sec_api_raw POST "/uploads?assignment=$assignment&filename=$name" "$file" "$token" \
		>"upload-$name.json" || return 1
	case $(api_status) in
	2??) ;;
	*) echo "sec_upload: status $(api_status): $(cat "upload-$name.json")" >&6; return 1 ;;
	esac
	jq -er .id "upload-$name.json"
}

sec_submit () {
	local token=$1 assignment=$2 text=$3 body id
	shift 3
	body=$(jq -cn --arg t "$text" '{text: $t, files: $ARGS.positional}' --args "$@")
	sec_api_2xx POST "/assignments/$assignment/submissions" "$body" "$token" >submission.json ||
		return 1
	id=$(jq -er .id submission.json) || return 1
	mv submission.json "submission-$id.json"
	printf '%s\n' "$id"
}

sec_grade () {
	local token=$1 submission=$2 version=$3 body=$4 saved=("${API_CURL_ARGS[@]}") rc
	API_CURL_ARGS=(-H "If-Match: \"$version\"")
	sec_api_2xx PUT "/submissions/$submission/grade" "$body" "$token" >"grade-$submission.json"
	rc=$?
	API_CURL_ARGS=("${saved[@]}")
	[ $rc = 0 ] || return 1
	jq -er .version "grade-$submission.json"
}

sec_grade_version () {
	sec_api_2xx GET "/submissions/$2/grade" "" "$1" >"grade-now.json" || return 1
	jq -er '.version // 0' grade-now.json
}

sec_course_fixture () {
	local p=$1 teacher=$2 student=$3 suser=$4 v
	local course lesson attachment assignment upload submission
	printf 'lesson attachment of %s\n' "$p" >"$p-attachment.txt"
	printf 'the work of %s\n' "$p" >"$p-work.txt"
	course=$(sec_course_new "$teacher" "$p-course") &&
	sec_enrol "$teacher" "$course" "$suser" &&
	lesson=$(sec_lesson_new "$teacher" "$course" "$p-lesson") &&
	attachment=$(sec_attach "$teacher" "$lesson" "$p-attachment.txt" "$p-attachment.txt") &&
	assignment=$(sec_assignment_new "$teacher" "$course" "$p-assignment") &&
	sec_rubric_set "$teacher" "$assignment" &&
	upload=$(sec_upload "$student" "$assignment" "$p-work.txt" "$p-work.txt") &&
	submission=$(sec_submit "$student" "$assignment" "the answer of $p" "$upload") &&
	v=$(sec_grade "$teacher" "$submission" 0 \
		'{"score": 7, "comment": "fixture grade", "released": true}') &&
	test "$v" -ge 1 || return 1
	declare -g "${p}_COURSE=$course" "${p}_LESSON=$lesson" "${p}_ATTACHMENT=$attachment" \
		"${p}_ASSIGNMENT=$assignment" \
		"${p}_UPLOAD=$upload" "${p}_SUBMISSION=$submission"
	declare -g "${p}_CODE=$(jq -r .code "course-$p-course.json")"
	declare -g "${p}_CRITERION=$(jq -r '.criteria[0].id' "rubric-$assignment.json")"
	declare -g "${p}_LEVEL=$(jq -r '.criteria[0].levels[0].id' "rubric-$assignment.json")"
	declare -g "${p}_FILE=$(jq -r '.files[0].id' "submission-$submission.json")"
	declare -g "${p}_STUDENT=$(jq -r '.student.id' "submission-$submission.json")"
	local n
	for n in COURSE CODE LESSON ATTACHMENT ASSIGNMENT CRITERION LEVEL UPLOAD SUBMISSION FILE STUDENT; do
		v=${p}_$n
		case ${!v} in
		""|null) echo "sec_course_fixture: no $n for $p" >&6; return 1 ;;
		esac
	done
}
