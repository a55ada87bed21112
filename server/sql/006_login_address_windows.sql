-- 006_login_address_windows.sql: login and activation attempts counted per client address
-- in the database, so that every edud on it shares one count (login_max_per_address per
-- login_address_window; see server/sessions.c).
--
-- Not a tenant table: an address is counted before any school is known, and over every
-- school, so it has no school_id and no row-level security. tests/e2e/022-rls-catalog.sh
-- names it among the tables that are deliberately not tenant tables.
--
-- One row per address: its current window, which ends at ends_at, and the attempts made
-- in it (refused ones included). edud counts an attempt with one upsert that starts a new
-- window when the row's has ended, in a transaction of its own: the row is locked for that
-- statement only (the students of a school often share one address), and the count stays
-- committed whatever the answer. `edud gc` deletes the rows whose window has ended.
--
-- No index but the key: every attempt rewrites attempts and ends_at, and with neither
-- indexed the update stays heap-only (HOT). gc reads the whole table, rarely.

CREATE TABLE edu.login_address_windows (
	addr text PRIMARY KEY CHECK (length(addr) BETWEEN 1 AND 64),
	attempts bigint NOT NULL CHECK (attempts >= 1),
	ends_at timestamptz NOT NULL
);

-- What edu_app needs, whatever the default privileges of 001 give: SELECT, INSERT and
-- UPDATE for the upsert (which reads the row it updates and returns the count); DELETE for
-- `edud gc`, which connects as edu_app. The backup role reads it, as every table.
REVOKE ALL ON edu.login_address_windows FROM edu_app, edu_backup;
GRANT SELECT, INSERT, UPDATE, DELETE ON edu.login_address_windows TO edu_app;
GRANT SELECT ON edu.login_address_windows TO edu_backup;
