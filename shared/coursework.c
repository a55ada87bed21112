/* The wire format of files, assignments, rubrics, submissions and grades, both ways. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "coursework.h"
#include "model.h"
#include "xalloc.h"

static char *dup_str(const cJSON *j, const char *key)
{
	const char *s = edu_json_str(j, key);

	return s ? xstrdup(s) : NULL;
}

/* A number that may be null: 1 and *out when it is a number, 0 otherwise. */
static int opt_num(const cJSON *j, const char *key, double *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

	*out = cJSON_IsNumber(v) ? v->valuedouble : 0;
	return cJSON_IsNumber(v);
}

static void add_opt_num(cJSON *j, const char *key, int has, double v)
{
	if (has)
		cJSON_AddNumberToObject(j, key, v);
	else
		cJSON_AddNullToObject(j, key);
}

/* The array j[key] (NULL when absent or not an array) and its length in *n. */
static const cJSON *array_of(const cJSON *j, const char *key, int *n)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, key);

	if (!cJSON_IsArray(a)) {
		*n = 0;
		return NULL;
	}
	*n = cJSON_GetArraySize(a);
	return a;
}

double edu_grade_effective(const struct edu_grade *g, int *has)
{
	*has = g->has_score || g->has_rubric_score;
	return g->has_score ? g->score : g->has_rubric_score ? g->rubric_score : 0;
}

/* ---- file ---- */

cJSON *edu_file_to_json(const struct edu_file *f)
{
	cJSON *j = cJSON_CreateObject();

	edu_json_add_str(j, "id", f->id);
	edu_json_add_str(j, "filename", f->filename);
	cJSON_AddNumberToObject(j, "size", (double)f->size);
	edu_json_add_str(j, "sha256", f->sha256);
	edu_json_add_str(j, "mime", f->mime);
	edu_json_add_str(j, "created_at", f->created_at);
	return j;
}

int edu_file_from_json(struct edu_file *f, const cJSON *j)
{
	memset(f, 0, sizeof(*f));
	if (!cJSON_IsObject(j) || !edu_json_str(j, "id"))
		return -1;
	f->id = dup_str(j, "id");
	f->filename = dup_str(j, "filename");
	f->size = (long long)edu_json_num(j, "size", 0);
	f->sha256 = dup_str(j, "sha256");
	f->mime = dup_str(j, "mime");
	f->created_at = dup_str(j, "created_at");
	return 0;
}

void edu_file_release(struct edu_file *f)
{
	free(f->id);
	free(f->filename);
	free(f->sha256);
	free(f->mime);
	free(f->created_at);
	memset(f, 0, sizeof(*f));
}

/* ---- assignment ---- */

cJSON *edu_assignment_to_json(const struct edu_assignment *a)
{
	cJSON *j = cJSON_CreateObject(), *types;

	edu_json_add_str(j, "id", a->id);
	edu_json_add_str(j, "course_id", a->course_id);
	edu_json_add_str(j, "title", a->title);
	edu_json_add_str(j, "instructions", a->instructions);
	edu_json_add_str(j, "due_at", a->due_at);
	cJSON_AddNumberToObject(j, "points_possible", a->points_possible);
	edu_json_add_str(j, "category", a->category);
	edu_json_add_str(j, "submission_kind", a->submission_kind);
	types = cJSON_AddArrayToObject(j, "allowed_types");
	for (int i = 0; i < a->nallowed_types; i++)
		cJSON_AddItemToArray(types, cJSON_CreateString(a->allowed_types[i]));
	cJSON_AddNumberToObject(j, "max_file_size", (double)a->max_file_size);
	edu_json_add_str(j, "late_policy", a->late_policy);
	cJSON_AddBoolToObject(j, "published", a->published);
	cJSON_AddNumberToObject(j, "version", (double)a->version);
	if (a->mine) {
		cJSON *m = cJSON_AddObjectToObject(j, "mine");

		edu_json_add_str(m, "status", a->mine->status);
		cJSON_AddNumberToObject(m, "attempts", a->mine->attempts);
		edu_json_add_str(m, "submitted_at", a->mine->submitted_at);
		cJSON_AddBoolToObject(m, "late", a->mine->late);
		if (a->mine->has_score)
			cJSON_AddNumberToObject(m, "score", a->mine->score);
		else
			cJSON_AddNullToObject(m, "score");
	}
	if (a->work) {
		cJSON *w = cJSON_AddObjectToObject(j, "work");

		cJSON_AddNumberToObject(w, "students", a->work->students);
		cJSON_AddNumberToObject(w, "handed_in", a->work->handed_in);
		cJSON_AddNumberToObject(w, "to_grade", a->work->to_grade);
	}
	return j;
}

int edu_assignment_from_json(struct edu_assignment *a, const cJSON *j)
{
	const cJSON *types, *t, *mine, *work;
	int n;

	memset(a, 0, sizeof(*a));
	if (!cJSON_IsObject(j) || !edu_json_str(j, "id") || !edu_json_str(j, "title"))
		return -1;
	a->id = dup_str(j, "id");
	a->course_id = dup_str(j, "course_id");
	a->title = dup_str(j, "title");
	a->instructions = dup_str(j, "instructions");
	a->due_at = dup_str(j, "due_at");
	a->points_possible = edu_json_num(j, "points_possible", 0);
	a->category = dup_str(j, "category");
	a->submission_kind = dup_str(j, "submission_kind");
	types = array_of(j, "allowed_types", &n);
	a->allowed_types = n ? xcalloc((size_t)n, sizeof(*a->allowed_types)) : NULL;
	cJSON_ArrayForEach(t, types)
		if (cJSON_IsString(t))
			a->allowed_types[a->nallowed_types++] = xstrdup(t->valuestring);
	a->max_file_size = (long long)edu_json_num(j, "max_file_size", 0);
	a->late_policy = dup_str(j, "late_policy");
	a->published = edu_json_bool(j, "published", 0);
	a->version = (long)edu_json_num(j, "version", 0);
	mine = cJSON_GetObjectItemCaseSensitive(j, "mine");
	if (cJSON_IsObject(mine) && edu_json_str(mine, "status")) {
		const cJSON *score = cJSON_GetObjectItemCaseSensitive(mine, "score");

		a->mine = xcalloc(1, sizeof(*a->mine));
		a->mine->status = dup_str(mine, "status");
		a->mine->attempts = (int)edu_json_num(mine, "attempts", 0);
		a->mine->submitted_at = dup_str(mine, "submitted_at");
		a->mine->late = edu_json_bool(mine, "late", 0);
		if ((a->mine->has_score = cJSON_IsNumber(score)))
			a->mine->score = score->valuedouble;
	}
	work = cJSON_GetObjectItemCaseSensitive(j, "work");
	if (cJSON_IsObject(work)) {
		a->work = xcalloc(1, sizeof(*a->work));
		a->work->students = (int)edu_json_num(work, "students", 0);
		a->work->handed_in = (int)edu_json_num(work, "handed_in", 0);
		a->work->to_grade = (int)edu_json_num(work, "to_grade", 0);
	}
	return 0;
}

void edu_assignment_release(struct edu_assignment *a)
{
	free(a->id);
	free(a->course_id);
	free(a->title);
	free(a->instructions);
	free(a->due_at);
	free(a->category);
	free(a->submission_kind);
	for (int i = 0; i < a->nallowed_types; i++)
		free(a->allowed_types[i]);
	free(a->allowed_types);
	free(a->late_policy);
	if (a->mine) {
		free(a->mine->status);
		free(a->mine->submitted_at);
		free(a->mine);
	}
	free(a->work);
	memset(a, 0, sizeof(*a));
}

/* ---- rubric ---- */

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
	if (!cJSON_IsObject(j) || !(crit = array_of(j, "criteria", &n)))
		return -1;
	r->assignment_id = dup_str(j, "assignment_id");
	r->version = (long)edu_json_num(j, "version", 0);
	r->criteria = n ? xcalloc((size_t)n, sizeof(*r->criteria)) : NULL;
	cJSON_ArrayForEach(cj, crit) {
		struct edu_rubric_criterion *c = &r->criteria[r->ncriteria++];
		const cJSON *levels = array_of(cj, "levels", &n), *lj;

		c->id = dup_str(cj, "id");
		c->name = dup_str(cj, "name");
		c->description = dup_str(cj, "description");
		c->position = (int)edu_json_num(cj, "position", 0);
		c->levels = n ? xcalloc((size_t)n, sizeof(*c->levels)) : NULL;
		cJSON_ArrayForEach(lj, levels) {
			struct edu_rubric_level *l = &c->levels[c->nlevels++];

			l->id = dup_str(lj, "id");
			l->name = dup_str(lj, "name");
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

/* ---- grade ---- */

cJSON *edu_grade_to_json(const struct edu_grade *g)
{
	cJSON *j = cJSON_CreateObject(), *rubric;

	edu_json_add_str(j, "assignment_id", g->assignment_id);
	edu_json_add_str(j, "student_id", g->student_id);
	edu_json_add_str(j, "submission_id", g->submission_id);
	add_opt_num(j, "score", g->has_score, g->score);
	add_opt_num(j, "rubric_score", g->has_rubric_score, g->rubric_score);
	cJSON_AddBoolToObject(j, "excused", g->excused);
	cJSON_AddBoolToObject(j, "late", g->late);
	cJSON_AddBoolToObject(j, "missing", g->missing);
	edu_json_add_str(j, "comment", g->comment);
	rubric = cJSON_AddArrayToObject(j, "rubric");
	for (int i = 0; i < g->nrubric; i++) {
		cJSON *c = cJSON_CreateObject();

		edu_json_add_str(c, "criterion_id", g->rubric[i].criterion_id);
		edu_json_add_str(c, "level_id", g->rubric[i].level_id);
		cJSON_AddNumberToObject(c, "points", g->rubric[i].points);
		cJSON_AddItemToArray(rubric, c);
	}
	cJSON_AddBoolToObject(j, "released", g->released);
	edu_json_add_str(j, "graded_by", g->graded_by);
	edu_json_add_str(j, "graded_at", g->graded_at);
	cJSON_AddNumberToObject(j, "version", (double)g->version);
	return j;
}

int edu_grade_from_json(struct edu_grade *g, const cJSON *j)
{
	const cJSON *rubric, *c;
	int n;

	memset(g, 0, sizeof(*g));
	if (!cJSON_IsObject(j) || !edu_json_str(j, "assignment_id") ||
	    !edu_json_str(j, "student_id"))
		return -1;
	g->assignment_id = dup_str(j, "assignment_id");
	g->student_id = dup_str(j, "student_id");
	g->submission_id = dup_str(j, "submission_id");
	g->has_score = opt_num(j, "score", &g->score);
	g->has_rubric_score = opt_num(j, "rubric_score", &g->rubric_score);
	g->excused = edu_json_bool(j, "excused", 0);
	g->late = edu_json_bool(j, "late", 0);
	g->missing = edu_json_bool(j, "missing", 0);
	g->comment = dup_str(j, "comment");
	rubric = array_of(j, "rubric", &n);
	g->rubric = n ? xcalloc((size_t)n, sizeof(*g->rubric)) : NULL;
	cJSON_ArrayForEach(c, rubric) {
		struct edu_rubric_choice *rc = &g->rubric[g->nrubric++];

		rc->criterion_id = dup_str(c, "criterion_id");
		rc->level_id = dup_str(c, "level_id");
		rc->points = edu_json_num(c, "points", 0);
	}
	g->released = edu_json_bool(j, "released", 0);
	g->graded_by = dup_str(j, "graded_by");
	g->graded_at = dup_str(j, "graded_at");
	g->version = (long)edu_json_num(j, "version", 0);
	return 0;
}

void edu_grade_release(struct edu_grade *g)
{
	free(g->assignment_id);
	free(g->student_id);
	free(g->submission_id);
	free(g->comment);
	for (int i = 0; i < g->nrubric; i++) {
		free(g->rubric[i].criterion_id);
		free(g->rubric[i].level_id);
	}
	free(g->rubric);
	free(g->graded_by);
	free(g->graded_at);
	memset(g, 0, sizeof(*g));
}

/* ---- person ---- */

cJSON *edu_person_to_json(const struct edu_person *p)
{
	cJSON *j = cJSON_CreateObject();

	edu_json_add_str(j, "id", p->id);
	edu_json_add_str(j, "username", p->username);
	edu_json_add_str(j, "display_name", p->display_name);
	return j;
}

int edu_person_from_json(struct edu_person *p, const cJSON *j)
{
	memset(p, 0, sizeof(*p));
	if (!cJSON_IsObject(j) || !edu_json_str(j, "id"))
		return -1;
	p->id = dup_str(j, "id");
	p->username = dup_str(j, "username");
	p->display_name = dup_str(j, "display_name");
	return 0;
}

void edu_person_release(struct edu_person *p)
{
	free(p->id);
	free(p->username);
	free(p->display_name);
	memset(p, 0, sizeof(*p));
}

/* ---- submission ---- */

cJSON *edu_submission_to_json(const struct edu_submission *s)
{
	cJSON *j = cJSON_CreateObject(), *files;

	edu_json_add_str(j, "id", s->id);
	edu_json_add_str(j, "assignment_id", s->assignment_id);
	cJSON_AddItemToObject(j, "student", edu_person_to_json(&s->student));
	cJSON_AddNumberToObject(j, "attempt", s->attempt);
	edu_json_add_str(j, "text", s->text);
	files = cJSON_AddArrayToObject(j, "files");
	for (int i = 0; i < s->nfiles; i++)
		cJSON_AddItemToArray(files, edu_file_to_json(&s->files[i]));
	edu_json_add_str(j, "submitted_at", s->submitted_at);
	cJSON_AddBoolToObject(j, "late", s->late);
	if (s->grade)
		cJSON_AddItemToObject(j, "grade", edu_grade_to_json(s->grade));
	else
		cJSON_AddNullToObject(j, "grade");
	return j;
}

int edu_submission_from_json(struct edu_submission *s, const cJSON *j)
{
	const cJSON *files, *f, *g;
	int n;

	memset(s, 0, sizeof(*s));
	if (!cJSON_IsObject(j) || !edu_json_str(j, "id") ||
	    edu_person_from_json(&s->student, cJSON_GetObjectItemCaseSensitive(j, "student")) < 0)
		return -1;
	s->id = dup_str(j, "id");
	s->assignment_id = dup_str(j, "assignment_id");
	s->attempt = (int)edu_json_num(j, "attempt", 0);
	s->text = dup_str(j, "text");
	files = array_of(j, "files", &n);
	s->files = n ? xcalloc((size_t)n, sizeof(*s->files)) : NULL;
	cJSON_ArrayForEach(f, files)
		if (edu_file_from_json(&s->files[s->nfiles], f) == 0)
			s->nfiles++;
	s->submitted_at = dup_str(j, "submitted_at");
	s->late = edu_json_bool(j, "late", 0);
	g = cJSON_GetObjectItemCaseSensitive(j, "grade");
	if (cJSON_IsObject(g)) {
		s->grade = xmalloc(sizeof(*s->grade));
		if (edu_grade_from_json(s->grade, g) < 0) {
			free(s->grade);
			s->grade = NULL;
		}
	}
	return 0;
}

void edu_submission_release(struct edu_submission *s)
{
	free(s->id);
	free(s->assignment_id);
	edu_person_release(&s->student);
	free(s->text);
	for (int i = 0; i < s->nfiles; i++)
		edu_file_release(&s->files[i]);
	free(s->files);
	free(s->submitted_at);
	if (s->grade) {
		edu_grade_release(s->grade);
		free(s->grade);
	}
	memset(s, 0, sizeof(*s));
}

/* ---- grade history ---- */

cJSON *edu_grade_change_to_json(const struct edu_grade_change *c)
{
	cJSON *j = cJSON_CreateObject(), *by = cJSON_CreateObject();

	edu_json_add_str(j, "at", c->at);
	edu_json_add_str(by, "id", c->by.id);
	edu_json_add_str(by, "username", c->by.username);
	cJSON_AddItemToObject(j, "by", by);
	if (c->old)
		cJSON_AddItemToObject(j, "old", edu_grade_to_json(c->old));
	else
		cJSON_AddNullToObject(j, "old");
	cJSON_AddItemToObject(j, "new", edu_grade_to_json(&c->new_));
	return j;
}

int edu_grade_change_from_json(struct edu_grade_change *c, const cJSON *j)
{
	const cJSON *old;

	memset(c, 0, sizeof(*c));
	if (!cJSON_IsObject(j) ||
	    edu_grade_from_json(&c->new_, cJSON_GetObjectItemCaseSensitive(j, "new")) < 0)
		return -1;
	c->at = dup_str(j, "at");
	edu_person_from_json(&c->by, cJSON_GetObjectItemCaseSensitive(j, "by"));
	old = cJSON_GetObjectItemCaseSensitive(j, "old");
	if (cJSON_IsObject(old)) {
		c->old = xmalloc(sizeof(*c->old));
		if (edu_grade_from_json(c->old, old) < 0) {
			free(c->old);
			c->old = NULL;
		}
	}
	return 0;
}

void edu_grade_change_release(struct edu_grade_change *c)
{
	free(c->at);
	edu_person_release(&c->by);
	if (c->old) {
		edu_grade_release(c->old);
		free(c->old);
	}
	edu_grade_release(&c->new_);
	memset(c, 0, sizeof(*c));
}
