/*
 * A grade on the wire (docs/api.md, "Grading"): one per assignment and student, with the
 * rubric levels chosen, and an entry of a grade's history (who changed it, when, from what
 * to what). Numbers that may be null (a score) carry a has_ flag. Strings and arrays are
 * the struct's own, freed by the matching _release().
 */
#ifndef EDU_MODEL_GRADE_H
#define EDU_MODEL_GRADE_H

#include <cjson/cJSON.h>

#include "person.h"

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

/* An entry of a grade's history: who changed it, when, from what to what. */
struct edu_grade_change {
	char *at;
	struct edu_person by;		/* its display_name is not sent */
	struct edu_grade *old;		/* NULL: there was no grade */
	struct edu_grade new_;
};

/* The score that counts: score, else rubric_score; 0 when neither (*has set to 0). */
double edu_grade_effective(const struct edu_grade *g, int *has);

cJSON *edu_grade_to_json(const struct edu_grade *g);
/* Returns 0, or -1 when j is not a grade (no assignment_id or student_id). */
int edu_grade_from_json(struct edu_grade *g, const cJSON *j);
void edu_grade_release(struct edu_grade *g);

cJSON *edu_grade_change_to_json(const struct edu_grade_change *c);
/* Returns 0, or -1 when j is not a change (no "new" grade). */
int edu_grade_change_from_json(struct edu_grade_change *c, const cJSON *j);
void edu_grade_change_release(struct edu_grade_change *c);

#endif
