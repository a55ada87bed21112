#!/bin/bash
# 022-rls-catalog: what the database itself promises about tenancy, read from the catalog
# after edud has applied every migration. Every table with school_id has row-level security
# enabled and forced, with policies for every command that check what is written; the
# server's role owns nothing and cannot bypass the policies; views run as the caller;
# SECURITY DEFINER functions are the short known list and pin their search_path; unique keys
# are per school; the tables without school_id are a known short list, with known grants.
# The tables are found in the catalog, so a new migration is checked too.
. "$(dirname "$0")/lib.sh"

start_edud

# Each query below prints one line per offence, so an empty answer means the rule holds.
# offences WHAT QUERY-FUNCTION
offences () {
	local what=$1
	"$2" >offences.txt || return 1
	if [ -s offences.txt ]; then
		echo "$what:" >&2
		sed 's/^/  /' offences.txt >&2
		return 1
	fi
}

tenant_tables () {
	psql_admin <<'EOF'
SELECT format('%I.%I', n.nspname, c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'school_id' AND NOT a.attisdropped
WHERE n.nspname = 'edu' AND c.relkind IN ('r', 'p') ORDER BY 1;
EOF
}

test_expect_success 'the schema has tenant tables to check' '
	tenant_tables >tenant.txt &&
	cat tenant.txt >&2 &&
	test_grep -qxF edu.users tenant.txt &&
	test_grep -qxF edu.api_tokens tenant.txt
'

# The tables without school_id are few, and each is one on purpose: they are listed here with
# what edu_app may do to them, so that a new one (or a new privilege on one) is a decision
# made here too, not a tenant table that lost its school_id.
#   edu.schools                  the tenants themselves: row-level security on id (below)
#   edu.schema_migrations        the migration runner's record (migrate.c): edu_app reads it
#   edu.login_address_windows    login attempts per client address (006), counted before
#                                any school is known: edud's upsert, and `edud gc` deletes
non_tenant_tables () {
	psql_admin <<'EOF'
SELECT format('%I.%I %s', n.nspname, c.relname,
	coalesce((SELECT string_agg(p, ',' ORDER BY o)
		  FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) WITH ORDINALITY AS x(p, o)
		  WHERE has_table_privilege('edu_app', c.oid, p)), '-'))
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'edu' AND c.relkind IN ('r', 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
		AND a.attname = 'school_id' AND NOT a.attisdropped)
ORDER BY 1;
EOF
}

test_expect_success 'the tables without school_id are the known ones, with the known grants' '
	non_tenant_tables >non-tenant.txt &&
	printf "%s\n" "edu.login_address_windows SELECT,INSERT,UPDATE,DELETE" \
		"edu.schema_migrations SELECT" "edu.schools SELECT,INSERT,UPDATE,DELETE" >expect &&
	test_cmp expect non-tenant.txt
'

unforced_tables () {
	psql_admin <<'EOF'
SELECT format('%I.%I enabled=%s forced=%s', n.nspname, c.relname,
	c.relrowsecurity, c.relforcerowsecurity)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'edu' AND c.relkind IN ('r', 'p')
  AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
		AND a.attname = 'school_id' AND NOT a.attisdropped)
       OR c.relname = 'schools')
  AND NOT (c.relrowsecurity AND c.relforcerowsecurity);
EOF
}

test_expect_success 'every table with school_id has row-level security enabled and forced' '
	offences "tables without ENABLE or FORCE ROW LEVEL SECURITY" unforced_tables
'

missing_policies () {
	psql_admin <<'EOF'
WITH t AS (
	SELECT c.oid, format('%I.%I', n.nspname, c.relname) AS name
	FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = 'edu' AND c.relkind IN ('r', 'p')
	  AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
			AND a.attname = 'school_id' AND NOT a.attisdropped)
	       OR c.relname = 'schools')
), cmd(letter, word) AS (VALUES ('r', 'SELECT'), ('a', 'INSERT'), ('w', 'UPDATE'), ('d', 'DELETE'))
SELECT t.name || ' has no policy for ' || cmd.word
FROM t CROSS JOIN cmd
WHERE NOT EXISTS (SELECT 1 FROM pg_policy p
	WHERE p.polrelid = t.oid AND p.polpermissive AND p.polcmd IN (cmd.letter, '*'))
ORDER BY 1;
EOF
}

test_expect_success 'every tenant table has policies for SELECT, INSERT, UPDATE and DELETE' '
	offences "tables without a policy for a command" missing_policies
'

unchecked_writes () {
	psql_admin <<'EOF'
SELECT format('%s.%s policy %s (%s) has no WITH CHECK', schemaname, tablename, policyname, cmd)
FROM pg_policies
WHERE schemaname = 'edu' AND cmd IN ('INSERT', 'UPDATE', 'ALL') AND with_check IS NULL
ORDER BY 1;
EOF
}

test_expect_success 'INSERT and UPDATE policies have a WITH CHECK' '
	offences "policies that let any row be written" unchecked_writes
'

unkeyed_policies () {
	psql_admin <<'EOF'
SELECT format('%s.%s policy %s (%s): USING %s WITH CHECK %s', p.schemaname, p.tablename,
	p.policyname, p.cmd, coalesce(p.qual, '-'), coalesce(p.with_check, '-'))
FROM pg_policies p
JOIN pg_namespace n ON n.nspname = p.schemaname
JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = p.tablename
WHERE p.schemaname = 'edu' AND p.permissive = 'PERMISSIVE'
  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
		AND a.attname = 'school_id' AND NOT a.attisdropped)
  AND NOT (
	(p.qual IS NULL OR p.qual ~ 'current_school\(\)' OR
	 (p.cmd = 'SELECT' AND p.qual ~ '^\(?edu\.lookup_allowed\(\)\)?$'))
	AND (p.with_check IS NULL OR p.with_check ~ 'current_school\(\)'))
ORDER BY 1;
EOF
}

test_expect_success 'tenant policies are keyed on the school, never always true' '
	offences "policies on school_id tables not keyed on edu.current_school()" unkeyed_policies
'

# current_setting() gives NULL before any SET, '' after a transaction's SET LOCAL: both
# must mean "no school".
current_school_states () {
	psql_app <<'EOF'
SELECT edu.current_school() IS NULL;
SELECT set_config('app.school_id', '', false) IS NULL AS ignored \gset
SELECT edu.current_school() IS NULL;
BEGIN;
SELECT set_config('app.school_id', gen_random_uuid()::text, true) IS NULL AS ignored \gset
SELECT edu.current_school() IS NOT NULL;
COMMIT;
SELECT edu.current_school() IS NULL;
EOF
}

test_expect_success 'with no school set, edu.current_school() is NULL, also after SET LOCAL' '
	current_school_states >out &&
	test "$(echo $(cat out))" = "t t t t"
'

app_powers () {
	psql_admin <<'EOF'
SELECT format('rolsuper=%s rolbypassrls=%s rolcreaterole=%s rolcreatedb=%s',
	rolsuper, rolbypassrls, rolcreaterole, rolcreatedb)
FROM pg_roles WHERE rolname = 'edu_app'
  AND (rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb)
UNION ALL
SELECT 'edu_app does not exist' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'edu_app');
EOF
}

test_expect_success 'edu_app is no superuser, cannot bypass RLS, create roles or databases' '
	offences "edu_app has too much power" app_powers
'

app_memberships () {
	psql_admin <<'EOF'
SELECT r.rolname FROM pg_auth_members m
JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
WHERE u.rolname = 'edu_app'
  AND r.rolname NOT IN ('pg_read_all_settings', 'pg_monitor', 'pg_read_all_stats', 'pg_stat_scan_tables');
EOF
}

test_expect_success 'edu_app is a member of no role (it cannot SET ROLE to the owner)' '
	offences "roles edu_app is a member of" app_memberships
'

app_owns () {
	psql_admin <<'EOF'
SELECT 'relation ' || c.oid::regclass::text FROM pg_class c
WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = 'edu_app')
UNION ALL
SELECT 'function ' || p.oid::regprocedure::text FROM pg_proc p
WHERE p.proowner = (SELECT oid FROM pg_roles WHERE rolname = 'edu_app')
UNION ALL
SELECT 'type ' || t.oid::regtype::text FROM pg_type t
WHERE t.typowner = (SELECT oid FROM pg_roles WHERE rolname = 'edu_app')
UNION ALL
SELECT 'schema ' || n.nspname FROM pg_namespace n
WHERE n.nspowner = (SELECT oid FROM pg_roles WHERE rolname = 'edu_app')
UNION ALL
SELECT 'database ' || d.datname FROM pg_database d
WHERE d.datdba = (SELECT oid FROM pg_roles WHERE rolname = 'edu_app');
EOF
}

test_expect_success 'edu_app owns no table, view, sequence, function, type, schema or database' '
	offences "objects edu_app owns" app_owns
'

app_privileges () {
	psql_admin <<'EOF'
SELECT c.oid::regclass::text || ': ' || priv
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
     unnest(ARRAY['TRUNCATE', 'TRIGGER', 'REFERENCES']) AS priv
WHERE n.nspname = 'edu' AND c.relkind IN ('r', 'p', 'v', 'm')
  AND has_table_privilege('edu_app', c.oid, priv)
UNION ALL
SELECT 'CREATE on schema ' || nspname FROM pg_namespace
WHERE nspname IN ('edu', 'public') AND has_schema_privilege('edu_app', oid, 'CREATE')
ORDER BY 1;
EOF
}

test_expect_success 'edu_app cannot TRUNCATE, which no policy stops, nor create in the schema' '
	offences "privileges edu_app must not have" app_privileges
'

definer_views () {
	psql_admin <<'EOF'
SELECT format('%I.%I reloptions=%s', n.nspname, c.relname, coalesce(c.reloptions::text, '-'))
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'edu' AND c.relkind = 'v'
  AND NOT EXISTS (SELECT 1 FROM unnest(coalesce(c.reloptions, '{}')) o
	WHERE lower(o) IN ('security_invoker=true', 'security_invoker=on',
			   'security_invoker=1', 'security_invoker=yes'))
ORDER BY 1;
EOF
}

test_expect_success 'every view in schema edu runs as its caller (security_invoker)' '
	offences "views that run as their owner" definer_views
'

materialized_views () {
	psql_admin <<'EOF'
SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'edu' AND c.relkind = 'm';
EOF
}

test_expect_success 'schema edu has no materialized view (it would bypass the policies)' '
	offences "materialized views" materialized_views
'

definer_functions () {
	psql_admin <<'EOF'
SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1;
EOF
}

test_expect_success 'SECURITY DEFINER functions are exactly the known lookups' '
	definer_functions >definers.txt &&
	printf "%s\n" "edu.api_token_school(text)" "edu.refresh_token_school(text)" \
		"edu.school_by_slug(text)" >expect &&
	test_cmp expect definers.txt
'

loose_search_paths () {
	psql_admin <<'EOF'
SELECT p.oid::regprocedure::text || ' proconfig=' || coalesce(p.proconfig::text, '-')
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND NOT EXISTS (SELECT 1 FROM unnest(coalesce(p.proconfig, '{}')) c
	WHERE c LIKE 'search_path=%' AND c !~ '(^|[=, ])"?(public|\$user)"?($|[, ])')
ORDER BY 1;
EOF
}

test_expect_success 'each SECURITY DEFINER function pins a search_path without public' '
	offences "definer functions with a loose search_path" loose_search_paths
'

public_definers () {
	psql_admin <<'EOF'
SELECT p.oid::regprocedure::text
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND (p.proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a
	WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE'))
ORDER BY 1;
EOF
}

test_expect_success 'no SECURITY DEFINER function is executable by PUBLIC' '
	offences "definer functions anyone may call" public_definers
'

global_unique_keys () {
	psql_admin <<'EOF'
SELECT format('%s: %s', i.indexrelid::regclass, pg_get_indexdef(i.indexrelid))
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'school_id' AND NOT a.attisdropped
WHERE n.nspname = 'edu' AND (i.indisunique OR i.indisprimary)
  AND i.indkey[0] <> a.attnum
ORDER BY 1;
EOF
}

test_expect_success 'every unique index and primary key of a tenant table leads with school_id' '
	offences "unique keys that are not per school" global_unique_keys
'

tables_without_pk () {
	psql_admin <<'EOF'
SELECT c.oid::regclass::text FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'school_id' AND NOT a.attisdropped
WHERE n.nspname = 'edu' AND c.relkind IN ('r', 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
ORDER BY 1;
EOF
}

test_expect_success 'every tenant table has a primary key' '
	offences "tenant tables without a primary key" tables_without_pk
'

test_done
