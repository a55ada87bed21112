/* A rubric, both ways, the body that sets one, and building one (see rubric.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "rubric.h"
#include "xalloc.h"

cJSON *edu_rubric_to_json(const struct edu_rubric *r)
{
	cJSON *j = cJSON_CreateObject(), *crit;

	edu_json_add_str(j, "assignment_id", r->assignment_id);
	crit = cJSON_AddArrayToObject(j, "criteria");
	for (int i = 0; i < r->ncriteria; i++) {
		const struct edu_rubric_criterion *c = &r->criteria[i];
		cJSON *cj = cJSON_CreateObject(), *levels;

		edu_json_add_str(cj, "id", c->id);
		edu_json_add_str(cj, "name", c->name);
		edu_json_add_str(cj, "description", c->description);
		cJSON_AddNumberToObject(cj, "position", c->position);
		levels = cJSON_AddArrayToObject(cj, "levels");
		for (int k = 0; k < c->nlevels; k++) {
			const struct edu_rubric_level *l = &c->levels[k];
			cJSON *lj = cJSON_CreateObject();

			edu_json_add_str(lj, "id", l->id);
			edu_json_add_str(lj, "name", l->name);
			cJSON_AddNumberToObject(lj, "points", l->points);
			cJSON_AddNumberToObject(lj, "position", l->position);
			cJSON_AddItemToArray(levels, lj);
		}
		cJSON_AddItemToArray(crit, cj);
	}
	cJSON_AddNumberToObject(j, "version", (double)r->version);
	return j;
}

int edu_rubric_from_json(struct edu_rubric *r, const cJSON *j)
{
	const cJSON *crit, *cj;
	int n;

	memset(r, 0, sizeof(*r));
	if (!cJSON_IsObject(j) || !(crit = edu_json_array(j, "criteria", &n)))
		return -1;
	r->assignment_id = edu_json_strdup(j, "assignment_id");
	r->version = edu_json_long(j, "version", 0);
	r->criteria = n ? xcalloc((size_t)n, sizeof(*r->criteria)) : NULL;
	cJSON_ArrayForEach(cj, crit) {
		struct edu_rubric_criterion *c = &r->criteria[r->ncriteria++];
		const cJSON *levels = edu_json_array(cj, "levels", &n), *lj;

		c->id = edu_json_strdup(cj, "id");
		c->name = edu_json_strdup(cj, "name");
		c->description = edu_json_strdup(cj, "description");
		c->position = (int)edu_json_num(cj, "position", 0);
		c->levels = n ? xcalloc((size_t)n, sizeof(*c->levels)) : NULL;
		cJSON_ArrayForEach(lj, levels) {
			struct edu_rubric_level *l = &c->levels[c->nlevels++];

			l->id = edu_json_strdup(lj, "id");
			l->name = edu_json_strdup(lj, "name");
			l->points = edu_json_num(lj, "points", 0);
			l->position = (int)edu_json_num(lj, "position", 0);
		}
	}
	return 0;
}

void edu_rubric_release(struct edu_rubric *r)
{
	for (int i = 0; i < r->ncriteria; i++) {
		struct edu_rubric_criterion *c = &r->criteria[i];

		for (int k = 0; k < c->nlevels; k++) {
			free(c->levels[k].id);
			free(c->levels[k].name);
		}
		free(c->levels);
		free(c->id);
		free(c->name);
		free(c->description);
	}
	free(r->criteria);
	free(r->assignment_id);
	memset(r, 0, sizeof(*r));
}

cJSON *edu_rubric_body(const struct edu_rubric *r)
{
	cJSON *j = cJSON_CreateObject(), *crit = cJSON_AddArrayToObject(j, "criteria");

	for (int i = 0; i < r->ncriteria; i++) {
		const struct edu_rubric_criterion *c = &r->criteria[i];
		cJSON *cj = cJSON_CreateObject(), *levels;

		cJSON_AddStringToObject(cj, "name", c->name ? c->name : "");
		if (c->description)
			cJSON_AddStringToObject(cj, "description", c->description);
		levels = cJSON_AddArrayToObject(cj, "levels");
		for (int k = 0; k < c->nlevels; k++) {
			cJSON *lj = cJSON_CreateObject();

			cJSON_AddStringToObject(lj, "name", c->levels[k].name ? c->levels[k].name : "");
			cJSON_AddNumberToObject(lj, "points", c->levels[k].points);
			cJSON_AddItemToArray(levels, lj);
		}
		cJSON_AddItemToArray(crit, cj);
	}
	return j;
}

struct edu_rubric_criterion *edu_rubric_add_criterion(struct edu_rubric *r, const char *name)
{
	struct edu_rubric_criterion *c;

	r->criteria = xrealloc(r->criteria, (size_t)(r->ncriteria + 1) * sizeof(*r->criteria));
	c = &r->criteria[r->ncriteria];
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	c->position = r->ncriteria++;
	return c;
}

struct edu_rubric_level *edu_rubric_add_level(struct edu_rubric_criterion *c,
					      const char *name, double points)
{
	struct edu_rubric_level *l;

	c->levels = xrealloc(c->levels, (size_t)(c->nlevels + 1) * sizeof(*c->levels));
	l = &c->levels[c->nlevels];
	memset(l, 0, sizeof(*l));
	l->name = xstrdup(name);
	l->points = points;
	l->position = c->nlevels++;
	return l;
}

double edu_rubric_max_points(const struct edu_rubric *r)
{
	double sum = 0;

	for (int i = 0; i < r->ncriteria; i++) {
		double best = 0;

		for (int k = 0; k < r->criteria[i].nlevels; k++)
			if (k == 0 || r->criteria[i].levels[k].points > best)
				best = r->criteria[i].levels[k].points;
		sum += best;
	}
	return sum;
}

const struct edu_rubric_level *edu_rubric_level(const struct edu_rubric *r,
						const char *criterion_id, const char *level_id,
						const struct edu_rubric_criterion **crit)
{
	*crit = NULL;
	for (int i = 0; r && criterion_id && i < r->ncriteria; i++) {
		const struct edu_rubric_criterion *c = &r->criteria[i];

		if (!c->id || strcmp(c->id, criterion_id))
			continue;
		*crit = c;
		for (int k = 0; level_id && k < c->nlevels; k++)
			if (c->levels[k].id && !strcmp(c->levels[k].id, level_id))
				return &c->levels[k];
	}
	return NULL;
}
