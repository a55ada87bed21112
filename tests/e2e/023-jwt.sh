#!/bin/bash
# 023-jwt: access tokens that edud must refuse. edud runs with a known key, so this test
# forges tokens with openssl: first a correct one, which must work (proving the forging is
# right), then one flaw at a time (alg none, another key or algorithm, wrong aud/iss/typ,
# expired, not yet valid, truncated, oversized, not base64url, a claim missing, a user who
# logged out everywhere): each must get 401 from GET /api/v1/users/me. Tokens are never
# taken from a URL and never written to edud's log.
. "$(dirname "$0")/lib.sh"
[ -f "$top_srcdir/tests/e2e/data/security.sh" ] || bail_out "no tests/e2e/data/security.sh"
. "$top_srcdir/tests/e2e/data/security.sh"
command -v openssl >/dev/null 2>&1 || bail_out "openssl not found (Debian package openssl)"

# Through the environment, not a flag: the key must not show in the log's start line either.
SECRET='e2e-jwt-key-0123456789-abcdefghijklmnopqrstuvwxyz'
export EDU_JWT_SECRET=$SECRET
start_edud --login-max-per-address 100000
seed_demo

KEY_HEX=$(printf '%s' "$SECRET" | sec_hex)

# forge HEADER-JSON PAYLOAD-JSON [DIGEST [KEY-HEX]]: a signed token on stdout, also kept in
# forged.txt for the log check.
forge () {
	local t
	t=$(sec_jwt_forge "$1" "$2" "${3:-sha256}" "${4:-$KEY_HEX}") || return 1
	printf '%s\n' "$t" >>forged.txt
	printf '%s\n' "$t"
}

HS256='{"alg":"HS256","typ":"JWT"}'

# The claims of a token edud issued to USER, made fresh (iat now, exp in 10 minutes, a new
# jti), then changed by a jq filter.
claims () {
	local filter=${1:-.} file=${2:-claims-teacher1.json}
	jq -c --argjson now "$(date +%s)" --arg jti "$(sec_uuid)" \
		".iat = \$now | .exp = (\$now + 600) | .jti = \$jti | $filter" "$file"
}

# The token must be refused: 401 with code unauthenticated (or token_expired, when ok_expired).
refused () {
	local token=$1 ok_expired=${2-} code
	api GET /users/me "" "$token" >answer.json
	if [ "$(api_status)" != 401 ]; then
		echo "refused: status $(api_status), expected 401; token: ${token:0:200}" >&2
		cat answer.json >&2
		return 1
	fi
	api_header WWW-Authenticate | grep -q "^Bearer" || {
		echo "refused: no WWW-Authenticate: Bearer header" >&2
		return 1
	}
	code=$(jq -r .error.code answer.json)
	case $code in
	unauthenticated) ;;
	token_expired) [ -n "$ok_expired" ] || { echo "refused: code token_expired for a token that is not ours" >&2; return 1; } ;;
	*) echo "refused: error code '$code'" >&2; return 1 ;;
	esac
}

accepted () {
	api_expect 200 GET /users/me "" "$1" >answer.json &&
	test_json answer.json .username "${2:-teacher1}"
}

test_expect_success 'a token edud issues works, and its claims are the ones expected' '
	T=$(token_for teacher1) &&
	printf "%s\n" "$T" | cut -d. -f2 | sec_b64url_decode >claims-teacher1.json &&
	cat claims-teacher1.json >&2 &&
	jq -e "(.sub | type == \"string\") and (.sch | type == \"string\") and .typ == \"access\"
		and .iss == \"edud\" and .aud == \"edu\" and (.exp | type == \"number\")
		and (.iat | type == \"number\") and (.ver | type == \"number\")" claims-teacher1.json &&
	printf "%s\n" "$T" | cut -d. -f1 | sec_b64url_decode | jq -e ".alg == \"HS256\"" &&
	accepted "$T"
'

test_expect_success 'a token forged with the key and every claim works (the forging is right)' '
	GOOD=$(forge "$HS256" "$(claims)") &&
	test "$GOOD" != "$T" &&
	accepted "$GOOD"
'

test_expect_success 'alg none, None, NONE, nOnE: refused, signed or not' '
	for alg in none None NONE nOnE; do
		h=$(printf "{\"alg\":\"%s\",\"typ\":\"JWT\"}" $alg | sec_b64url) &&
		p=$(claims | sec_b64url) &&
		printf "%s\n" "$h.$p." >>forged.txt &&
		refused "$h.$p." &&
		refused "$h.$p.$(printf "%s.%s" "$h" "$p" | sec_hmac sha256 "$KEY_HEX")" &&
		refused "$h.$p.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" || return 1
	done
'

test_expect_success 'alg absent from the header: refused' '
	refused "$(forge "{\"typ\":\"JWT\"}" "$(claims)")"
'

test_expect_success 'HS256 signed with a public key (PEM text) or any other key: refused' '
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.pem 2>/dev/null &&
	openssl pkey -in rsa.pem -pubout -out rsa.pub &&
	refused "$(forge "$HS256" "$(claims)" sha256 "$(sec_hex <rsa.pub)")" &&
	refused "$(forge "$HS256" "$(claims)" sha256 "$(printf "%s" "$SECRET-other" | sec_hex)")" &&
	refused "$(forge "$HS256" "$(claims)" sha256 "$(printf "%s" "${SECRET%?}" | sec_hex)")"
'

test_expect_success 'HS384 and HS512, even with the right key: refused' '
	refused "$(forge "{\"alg\":\"HS384\",\"typ\":\"JWT\"}" "$(claims)" sha384)" &&
	refused "$(forge "{\"alg\":\"HS512\",\"typ\":\"JWT\"}" "$(claims)" sha512)"
'

test_expect_success 'an RS256 header: refused, with an RSA or an HMAC signature' '
	h=$(printf "%s" "{\"alg\":\"RS256\",\"typ\":\"JWT\"}" | sec_b64url) &&
	p=$(claims | sec_b64url) &&
	s=$(printf "%s.%s" "$h" "$p" | openssl dgst -sha256 -sign rsa.pem -binary | sec_b64url) &&
	printf "%s\n" "$h.$p.$s" >>forged.txt &&
	refused "$h.$p.$s" &&
	refused "$(forge "{\"alg\":\"RS256\",\"typ\":\"JWT\"}" "$(claims)")"
'

test_expect_success 'wrong aud, wrong iss: refused' '
	refused "$(forge "$HS256" "$(claims ".aud = \"other\"")")" &&
	refused "$(forge "$HS256" "$(claims ".aud = \"\"")")" &&
	refused "$(forge "$HS256" "$(claims ".iss = \"someone-else\"")")" &&
	refused "$(forge "$HS256" "$(claims "del(.iss)")")" &&
	refused "$(forge "$HS256" "$(claims "del(.aud)")")"
'

test_expect_success 'a refresh-typed token, or one without typ: refused' '
	refused "$(forge "$HS256" "$(claims ".typ = \"refresh\"")")" &&
	refused "$(forge "$HS256" "$(claims "del(.typ)")")" &&
	refused "$(forge "$HS256" "$(claims ".typ = \"ACCESS\"")")"
'

test_expect_success 'expired: refused (token_expired may say so, for our own token only)' '
	refused "$(forge "$HS256" "$(claims ".iat = (.iat - 7200) | .exp = (.iat + 900)")")" expired &&
	refused "$(forge "$HS256" "$(claims ".exp = (.iat - 1)")")" expired &&
	refused "$(forge "$HS256" "$(claims ".iat = (.iat - 7200) | .exp = (.iat + 900)")" \
		sha256 "$(printf "%s" "$SECRET-other" | sec_hex)")"
'

test_expect_success 'not valid yet: a future nbf or a future iat: refused' '
	refused "$(forge "$HS256" "$(claims ".nbf = (.iat + 3600)")")" &&
	refused "$(forge "$HS256" "$(claims ".iat = (.iat + 3600) | .exp = (.iat + 600)")")"
'

test_expect_success 'a claim missing or of the wrong kind: refused' '
	refused "$(forge "$HS256" "$(claims "del(.exp)")")" &&
	refused "$(forge "$HS256" "$(claims "del(.iat)")")" &&
	refused "$(forge "$HS256" "$(claims "del(.sub)")")" &&
	refused "$(forge "$HS256" "$(claims "del(.sch)")")" &&
	refused "$(forge "$HS256" "$(claims ".exp = (.exp | tostring)")")" &&
	refused "$(forge "$HS256" "$(claims ".sub = \"teacher1\"")")" &&
	refused "$(forge "$HS256" "$(claims ".sub = \"$(sec_uuid)\"")")" &&
	refused "$(forge "$HS256" "$(claims ".sch = \"$(sec_uuid)\"")")"
'

test_expect_success 'a truncated or missing signature: refused' '
	refused "${GOOD%?}" &&
	refused "${GOOD%??????}" &&
	refused "${GOOD%.*}." &&
	refused "${GOOD%.*}" &&
	refused "${GOOD}A"
'

test_expect_success 'an oversized header (over 4 KiB), correctly signed: refused' '
	pad=$(head -c 5000 /dev/zero | tr "\0" x) &&
	big=$(forge "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"pad\":\"$pad\"}" "$(claims)") &&
	test "$(printf "%s" "$big" | cut -d. -f1 | wc -c)" -gt 4096 &&
	refused "$big"
'

test_expect_success 'a huge Authorization header gets a 4xx (or the door) and edud stays up' '
	huge=$(head -c 60000 /dev/zero | tr "\0" A) &&
	{ api GET /users/me "" "$huge.$huge.$huge" >/dev/null 2>&1; true; } &&
	case $(api_status) in 4??|000) ;; *) echo "status $(api_status)" >&2; false ;; esac &&
	accepted "$GOOD"
'

# The same header and claims in standard base64 (with +, / or = padding) and signed over
# that text: a lenient decoder would take it.
std_base64_token () {
	local h p payload jti=x
	while :; do
		payload=$(claims ".jti = \"$jti\"")
		p=$(printf '%s' "$payload" | base64 -w0)
		case $p in *=*) break ;; esac
		jti="${jti}x"
	done
	h=$(printf '%s' "$HS256" | base64 -w0)
	printf '%s.%s.%s\n' "$h" "$p" "$(printf '%s.%s' "$h" "$p" | sec_hmac sha256 "$KEY_HEX")" |
		tee -a forged.txt
}

test_expect_success 'characters outside base64url, or the wrong number of parts: refused' '
	refused "$(std_base64_token)" &&
	refused "$(printf "%s" "$GOOD" | sed "s/\\./=./")" &&
	refused "$(printf "%s" "$GOOD" | sed "s/^\\(..\\)./\\1+/")" &&
	refused "$(printf "%s" "$GOOD" | sed "s/^\\(..\\)./\\1\\//")" &&
	refused "$(printf "%s" "$GOOD" | sed "s/^\\(..\\)./\\1%/")" &&
	refused "$GOOD.$(printf "%s" "$GOOD" | cut -d. -f3)" &&
	refused "$(printf "%s" "$GOOD" | cut -d. -f1,2)" &&
	refused "$(printf "%s" "$GOOD" | cut -d. -f2,3)" &&
	refused "..." &&
	refused "not-a-token"
'

test_expect_success 'the token must come as "Authorization: Bearer", in no other way' '
	API_CURL_ARGS=(-H "Authorization: Basic $GOOD") &&
	api GET /users/me >/dev/null && test "$(api_status)" = 401 &&
	API_CURL_ARGS=(-H "Authorization: $GOOD") &&
	api GET /users/me >/dev/null && test "$(api_status)" = 401 &&
	API_CURL_ARGS=(-H "Cookie: access_token=$GOOD") &&
	api GET /users/me >/dev/null && test "$(api_status)" = 401 &&
	API_CURL_ARGS=()
'

test_expect_success 'a token in the URL is not accepted' '
	api GET "/users/me?access_token=$GOOD" >/dev/null && test "$(api_status)" = 401 &&
	api GET "/users/me?token=$GOOD" >/dev/null && test "$(api_status)" = 401 &&
	api GET "/users/me?jwt=$GOOD" >/dev/null && test "$(api_status)" = 401 &&
	PAT=$(sec_make_pat "$GOOD" url-probe read) &&
	api GET "/users/me?access_token=$PAT" >/dev/null && test "$(api_status)" = 401 &&
	accepted "$PAT"
'

test_expect_success 'after logout-all, the user'"'"'s earlier tokens are refused, even forged anew' '
	T2=$(token_for teacher2) &&
	printf "%s\n" "$T2" | cut -d. -f2 | sec_b64url_decode >claims-teacher2.json &&
	accepted "$T2" teacher2 &&
	api_expect 204 POST /auth/logout-all "" "$T2" &&
	refused "$T2" &&
	refused "$(forge "$HS256" "$(claims . claims-teacher2.json)")" &&
	T3=$(token_for teacher2) &&
	accepted "$T3" teacher2 &&
	printf "%s\n" "$T3" | cut -d. -f2 | sec_b64url_decode >claims-teacher2-new.json &&
	test "$(jq .ver claims-teacher2-new.json)" -gt "$(jq .ver claims-teacher2.json)" &&
	accepted "$(forge "$HS256" "$(claims . claims-teacher2-new.json)")" teacher2
'

test_expect_success 'edud is still up and the good token still works' '
	accepted "$GOOD"
'

test_expect_success 'no token, refresh token, API token or the key is in edud'"'"'s log' '
	test -s "$EDU_TEST_DIR/edud.log" &&
	for f in session-*.json; do
		jq -r ".access_token, .refresh_token // empty" "$f"
	done >secrets.txt &&
	cat forged.txt >>secrets.txt &&
	jq -r ".token" pat-*.json >>secrets.txt &&
	printf "%s\n" "$SECRET" >>secrets.txt &&
	test "$(wc -l <secrets.txt)" -gt 20 &&
	! grep -F -f secrets.txt "$EDU_TEST_DIR/edud.log" &&
	! grep -F -e eyJ -e edu_pat_ "$EDU_TEST_DIR/edud.log"
'

test_done
