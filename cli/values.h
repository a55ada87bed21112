/*
 * The values options and arguments of several families take, declared once: the checks
 * and the completion read them, and the help lists their words.
 */
#ifndef EDU_CLI_VALUES_H
#define EDU_CLI_VALUES_H

#include "opts.h"

/* A user's role: student, teacher, admin, school_admin, super_admin (shared/model/user.h). */
extern const struct edu_values edu_values_role;
/* A role in a course: student or teacher. */
extern const struct edu_values edu_values_course_role;
/* A personal API token's scope: read or write (shared/model/api_token.h). */
extern const struct edu_values edu_values_scope;
/* A profile's name: any valid one; the configuration's are offered. */
extern const struct edu_values edu_values_profile;
/* A key of a profile's settings (shared/clientconfig.h). */
extern const struct edu_values edu_values_config_key;

#endif
