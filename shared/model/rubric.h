/*
 * An assignment's rubric on the wire (docs/api.md, "Rubrics"): criteria, each with its
 * levels and their points, in order; no criteria when the assignment has none. Also what a
 * client PUTs to set one (edu_rubric_body) and how one is built in memory (a rubric file,
 * say). Strings and arrays are the struct's own, freed by edu_rubric_release().
 */
#ifndef EDU_MODEL_RUBRIC_H
#define EDU_MODEL_RUBRIC_H

#include <cjson/cJSON.h>

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

cJSON *edu_rubric_to_json(const struct edu_rubric *r);
/* Returns 0, or -1 when j is not a rubric (no criteria array). */
int edu_rubric_from_json(struct edu_rubric *r, const cJSON *j);
void edu_rubric_release(struct edu_rubric *r);
/* The body of a PUT: {"criteria":[{"name","description"?,"levels":[{"name","points"}]}]}. */
cJSON *edu_rubric_body(const struct edu_rubric *r);
/* Builds a rubric: adds a criterion (name copied) and returns it; then add its levels. */
struct edu_rubric_criterion *edu_rubric_add_criterion(struct edu_rubric *r, const char *name);
struct edu_rubric_level *edu_rubric_add_level(struct edu_rubric_criterion *c,
					      const char *name, double points);
/* The highest points of each criterion, summed. */
double edu_rubric_max_points(const struct edu_rubric *r);
/*
 * The level level_id of criterion criterion_id in r (which may be NULL), or NULL; *crit
 * gets the criterion, or NULL.
 */
const struct edu_rubric_level *edu_rubric_level(const struct edu_rubric *r,
						const char *criterion_id, const char *level_id,
						const struct edu_rubric_criterion **crit);

#endif
