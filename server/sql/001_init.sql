-- 001_init.sql: schools, users and the tokens that let users in, with row-level security.
--
-- Prerequisites. Three roles exist before any migration runs:
--   edu_owner   runs the migrations and owns every object in schema edu
--   edu_app     LOGIN NOSUPERUSER NOBYPASSRLS: what edud connects as; owns nothing
--   edu_backup  BYPASSRLS: pg_dump of every school; edud never uses it
-- The embedded cluster creates them. On an external server the DBA does, once:
--   CREATE ROLE edu_owner LOGIN PASSWORD '...';
--   CREATE ROLE edu_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE PASSWORD '...';
--   CREATE ROLE edu_backup LOGIN BYPASSRLS PASSWORD '...';
--   GRANT CREATE ON DATABASE edu TO edu_owner;
-- and points database_owner_url at edu_owner, database_url at edu_app.
--
-- The migration runner wraps this file in a transaction and records it.
--
-- Tenancy: every table with school_id has it first in its primary key and indexes, and
-- ENABLE + FORCE row-level security with a policy per command keyed on edu.current_school(),
-- the transaction's app.school_id. With no school set ('' or NULL) every policy is false.
-- Later migrations add a tenant table with CALL edu.enable_tenant_rls('edu.NAME').
--
-- The only ways around a tenant's policies are these SECURITY DEFINER functions, for the
-- lookups that happen before the tenant is known; each returns a school id and nothing else:
--   edu.school_by_slug(slug)            login, activation, ?school=SLUG
--   edu.refresh_token_school(sha256)    refresh, logout
--   edu.api_token_school(sha256)        authentication with a personal API token
-- They run as the owner, who is subject to the policies too (FORCE); the SELECT-only
-- "lookup" policies let them through, and only while one of them runs (edu.lookup_allowed()).

-- (the migration runner has usually created it already, to record migrations in)
DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = 'edu') THEN
		CREATE SCHEMA edu;
	END IF;
END
$$;
REVOKE ALL ON SCHEMA edu FROM PUBLIC;
GRANT USAGE ON SCHEMA edu TO edu_app, edu_backup;

-- The transaction's school, NULL when none is set. current_setting(..., true) gives NULL
-- before any SET and '' after a previous transaction's SET LOCAL: both mean none.
CREATE FUNCTION edu.current_school() RETURNS uuid
	LANGUAGE sql STABLE PARALLEL SAFE
	AS $$ SELECT NULLIF(current_setting('app.school_id', true), '')::uuid $$;

-- The caller is a super_admin (set by edud from the user's row, never from input).
CREATE FUNCTION edu.is_super_admin() RETURNS boolean
	LANGUAGE sql STABLE PARALLEL SAFE
	AS $$ SELECT coalesce(current_setting('app.role', true), '') = 'super_admin' $$;

-- True only inside one of the definer lookups below: they run as the owner and set
-- edu.lookup around their one query. The owner's own sessions (migrations, `edud demo`)
-- do not set it, so FORCE still holds for them; edu_app may set edu.lookup but is never
-- the owner.
DO $do$
BEGIN
	EXECUTE format($f$
		CREATE FUNCTION edu.lookup_allowed() RETURNS boolean
			LANGUAGE sql STABLE
			AS $$ SELECT current_user = %L
				AND coalesce(current_setting('edu.lookup', true), '') = 'on' $$
	$f$, current_user);
END
$do$;

-- ENABLE + FORCE row-level security on a table with school_id, and one policy per command.
CREATE PROCEDURE edu.enable_tenant_rls(tbl regclass)
	LANGUAGE plpgsql
	AS $$
BEGIN
	EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
	EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
	EXECUTE format('CREATE POLICY tenant_select ON %s FOR SELECT
		USING (school_id = edu.current_school())', tbl);
	EXECUTE format('CREATE POLICY tenant_insert ON %s FOR INSERT
		WITH CHECK (school_id = edu.current_school())', tbl);
	EXECUTE format('CREATE POLICY tenant_update ON %s FOR UPDATE
		USING (school_id = edu.current_school())
		WITH CHECK (school_id = edu.current_school())', tbl);
	EXECUTE format('CREATE POLICY tenant_delete ON %s FOR DELETE
		USING (school_id = edu.current_school())', tbl);
END
$$;

CREATE TABLE edu.schools (
	id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
	slug text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX schools_slug_key ON edu.schools (slug);

-- A school is its own tenant: visible to its members, and to a super_admin.
ALTER TABLE edu.schools ENABLE ROW LEVEL SECURITY;
ALTER TABLE edu.schools FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_select ON edu.schools FOR SELECT
	USING (id = edu.current_school() OR edu.is_super_admin());
CREATE POLICY tenant_insert ON edu.schools FOR INSERT
	WITH CHECK (edu.is_super_admin());
CREATE POLICY tenant_update ON edu.schools FOR UPDATE
	USING (id = edu.current_school() OR edu.is_super_admin())
	WITH CHECK (id = edu.current_school() OR edu.is_super_admin());
CREATE POLICY tenant_delete ON edu.schools FOR DELETE
	USING (edu.is_super_admin());
CREATE POLICY lookup ON edu.schools FOR SELECT USING (edu.lookup_allowed());

-- password_hash NULL: not activated yet (or reset); the user activates with the code whose
-- SHA-256 is activation_hash. token_version is in every access token: bumping it ends them.
CREATE TABLE edu.users (
	school_id uuid NOT NULL REFERENCES edu.schools (id) ON DELETE CASCADE,
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	username text NOT NULL CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
	email text CHECK (length(email) <= 254),
	display_name text CHECK (length(display_name) <= 200),
	role text NOT NULL
		CHECK (role IN ('student', 'teacher', 'admin', 'school_admin', 'super_admin')),
	password_hash text,
	disabled boolean NOT NULL DEFAULT false,
	token_version integer NOT NULL DEFAULT 1,
	activation_hash text,
	activation_expires_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	version integer NOT NULL DEFAULT 1,
	PRIMARY KEY (school_id, id)
);
CREATE UNIQUE INDEX users_username_key ON edu.users (school_id, lower(username));
CREATE UNIQUE INDEX users_email_key ON edu.users (school_id, lower(email));
CREATE INDEX users_role_idx ON edu.users (school_id, role, lower(username));
CALL edu.enable_tenant_rls('edu.users');

-- Refresh tokens: only the SHA-256 of the token is kept. A login starts a family; each use
-- rotates the token (rotated_at set, a child row with parent_id inserted). Presenting a
-- rotated token again revokes the whole family, except within refresh_grace seconds of its
-- rotation: then the same child is returned, so two processes refreshing at once do not
-- look like theft. The child is not stored anywhere in plain text: it is an HMAC of its
-- parent under a server key, so only the holder of the parent can be given it again.
CREATE TABLE edu.refresh_tokens (
	school_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	user_id uuid NOT NULL,
	family_id uuid NOT NULL,
	parent_id uuid,
	token_hash text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	rotated_at timestamptz,
	revoked_at timestamptz,
	PRIMARY KEY (school_id, id),
	FOREIGN KEY (school_id, user_id) REFERENCES edu.users (school_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX refresh_tokens_hash_key ON edu.refresh_tokens (school_id, token_hash);
CREATE INDEX refresh_tokens_family_idx ON edu.refresh_tokens (school_id, family_id);
CREATE INDEX refresh_tokens_user_idx ON edu.refresh_tokens (school_id, user_id);
CREATE INDEX refresh_tokens_parent_idx ON edu.refresh_tokens (school_id, parent_id);
-- The one index not led by school_id: edu.refresh_token_school() runs before the school
-- is known.
CREATE INDEX refresh_tokens_lookup_idx ON edu.refresh_tokens (token_hash);
CALL edu.enable_tenant_rls('edu.refresh_tokens');
CREATE POLICY lookup ON edu.refresh_tokens FOR SELECT USING (edu.lookup_allowed());

-- Personal API tokens (edu_pat_...): only the SHA-256 is kept; revoking deletes the row.
CREATE TABLE edu.api_tokens (
	school_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	user_id uuid NOT NULL,
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
	scope text NOT NULL CHECK (scope IN ('read', 'write')),
	token_hash text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz,
	last_used_at timestamptz,
	PRIMARY KEY (school_id, id),
	FOREIGN KEY (school_id, user_id) REFERENCES edu.users (school_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX api_tokens_hash_key ON edu.api_tokens (school_id, token_hash);
CREATE UNIQUE INDEX api_tokens_name_key ON edu.api_tokens (school_id, user_id, lower(name));
CREATE INDEX api_tokens_user_idx ON edu.api_tokens (school_id, user_id, created_at, id);
-- Not led by school_id, for edu.api_token_school(), which runs before the school is known.
CREATE INDEX api_tokens_lookup_idx ON edu.api_tokens (token_hash);
CALL edu.enable_tenant_rls('edu.api_tokens');
CREATE POLICY lookup ON edu.api_tokens FOR SELECT USING (edu.lookup_allowed());

-- Failed logins and activations per account, for throttling; rows older than the window
-- are pruned as new ones come in.
CREATE TABLE edu.login_failures (
	school_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	user_id uuid NOT NULL,
	at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (school_id, id),
	FOREIGN KEY (school_id, user_id) REFERENCES edu.users (school_id, id) ON DELETE CASCADE
);
CREATE INDEX login_failures_user_idx ON edu.login_failures (school_id, user_id, at);
CALL edu.enable_tenant_rls('edu.login_failures');

-- The definer lookups (see the top of the file). Each sets edu.lookup only around its one
-- query. Slugs are stored lower case.
CREATE FUNCTION edu.school_by_slug(p_slug text) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = edu, pg_temp
	AS $$
DECLARE
	found uuid;
BEGIN
	PERFORM set_config('edu.lookup', 'on', true);
	SELECT id INTO found FROM edu.schools WHERE slug = lower(p_slug);
	PERFORM set_config('edu.lookup', 'off', true);
	RETURN found;
END
$$;

CREATE FUNCTION edu.refresh_token_school(p_hash text) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = edu, pg_temp
	AS $$
DECLARE
	found uuid;
BEGIN
	PERFORM set_config('edu.lookup', 'on', true);
	SELECT school_id INTO found FROM edu.refresh_tokens WHERE token_hash = p_hash LIMIT 1;
	PERFORM set_config('edu.lookup', 'off', true);
	RETURN found;
END
$$;

CREATE FUNCTION edu.api_token_school(p_hash text) RETURNS uuid
	LANGUAGE plpgsql SECURITY DEFINER
	SET search_path = edu, pg_temp
	AS $$
DECLARE
	found uuid;
BEGIN
	PERFORM set_config('edu.lookup', 'on', true);
	SELECT school_id INTO found FROM edu.api_tokens WHERE token_hash = p_hash LIMIT 1;
	PERFORM set_config('edu.lookup', 'off', true);
	RETURN found;
END
$$;

-- Privileges: the application role may read and write rows and call functions, nothing
-- more; the backup role may read. Default privileges give later migrations' objects the
-- same grants.
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA edu FROM PUBLIC;
REVOKE ALL ON ALL PROCEDURES IN SCHEMA edu FROM PUBLIC;
GRANT EXECUTE ON FUNCTION edu.current_school(), edu.is_super_admin(), edu.lookup_allowed(),
	edu.school_by_slug(text), edu.refresh_token_school(text), edu.api_token_school(text)
	TO edu_app;
GRANT SELECT, INSERT, UPDATE, DELETE
	ON edu.schools, edu.users, edu.refresh_tokens, edu.api_tokens, edu.login_failures
	TO edu_app;
GRANT SELECT
	ON edu.schools, edu.users, edu.refresh_tokens, edu.api_tokens, edu.login_failures
	TO edu_backup;

-- (per-schema defaults can only add; this one is for everything the owner creates)
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON ROUTINES FROM PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA edu GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO edu_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA edu GRANT USAGE, SELECT ON SEQUENCES TO edu_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA edu GRANT EXECUTE ON FUNCTIONS TO edu_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA edu GRANT SELECT ON TABLES TO edu_backup;
ALTER DEFAULT PRIVILEGES IN SCHEMA edu GRANT SELECT ON SEQUENCES TO edu_backup;
