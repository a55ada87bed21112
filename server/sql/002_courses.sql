-- 002_courses.sql: courses, their members, lessons, students' progress through them, and
-- the stored files that lessons (and, in later migrations, submissions) point at.
--
-- Every table is a tenant table (see 001_init.sql): school_id leads its primary key and
-- every index, every foreign key stays inside the school ((school_id, x) references), and
-- edu.enable_tenant_rls() gives it forced row-level security. The application role's
-- grants come from the default privileges set in 001.

-- code: the join code students type (8 characters of Crockford base32, upper case), unique
-- within the school only, so trying codes reveals nothing of another school. An archived
-- course is read-only until it is unarchived.
CREATE TABLE edu.courses (
	school_id uuid NOT NULL REFERENCES edu.schools (id) ON DELETE CASCADE,
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
	term text NOT NULL DEFAULT '' CHECK (length(term) <= 100),
	code text NOT NULL CHECK (code ~ '^[0-9A-HJKMNP-TV-Z]{8}$'),
	archived boolean NOT NULL DEFAULT false,
	created_by uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	version integer NOT NULL DEFAULT 1,
	PRIMARY KEY (school_id, id),
	FOREIGN KEY (school_id, created_by) REFERENCES edu.users (school_id, id)
		ON DELETE SET NULL (created_by)
);
CREATE UNIQUE INDEX courses_code_key ON edu.courses (school_id, code);
-- GET /courses?all=1 pages by lower(name), id
CREATE INDEX courses_name_idx ON edu.courses (school_id, lower(name), id);
CALL edu.enable_tenant_rls('edu.courses');

-- Who is in a course, and as what. admin and above act as teachers in every course of their
-- school without a row here.
CREATE TABLE edu.course_members (
	school_id uuid NOT NULL,
	course_id uuid NOT NULL,
	user_id uuid NOT NULL,
	role text NOT NULL CHECK (role IN ('teacher', 'student')),
	added_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (school_id, course_id, user_id),
	FOREIGN KEY (school_id, course_id) REFERENCES edu.courses (school_id, id) ON DELETE CASCADE,
	FOREIGN KEY (school_id, user_id) REFERENCES edu.users (school_id, id) ON DELETE CASCADE
);
-- "my courses", and the members of a course by role
CREATE INDEX course_members_user_idx ON edu.course_members (school_id, user_id, course_id);
CREATE INDEX course_members_role_idx ON edu.course_members (school_id, course_id, role);
CALL edu.enable_tenant_rls('edu.course_members');

-- Lessons in a course, ordered by position 1..n with no gaps. The unique key on position
-- is checked at the end of each statement (DEFERRABLE), so one UPDATE can shift a run of
-- lessons up or down by one.
CREATE TABLE edu.lessons (
	school_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	course_id uuid NOT NULL,
	position integer NOT NULL CHECK (position >= 1),
	title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	content text NOT NULL DEFAULT '' CHECK (length(content) <= 200000),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	version integer NOT NULL DEFAULT 1,
	PRIMARY KEY (school_id, id),
	CONSTRAINT lessons_position_key UNIQUE (school_id, course_id, position) DEFERRABLE,
	FOREIGN KEY (school_id, course_id) REFERENCES edu.courses (school_id, id) ON DELETE CASCADE
);
CALL edu.enable_tenant_rls('edu.lessons');

-- A row means the student marked the lesson done.
CREATE TABLE edu.lesson_progress (
	school_id uuid NOT NULL,
	lesson_id uuid NOT NULL,
	user_id uuid NOT NULL,
	done_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (school_id, lesson_id, user_id),
	FOREIGN KEY (school_id, lesson_id) REFERENCES edu.lessons (school_id, id) ON DELETE CASCADE,
	FOREIGN KEY (school_id, user_id) REFERENCES edu.users (school_id, id) ON DELETE CASCADE
);
CREATE INDEX lesson_progress_user_idx ON edu.lesson_progress (school_id, user_id, lesson_id);
CALL edu.enable_tenant_rls('edu.lesson_progress');

-- One row per stored upload: its name, type and size as received. The bytes themselves are
-- content-addressed on disk by sha256 (data_dir/files/ab/abcdef...), so rows of the same
-- content, in any school, share them. mime is what libmagic found, never what the client
-- said. Rows are never changed.
CREATE TABLE edu.files (
	school_id uuid NOT NULL REFERENCES edu.schools (id) ON DELETE CASCADE,
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	size bigint NOT NULL CHECK (size >= 0),
	mime text NOT NULL CHECK (length(mime) BETWEEN 1 AND 127),
	filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
	created_by uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (school_id, id),
	FOREIGN KEY (school_id, created_by) REFERENCES edu.users (school_id, id)
		ON DELETE SET NULL (created_by)
);
CREATE INDEX files_sha256_idx ON edu.files (school_id, sha256);
CREATE INDEX files_created_by_idx ON edu.files (school_id, created_by, created_at);
CALL edu.enable_tenant_rls('edu.files');

-- A lesson's attachments. A copied course's lessons point at the same file rows.
CREATE TABLE edu.lesson_attachments (
	school_id uuid NOT NULL,
	lesson_id uuid NOT NULL,
	file_id uuid NOT NULL,
	added_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (school_id, lesson_id, file_id),
	FOREIGN KEY (school_id, lesson_id) REFERENCES edu.lessons (school_id, id) ON DELETE CASCADE,
	FOREIGN KEY (school_id, file_id) REFERENCES edu.files (school_id, id) ON DELETE CASCADE
);
CREATE INDEX lesson_attachments_file_idx ON edu.lesson_attachments (school_id, file_id);
CALL edu.enable_tenant_rls('edu.lesson_attachments');
