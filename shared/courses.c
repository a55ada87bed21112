/*
 * Courses, lessons, assignments, rubrics, submissions and grades: the typed calls,
 * streamed uploads and downloads, and the model of courses, members and lessons (see
 * courses.h).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "buf.h"
#include "courses.h"
#include "model.h"
#include "users.h"
#include "xalloc.h"

/* The shortest id prefix accepted in place of a whole id. */
#define MIN_PREFIX 8
/* How many submissions an ambiguous prefix names. */
#define SUB_NAMED 5

/* --- model --------------------------------------------------------------------------- */

static char *dup_str(const cJSON *j, const char *key)
{
	const char *s = edu_json_str(j, key);

	return s ? xstrdup(s) : NULL;
}

static long get_long(const cJSON *j, const char *key, long def)
{
	double v = edu_json_num(j, key, (double)def);

	return isfinite(v) ? (long)v : def;
}

int edu_course_from_json(struct edu_course *c, const cJSON *j)
{
	memset(c, 0, sizeof(*c));
	if (!cJSON_IsObject(j) || !edu_json_str(j, "id"))
		return -1;
	c->id = dup_str(j, "id");
	c->name = dup_str(j, "name");
	c->description = dup_str(j, "description");
	c->term = dup_str(j, "term");
	c->code = dup_str(j, "code");
	c->archived = edu_json_bool(j, "archived", 0);
	c->my_role = dup_str(j, "my_role");
	c->created_at = dup_str(j, "created_at");
	c->updated_at = dup_str(j, "updated_at");
	c->version = get_long(j, "version", 0);
	return 0;
}

void edu_course_release(struct edu_course *c)
{
	free(c->id);
	free(c->name);
	free(c->description);
	free(c->term);
	free(c->code);
	free(c->my_role);
	free(c->created_at);
	free(c->updated_at);
	memset(c, 0, sizeof(*c));
}

int edu_member_from_json(struct edu_member *m, const cJSON *j)
{
	memset(m, 0, sizeof(*m));
	if (!cJSON_IsObject(j) ||
	    edu_person_from_json(&m->user, cJSON_GetObjectItemCaseSensitive(j, "user")))
		return -1;
	m->role = dup_str(j, "role");
	m->added_at = dup_str(j, "added_at");
	return 0;
}

void edu_member_release(struct edu_member *m)
{
	edu_person_release(&m->user);
	free(m->role);
	free(m->added_at);
	memset(m, 0, sizeof(*m));
}

int edu_lesson_from_json(struct edu_lesson *l, const cJSON *j)
{
	const cJSON *arr, *item;

	memset(l, 0, sizeof(*l));
	if (!cJSON_IsObject(j) || !edu_json_str(j, "id"))
		return -1;
	l->id = dup_str(j, "id");
	l->course_id = dup_str(j, "course_id");
	l->position = get_long(j, "position", 0);
	l->title = dup_str(j, "title");
	l->content = dup_str(j, "content");
	arr = cJSON_GetObjectItemCaseSensitive(j, "attachments");
	if (cJSON_IsArray(arr) && cJSON_GetArraySize(arr) > 0) {
		l->attachments = xcalloc((size_t)cJSON_GetArraySize(arr), sizeof(*l->attachments));
		cJSON_ArrayForEach(item, arr)
			if (!edu_file_from_json(&l->attachments[l->nattachments], item))
				l->nattachments++;
	}
	l->done = edu_json_bool(j, "done", -1);
	l->version = get_long(j, "version", 0);
	return 0;
}

void edu_lesson_release(struct edu_lesson *l)
{
	free(l->id);
	free(l->course_id);
	free(l->title);
	free(l->content);
	for (int i = 0; i < l->nattachments; i++)
		edu_file_release(&l->attachments[i]);
	free(l->attachments);
	memset(l, 0, sizeof(*l));
}

cJSON *edu_assignment_body(const struct edu_assignment *a)
{
	cJSON *j = edu_assignment_to_json(a);

	cJSON_DeleteItemFromObjectCaseSensitive(j, "id");
	cJSON_DeleteItemFromObjectCaseSensitive(j, "course_id");
	cJSON_DeleteItemFromObjectCaseSensitive(j, "version");
	/* unset means the server's default, not "none" */
	if (!a->category)
		cJSON_DeleteItemFromObjectCaseSensitive(j, "category");
	if (!a->submission_kind)
		cJSON_DeleteItemFromObjectCaseSensitive(j, "submission_kind");
	if (!a->late_policy)
		cJSON_DeleteItemFromObjectCaseSensitive(j, "late_policy");
	if (a->max_file_size <= 0)
		cJSON_DeleteItemFromObjectCaseSensitive(j, "max_file_size");
	return j;
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

/* --- calls --------------------------------------------------------------------------- */

/* Appends "?key=value" or "&key=value" (escaped) when value is set. */
static void add_query(struct edu_buf *b, const char *key, const char *value)
{
	char *esc;

	if (!value || !*value)
		return;
	esc = edu_api_escape(value);
	edu_buf_printf(b, "%c%s=%s", strchr(edu_buf_str(b), '?') ? '&' : '?', key, esc);
	free(esc);
}

/* "/PREFIX/ID[SUFFIX]" with the id escaped (caller frees). */
static char *id_path(const char *prefix, const char *id, const char *suffix)
{
	char *esc = edu_api_escape(id);
	char *path = xasprintf("/%s/%s%s", prefix, esc, suffix ? suffix : "");

	free(esc);
	return path;
}

/*
 * One call whose answer the caller takes (out may be NULL). With version, If-Match is
 * sent, and a 412 hands the server's "current" object to *current (when not NULL).
 */
static enum edu_err call_ex(struct edu_api *api, const char *method, const char *path,
			    const cJSON *body, const char *version, cJSON **out,
			    cJSON **current, int *status, struct edu_errinfo *ei)
{
	struct edu_api_xfer x = { .if_match = version };
	struct edu_api_resp resp;
	enum edu_err err;

	if (out)
		*out = NULL;
	if (current)
		*current = NULL;
	err = edu_api_request(api, method, path, body, version ? &x : NULL, 0, &resp, ei);
	if (status)
		*status = resp.status;
	if (!err && out) {
		if (!resp.json)
			err = edu_err_set(ei, EDU_ERR_SERVER, "the answer to %s %s is empty",
					  method, path);
		*out = resp.json;
		resp.json = NULL;
	} else if (err && resp.status == 412 && current) {
		*current = cJSON_DetachItemFromObjectCaseSensitive(resp.json, "current");
	}
	edu_api_resp_release(&resp);
	return err;
}

static enum edu_err call(struct edu_api *api, const char *method, const char *path,
			 const cJSON *body, cJSON **out, struct edu_errinfo *ei)
{
	return call_ex(api, method, path, body, NULL, out, NULL, NULL, ei);
}

/* GET /PREFIX/ID[SUFFIX] */
static enum edu_err get_one(struct edu_api *api, const char *prefix, const char *id,
			    const char *suffix, cJSON **out, struct edu_errinfo *ei)
{
	char *path = id_path(prefix, id, suffix);
	enum edu_err err = call(api, "GET", path, NULL, out, ei);

	free(path);
	return err;
}

/* Every page of GET /PREFIX/ID/SUFFIX. */
static enum edu_err get_list(struct edu_api *api, const char *prefix, const char *id,
			     const char *suffix, cJSON **items, struct edu_errinfo *ei)
{
	char *path = id_path(prefix, id, suffix);
	enum edu_err err = edu_api_get_all(api, path, items, ei);

	free(path);
	return err;
}

enum edu_err edu_courses_list(struct edu_api *api, int all, int archived, cJSON **items,
			      struct edu_errinfo *ei)
{
	struct edu_buf b = EDU_BUF_INIT;
	enum edu_err err;

	edu_buf_adds(&b, "/courses");
	add_query(&b, "all", all ? "1" : NULL);
	add_query(&b, "archived", archived ? "1" : NULL);
	err = edu_api_get_all(api, edu_buf_str(&b), items, ei);
	edu_buf_release(&b);
	return err;
}

enum edu_err edu_course_create(struct edu_api *api, const char *name, const char *description,
			       const char *term, cJSON **course, struct edu_errinfo *ei)
{
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;

	cJSON_AddStringToObject(body, "name", name);
	if (description)
		cJSON_AddStringToObject(body, "description", description);
	if (term)
		cJSON_AddStringToObject(body, "term", term);
	err = call(api, "POST", "/courses", body, course, ei);
	cJSON_Delete(body);
	return err;
}

enum edu_err edu_course_get(struct edu_api *api, const char *id, cJSON **course,
			    struct edu_errinfo *ei)
{
	return get_one(api, "courses", id, NULL, course, ei);
}

enum edu_err edu_course_update(struct edu_api *api, const char *id, const cJSON *fields,
			       const char *version, cJSON **course, struct edu_errinfo *ei)
{
	char *path = id_path("courses", id, NULL);
	enum edu_err err = call_ex(api, "PATCH", path, fields, version, course, NULL, NULL, ei);

	free(path);
	return err;
}

enum edu_err edu_course_copy(struct edu_api *api, const char *id, const char *name,
			     const char *term, int has_shift, long shift_days, int clear_dates,
			     cJSON **course, struct edu_errinfo *ei)
{
	char *path = id_path("courses", id, "/copy");
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;

	if (name)
		cJSON_AddStringToObject(body, "name", name);
	if (term)
		cJSON_AddStringToObject(body, "term", term);
	if (has_shift)
		cJSON_AddNumberToObject(body, "shift_days", (double)shift_days);
	if (clear_dates)
		cJSON_AddBoolToObject(body, "clear_dates", 1);
	err = call(api, "POST", path, body, course, ei);
	cJSON_Delete(body);
	free(path);
	return err;
}

enum edu_err edu_course_members(struct edu_api *api, const char *id, const char *role,
				cJSON **items, struct edu_errinfo *ei)
{
	struct edu_buf b = EDU_BUF_INIT;
	char *path = id_path("courses", id, "/members");
	enum edu_err err;

	edu_buf_adds(&b, path);
	add_query(&b, "role", role);
	err = edu_api_get_all(api, edu_buf_str(&b), items, ei);
	edu_buf_release(&b);
	free(path);
	return err;
}

enum edu_err edu_course_enrol(struct edu_api *api, const char *id, const char *who,
			      const char *role, cJSON **member, int *created,
			      struct edu_errinfo *ei)
{
	char *path = id_path("courses", id, "/members");
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;
	int status = 0;

	cJSON_AddStringToObject(body, edu_is_uuid(who) ? "user_id" : "username", who);
	cJSON_AddStringToObject(body, "role", role ? role : "student");
	err = call_ex(api, "POST", path, body, NULL, member, NULL, &status, ei);
	if (created)
		*created = status == 201;
	cJSON_Delete(body);
	free(path);
	return err;
}

enum edu_err edu_course_unenrol(struct edu_api *api, const char *id, const char *user_id,
				struct edu_errinfo *ei)
{
	char *esc = edu_api_escape(user_id), *suffix = xasprintf("/members/%s", esc);
	char *path = id_path("courses", id, suffix);
	enum edu_err err = call(api, "DELETE", path, NULL, NULL, ei);

	free(path);
	free(suffix);
	free(esc);
	return err;
}

enum edu_err edu_course_join(struct edu_api *api, const char *code, cJSON **course,
			     struct edu_errinfo *ei)
{
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;

	cJSON_AddStringToObject(body, "code", code);
	err = call(api, "POST", "/courses/join", body, course, ei);
	cJSON_Delete(body);
	return err;
}

enum edu_err edu_course_progress(struct edu_api *api, const char *id, cJSON **items,
				 struct edu_errinfo *ei)
{
	return get_list(api, "courses", id, "/progress", items, ei);
}

/* Does id start with prefix (case does not matter in hex)? */
static int id_has_prefix(const char *id, const char *prefix)
{
	return id && !strncasecmp(id, prefix, strlen(prefix));
}

/* Could s start an id: hex digits, with dashes only where a UUID has them? */
static int id_shaped(const char *s)
{
	size_t len = strlen(s);

	if (len > 36)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-'
							      : !isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/*
 * Checks the form of an id or prefix: a whole UUID gives *id at once (returns 1), the
 * start of one at least MIN_PREFIX long returns 0, anything else fails.
 */
static int check_idish(const char *idish, const char *what, char **id, enum edu_err *err,
		       struct edu_errinfo *ei)
{
	*id = NULL;
	if (edu_is_uuid(idish)) {
		*id = xstrdup(idish);
		*err = EDU_ERR_OK;
		return 1;
	}
	if (strlen(idish) < MIN_PREFIX || !id_shaped(idish)) {
		*err = edu_err_set(ei, EDU_ERR_USAGE, "'%s' is not %s id (give the id, or at "
				   "least its first %d characters)", idish, what, MIN_PREFIX);
		return -1;
	}
	return 0;
}

/* Counts the items of list whose "id" starts with prefix; *match gets the last one. */
static int count_prefix(const cJSON *list, const char *prefix, const char **match)
{
	const cJSON *item;
	int n = 0;

	cJSON_ArrayForEach(item, list) {
		const char *id = edu_json_str(item, "id");

		if (id_has_prefix(id, prefix)) {
			if (!*match || strcmp(*match, id))
				n++;
			*match = id;
		}
	}
	return n;
}

enum edu_err edu_course_resolve(struct edu_api *api, const char *idish, char **id,
				struct edu_errinfo *ei)
{
	/* the caller's courses, then archived ones, then (admins) the whole school's */
	static const int tries[][2] = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 } };
	enum edu_err err;
	int n = 0;

	if (check_idish(idish, "a course", id, &err, ei))
		return err;
	for (size_t t = 0; t < sizeof(tries) / sizeof(tries[0]) && !n; t++) {
		const char *match = NULL;
		cJSON *items = NULL;

		err = edu_courses_list(api, tries[t][0], tries[t][1], &items, ei);
		if (err == EDU_ERR_FORBIDDEN || err == EDU_ERR_INVALID)
			continue;
		if (err)
			return err;
		n = count_prefix(items, idish, &match);
		if (n == 1)
			*id = xstrdup(match);
		cJSON_Delete(items);
	}
	if (n == 1)
		return EDU_ERR_OK;
	if (n > 1)
		return edu_err_set(ei, EDU_ERR_USAGE, "'%s' is the start of more than one "
				   "course's id; give more of it", idish);
	return edu_err_set(ei, EDU_ERR_NOT_FOUND, "no course whose id starts with '%s'", idish);
}

enum edu_err edu_lessons_list(struct edu_api *api, const char *course_id, cJSON **items,
			      struct edu_errinfo *ei)
{
	return get_list(api, "courses", course_id, "/lessons", items, ei);
}

enum edu_err edu_lesson_create(struct edu_api *api, const char *course_id, const char *title,
			       const char *content, long position, cJSON **lesson,
			       struct edu_errinfo *ei)
{
	char *path = id_path("courses", course_id, "/lessons");
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;

	cJSON_AddStringToObject(body, "title", title);
	if (content)
		cJSON_AddStringToObject(body, "content", content);
	if (position >= 0)
		cJSON_AddNumberToObject(body, "position", (double)position);
	err = call(api, "POST", path, body, lesson, ei);
	cJSON_Delete(body);
	free(path);
	return err;
}

enum edu_err edu_lesson_get(struct edu_api *api, const char *id, cJSON **lesson,
			    struct edu_errinfo *ei)
{
	return get_one(api, "lessons", id, NULL, lesson, ei);
}

enum edu_err edu_lesson_update(struct edu_api *api, const char *id, const cJSON *fields,
			       const char *version, cJSON **lesson, struct edu_errinfo *ei)
{
	char *path = id_path("lessons", id, NULL);
	enum edu_err err = call_ex(api, "PATCH", path, fields, version, lesson, NULL, NULL, ei);

	free(path);
	return err;
}

enum edu_err edu_lesson_set_done(struct edu_api *api, const char *id, int done,
				 struct edu_errinfo *ei)
{
	char *path = id_path("lessons", id, "/done");
	enum edu_err err = call(api, done ? "POST" : "DELETE", path, NULL, NULL, ei);

	free(path);
	return err;
}

/* POSTs the file at path as a raw body to url (which gets "&filename=..." added). */
static enum edu_err upload(struct edu_api *api, const char *url, const char *path,
			   const char *filename, edu_api_progress_fn *progress,
			   void *progress_arg, cJSON **file, struct edu_errinfo *ei)
{
	struct edu_api_xfer x = { .progress = progress, .progress_arg = progress_arg };
	struct edu_api_resp resp;
	struct edu_buf b = EDU_BUF_INIT;
	char *copy = xstrdup(path);
	enum edu_err err;
	struct stat st;
	FILE *fp;

	*file = NULL;
	fp = fopen(path, "rb");
	if (!fp) {
		err = edu_err_set(ei, EDU_ERR_IO, "cannot open '%s': %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fileno(fp), &st) < 0 || !S_ISREG(st.st_mode)) {
		err = edu_err_set(ei, EDU_ERR_IO, "'%s' is not a regular file", path);
		goto out;
	}
	x.upload = fp;
	x.upload_size = (long long)st.st_size;
	edu_buf_adds(&b, url);
	add_query(&b, "filename", filename ? filename : basename(copy));
	err = edu_api_request(api, "POST", edu_buf_str(&b), NULL, &x, 0, &resp, ei);
	if (!err && !resp.json)
		err = edu_err_set(ei, EDU_ERR_SERVER, "the answer to the upload of '%s' is empty",
				  path);
	if (!err) {
		*file = resp.json;
		resp.json = NULL;
	}
	edu_api_resp_release(&resp);
out:
	if (fp)
		fclose(fp);
	edu_buf_release(&b);
	free(copy);
	return err;
}

enum edu_err edu_lesson_attach(struct edu_api *api, const char *id, const char *path,
			       const char *filename, edu_api_progress_fn *progress,
			       void *progress_arg, cJSON **file, struct edu_errinfo *ei)
{
	char *url = id_path("lessons", id, "/attachments");
	enum edu_err err = upload(api, url, path, filename, progress, progress_arg, file, ei);

	free(url);
	return err;
}

int edu_file_sha256(const char *path, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx;
	ssize_t n;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		fprintf(stderr, "edu: cannot initialise SHA-256\n");
		abort();
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		EVP_DigestUpdate(ctx, buf, (size_t)n);
	saved = errno;
	close(fd);
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	if (n < 0) {
		errno = saved;
		return -1;
	}
	for (unsigned int i = 0; i < 32 && i < mdlen; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[64] = '\0';
	return 0;
}

enum edu_err edu_download(struct edu_api *api, const char *path, const char *dest,
			  const char *sha256, edu_api_progress_fn *progress, void *progress_arg,
			  struct edu_errinfo *ei)
{
	struct edu_api_xfer x = { .progress = progress, .progress_arg = progress_arg };
	struct edu_api_resp resp = { .retry_after = -1 };
	char *dcopy = xstrdup(dest), *bcopy = xstrdup(dest);
	char *tmp = xasprintf("%s/.%s.part-XXXXXX", dirname(dcopy), basename(bcopy));
	enum edu_err err;
	FILE *fp = NULL;
	int fd;

	fd = mkstemp(tmp);
	if (fd < 0) {
		err = edu_err_set(ei, EDU_ERR_IO, "cannot create a file beside '%s': %s", dest,
				  strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	fp = fdopen(fd, "wb");
	if (!fp) {
		close(fd);
		err = edu_err_set(ei, EDU_ERR_IO, "cannot write '%s': %s", tmp, strerror(errno));
		goto out;
	}
	x.download = fp;
	err = edu_api_request(api, "GET", path, NULL, &x, 0, &resp, ei);
	if (err)
		goto out;
	if (sha256 && *sha256 && strcasecmp(sha256, x.sha256)) {
		err = edu_err_set(ei, EDU_ERR_SERVER, "the download of '%s' arrived damaged: its "
				  "SHA-256 is %s, not %s", dest, x.sha256, sha256);
		goto out;
	}
	/* the file must be whole on disk before its name says it is there */
	if (fsync(fileno(fp)) < 0) {
		err = edu_err_set(ei, EDU_ERR_IO, "cannot write '%s': %s", dest, strerror(errno));
		goto out;
	}
	if (fclose(fp) != 0) {
		fp = NULL;
		err = edu_err_set(ei, EDU_ERR_IO, "cannot write '%s': %s", dest, strerror(errno));
		goto out;
	}
	fp = NULL;
	if (rename(tmp, dest) < 0) {
		err = edu_err_set(ei, EDU_ERR_IO, "cannot rename '%s' to '%s': %s", tmp, dest,
				  strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
out:
	if (fp)
		fclose(fp);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	edu_api_resp_release(&resp);
	free(dcopy);
	free(bcopy);
	return err;
}

/* Downloads file f of the object /COLLECTION/ID/KIND/ to dest, checked against its SHA-256. */
static enum edu_err file_get(struct edu_api *api, const char *collection, const char *id,
			     const char *kind, const struct edu_file *f, const char *dest,
			     edu_api_progress_fn *progress, void *progress_arg,
			     struct edu_errinfo *ei)
{
	char *esc = edu_api_escape(f->id), *suffix = xasprintf("/%s/%s", kind, esc);
	char *path = id_path(collection, id, suffix);
	enum edu_err err = edu_download(api, path, dest, f->sha256, progress, progress_arg, ei);

	free(path);
	free(suffix);
	free(esc);
	return err;
}

enum edu_err edu_lesson_attachment_get(struct edu_api *api, const char *id,
				       const struct edu_file *f, const char *dest,
				       edu_api_progress_fn *progress, void *progress_arg,
				       struct edu_errinfo *ei)
{
	return file_get(api, "lessons", id, "attachments", f, dest, progress, progress_arg, ei);
}

enum edu_err edu_assignments_list(struct edu_api *api, const char *course_id, cJSON **items,
				  struct edu_errinfo *ei)
{
	return get_list(api, "courses", course_id, "/assignments", items, ei);
}

enum edu_err edu_assignment_create(struct edu_api *api, const char *course_id,
				   const cJSON *fields, cJSON **assignment,
				   struct edu_errinfo *ei)
{
	char *path = id_path("courses", course_id, "/assignments");
	enum edu_err err = call(api, "POST", path, fields, assignment, ei);

	free(path);
	return err;
}

enum edu_err edu_assignment_get(struct edu_api *api, const char *id, cJSON **assignment,
				struct edu_errinfo *ei)
{
	return get_one(api, "assignments", id, NULL, assignment, ei);
}

enum edu_err edu_assignment_update(struct edu_api *api, const char *id, const cJSON *fields,
				   const char *version, cJSON **assignment, cJSON **current,
				   struct edu_errinfo *ei)
{
	char *path = id_path("assignments", id, NULL);
	enum edu_err err = call_ex(api, "PATCH", path, fields, version, assignment, current,
				   NULL, ei);

	free(path);
	return err;
}

typedef enum edu_err course_items_fn(struct edu_api *api, const char *course_id,
				      cJSON **items, struct edu_errinfo *ei);

/* Counts the items (list_items of each course of one list) whose id starts with idish. */
static int scan_courses(struct edu_api *api, const cJSON *courses, course_items_fn *list_items,
			const char *idish, char **id)
{
	const cJSON *course;
	int n = 0;

	cJSON_ArrayForEach(course, courses) {
		const char *cid = edu_json_str(course, "id"), *m = NULL;
		cJSON *items = NULL;
		int k;

		if (!cid || list_items(api, cid, &items, NULL))
			continue;
		k = count_prefix(items, idish, &m);
		if (k && (!*id || strcmp(*id, m))) {
			n += k;
			free(*id);
			*id = xstrdup(m);
		}
		cJSON_Delete(items);
	}
	return n;
}

/*
 * An id, or a unique prefix of the id of one of the items list_items gives of the caller's
 * courses. what names an item ("lesson"), a_what with its article ("a lesson").
 */
static enum edu_err resolve_in_courses(struct edu_api *api, const char *idish,
				       course_items_fn *list_items, const char *what,
				       const char *a_what, char **id, struct edu_errinfo *ei)
{
	enum edu_err err;
	int n = 0;

	if (check_idish(idish, a_what, id, &err, ei))
		return err;
	/* the caller's courses; then, for admins, every course of the school */
	for (int all = 0; all < 2 && !n; all++) {
		cJSON *courses = NULL;

		err = edu_courses_list(api, all, 0, &courses, ei);
		if (err && all)
			break;
		if (err)
			return err;
		n = scan_courses(api, courses, list_items, idish, id);
		cJSON_Delete(courses);
	}
	if (n == 1)
		return EDU_ERR_OK;
	free(*id);
	*id = NULL;
	if (n > 1)
		return edu_err_set(ei, EDU_ERR_USAGE, "'%s' is the start of more than one "
				   "%s's id; give more of it", idish, what);
	return edu_err_set(ei, EDU_ERR_NOT_FOUND, "no %s whose id starts with '%s' in "
			   "your courses", what, idish);
}

enum edu_err edu_assignment_resolve(struct edu_api *api, const char *idish, char **id,
				    struct edu_errinfo *ei)
{
	return resolve_in_courses(api, idish, edu_assignments_list, "assignment",
				  "an assignment", id, ei);
}

enum edu_err edu_lesson_resolve(struct edu_api *api, const char *idish, char **id,
				struct edu_errinfo *ei)
{
	return resolve_in_courses(api, idish, edu_lessons_list, "lesson", "a lesson", id, ei);
}

enum edu_err edu_rubric_get(struct edu_api *api, const char *assignment_id, cJSON **rubric,
			    struct edu_errinfo *ei)
{
	return get_one(api, "assignments", assignment_id, "/rubric", rubric, ei);
}

enum edu_err edu_rubric_put(struct edu_api *api, const char *assignment_id, const cJSON *body,
			    cJSON **rubric, struct edu_errinfo *ei)
{
	char *path = id_path("assignments", assignment_id, "/rubric");
	enum edu_err err = call(api, "PUT", path, body, rubric, ei);

	free(path);
	return err;
}

enum edu_err edu_rubric_copy(struct edu_api *api, const char *assignment_id,
			     const char *from_assignment_id, cJSON **rubric,
			     struct edu_errinfo *ei)
{
	char *path = id_path("assignments", assignment_id, "/rubric/copy");
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;

	cJSON_AddStringToObject(body, "from", from_assignment_id);
	err = call(api, "POST", path, body, rubric, ei);
	cJSON_Delete(body);
	free(path);
	return err;
}

enum edu_err edu_upload(struct edu_api *api, const char *assignment_id, const char *path,
			const char *filename, edu_api_progress_fn *progress, void *progress_arg,
			cJSON **file, struct edu_errinfo *ei)
{
	struct edu_buf b = EDU_BUF_INIT;
	enum edu_err err;

	edu_buf_adds(&b, "/uploads");
	add_query(&b, "assignment", assignment_id);
	err = upload(api, edu_buf_str(&b), path, filename, progress, progress_arg, file, ei);
	edu_buf_release(&b);
	return err;
}

enum edu_err edu_submission_create(struct edu_api *api, const char *assignment_id,
				   const char *text, const char *const *file_ids, int nfiles,
				   cJSON **submission, struct edu_errinfo *ei)
{
	char *path = id_path("assignments", assignment_id, "/submissions");
	cJSON *body = cJSON_CreateObject();
	enum edu_err err;

	if (text)
		cJSON_AddStringToObject(body, "text", text);
	if (nfiles > 0) {
		cJSON *files = cJSON_AddArrayToObject(body, "files");

		for (int i = 0; i < nfiles; i++)
			cJSON_AddItemToArray(files, cJSON_CreateString(file_ids[i]));
	}
	err = call(api, "POST", path, body, submission, ei);
	cJSON_Delete(body);
	free(path);
	return err;
}

enum edu_err edu_submissions_list(struct edu_api *api, const char *assignment_id,
				  unsigned flags, cJSON **items, struct edu_errinfo *ei)
{
	struct edu_buf b = EDU_BUF_INIT;
	char *path = id_path("assignments", assignment_id, "/submissions");
	enum edu_err err;

	edu_buf_adds(&b, path);
	add_query(&b, "ungraded", flags & EDU_SUB_UNGRADED ? "1" : NULL);
	add_query(&b, "late", flags & EDU_SUB_LATE ? "1" : NULL);
	add_query(&b, "attempts", flags & EDU_SUB_ALL_ATTEMPTS ? "all" : NULL);
	err = edu_api_get_all(api, edu_buf_str(&b), items, ei);
	edu_buf_release(&b);
	free(path);
	return err;
}

enum edu_err edu_submission_resolve(struct edu_api *api, const char *idish, char **id,
				    struct edu_errinfo *ei)
{
	struct edu_buf b = EDU_BUF_INIT, names = EDU_BUF_INIT;
	const cJSON *items, *item;
	cJSON *page = NULL;
	enum edu_err err;
	char limit[16];
	int n = 0;

	if (check_idish(idish, "a submission", id, &err, ei))
		return err;
	/* one more than is named, to tell "these" from "these and more" */
	snprintf(limit, sizeof(limit), "%d", SUB_NAMED + 1);
	edu_buf_adds(&b, "/submissions");
	add_query(&b, "id_prefix", idish);
	add_query(&b, "limit", limit);
	err = call(api, "GET", edu_buf_str(&b), NULL, &page, ei);
	edu_buf_release(&b);
	if (err)
		return err;
	items = cJSON_GetObjectItemCaseSensitive(page, "items");
	cJSON_ArrayForEach(item, items) {
		const char *sid = edu_json_str(item, "id");
		const cJSON *student = cJSON_GetObjectItemCaseSensitive(item, "student");
		const char *who = edu_json_str(student, "username");

		if (!sid)
			continue;
		if (!n++)
			*id = xstrdup(sid);
		if (n <= SUB_NAMED)
			edu_buf_printf(&names, "%s%s (%s, attempt %ld)", n > 1 ? ", " : "", sid,
				       who ? who : "?", get_long(item, "attempt", 0));
	}
	if (n == 1) {
		err = EDU_ERR_OK;
		goto out;
	}
	free(*id);
	*id = NULL;
	if (n > 1)
		err = edu_err_set(ei, EDU_ERR_USAGE, "'%s' is the start of more than one "
				  "submission's id; give more of it: %s%s", idish,
				  edu_buf_str(&names), n > SUB_NAMED ? ", ..." : "");
	else
		err = edu_err_set(ei, EDU_ERR_NOT_FOUND, "no submission whose id starts with "
				  "'%s' among those you may read", idish);
out:
	edu_buf_release(&names);
	cJSON_Delete(page);
	return err;
}

enum edu_err edu_submission_get(struct edu_api *api, const char *id, cJSON **submission,
				struct edu_errinfo *ei)
{
	return get_one(api, "submissions", id, NULL, submission, ei);
}

enum edu_err edu_submission_file_get(struct edu_api *api, const char *submission_id,
				     const struct edu_file *f, const char *dest,
				     edu_api_progress_fn *progress, void *progress_arg,
				     struct edu_errinfo *ei)
{
	return file_get(api, "submissions", submission_id, "files", f, dest, progress,
			progress_arg, ei);
}

enum edu_err edu_grade_get(struct edu_api *api, const char *submission_id, cJSON **grade,
			   struct edu_errinfo *ei)
{
	return get_one(api, "submissions", submission_id, "/grade", grade, ei);
}

enum edu_err edu_grade_put(struct edu_api *api, const char *submission_id, const cJSON *body,
			   const char *version, cJSON **grade, cJSON **current,
			   struct edu_errinfo *ei)
{
	char *path = id_path("submissions", submission_id, "/grade");
	enum edu_err err = call_ex(api, "PUT", path, body, version ? version : "0", grade,
				   current, NULL, ei);

	free(path);
	return err;
}

enum edu_err edu_grade_put_student(struct edu_api *api, const char *assignment_id,
				   const char *student_id, const cJSON *body,
				   const char *version, cJSON **grade, cJSON **current,
				   struct edu_errinfo *ei)
{
	char *esc = edu_api_escape(student_id), *suffix = xasprintf("/grades/%s", esc);
	char *path = id_path("assignments", assignment_id, suffix);
	enum edu_err err = call_ex(api, "PUT", path, body, version ? version : "0", grade,
				   current, NULL, ei);

	free(path);
	free(suffix);
	free(esc);
	return err;
}

enum edu_err edu_grade_history(struct edu_api *api, const char *submission_id, cJSON **items,
			       struct edu_errinfo *ei)
{
	return get_list(api, "submissions", submission_id, "/grade/history", items, ei);
}

enum edu_err edu_grades_release(struct edu_api *api, const char *assignment_id,
				long *released, struct edu_errinfo *ei)
{
	char *path = id_path("assignments", assignment_id, "/release");
	cJSON *answer = NULL;
	enum edu_err err = call(api, "POST", path, NULL, &answer, ei);

	if (!err && released)
		*released = get_long(answer, "released", 0);
	cJSON_Delete(answer);
	free(path);
	return err;
}

enum edu_err edu_grades_mine(struct edu_api *api, const char *course_id, cJSON **items,
			     struct edu_errinfo *ei)
{
	struct edu_buf b = EDU_BUF_INIT;
	enum edu_err err;

	edu_buf_adds(&b, "/grades");
	add_query(&b, "course", course_id);
	err = edu_api_get_all(api, edu_buf_str(&b), items, ei);
	edu_buf_release(&b);
	return err;
}
