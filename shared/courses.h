/*
 * Courses, lessons, assignments, rubrics, submissions and grades (docs/api.md, last
 * section): the model structs with their JSON form, and a typed call for every endpoint.
 *
 * Calls hand the server's sanitised JSON to the caller (who frees it with cJSON_Delete), so
 * --json prints the objects as they came, and tables read them through the structs below.
 * A struct's strings are its own and freed by its _release(); a NULL string is JSON null or
 * absent. _from_json() returns 0, or -1 when j is not such an object (no "id", say).
 *
 *	cJSON *j;
 *	struct edu_assignment a;
 *	if (!edu_assignment_get(api, id, &j, &ei) && !edu_assignment_from_json(&a, j))
 *		...a.title...
 *	edu_assignment_release(&a);
 *	cJSON_Delete(j);
 *
 * Files go up and down streamed (api.h, struct edu_api_xfer): an upload is read from its
 * file piece by piece, a download is written to a temporary file beside its destination,
 * checked against the SHA-256 the server gives, and only then renamed into place.
 */
#ifndef EDU_COURSES_H
#define EDU_COURSES_H

#include <cjson/cJSON.h>

#include "api.h"
#include "coursework.h"
#include "err.h"

struct edu_course {
	char *id;
	char *name;
	char *description;
	char *term;
	char *code;		/* join code: teachers and admins only */
	int archived;
	char *my_role;		/* "teacher", "student", or NULL (an admin who is not a member) */
	char *created_at;
	char *updated_at;
	long version;
};

struct edu_member {
	struct edu_person user;
	char *role;		/* "teacher" or "student" */
	char *added_at;
};

struct edu_lesson {
	char *id;
	char *course_id;
	long position;
	char *title;
	char *content;		/* Markdown */
	struct edu_file *attachments;
	int nattachments;
	int done;		/* students: 0 or 1; -1 when the answer does not say */
	long version;
};

int edu_course_from_json(struct edu_course *c, const cJSON *j);
void edu_course_release(struct edu_course *c);
int edu_member_from_json(struct edu_member *m, const cJSON *j);
void edu_member_release(struct edu_member *m);
int edu_lesson_from_json(struct edu_lesson *l, const cJSON *j);
void edu_lesson_release(struct edu_lesson *l);

/*
 * What a client sends, which is less than the objects it gets back (the server rejects
 * unknown fields): an assignment for POST (everything but id, course_id and version), a
 * rubric for PUT ({"criteria":[{"name","description"?,"levels":[{"name","points"}]}]}).
 */
cJSON *edu_assignment_body(const struct edu_assignment *a);
cJSON *edu_rubric_body(const struct edu_rubric *r);
/* Builds a rubric: adds a criterion (name copied) and returns it; then add its levels. */
struct edu_rubric_criterion *edu_rubric_add_criterion(struct edu_rubric *r, const char *name);
struct edu_rubric_level *edu_rubric_add_level(struct edu_rubric_criterion *c,
					      const char *name, double points);
/* The highest points of each criterion, summed. */
double edu_rubric_max_points(const struct edu_rubric *r);

/* --- calls --------------------------------------------------------------------------- */

/* Courses. all: every course of the school (admins); archived: archived ones. */
enum edu_err edu_courses_list(struct edu_api *api, int all, int archived, cJSON **items,
			      struct edu_errinfo *ei);
enum edu_err edu_course_create(struct edu_api *api, const char *name, const char *description,
			       const char *term, cJSON **course, struct edu_errinfo *ei);
enum edu_err edu_course_get(struct edu_api *api, const char *id, cJSON **course,
			    struct edu_errinfo *ei);
/* PATCH with fields; version NULL: no If-Match. */
enum edu_err edu_course_update(struct edu_api *api, const char *id, const cJSON *fields,
			       const char *version, cJSON **course, struct edu_errinfo *ei);
/* shift_days is sent when has_shift; clear_dates when nonzero; name, term may be NULL. */
enum edu_err edu_course_copy(struct edu_api *api, const char *id, const char *name,
			     const char *term, int has_shift, long shift_days, int clear_dates,
			     cJSON **course, struct edu_errinfo *ei);
/* role may be NULL (every member). */
enum edu_err edu_course_members(struct edu_api *api, const char *id, const char *role,
				cJSON **items, struct edu_errinfo *ei);
/*
 * who is a user id (a UUID) or a user name. *created (may be NULL) is 1 when the user was
 * added, 0 when they were a member already.
 */
enum edu_err edu_course_enrol(struct edu_api *api, const char *id, const char *who,
			      const char *role, cJSON **member, int *created,
			      struct edu_errinfo *ei);
enum edu_err edu_course_unenrol(struct edu_api *api, const char *id, const char *user_id,
				struct edu_errinfo *ei);
enum edu_err edu_course_join(struct edu_api *api, const char *code, cJSON **course,
			     struct edu_errinfo *ei);
enum edu_err edu_course_progress(struct edu_api *api, const char *id, cJSON **items,
				 struct edu_errinfo *ei);
/*
 * Turns an id or a unique prefix of one (at least 8 characters) into the full id (caller
 * frees), looking through the caller's courses. EDU_ERR_NOT_FOUND or EDU_ERR_USAGE (more
 * than one matches) with a message.
 */
enum edu_err edu_course_resolve(struct edu_api *api, const char *idish, char **id,
				struct edu_errinfo *ei);

/* Lessons. */
enum edu_err edu_lessons_list(struct edu_api *api, const char *course_id, cJSON **items,
			      struct edu_errinfo *ei);
/* content may be NULL; position < 0: at the end. */
enum edu_err edu_lesson_create(struct edu_api *api, const char *course_id, const char *title,
			       const char *content, long position, cJSON **lesson,
			       struct edu_errinfo *ei);
enum edu_err edu_lesson_get(struct edu_api *api, const char *id, cJSON **lesson,
			    struct edu_errinfo *ei);
enum edu_err edu_lesson_update(struct edu_api *api, const char *id, const cJSON *fields,
			       const char *version, cJSON **lesson, struct edu_errinfo *ei);
/* Marks a lesson done (done nonzero) or not done. */
enum edu_err edu_lesson_set_done(struct edu_api *api, const char *id, int done,
				 struct edu_errinfo *ei);
/* Uploads the file at path as an attachment named filename (NULL: path's last part). */
enum edu_err edu_lesson_attach(struct edu_api *api, const char *id, const char *path,
			       const char *filename, edu_api_progress_fn *progress,
			       void *progress_arg, cJSON **file, struct edu_errinfo *ei);
/* Downloads an attachment to dest (see edu_download). */
enum edu_err edu_lesson_attachment_get(struct edu_api *api, const char *id,
				       const struct edu_file *f, const char *dest,
				       edu_api_progress_fn *progress, void *progress_arg,
				       struct edu_errinfo *ei);

/* Assignments. */
enum edu_err edu_assignments_list(struct edu_api *api, const char *course_id, cJSON **items,
				  struct edu_errinfo *ei);
/* fields: as edu_assignment_body() makes, or any subset for an update. */
enum edu_err edu_assignment_create(struct edu_api *api, const char *course_id,
				   const cJSON *fields, cJSON **assignment,
				   struct edu_errinfo *ei);
enum edu_err edu_assignment_get(struct edu_api *api, const char *id, cJSON **assignment,
				struct edu_errinfo *ei);
/*
 * PATCH with If-Match version (NULL: none). On 412 (EDU_ERR_CONFLICT) *current (may be
 * NULL) gets the server's current assignment (caller frees).
 */
enum edu_err edu_assignment_update(struct edu_api *api, const char *id, const cJSON *fields,
				   const char *version, cJSON **assignment, cJSON **current,
				   struct edu_errinfo *ei);
/*
 * An assignment id or a unique prefix (at least 8 characters) of one, looked for among
 * the assignments of the caller's courses; as edu_course_resolve().
 */
enum edu_err edu_assignment_resolve(struct edu_api *api, const char *idish, char **id,
				    struct edu_errinfo *ei);
/* A lesson id or a unique prefix (at least 8 characters), as edu_assignment_resolve(). */
enum edu_err edu_lesson_resolve(struct edu_api *api, const char *idish, char **id,
				struct edu_errinfo *ei);

/* Rubrics. */
enum edu_err edu_rubric_get(struct edu_api *api, const char *assignment_id, cJSON **rubric,
			    struct edu_errinfo *ei);
/* body: as edu_rubric_body() makes. */
enum edu_err edu_rubric_put(struct edu_api *api, const char *assignment_id, const cJSON *body,
			    cJSON **rubric, struct edu_errinfo *ei);
enum edu_err edu_rubric_copy(struct edu_api *api, const char *assignment_id,
			     const char *from_assignment_id, cJSON **rubric,
			     struct edu_errinfo *ei);

/* Submissions. */
/* Uploads the file at path for a submission to assignment_id; *file gets the file object. */
enum edu_err edu_upload(struct edu_api *api, const char *assignment_id, const char *path,
			const char *filename, edu_api_progress_fn *progress, void *progress_arg,
			cJSON **file, struct edu_errinfo *ei);
/* text may be NULL; file_ids has nfiles upload ids. */
enum edu_err edu_submission_create(struct edu_api *api, const char *assignment_id,
				   const char *text, const char *const *file_ids, int nfiles,
				   cJSON **submission, struct edu_errinfo *ei);
/* Flags of edu_submissions_list(). */
#define EDU_SUB_UNGRADED     0x1	/* ?ungraded=1 */
#define EDU_SUB_LATE         0x2	/* ?late=1 */
#define EDU_SUB_ALL_ATTEMPTS 0x4	/* ?attempts=all */
enum edu_err edu_submissions_list(struct edu_api *api, const char *assignment_id,
				  unsigned flags, cJSON **items, struct edu_errinfo *ei);
enum edu_err edu_submission_get(struct edu_api *api, const char *id, cJSON **submission,
				struct edu_errinfo *ei);
/*
 * A submission id or a unique prefix (at least 8 characters) of one, looked for among the
 * submissions the caller may read (one request, whatever the number of courses); as
 * edu_course_resolve(), and when more than one matches the message names some of them.
 */
enum edu_err edu_submission_resolve(struct edu_api *api, const char *idish, char **id,
				    struct edu_errinfo *ei);
/* Downloads a file of a submission to dest (see edu_download). */
enum edu_err edu_submission_file_get(struct edu_api *api, const char *submission_id,
				     const struct edu_file *f, const char *dest,
				     edu_api_progress_fn *progress, void *progress_arg,
				     struct edu_errinfo *ei);

/* Grades. */
enum edu_err edu_grade_get(struct edu_api *api, const char *submission_id, cJSON **grade,
			   struct edu_errinfo *ei);
/*
 * PUT a grade with If-Match version (required; "0" for the first grade). body:
 * {"score"?,"excused"?,"late"?,"missing"?,"comment"?,"rubric"?,"released"?}. On 412
 * (EDU_ERR_CONFLICT) *current (may be NULL) gets the grade as it is now.
 */
enum edu_err edu_grade_put(struct edu_api *api, const char *submission_id, const cJSON *body,
			   const char *version, cJSON **grade, cJSON **current,
			   struct edu_errinfo *ei);
/* The same for a student with or without a submission (missing, excused, a score). */
enum edu_err edu_grade_put_student(struct edu_api *api, const char *assignment_id,
				   const char *student_id, const cJSON *body,
				   const char *version, cJSON **grade, cJSON **current,
				   struct edu_errinfo *ei);
enum edu_err edu_grade_history(struct edu_api *api, const char *submission_id, cJSON **items,
			       struct edu_errinfo *ei);
/* Releases every draft grade of an assignment; *released gets how many. */
enum edu_err edu_grades_release(struct edu_api *api, const char *assignment_id,
				long *released, struct edu_errinfo *ei);
/* The caller's released grades, of one course or (course_id NULL) of all. */
enum edu_err edu_grades_mine(struct edu_api *api, const char *course_id, cJSON **items,
			     struct edu_errinfo *ei);

/*
 * GETs path (raw bytes) into dest: written to a temporary file in dest's directory
 * (mode 0600: other people's work stays private on a shared machine), checked against the
 * answer's Digest and against sha256 (hex, may be NULL), then renamed over dest. Nothing
 * is left behind on failure.
 */
enum edu_err edu_download(struct edu_api *api, const char *path, const char *dest,
			  const char *sha256, edu_api_progress_fn *progress, void *progress_arg,
			  struct edu_errinfo *ei);
/*
 * SHA-256 (hex, 65 bytes with the NUL) of the file at path. -1 with errno set when it
 * cannot be read.
 */
int edu_file_sha256(const char *path, char out[65]);

#endif
