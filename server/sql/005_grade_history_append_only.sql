-- 005_grade_history_append_only.sql: the grade history is only ever added to.
--
-- Every change of a grade adds a row to edu.grade_history (who, when, old, new); nothing
-- may change or remove one afterwards, not even edud. A trigger refuses any UPDATE or
-- DELETE but those the foreign keys make: the history goes with its assignment or student,
-- and changed_by becomes NULL when that user is deleted. Those run inside the referential
-- triggers, one trigger level down. A row moved into another school is left to row-level
-- security, which refuses it (and says so).

CREATE FUNCTION edu.grade_history_append_only() RETURNS trigger
	LANGUAGE plpgsql
	AS $$
BEGIN
	IF pg_trigger_depth() > 1 THEN
		-- a cascade of a foreign key
		RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
	END IF;
	IF TG_OP = 'UPDATE' AND NEW.school_id IS DISTINCT FROM OLD.school_id THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'the grade history is append-only: % refused', TG_OP
		USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER grade_history_append_only
	BEFORE UPDATE OR DELETE ON edu.grade_history
	FOR EACH ROW EXECUTE FUNCTION edu.grade_history_append_only();
