/* The things arguments name, and finding them (see target.h). */
#include "config.h"

#include <string.h>

#include "assignments.h"
#include "courses.h"
#include "lessons.h"
#include "members.h"
#include "submissions.h"
#include "target.h"
#include "users.h"

static const char *const whats[] = {
	[EDU_TARGET_NONE] = "thing",
#define X(name, what) [EDU_TARGET_##name] = what,
	EDU_TARGET_LIST(X)
#undef X
};

const char *edu_target_what(enum edu_target t)
{
	return t < EDU_TARGET__COUNT ? whats[t] : whats[EDU_TARGET_NONE];
}

int edu_target_could_be(enum edu_target t, const char *word)
{
	if (t == EDU_TARGET_USER || t == EDU_TARGET_MEMBER)
		return 1;
	/* as loose as a typing error allows: the resolver says what is wrong with it */
	return strlen(word) >= 8 && strspn(word, "0123456789abcdefABCDEF-") == strlen(word);
}

enum edu_err edu_target_resolve(enum edu_target t, struct edu_api *api, const char *scope,
				const char *arg, char **id, struct edu_errinfo *ei)
{
	switch (t) {
	case EDU_TARGET_COURSE:
		return edu_course_resolve(api, arg, id, ei);
	case EDU_TARGET_LESSON:
		return edu_lesson_resolve(api, arg, id, ei);
	case EDU_TARGET_ASSIGNMENT:
		return edu_assignment_resolve(api, arg, id, ei);
	case EDU_TARGET_SUBMISSION:
		return edu_submission_resolve(api, arg, id, ei);
	case EDU_TARGET_USER:
		return edu_users_resolve(api, scope, arg, id, ei);
	case EDU_TARGET_MEMBER:
		return edu_member_resolve(api, scope, arg, id, ei);
	case EDU_TARGET_NONE:
	case EDU_TARGET__COUNT:
		break;
	}
	*id = NULL;
	return edu_err_set(ei, EDU_ERR_FAIL, "nothing to look '%s' up as", arg);
}
