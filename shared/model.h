/*
 * The wire format, defined once: the model of every resource, for code that uses many of
 * them (edud answers with their _to_json(), the clients read answers with their
 * _from_json()). One file per resource under shared/model/; include the one you need from
 * there when that is all.
 *
 * shared/model/ is plain C over cJSON: it includes nothing but its own headers and
 * shared's utilities (buf, xalloc, safe, err), so edud links it without libcurl or SQLite.
 *
 * To add a resource: write shared/model/NAME.h and NAME.c (its struct, _to_json,
 * _from_json, _release), list them in shared/Makemodule.am and include the header here.
 */
#ifndef EDU_MODEL_H
#define EDU_MODEL_H

#include "model/api_token.h"
#include "model/assignment.h"
#include "model/course.h"
#include "model/file.h"
#include "model/grade.h"
#include "model/json.h"
#include "model/lesson.h"
#include "model/member.h"
#include "model/person.h"
#include "model/rubric.h"
#include "model/school.h"
#include "model/submission.h"
#include "model/user.h"

#endif
