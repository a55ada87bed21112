/*
 * Ids as people type them: a whole id, or its first 8 characters or more, looked for among
 * what the caller may read; and the short form lists show. The typed resolve calls of each
 * resource (edu_course_resolve() in courses.h, edu_lesson_resolve()...) are built on these.
 */
#ifndef EDU_LOOKUP_H
#define EDU_LOOKUP_H

#include <cjson/cJSON.h>

#include "api.h"
#include "err.h"

/* The shortest start of an id taken for the id, and what a list shows of one. */
#define EDU_ID_SHORT 8

/* Nonzero when s has the form of a UUID. */
int edu_is_uuid(const char *s);
/*
 * Nonzero when s could be an id or the start of one: at least EDU_ID_SHORT characters,
 * hex digits, with dashes only where a UUID has them.
 */
int edu_id_shaped(const char *s);
/*
 * The id a list's row shows: whole when whole is set (--csv, for scripts), else its first
 * EDU_ID_SHORT characters (in buf); "" for NULL.
 */
const char *edu_id_short(const char *id, int whole, char buf[EDU_ID_SHORT + 1]);

/*
 * The start of a lookup of idish as what ("a course"): a whole UUID gives *id at once
 * (returns 1, *err EDU_ERR_OK); a start of one that is long enough returns 0 (look it up);
 * anything else returns -1 with *err EDU_ERR_USAGE and its message in ei.
 */
int edu_lookup_start(const char *idish, const char *what, char **id, enum edu_err *err,
		     struct edu_errinfo *ei);
/* How many items of list have an "id" starting with prefix; *match gets the last one. */
int edu_lookup_count(const cJSON *list, const char *prefix, const char **match);

/* Lists the items of one course (edu_lessons_list, edu_assignments_list). */
typedef enum edu_err edu_course_items_fn(struct edu_api *api, const char *course_id,
					 cJSON **items, struct edu_errinfo *ei);
/*
 * idish, a whole id or a unique start of the id of one of the items that list_items gives
 * of the caller's courses (then, for admins, of every course of the school). *id gets it
 * (caller frees). what names an item ("lesson"), a_what with its article ("a lesson").
 * EDU_ERR_NOT_FOUND, or EDU_ERR_USAGE when more than one matches, with a message.
 */
enum edu_err edu_lookup_in_courses(struct edu_api *api, const char *idish,
				   edu_course_items_fn *list_items, const char *what,
				   const char *a_what, char **id, struct edu_errinfo *ei);

#endif
