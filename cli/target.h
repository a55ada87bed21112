/*
 * The things a command's arguments name (a course, a lesson, an assignment, a submission, a
 * user, a member of a course), declared on the command (struct edu_cmd .targets) or on an
 * option (OPT_TARGET), and turned into their ids by the dispatcher before the command runs:
 * a whole id, or its first 8 characters or more, looked for among what the caller may see;
 * a user by name.
 *
 * To add a kind: a line in EDU_TARGET_LIST, and the libedu call that finds one in
 * edu_target_resolve().
 */
#ifndef EDU_CLI_TARGET_H
#define EDU_CLI_TARGET_H

#include "api.h"
#include "err.h"

/*         name        what          */
#define EDU_TARGET_LIST(X) \
	X(COURSE,     "course") \
	X(LESSON,     "lesson") \
	X(ASSIGNMENT, "assignment") \
	X(SUBMISSION, "submission") \
	X(USER,       "user") \
	X(MEMBER,     "member")

enum edu_target {
	EDU_TARGET_NONE,
#define X(name, what) EDU_TARGET_##name,
	EDU_TARGET_LIST(X)
#undef X
	EDU_TARGET__COUNT
};

/* "course" */
const char *edu_target_what(enum edu_target t);
/*
 * Could word be one of t's arguments rather than a command's name? For the kinds named by
 * id: at least 8 hex digits and dashes (the start of an id).
 */
int edu_target_could_be(enum edu_target t, const char *word);
/*
 * Turns arg into the id of the t it names (*id, caller frees). scope: for USER the school
 * to look in (NULL: the caller's), for MEMBER the course's id; else unused. Fails with
 * libedu's error in ei.
 */
enum edu_err edu_target_resolve(enum edu_target t, struct edu_api *api, const char *scope,
				const char *arg, char **id, struct edu_errinfo *ei);

#endif
