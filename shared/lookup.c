/* Ids and their starts, as people type them (see lookup.h). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "courses.h"
#include "lookup.h"
#include "model/json.h"
#include "xalloc.h"

int edu_is_uuid(const char *s)
{
	static const char form[] = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";

	if (strlen(s) != sizeof(form) - 1)
		return 0;
	for (size_t i = 0; form[i]; i++)
		if (form[i] == '-' ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Could s start an id: hex digits, with dashes only where a UUID has them? */
static int id_start(const char *s)
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

int edu_id_shaped(const char *s)
{
	return strlen(s) >= EDU_ID_SHORT && id_start(s);
}

const char *edu_id_short(const char *id, int whole, char buf[EDU_ID_SHORT + 1])
{
	if (!id)
		id = "";
	if (whole)
		return id;
	snprintf(buf, EDU_ID_SHORT + 1, "%s", id);
	return buf;
}

int edu_lookup_start(const char *idish, const char *what, char **id, enum edu_err *err,
		     struct edu_errinfo *ei)
{
	*id = NULL;
	if (edu_is_uuid(idish)) {
		*id = xstrdup(idish);
		*err = EDU_ERR_OK;
		return 1;
	}
	if (!edu_id_shaped(idish)) {
		*err = edu_err_set(ei, EDU_ERR_USAGE, "'%s' is not %s id (give the id, or at "
				   "least its first %d characters)", idish, what, EDU_ID_SHORT);
		return -1;
	}
	return 0;
}

/* Does id start with prefix (case does not matter in hex)? */
static int has_prefix(const char *id, const char *prefix)
{
	return id && !strncasecmp(id, prefix, strlen(prefix));
}

int edu_lookup_count(const cJSON *list, const char *prefix, const char **match)
{
	const cJSON *item;
	int n = 0;

	cJSON_ArrayForEach(item, list) {
		const char *id = edu_json_str(item, "id");

		if (has_prefix(id, prefix)) {
			if (!*match || strcmp(*match, id))
				n++;
			*match = id;
		}
	}
	return n;
}

/* Counts the items (list_items of each course of one list) whose id starts with idish. */
static int scan_courses(struct edu_api *api, const cJSON *courses,
			edu_course_items_fn *list_items, const char *idish, char **id)
{
	const cJSON *course;
	int n = 0;

	cJSON_ArrayForEach(course, courses) {
		const char *cid = edu_json_str(course, "id"), *m = NULL;
		cJSON *items = NULL;
		int k;

		if (!cid || list_items(api, cid, &items, NULL))
			continue;
		k = edu_lookup_count(items, idish, &m);
		if (k && (!*id || strcmp(*id, m))) {
			n += k;
			free(*id);
			*id = xstrdup(m);
		}
		cJSON_Delete(items);
	}
	return n;
}

enum edu_err edu_lookup_in_courses(struct edu_api *api, const char *idish,
				   edu_course_items_fn *list_items, const char *what,
				   const char *a_what, char **id, struct edu_errinfo *ei)
{
	enum edu_err err;
	int n = 0;

	if (edu_lookup_start(idish, a_what, id, &err, ei))
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
