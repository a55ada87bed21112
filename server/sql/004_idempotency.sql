-- 004_idempotency.sql: the answers kept for POST requests that carried an Idempotency-Key,
-- so that a retry (a timeout, the client's offline outbox) gets the first answer back
-- instead of doing the thing twice.
--
-- A tenant table as in 001_init.sql: school_id leads its key and index, its foreign key stays
-- inside the school, edu.enable_tenant_rls() forces row-level security, and the application
-- role's grants come from the default privileges set in 001.
--
-- edud writes a row in the transaction of the request's own effect, after the handler
-- answered 2xx and before the commit: the row exists if and only if the effect committed.
-- Keys are per user: two users may send the same key.

CREATE TABLE edu.idempotency_keys (
	school_id uuid NOT NULL,
	user_id uuid NOT NULL,
	key text NOT NULL CHECK (key ~ '^[ -~]{1,255}$'),
	method text NOT NULL CHECK (length(method) BETWEEN 1 AND 16),
	path text NOT NULL CHECK (length(path) BETWEEN 1 AND 2048),
	-- lower-case hex SHA-256 of the method, path, query and body (see server/idempotency.c)
	request_hash text NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
	-- the answer, as it is given again: only successes are kept
	status integer NOT NULL CHECK (status BETWEEN 200 AND 299),
	body text NOT NULL DEFAULT '',
	content_type text,
	location text,
	etag text,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (school_id, user_id, key),
	FOREIGN KEY (school_id, user_id) REFERENCES edu.users (school_id, id) ON DELETE CASCADE
);
-- expired rows are pruned a few at a time, oldest first, per school
CREATE INDEX idempotency_keys_created_idx ON edu.idempotency_keys (school_id, created_at);
CALL edu.enable_tenant_rls('edu.idempotency_keys');

-- The advisory lock that serialises the requests of one key: edud takes
-- pg_try_advisory_xact_lock(edu.idempotency_lock_key(school, user, key)) before it looks the
-- key up, and answers 409 when another transaction holds it. One definition, so that the
-- tests (and an operator) can take the same lock from psql. The uuids are in their canonical
-- text form, and they have a fixed length, so the concatenation is unambiguous.
CREATE FUNCTION edu.idempotency_lock_key(p_school uuid, p_user uuid, p_key text)
	RETURNS bigint
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	AS $$ SELECT hashtextextended('idempotency:' || p_school::text || ':' || p_user::text ||
				      ':' || p_key, 0) $$;
