/*
 * An assignment on the wire (docs/api.md, "Assignments"): what edud sends
 * (edu_assignment_to_json) and the clients read (edu_assignment_from_json), with a student's
 * own standing ("mine") or the work handed in ("work", for its teachers) when the answer
 * has them; and the body a client POSTs to create one (edu_assignment_body). Strings and
 * arrays are the struct's own, freed by edu_assignment_release(); a NULL string is JSON
 * null.
 *
 * To add a field: add it to the struct, to _to_json, _from_json and _release, and to
 * docs/api.md.
 */
#ifndef EDU_MODEL_ASSIGNMENT_H
#define EDU_MODEL_ASSIGNMENT_H

#include <cjson/cJSON.h>

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

cJSON *edu_assignment_to_json(const struct edu_assignment *a);
/* Returns 0, or -1 when j is not an assignment (no id or title). */
int edu_assignment_from_json(struct edu_assignment *a, const cJSON *j);
void edu_assignment_release(struct edu_assignment *a);
/*
 * What a client POSTs to create a (the server rejects unknown fields): everything but id,
 * course_id and version, and the fields left unset (NULL, 0) out, for the server's defaults.
 */
cJSON *edu_assignment_body(const struct edu_assignment *a);

#endif
