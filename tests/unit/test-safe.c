/*
 * Unit tests of shared/safe.c, the one sanitiser between server text and a terminal: no
 * escape sequence, control character or bidi override may get through, and ordinary
 * text (accents, CJK, emoji) must come through unchanged. Also where it is applied: the
 * API client's answers (shared/api.c) and the tables (shared/output.c).
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "output.h"
#include "safe.h"
#include "tap.h"

/* Sanitises in and compares with want; frees the result. */
static void check(const char *in, int flags, const char *want)
{
	char *got = edu_safe_text(in, flags);

	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
}

static void checkn(const char *in, size_t len, int flags, const char *want)
{
	char *got = edu_safe_textn(in, len, flags);

	CU_ASSERT_STRING_EQUAL(got, want);
	free(got);
}

/* No byte of the result is ESC, another C0 control but '\n', DEL or a C1 control. */
static int has_controls(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if ((*p < 0x20 && *p != '\n') || *p == 0x7F)
			return 1;
		if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
			return 1;
	}
	return 0;
}

static void test_plain_text_unchanged(void)
{
	check("Ada Lovelace", EDU_SAFE_MULTILINE, "Ada Lovelace");
	check("Zoë Ångström — café", EDU_SAFE_ONELINE, "Zoë Ångström — café");
	check("学校 😀 שלום", EDU_SAFE_ONELINE, "学校 😀 שלום");
	check("", EDU_SAFE_MULTILINE, "");
	check(NULL, EDU_SAFE_MULTILINE, "");
	CU_ASSERT(edu_safe_is_clean("Zoë 学校", EDU_SAFE_ONELINE));
	CU_ASSERT(edu_safe_is_clean("two\nlines", EDU_SAFE_MULTILINE));
	CU_ASSERT(!edu_safe_is_clean("two\nlines", EDU_SAFE_ONELINE));
	CU_ASSERT(!edu_safe_is_clean("red\033[31m", EDU_SAFE_MULTILINE));
}

static void test_csi_removed(void)
{
	/* colour, clear screen, cursor movement, private modes: the whole sequence goes */
	check("a\033[31mred\033[0m b", EDU_SAFE_MULTILINE, "ared b");
	check("\033[2J\033[Hhome", EDU_SAFE_MULTILINE, "home");
	check("x\033[?1049hy", EDU_SAFE_MULTILINE, "xy");
	check("x\033[1;2 qy", EDU_SAFE_MULTILINE, "xy");	/* intermediate byte */
	/* the 8-bit CSI (U+009B) too */
	check("a\xc2\x9b" "31mb", EDU_SAFE_MULTILINE, "ab");
	/* a CSI cut off by the end of the text leaves nothing */
	check("end\033[", EDU_SAFE_MULTILINE, "end");
	check("end\033", EDU_SAFE_MULTILINE, "end");
}

static void test_osc_dcs_removed(void)
{
	/* window title, clipboard write, hyperlink: ended by BEL or ST */
	check("a\033]0;evil title\007b", EDU_SAFE_MULTILINE, "ab");
	check("a\033]52;c;ZXZpbA==\033\\b", EDU_SAFE_MULTILINE, "ab");
	check("\033]8;;http://x.invalid\033\\link\033]8;;\033\\", EDU_SAFE_MULTILINE, "link");
	/* DCS, SOS, PM, APC */
	check("a\033P1$r0m\033\\b", EDU_SAFE_MULTILINE, "ab");
	check("a\033Xsos\033\\b\033^pm\033\\c\033_apc\033\\d", EDU_SAFE_MULTILINE, "abcd");
	/* C1 forms: OSC (U+009D) ended by ST (U+009C), DCS (U+0090) */
	check("a\xc2\x9d" "0;t\xc2\x9c" "b", EDU_SAFE_MULTILINE, "ab");
	check("a\xc2\x90" "q\xc2\x9c" "b", EDU_SAFE_MULTILINE, "ab");
	/* an unterminated string swallows the rest rather than letting any of it through */
	check("a\033]0;never ended", EDU_SAFE_MULTILINE, "a");
	/* two-character escapes (ESC c resets the terminal, ESC 7 saves the cursor) */
	check("a\033cb\0337c", EDU_SAFE_MULTILINE, "abc");
	check("a\033(Bb", EDU_SAFE_MULTILINE, "ab");
}

static void test_controls_removed(void)
{
	/* \r and \b would overprint what the user reads */
	check("good\rEVIL", EDU_SAFE_MULTILINE, "goodEVIL");
	check("abc\b\b\bxyz", EDU_SAFE_MULTILINE, "abcxyz");
	check("bell\007 vt\013 ff\014 so\016", EDU_SAFE_MULTILINE, "bell vt ff so");
	check("del\x7f!", EDU_SAFE_MULTILINE, "del!");
	/* C1 controls U+0080..U+009F, e.g. NEL U+0085 and IND U+0084 */
	check("a\xc2\x85" "b\xc2\x84" "c\xc2\x80\xc2\x9f", EDU_SAFE_MULTILINE, "abc");
	/* NUL bytes inside a counted string */
	checkn("a\0b", 3, EDU_SAFE_MULTILINE, "ab");
}

static void test_bidi_removed(void)
{
	/* LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI */
	check("a\u202Ab\u202Bc\u202Cd\u202De\u202Ef", EDU_SAFE_ONELINE, "abcdef");
	check("a\u2066b\u2067c\u2068d\u2069e", EDU_SAFE_ONELINE, "abcde");
	/* the classic trick: a file name that reads "exe.txt" reversed */
	check("invoice\u202Etxt.exe", EDU_SAFE_ONELINE, "invoicetxt.exe");
	/* the marks next to them stay: they are not overrides */
	check("a\u200Fb", EDU_SAFE_ONELINE, "a\u200Fb");
}

static void test_invalid_utf8(void)
{
	/* a stray continuation byte, a lone lead byte, overlongs, surrogates, > U+10FFFF */
	check("a\x80" "b", EDU_SAFE_MULTILINE, "a\uFFFDb");
	check("a\xc3", EDU_SAFE_MULTILINE, "a\uFFFD");
	check("\xc0\xaf", EDU_SAFE_MULTILINE, "\uFFFD\uFFFD");
	check("\xe0\x80\xaf", EDU_SAFE_MULTILINE, "\uFFFD\uFFFD\uFFFD");
	check("\xed\xa0\x80", EDU_SAFE_MULTILINE, "\uFFFD\uFFFD\uFFFD");
	check("\xf4\x90\x80\x80", EDU_SAFE_MULTILINE, "\uFFFD\uFFFD\uFFFD\uFFFD");
	check("\xff\xfe", EDU_SAFE_MULTILINE, "\uFFFD\uFFFD");
	/* a truncated sequence before an ASCII byte: one replacement, the byte kept */
	check("\xe2\x82" "A", EDU_SAFE_MULTILINE, "\uFFFD" "A");
	/* an overlong ESC (C0 9B) cannot smuggle a sequence in */
	check("\xc0\x9b" "31m", EDU_SAFE_MULTILINE, "\uFFFD\uFFFD" "31m");
}

static void test_newlines_and_tabs(void)
{
	check("one\ntwo", EDU_SAFE_MULTILINE, "one\ntwo");
	check("one\ntwo", EDU_SAFE_ONELINE, "one\u23CEtwo");
	check("a\r\nb", EDU_SAFE_ONELINE, "a\u23CEb");
	/* tabs become spaces up to the next multiple of 8 */
	check("\tx", EDU_SAFE_MULTILINE, "        x");
	check("ab\tx", EDU_SAFE_MULTILINE, "ab      x");
	check("a\nb\tx", EDU_SAFE_MULTILINE, "a\nb       x");
}

static void test_hostile_mix(void)
{
	static const char *const nasty[] = {
		"\033]52;c;cm0gLXJmIH4=\007\033[2J\033[3J\r\b\x7f",
		"\xc2\x9b" "6n\xc2\x9d" "0;x\xc2\x9c\xc2\x85\xc2\x8d",
		"\033P+q544e\033\\\033[?2004h\033[>c\033[6n\033Z",
		"\xe2\x80\xae\xe2\x81\xa6\x1b\x1b[\x1b]\x1b\\\x1bP",
	};

	for (size_t i = 0; i < sizeof(nasty) / sizeof(nasty[0]); i++) {
		char *m = edu_safe_text(nasty[i], EDU_SAFE_MULTILINE);
		char *o = edu_safe_text(nasty[i], EDU_SAFE_ONELINE);

		CU_ASSERT(!has_controls(m));
		CU_ASSERT(!has_controls(o));
		CU_ASSERT(strchr(o, '\n') == NULL);
		CU_ASSERT(strstr(m, "\xe2\x80\xae") == NULL);
		/* what comes out is clean: a second pass changes nothing */
		CU_ASSERT(edu_safe_is_clean(m, EDU_SAFE_MULTILINE));
		CU_ASSERT(edu_safe_is_clean(o, EDU_SAFE_ONELINE));
		free(m);
		free(o);
	}
}

/* Where server data enters the client: every key and string of a parsed answer. */
static void test_json_tree(void)
{
	cJSON *j = cJSON_Parse("{\"name\": \"a\\u001b[2Jb\", \"k\\u001b]0;x\\u0007ey\": 1, "
			       "\"list\": [\"ok\", {\"deep\": \"x\\ry\\u202e\"}, 3, null], "
			       "\"multi\": \"one\\ntwo\"}");
	const cJSON *list, *deep;

	CU_ASSERT_PTR_NOT_NULL_FATAL(j);
	edu_json_sanitise(j);
	CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(j, "name")->valuestring, "ab");
	CU_ASSERT_PTR_NOT_NULL(cJSON_GetObjectItem(j, "key"));
	list = cJSON_GetObjectItem(j, "list");
	CU_ASSERT_STRING_EQUAL(cJSON_GetArrayItem(list, 0)->valuestring, "ok");
	deep = cJSON_GetObjectItem(cJSON_GetArrayItem(list, 1), "deep");
	CU_ASSERT_STRING_EQUAL(deep->valuestring, "xy");
	CU_ASSERT_EQUAL(cJSON_GetArrayItem(list, 2)->valueint, 3);
	/* multi-line text keeps its newline; tables make it one line later */
	CU_ASSERT_STRING_EQUAL(cJSON_GetObjectItem(j, "multi")->valuestring, "one\ntwo");
	cJSON_Delete(j);
}

static void test_url_escape(void)
{
	char *e = edu_api_escape("a b&c=d/é?");

	CU_ASSERT_STRING_EQUAL(e, "a%20b%26c%3Dd%2F%C3%A9%3F");
	free(e);
	e = edu_api_escape("Safe-._~09");
	CU_ASSERT_STRING_EQUAL(e, "Safe-._~09");
	free(e);
}

static void test_request_target(void)
{
	struct edu_request req;

	/* a path segment cannot add a segment or a query; values are escaped; none skipped */
	edu_request_init_id(&req, "GET", "/courses", "../x?y", "/members");
	edu_request_query(&req, "role", "a&b=c");
	edu_request_query(&req, "q", NULL);
	edu_request_query(&req, "after", "");
	edu_request_query(&req, "limit", "200");
	edu_request_segment(&req, "z");
	CU_ASSERT_STRING_EQUAL(edu_request_target(&req), "/courses/..%2Fx%3Fy/members/z"
			       "?role=a%26b%3Dc&limit=200");
	edu_request_release(&req);
	edu_request_init(&req, "POST", "/auth/login");
	CU_ASSERT_STRING_EQUAL(edu_request_target(&req), "/auth/login");
	CU_ASSERT_STRING_EQUAL(req.method, "POST");
	edu_request_release(&req);
}

static void test_table_widths(void)
{
	static const char *const head[] = { "NAME", "ROLE" };
	const char *r1[] = { "学校", "teacher" }, *r2[] = { "Zoë", "two\nlines" };
	const char *r3[] = { "\033[31mx", NULL };
	struct edu_out o = { .json = 0, .quiet = 0, .color = 0 };
	struct edu_table *t;
	char *out = NULL;
	size_t len = 0;

	if (!setlocale(LC_CTYPE, "C.UTF-8")) {
		CU_FAIL("the C.UTF-8 locale is missing");
		return;
	}
	CU_ASSERT_EQUAL(edu_display_width("学校"), 4);
	CU_ASSERT_EQUAL(edu_display_width("Zoë"), 3);
	o.fp = open_memstream(&out, &len);
	t = edu_table_new(2, head);
	edu_table_add(t, r1);
	edu_table_add(t, r2);
	edu_table_add(t, r3);
	CU_ASSERT_EQUAL(edu_table_rows(t), 3);
	edu_table_print(t, &o);
	edu_table_free(t);
	fclose(o.fp);
	/* columns line up by display cells; cells are one line and escape-free */
	CU_ASSERT_STRING_EQUAL(out,
		"NAME  ROLE\n"
		"学校  teacher\n"
		"Zoë   two\u23CElines\n"
		"x\n");
	free(out);
	setlocale(LC_CTYPE, "C");
}

static void test_color_choice(void)
{
	FILE *f = tmpfile();

	setenv("NO_COLOR", "1", 1);
	CU_ASSERT_EQUAL(edu_color_wanted("always", 0, f), 0);
	unsetenv("NO_COLOR");
	CU_ASSERT_EQUAL(edu_color_wanted("always", 0, f), 1);
	CU_ASSERT_EQUAL(edu_color_wanted("always", 1, f), 0);
	CU_ASSERT_EQUAL(edu_color_wanted("never", 0, f), 0);
	/* auto: not a terminal, no colour */
	CU_ASSERT_EQUAL(edu_color_wanted("auto", 0, f), 0);
	CU_ASSERT_EQUAL(edu_color_wanted(NULL, 0, f), 0);
	fclose(f);
}

static void check_name(const char *in, const char *want)
{
	char *got = edu_safe_filename(in, "fallback");

	CU_ASSERT_STRING_EQUAL(got, want);
	if (strcmp(got, want))
		fprintf(stderr, "# '%s': got '%s', want '%s'\n", in ? in : "(null)", got, want);
	free(got);
}

static void test_safe_filename(void)
{
	check_name("essay.pdf", "essay.pdf");
	check_name("Zoë Ångström - Essay.pdf", "Zoë Ångström - Essay.pdf");
	/* nothing that leaves the folder or hides in it */
	check_name("../../etc/passwd", "_.._etc_passwd");
	check_name("/etc/passwd", "_etc_passwd");
	check_name("a\\..\\b", "a_.._b");
	check_name("..", "fallback");
	check_name(".", "fallback");
	check_name("...", "fallback");
	check_name(".hidden", "hidden");
	check_name("-rf", "rf");
	check_name("", "fallback");
	check_name(NULL, "fallback");
	/* no escape sequences, control characters or trailing dots and blanks */
	check_name("red\033[31m.txt", "red.txt");
	check_name("two\nlines", "two⏎lines");
	check_name("name. . ", "name");
}

static void test_safe_filename_long(void)
{
	char in[700], *got;

	/* 300 two-byte characters: cut to at most 200 bytes, on a character boundary */
	in[0] = '\0';
	for (int i = 0; i < 300; i++)
		strcat(in, "é");
	got = edu_safe_filename(in, "fallback");
	CU_ASSERT(strlen(got) <= 200);
	CU_ASSERT_EQUAL(strlen(got) % 2, 0);
	CU_ASSERT_EQUAL(strncmp(got, "éé", 4), 0);
	free(got);
}

static void test_invisible_marked(void)
{
	/* a name split by what takes no room is shown split, in a one-line field */
	check("adm\u200Bin", EDU_SAFE_ONELINE, "adm<U+200B>in");
	check("adm\u200Din", EDU_SAFE_ONELINE, "adm<U+200D>in");
	check("adm\u200Cin", EDU_SAFE_ONELINE, "adm<U+200C>in");
	check("adm\u00ADin", EDU_SAFE_ONELINE, "adm<U+00AD>in");
	check("\uFEFFadmin\u2060", EDU_SAFE_ONELINE, "<U+FEFF>admin<U+2060>");
	check("\u3164\u115F", EDU_SAFE_ONELINE, "<U+3164><U+115F>");
	check("a\uFE0Fb", EDU_SAFE_ONELINE, "a<U+FE0F>b");
	check("a\U000E0041", EDU_SAFE_ONELINE, "a<U+E0041>");
	/* two in a row are two marks, and a joiner between two emoji is no joiner of letters */
	check("a\u200D\u200Db", EDU_SAFE_ONELINE, "a<U+200D><U+200D>b");
	check("\u0645\u200B\u062E", EDU_SAFE_ONELINE, "\u0645<U+200B>\u062E");
	/* in text of many lines (a comment, a submission) they are left as they came */
	check("adm\u200Bin", EDU_SAFE_MULTILINE, "adm\u200Bin");
	/* the mark is itself clean: sanitising again changes nothing */
	CU_ASSERT(edu_safe_is_clean("adm<U+200B>in", EDU_SAFE_ONELINE));
	CU_ASSERT(!edu_safe_is_clean("adm\u200Bin", EDU_SAFE_ONELINE));
}

static void test_invisible_in_place(void)
{
	/* emoji sequences: woman technologist, with a skin tone, rainbow flag, keycap, heart */
	check("\U0001F469\u200D\U0001F4BB", EDU_SAFE_ONELINE, "\U0001F469\u200D\U0001F4BB");
	check("\U0001F469\U0001F3FD\u200D\U0001F4BB", EDU_SAFE_ONELINE,
	      "\U0001F469\U0001F3FD\u200D\U0001F4BB");
	check("\U0001F3F3\uFE0F\u200D\U0001F308", EDU_SAFE_ONELINE,
	      "\U0001F3F3\uFE0F\u200D\U0001F308");
	check("1\uFE0F\u20E3 \u2764\uFE0F", EDU_SAFE_ONELINE, "1\uFE0F\u20E3 \u2764\uFE0F");
	/* the flag of England: a black flag and its tags */
	check("\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F",
	      EDU_SAFE_ONELINE,
	      "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F");
	/* Persian "I want" with its ZWNJ, Hindi "ksha" with ZWJ after the virama */
	check("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645", EDU_SAFE_ONELINE,
	      "\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645");
	check("\u0915\u094D\u200D\u0937", EDU_SAFE_ONELINE, "\u0915\u094D\u200D\u0937");
	/* but a joiner between an emoji and a Latin letter hides something */
	check("\U0001F469\u200Dx", EDU_SAFE_ONELINE, "\U0001F469<U+200D>x");
}

static void test_filename_invisible(void)
{
	/* the file names the client writes lose them; those that do a job stay */
	check_name("adm\u200Bin\u00AD.pdf", "admin.pdf");
	check_name("\uFEFFreport\u2060.txt", "report.txt");
	check_name("\U0001F469\u200D\U0001F4BB.txt", "\U0001F469\u200D\U0001F4BB.txt");
	check_name("\u0645\u06CC\u200C\u062E.pdf", "\u0645\u06CC\u200C\u062E.pdf");
	check_name("\u200B", "fallback");
}

static CU_TestInfo safe_tests[] = {
	{ "plain text is unchanged", test_plain_text_unchanged },
	{ "CSI sequences are removed whole", test_csi_removed },
	{ "OSC, DCS and other strings are removed whole", test_osc_dcs_removed },
	{ "C0, DEL and C1 controls are dropped", test_controls_removed },
	{ "bidi overrides and isolates are dropped", test_bidi_removed },
	{ "invalid UTF-8 becomes U+FFFD", test_invalid_utf8 },
	{ "newlines kept or marked, tabs expanded", test_newlines_and_tabs },
	{ "hostile input leaves no control behind", test_hostile_mix },
	{ "server names cannot leave the folder", test_safe_filename },
	{ "long names are cut at a character", test_safe_filename_long },
	{ "invisible characters are shown in one-line fields", test_invisible_marked },
	{ "joiners and selectors that do a job stay", test_invisible_in_place },
	{ "file names lose invisible characters", test_filename_invisible },
	CU_TEST_INFO_NULL
};

static CU_TestInfo output_tests[] = {
	{ "every string of a JSON answer is sanitised", test_json_tree },
	{ "query values are percent-encoded", test_url_escape },
	{ "a request's path and query are built escaped", test_request_target },
	{ "tables align by display width", test_table_widths },
	{ "colour only when wanted", test_color_choice },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "safe", NULL, NULL, NULL, NULL, safe_tests },
	{ "output", NULL, NULL, NULL, NULL, output_tests },
	CU_SUITE_INFO_NULL
};

int main(int argc, char **argv)
{
	return tap_main(argc, argv, suites);
}
