/*
 * The wire format of course work (docs/api.md, "Courses, lessons, assignments, submissions
 * and grading"): files, assignments, rubrics, submissions, grades and grade history, as
 * plain structs and their JSON, in both directions. edud answers with edu_*_to_json(); the
 * clients read answers with edu_*_from_json().
 *
 * Every string and array is owned by its struct and freed by the matching _release(); a
 * NULL string is JSON null. Numbers that may be null (a score) carry a has_ flag.
 *
 * To add a field: add it to the struct, to _to_json, _from_json and _release, and to
 * docs/api.md.
 */
#ifndef EDU_COURSEWORK_H
#define EDU_COURSEWORK_H

#include <cjson/cJSON.h>

/* A stored file: {"id","filename","size","sha256","mime","created_at"}. */
struct edu_file {
	char *id;
	char *filename;
	long long size;
	char *sha256;		/* hex */
	char *mime;		/* as libmagic found it */
	char *created_at;
};

/*
 * A student's own standing on an assignment, in the list they read (nobody else gets it):
 * {"status","attempts","submitted_at"|null,"late","score"|null}.
 */
struct edu_assignment_mine {
	char *status;		/* "todo", "overdue", "submitted", "graded", "excused", "missing" */
	int attempts;		/* handed in so far; 0: none */
	char *submitted_at;	/* the latest attempt's; NULL: none */
	int late;		/* the latest attempt was late */
	int has_score;
	double score;		/* of the grade, once it is released */
};

/*
 * The work handed in for an assignment, in the list its course's teachers read (nobody else
 * gets it): {"students","handed_in","to_grade"}.
 */
struct edu_assignment_work {
	int students;		/* the course's students */
	int handed_in;		/* students who handed something in */
	int to_grade;		/* latest attempts without a grade of their own */
};

struct edu_assignment {
	char *id;
	char *course_id;
	char *title;
	char *instructions;
	char *due_at;			/* NULL: no due date */
	double points_possible;
	char *category;
	char *submission_kind;		/* "text", "files" or "both" */
	char **allowed_types;		/* MIME types; none: any type */
	int nallowed_types;
	long long max_file_size;	/* bytes */
	char *late_policy;		/* "accept" or "reject" */
	int published;
	long version;
	struct edu_assignment_mine *mine;	/* "mine": NULL but in a student's list */
	struct edu_assignment_work *work;	/* "work": NULL but in a teacher's list */
};

struct edu_rubric_level {
	char *id;
	char *name;
	double points;
	int position;
};

struct edu_rubric_criterion {
	char *id;
	char *name;
	char *description;
	int position;
	struct edu_rubric_level *levels;
	int nlevels;
};

/* An assignment's rubric; no criteria when it has none. */
struct edu_rubric {
	char *assignment_id;
	struct edu_rubric_criterion *criteria;
	int ncriteria;
	long version;
};

/* The level chosen for one criterion, and its points. */
struct edu_rubric_choice {
	char *criterion_id;
	char *level_id;
	double points;
};

/* One grade per assignment and student; version 0: not graded yet. */
struct edu_grade {
	char *assignment_id;
	char *student_id;
	char *submission_id;		/* the attempt graded; NULL: none */
	int has_score;
	double score;			/* the teacher's number */
	int has_rubric_score;
	double rubric_score;		/* the sum of the chosen levels' points */
	int excused;
	int late;
	int missing;
	char *comment;			/* NULL: none */
	struct edu_rubric_choice *rubric;
	int nrubric;
	int released;
	char *graded_by;		/* user id; NULL: not graded yet */
	char *graded_at;
	long version;
};

/* A user as other objects name them: {"id","username","display_name"}. */
struct edu_person {
	char *id;
	char *username;
	char *display_name;	/* NULL: none */
};

struct edu_submission {
	char *id;
	char *assignment_id;
	struct edu_person student;
	int attempt;			/* 1, 2, ... */
	char *text;			/* NULL: none */
	struct edu_file *files;
	int nfiles;
	char *submitted_at;
	int late;
	struct edu_grade *grade;	/* NULL: none (or, to a student, not released) */
};

/* An entry of a grade's history: who changed it, when, from what to what. */
struct edu_grade_change {
	char *at;
	struct edu_person by;		/* its display_name is not sent */
	struct edu_grade *old;		/* NULL: there was no grade */
	struct edu_grade new_;
};

/* The score that counts: score, else rubric_score; 0 when neither (*has set to 0). */
double edu_grade_effective(const struct edu_grade *g, int *has);

cJSON *edu_file_to_json(const struct edu_file *f);
int edu_file_from_json(struct edu_file *f, const cJSON *j);
void edu_file_release(struct edu_file *f);

cJSON *edu_assignment_to_json(const struct edu_assignment *a);
/* Returns 0, or -1 when j is not an assignment (no id or title). */
int edu_assignment_from_json(struct edu_assignment *a, const cJSON *j);
void edu_assignment_release(struct edu_assignment *a);

cJSON *edu_rubric_to_json(const struct edu_rubric *r);
int edu_rubric_from_json(struct edu_rubric *r, const cJSON *j);
void edu_rubric_release(struct edu_rubric *r);

cJSON *edu_grade_to_json(const struct edu_grade *g);
int edu_grade_from_json(struct edu_grade *g, const cJSON *j);
void edu_grade_release(struct edu_grade *g);

cJSON *edu_person_to_json(const struct edu_person *p);
int edu_person_from_json(struct edu_person *p, const cJSON *j);
void edu_person_release(struct edu_person *p);

cJSON *edu_submission_to_json(const struct edu_submission *s);
int edu_submission_from_json(struct edu_submission *s, const cJSON *j);
void edu_submission_release(struct edu_submission *s);

cJSON *edu_grade_change_to_json(const struct edu_grade_change *c);
int edu_grade_change_from_json(struct edu_grade_change *c, const cJSON *j);
void edu_grade_change_release(struct edu_grade_change *c);

#endif
