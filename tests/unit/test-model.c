/*
 * The wire format, shared/model/: every object survives JSON and back, nulls stay null, and
 * what edud sends of courses, members and lessons reads back and writes out exactly as it
 * came, so edud can answer with the same _to_json() the clients read with. This program
 * links libedu and cJSON alone: the model needs nothing else (no libcurl, no SQLite).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "tap.h"
#include "xalloc.h"

/* The text of obj's JSON (caller frees); obj is deleted. */
static char *text_of(cJSON *obj)
{
	char *s = cJSON_PrintUnformatted(obj);

	cJSON_Delete(obj);
	return s;
}

static void test_assignment(void)
{
	char *types[] = { "application/pdf", "text/plain" };
	struct edu_assignment a = {
		.id = "a1", .course_id = "c1", .title = "Lab 1", .instructions = "Measure g.",
		.due_at = NULL, .points_possible = 20.5, .category = "labs",
		.submission_kind = "files", .allowed_types = types, .nallowed_types = 2,
		.max_file_size = 4096, .late_policy = "reject", .published = 1, .version = 3,
	};
	struct edu_assignment b;
	char *one = text_of(edu_assignment_to_json(&a)), *two;
	cJSON *j = cJSON_Parse(one);

	CU_ASSERT_PTR_NULL(strstr(one, "\"due_at\":\"")); /* null, not a string */
	CU_ASSERT_PTR_NOT_NULL(strstr(one, "\"due_at\":null"));
	CU_ASSERT_EQUAL_FATAL(edu_assignment_from_json(&b, j), 0);
	CU_ASSERT_PTR_NULL(b.due_at);
	CU_ASSERT_EQUAL(b.nallowed_types, 2);
	CU_ASSERT_STRING_EQUAL(b.allowed_types[1], "text/plain");
	CU_ASSERT_DOUBLE_EQUAL(b.points_possible, 20.5, 1e-9);
	two = text_of(edu_assignment_to_json(&b));
	CU_ASSERT_STRING_EQUAL(one, two);
	edu_assignment_release(&b);
	cJSON_Delete(j);
	free(one);
	free(two);
}

/* A student's "mine" and a teacher's "work" survive JSON and back; absent, they stay NULL. */
static void test_assignment_mine_work(void)
{
	struct edu_assignment_mine m = { .status = "submitted", .attempts = 2,
					 .submitted_at = "2026-12-01T10:00:00Z", .late = 1 };
	struct edu_assignment_work w = { .students = 30, .handed_in = 8, .to_grade = 5 };
	struct edu_assignment a = { .id = "a1", .title = "Lab 1", .mine = &m, .work = &w };
	struct edu_assignment b, c;
	char *one = text_of(edu_assignment_to_json(&a)), *two;
	cJSON *j = cJSON_Parse(one), *k;

	CU_ASSERT_PTR_NOT_NULL(strstr(one, "\"score\":null"));
	CU_ASSERT_EQUAL_FATAL(edu_assignment_from_json(&b, j), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b.mine);
	CU_ASSERT_STRING_EQUAL(b.mine->status, "submitted");
	CU_ASSERT_EQUAL(b.mine->attempts, 2);
	CU_ASSERT(b.mine->late && !b.mine->has_score);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b.work);
	CU_ASSERT_EQUAL(b.work->to_grade, 5);
	two = text_of(edu_assignment_to_json(&b));
	CU_ASSERT_STRING_EQUAL(one, two);
	k = cJSON_Parse("{\"id\":\"a2\",\"title\":\"T\"}");
	CU_ASSERT_EQUAL_FATAL(edu_assignment_from_json(&c, k), 0);
	CU_ASSERT_PTR_NULL(c.mine);
	CU_ASSERT_PTR_NULL(c.work);
	edu_assignment_release(&b);
	edu_assignment_release(&c);
	cJSON_Delete(j);
	cJSON_Delete(k);
	free(one);
	free(two);
}

static void test_assignment_refused(void)
{
	struct edu_assignment a;
	cJSON *j = cJSON_Parse("{\"id\":\"x\"}");

	/* no title: not an assignment */
	CU_ASSERT_EQUAL(edu_assignment_from_json(&a, j), -1);
	cJSON_Delete(j);
	CU_ASSERT_EQUAL(edu_assignment_from_json(&a, NULL), -1);
}

static void test_rubric(void)
{
	struct edu_rubric_level lv[] = { { "l1", "none", 0, 0 }, { "l2", "full", 7.5, 1 } };
	struct edu_rubric_criterion cr[] = { { "c1", "Method", "", 0, lv, 2 } };
	struct edu_rubric r = { "a1", cr, 1, 2 }, back;
	char *one = text_of(edu_rubric_to_json(&r)), *two;
	cJSON *j = cJSON_Parse(one);

	CU_ASSERT_EQUAL_FATAL(edu_rubric_from_json(&back, j), 0);
	CU_ASSERT_EQUAL(back.ncriteria, 1);
	CU_ASSERT_EQUAL(back.criteria[0].nlevels, 2);
	CU_ASSERT_DOUBLE_EQUAL(back.criteria[0].levels[1].points, 7.5, 1e-9);
	two = text_of(edu_rubric_to_json(&back));
	CU_ASSERT_STRING_EQUAL(one, two);
	edu_rubric_release(&back);
	cJSON_Delete(j);
	free(one);
	free(two);
}

static void test_grade_nulls_and_effective(void)
{
	struct edu_rubric_choice ch[] = { { "c1", "l2", 7.5 } };
	struct edu_grade g = {
		.assignment_id = "a1", .student_id = "s1", .has_rubric_score = 1,
		.rubric_score = 7.5, .rubric = ch, .nrubric = 1, .version = 2,
	}, back;
	char *one = text_of(edu_grade_to_json(&g)), *two;
	cJSON *j = cJSON_Parse(one);
	int has;

	CU_ASSERT_PTR_NOT_NULL(strstr(one, "\"score\":null"));
	CU_ASSERT_PTR_NOT_NULL(strstr(one, "\"submission_id\":null"));
	CU_ASSERT_PTR_NOT_NULL(strstr(one, "\"comment\":null"));
	CU_ASSERT_EQUAL_FATAL(edu_grade_from_json(&back, j), 0);
	CU_ASSERT_FALSE(back.has_score);
	CU_ASSERT_TRUE(back.has_rubric_score);
	/* no score of the teacher's: the rubric's counts */
	CU_ASSERT_DOUBLE_EQUAL(edu_grade_effective(&back, &has), 7.5, 1e-9);
	CU_ASSERT_TRUE(has);
	back.has_score = 1;
	back.score = 0;
	CU_ASSERT_DOUBLE_EQUAL(edu_grade_effective(&back, &has), 0, 1e-9);
	back.has_score = 0;
	two = text_of(edu_grade_to_json(&back));
	CU_ASSERT_STRING_EQUAL(one, two);
	edu_grade_release(&back);
	cJSON_Delete(j);
	free(one);
	free(two);
}

static void test_submission_with_grade_and_files(void)
{
	struct edu_file f = { "f1", "report.pdf", 1234, "ab", "application/pdf", "t" };
	struct edu_grade g = { .assignment_id = "a1", .student_id = "s1", .has_score = 1,
			       .score = 15, .released = 1, .version = 1 };
	struct edu_submission s = {
		.id = "s", .assignment_id = "a1", .student = { "s1", "student01", NULL },
		.attempt = 2, .text = NULL, .files = &f, .nfiles = 1, .submitted_at = "t",
		.late = 1, .grade = &g,
	}, back;
	char *one = text_of(edu_submission_to_json(&s)), *two;
	cJSON *j = cJSON_Parse(one);

	CU_ASSERT_EQUAL_FATAL(edu_submission_from_json(&back, j), 0);
	CU_ASSERT_EQUAL(back.attempt, 2);
	CU_ASSERT_EQUAL(back.nfiles, 1);
	CU_ASSERT_EQUAL(back.files[0].size, 1234);
	CU_ASSERT_PTR_NOT_NULL_FATAL(back.grade);
	CU_ASSERT_DOUBLE_EQUAL(back.grade->score, 15, 1e-9);
	CU_ASSERT_PTR_NULL(back.student.display_name);
	two = text_of(edu_submission_to_json(&back));
	CU_ASSERT_STRING_EQUAL(one, two);
	edu_submission_release(&back);
	cJSON_Delete(j);
	free(one);
	free(two);
}

static void test_grade_change(void)
{
	struct edu_grade old = { .assignment_id = "a1", .student_id = "s1", .version = 1 };
	struct edu_grade_change c = {
		.at = "t", .by = { "u1", "teacher1", "Ms T" }, .old = NULL,
		.new_ = { .assignment_id = "a1", .student_id = "s1", .released = 1, .version = 2 },
	}, back;
	char *one, *two;
	cJSON *j;

	one = text_of(edu_grade_change_to_json(&c));
	/* who: id and username, nothing more */
	CU_ASSERT_PTR_NULL(strstr(one, "Ms T"));
	CU_ASSERT_PTR_NOT_NULL(strstr(one, "\"old\":null"));
	free(one);
	c.old = &old;
	one = text_of(edu_grade_change_to_json(&c));
	j = cJSON_Parse(one);
	CU_ASSERT_EQUAL_FATAL(edu_grade_change_from_json(&back, j), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(back.old);
	CU_ASSERT_EQUAL(back.old->version, 1);
	CU_ASSERT_EQUAL(back.new_.version, 2);
	CU_ASSERT_STRING_EQUAL(back.by.username, "teacher1");
	two = text_of(edu_grade_change_to_json(&back));
	CU_ASSERT_STRING_EQUAL(one, two);
	edu_grade_change_release(&back);
	cJSON_Delete(j);
	free(one);
	free(two);
}

/* j's text read with from, written with to, is j's text again; so is the struct's. */
#define ROUND_TRIP(type, text)							\
	do {									\
		struct edu_##type v_, w_;					\
		cJSON *in_ = cJSON_Parse(text);					\
		char *out_, *again_;						\
										\
		CU_ASSERT_PTR_NOT_NULL_FATAL(in_);				\
		CU_ASSERT_EQUAL_FATAL(edu_##type##_from_json(&v_, in_), 0);	\
		out_ = text_of(edu_##type##_to_json(&v_));			\
		CU_ASSERT_STRING_EQUAL(out_, text);				\
		cJSON_Delete(in_);						\
		in_ = cJSON_Parse(out_);					\
		CU_ASSERT_EQUAL_FATAL(edu_##type##_from_json(&w_, in_), 0);	\
		again_ = text_of(edu_##type##_to_json(&w_));			\
		CU_ASSERT_STRING_EQUAL(again_, out_);				\
		cJSON_Delete(in_);						\
		edu_##type##_release(&v_);					\
		edu_##type##_release(&w_);					\
		free(out_);							\
		free(again_);							\
	} while (0)

static void test_course(void)
{
	/* as edud sends it to a student, then to the teacher (with the code), then to an admin */
	ROUND_TRIP(course, "{\"id\":\"c1\",\"name\":\"Physics 1\",\"description\":\"\","
		   "\"term\":\"2026 autumn\",\"code\":null,\"archived\":false,"
		   "\"my_role\":\"student\",\"created_at\":\"2026-01-01T08:00:00Z\","
		   "\"updated_at\":\"2026-01-02T08:00:00Z\",\"version\":3}");
	ROUND_TRIP(course, "{\"id\":\"c1\",\"name\":\"Physics 1\",\"description\":\"Forces\","
		   "\"term\":\"\",\"code\":\"ABCD2345\",\"archived\":true,"
		   "\"my_role\":\"teacher\",\"created_at\":\"2026-01-01T08:00:00Z\","
		   "\"updated_at\":\"2026-01-02T08:00:00Z\",\"version\":12}");
	ROUND_TRIP(course, "{\"id\":\"c1\",\"name\":\"Physics 1\",\"description\":\"\","
		   "\"term\":\"\",\"code\":\"ABCD2345\",\"archived\":false,\"my_role\":null,"
		   "\"created_at\":\"2026-01-01T08:00:00Z\","
		   "\"updated_at\":\"2026-01-01T08:00:00Z\",\"version\":1}");
}

static void test_course_fields(void)
{
	struct edu_course c;
	cJSON *j = cJSON_Parse("{\"id\":\"c1\",\"name\":\"P\",\"archived\":true,\"version\":2}");

	CU_ASSERT_EQUAL_FATAL(edu_course_from_json(&c, j), 0);
	CU_ASSERT_STRING_EQUAL(c.name, "P");
	CU_ASSERT_EQUAL(c.archived, 1);
	CU_ASSERT_EQUAL(c.version, 2);
	CU_ASSERT_PTR_NULL(c.code);
	CU_ASSERT_PTR_NULL(c.my_role);
	edu_course_release(&c);
	cJSON_Delete(j);
	j = cJSON_Parse("{\"name\":\"no id\"}");
	CU_ASSERT_EQUAL(edu_course_from_json(&c, j), -1);
	cJSON_Delete(j);
}

static void test_member(void)
{
	ROUND_TRIP(member, "{\"user\":{\"id\":\"u1\",\"username\":\"ada\",\"display_name\":null},"
		   "\"role\":\"student\",\"added_at\":\"2026-01-01T08:00:00Z\"}");
	ROUND_TRIP(member, "{\"user\":{\"id\":\"u2\",\"username\":\"teacher1\","
		   "\"display_name\":\"Ms T\"},\"role\":\"teacher\","
		   "\"added_at\":\"2026-01-01T08:00:00Z\"}");
	{
		struct edu_member m;
		cJSON *j = cJSON_Parse("{\"role\":\"student\"}");

		/* no user, no member */
		CU_ASSERT_EQUAL(edu_member_from_json(&m, j), -1);
		cJSON_Delete(j);
	}
}

static void test_lesson(void)
{
	/* to a teacher: no "done"; to a student: "done", and attachments in order */
	ROUND_TRIP(lesson, "{\"id\":\"l1\",\"course_id\":\"c1\",\"position\":2,\"title\":\"Newton\","
		   "\"content\":\"\",\"attachments\":[],\"version\":1}");
	ROUND_TRIP(lesson, "{\"id\":\"l1\",\"course_id\":\"c1\",\"position\":1,\"title\":\"Newton\","
		   "\"content\":\"Read this.\\n\\nWhy?\",\"attachments\":[{\"id\":\"f1\","
		   "\"filename\":\"worksheet.txt\",\"size\":38,\"sha256\":\"ab01\","
		   "\"mime\":\"text/plain\",\"created_at\":\"2026-01-01T08:00:00Z\"},"
		   "{\"id\":\"f2\",\"filename\":\"b.pdf\",\"size\":1048576,\"sha256\":\"cd02\","
		   "\"mime\":\"application/pdf\",\"created_at\":\"2026-01-01T08:00:01Z\"}],"
		   "\"done\":true,\"version\":4}");
	ROUND_TRIP(lesson, "{\"id\":\"l1\",\"course_id\":\"c1\",\"position\":1,\"title\":\"T\","
		   "\"content\":\"x\",\"attachments\":[],\"done\":false,\"version\":4}");
}

static void test_lesson_done(void)
{
	struct edu_lesson l;
	cJSON *j = cJSON_Parse("{\"id\":\"l1\",\"title\":\"T\"}");

	CU_ASSERT_EQUAL_FATAL(edu_lesson_from_json(&l, j), 0);
	CU_ASSERT_EQUAL(l.done, -1);
	CU_ASSERT_EQUAL(l.nattachments, 0);
	CU_ASSERT_PTR_NULL(l.attachments);
	edu_lesson_release(&l);
	cJSON_Delete(j);
}

static CU_TestInfo model_tests[] = {
	{ "a course reads and writes back exactly as edud sends it", test_course },
	{ "a course's fields, and an object without id", test_course_fields },
	{ "a member reads and writes back exactly as edud sends it", test_member },
	{ "a lesson reads and writes back exactly as edud sends it", test_lesson },
	{ "a lesson without done says it does not say", test_lesson_done },
	{ "an assignment survives JSON and back, a null due date stays null", test_assignment },
	{ "a student's mine and a teacher's work survive JSON and back", test_assignment_mine_work },
	{ "an object without id or title is not an assignment", test_assignment_refused },
	{ "a rubric survives JSON and back", test_rubric },
	{ "a grade keeps its nulls; the rubric score counts when there is no score",
	  test_grade_nulls_and_effective },
	{ "a submission keeps its files and its grade", test_submission_with_grade_and_files },
	{ "a history entry names who by id and username only", test_grade_change },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "model", NULL, NULL, NULL, NULL, model_tests },
	CU_SUITE_INFO_NULL
};

int main(int argc, char **argv)
{
	return tap_main(argc, argv, suites);
}
