-- 003_assignments.sql: assignments, their rubrics, uploads held for a submission,
-- submissions and their files, grades with their rubric assessment, and every grade's
-- history.
--
-- Tenant tables as in 001_init.sql: school_id leads every primary key and index, every
-- foreign key stays inside the school ((school_id, x) references), and
-- edu.enable_tenant_rls() forces row-level security on each.
--
-- Copying a course (POST /courses/{id}/copy) copies its assignments as drafts with their
-- rubrics: edu.copy_assignments() at the end of this file does that in one statement, so
-- the column lists live here only.

-- due_at NULL: no due date. allowed_types: a JSON array of MIME types as libmagic names
-- them ([] allows any). max_file_size is in bytes; the server never lets it exceed its
-- max_upload. rubric_version is the version of the assignment's rubric (0: never set); it
-- changes with every PUT of the rubric, apart from the assignment's own version.
CREATE TABLE edu.assignments (
	school_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	course_id uuid NOT NULL,
	title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	instructions text NOT NULL DEFAULT '' CHECK (length(instructions) <= 100000),
	due_at timestamptz,
	points_possible numeric(10,2) NOT NULL DEFAULT 100
		CHECK (points_possible BETWEEN 0 AND 100000),
	category text NOT NULL DEFAULT '' CHECK (length(category) <= 100),
	submission_kind text NOT NULL DEFAULT 'both'
		CHECK (submission_kind IN ('text', 'files', 'both')),
	allowed_types jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(allowed_types) = 'array'),
	max_file_size bigint NOT NULL CHECK (max_file_size > 0),
	late_policy text NOT NULL DEFAULT 'accept' CHECK (late_policy IN ('accept', 'reject')),
	published boolean NOT NULL DEFAULT false,
	rubric_version integer NOT NULL DEFAULT 0,
	created_by uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	version integer NOT NULL DEFAULT 1,
	PRIMARY KEY (school_id, id),
	FOREIGN KEY (school_id, course_id) REFERENCES edu.courses (school_id, id) ON DELETE CASCADE,
	FOREIGN KEY (school_id, created_by) REFERENCES edu.users (school_id, id)
		ON DELETE SET NULL (created_by)
);
-- a course's assignments by due date (the list's order)
CREATE INDEX assignments_course_idx ON edu.assignments
	(school_id, course_id, (coalesce(due_at, 'infinity')), created_at, id);
CALL edu.enable_tenant_rls('edu.assignments');

-- A rubric: criteria in position order (0..n-1), each with its levels in position order.
-- Replacing a rubric deletes its rows and inserts new ones; a rubric that grades already
-- point at (grade_rubric) cannot be deleted (NO ACTION foreign keys).
CREATE TABLE edu.rubric_criteria (
	school_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	assignment_id uuid NOT NULL,
	position integer NOT NULL CHECK (position >= 0),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
	PRIMARY KEY (school_id, id),
	UNIQUE (school_id, assignment_id, position),
	FOREIGN KEY (school_id, assignment_id) REFERENCES edu.assignments (school_id, id)
		ON DELETE CASCADE
);
CALL edu.enable_tenant_rls('edu.rubric_criteria');

CREATE TABLE edu.rubric_levels (
	school_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	criterion_id uuid NOT NULL,
	position integer NOT NULL CHECK (position >= 0),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	points numeric(10,2) NOT NULL CHECK (points BETWEEN 0 AND 100000),
	PRIMARY KEY (school_id, id),
	UNIQUE (school_id, criterion_id, position),
	-- for grade_rubric: a chosen level belongs to the criterion it is chosen for
	UNIQUE (school_id, criterion_id, id),
	FOREIGN KEY (school_id, criterion_id) REFERENCES edu.rubric_criteria (school_id, id)
		ON DELETE CASCADE
);
CALL edu.enable_tenant_rls('edu.rubric_levels');

-- A file a student uploaded for an assignment and has not submitted yet (the upload's id
-- is the file's). Submitting moves it to submission_files; an upload still here after
-- expires_at is deleted with its files row.
CREATE TABLE edu.uploads (
	school_id uuid NOT NULL,
	file_id uuid NOT NULL,
	assignment_id uuid NOT NULL,
	student_id uuid NOT NULL,
	expires_at timestamptz NOT NULL DEFAULT now() + interval '1 day',
	PRIMARY KEY (school_id, file_id),
	FOREIGN KEY (school_id, file_id) REFERENCES edu.files (school_id, id) ON DELETE CASCADE,
	FOREIGN KEY (school_id, assignment_id) REFERENCES edu.assignments (school_id, id)
		ON DELETE CASCADE,
	FOREIGN KEY (school_id, student_id) REFERENCES edu.users (school_id, id) ON DELETE CASCADE
);
CREATE INDEX uploads_student_idx ON edu.uploads (school_id, assignment_id, student_id);
CREATE INDEX uploads_expires_idx ON edu.uploads (school_id, expires_at);
CALL edu.enable_tenant_rls('edu.uploads');

-- Each POST is a new attempt (1, 2, ...); late: it came after the assignment's due_at.
CREATE TABLE edu.submissions (
	school_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	assignment_id uuid NOT NULL,
	student_id uuid NOT NULL,
	attempt integer NOT NULL CHECK (attempt >= 1),
	text text CHECK (length(text) <= 200000),
	submitted_at timestamptz NOT NULL DEFAULT now(),
	late boolean NOT NULL DEFAULT false,
	PRIMARY KEY (school_id, id),
	UNIQUE (school_id, assignment_id, student_id, attempt),
	FOREIGN KEY (school_id, assignment_id) REFERENCES edu.assignments (school_id, id)
		ON DELETE CASCADE,
	FOREIGN KEY (school_id, student_id) REFERENCES edu.users (school_id, id) ON DELETE CASCADE
);
CREATE INDEX submissions_student_idx ON edu.submissions (school_id, student_id, assignment_id);
CALL edu.enable_tenant_rls('edu.submissions');

-- A submitted file is never deleted while its submission exists (NO ACTION).
CREATE TABLE edu.submission_files (
	school_id uuid NOT NULL,
	submission_id uuid NOT NULL,
	file_id uuid NOT NULL,
	position integer NOT NULL CHECK (position >= 0),
	PRIMARY KEY (school_id, submission_id, file_id),
	UNIQUE (school_id, submission_id, position),
	FOREIGN KEY (school_id, submission_id) REFERENCES edu.submissions (school_id, id)
		ON DELETE CASCADE,
	FOREIGN KEY (school_id, file_id) REFERENCES edu.files (school_id, id)
);
CREATE INDEX submission_files_file_idx ON edu.submission_files (school_id, file_id);
CALL edu.enable_tenant_rls('edu.submission_files');

-- One grade per assignment and student, submitted or not. submission_id: the attempt it
-- was given to (NULL: none, e.g. a missing one). score is the teacher's number; NULL with
-- a rubric assessment means rubric_score counts (the sum of the chosen levels' points,
-- kept here as it was computed). released: the student may see it. version starts at 1;
-- the API shows a grade that does not exist yet as version 0.
CREATE TABLE edu.grades (
	school_id uuid NOT NULL,
	assignment_id uuid NOT NULL,
	student_id uuid NOT NULL,
	submission_id uuid,
	score numeric(10,2) CHECK (score BETWEEN 0 AND 100000),
	rubric_score numeric(10,2) CHECK (rubric_score >= 0),
	excused boolean NOT NULL DEFAULT false,
	late boolean NOT NULL DEFAULT false,
	missing boolean NOT NULL DEFAULT false,
	comment text CHECK (length(comment) <= 20000),
	released boolean NOT NULL DEFAULT false,
	graded_by uuid,
	graded_at timestamptz NOT NULL DEFAULT now(),
	version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
	PRIMARY KEY (school_id, assignment_id, student_id),
	FOREIGN KEY (school_id, assignment_id) REFERENCES edu.assignments (school_id, id)
		ON DELETE CASCADE,
	FOREIGN KEY (school_id, student_id) REFERENCES edu.users (school_id, id) ON DELETE CASCADE,
	FOREIGN KEY (school_id, submission_id) REFERENCES edu.submissions (school_id, id)
		ON DELETE SET NULL (submission_id),
	FOREIGN KEY (school_id, graded_by) REFERENCES edu.users (school_id, id)
		ON DELETE SET NULL (graded_by)
);
CREATE INDEX grades_student_idx ON edu.grades (school_id, student_id, assignment_id);
CREATE INDEX grades_submission_idx ON edu.grades (school_id, submission_id);
CALL edu.enable_tenant_rls('edu.grades');

-- The level chosen for each assessed criterion of a grade.
CREATE TABLE edu.grade_rubric (
	school_id uuid NOT NULL,
	assignment_id uuid NOT NULL,
	student_id uuid NOT NULL,
	criterion_id uuid NOT NULL,
	level_id uuid NOT NULL,
	PRIMARY KEY (school_id, assignment_id, student_id, criterion_id),
	FOREIGN KEY (school_id, assignment_id, student_id)
		REFERENCES edu.grades (school_id, assignment_id, student_id) ON DELETE CASCADE,
	FOREIGN KEY (school_id, criterion_id) REFERENCES edu.rubric_criteria (school_id, id),
	FOREIGN KEY (school_id, criterion_id, level_id)
		REFERENCES edu.rubric_levels (school_id, criterion_id, id)
);
CREATE INDEX grade_rubric_criterion_idx ON edu.grade_rubric (school_id, criterion_id);
CREATE INDEX grade_rubric_level_idx ON edu.grade_rubric (school_id, criterion_id, level_id);
CALL edu.enable_tenant_rls('edu.grade_rubric');

-- Every change of a grade: the grade as the API showed it before (NULL: there was none)
-- and after, who changed it and when; written in the transaction of the change. edud only
-- ever adds rows.
CREATE TABLE edu.grade_history (
	school_id uuid NOT NULL,
	id bigint GENERATED BY DEFAULT AS IDENTITY,
	assignment_id uuid NOT NULL,
	student_id uuid NOT NULL,
	changed_at timestamptz NOT NULL DEFAULT now(),
	changed_by uuid,
	old jsonb,
	new jsonb NOT NULL,
	PRIMARY KEY (school_id, id),
	FOREIGN KEY (school_id, assignment_id) REFERENCES edu.assignments (school_id, id)
		ON DELETE CASCADE,
	FOREIGN KEY (school_id, student_id) REFERENCES edu.users (school_id, id) ON DELETE CASCADE,
	FOREIGN KEY (school_id, changed_by) REFERENCES edu.users (school_id, id)
		ON DELETE SET NULL (changed_by)
);
CREATE INDEX grade_history_grade_idx ON edu.grade_history (school_id, assignment_id, student_id, id);
CREATE INDEX grade_history_changed_by_idx ON edu.grade_history (school_id, changed_by);
CALL edu.enable_tenant_rls('edu.grade_history');

-- The assignments of course p_from, with their rubrics, copied into course p_to (same
-- school, the transaction's) as unpublished drafts made by p_by. Due dates move by
-- p_shift_days, or are cleared. Returns how many assignments were copied. Submissions,
-- uploads and grades stay behind. Runs as the caller: row-level security applies.
CREATE FUNCTION edu.copy_assignments(p_from uuid, p_to uuid, p_shift_days integer,
				     p_clear_dates boolean, p_by uuid) RETURNS integer
	LANGUAGE plpgsql
	SET search_path = edu, pg_temp
	AS $$
DECLARE
	n integer;
BEGIN
	-- gen_random_uuid() is volatile, so each map is computed once and read by every
	-- statement that joins it; the foreign keys are checked at the end of the statement,
	-- when every row exists
	WITH amap AS (
		SELECT a.id AS old_id, gen_random_uuid() AS new_id
		FROM edu.assignments a
		WHERE a.school_id = edu.current_school() AND a.course_id = p_from
	), ains AS (
		INSERT INTO edu.assignments (school_id, id, course_id, title, instructions, due_at,
			points_possible, category, submission_kind, allowed_types, max_file_size,
			late_policy, published, rubric_version, created_by)
		SELECT a.school_id, m.new_id, p_to, a.title, a.instructions,
			CASE WHEN p_clear_dates THEN NULL
			     ELSE a.due_at + make_interval(days => coalesce(p_shift_days, 0)) END,
			a.points_possible, a.category, a.submission_kind, a.allowed_types,
			a.max_file_size, a.late_policy, false, a.rubric_version, p_by
		FROM edu.assignments a JOIN amap m ON m.old_id = a.id
		WHERE a.school_id = edu.current_school()
		RETURNING 1
	), cmap AS (
		SELECT c.id AS old_id, gen_random_uuid() AS new_id, m.new_id AS assignment_id
		FROM edu.rubric_criteria c JOIN amap m ON m.old_id = c.assignment_id
		WHERE c.school_id = edu.current_school()
	), cins AS (
		INSERT INTO edu.rubric_criteria (school_id, id, assignment_id, position, name,
			description)
		SELECT c.school_id, m.new_id, m.assignment_id, c.position, c.name, c.description
		FROM edu.rubric_criteria c JOIN cmap m ON m.old_id = c.id
		WHERE c.school_id = edu.current_school()
	), lins AS (
		INSERT INTO edu.rubric_levels (school_id, criterion_id, position, name, points)
		SELECT l.school_id, m.new_id, l.position, l.name, l.points
		FROM edu.rubric_levels l JOIN cmap m ON m.old_id = l.criterion_id
		WHERE l.school_id = edu.current_school()
	)
	SELECT count(*) INTO n FROM ains;
	RETURN n;
END
$$;
