/* Times, sizes, numbers, scores and grade changes as people read them (see format.h). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "rubricfile.h"
#include "safe.h"
#include "xalloc.h"

/* 1 when day d is in month mo (1-12) of year y: no 2027-04-31, no 2027-02-29. */
static int real_day(int y, int mo, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (mo < 1 || mo > 12 || d < 1)
		return 0;
	return d <= mdays[mo - 1] + (mo == 2 && leap);
}

/* Seconds since the epoch of an RFC 3339 time; -1 when it is not one. */
static time_t parse_rfc3339(const char *s)
{
	struct tm tm = { 0 };
	int n = 0, oh = 0, om = 0;
	char sign;
	time_t t;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6)
		return -1;
	s += n;
	/* timegm() would roll 2027-02-30 over to March: a day that does not exist is no time */
	if (!real_day(tm.tm_year, tm.tm_mon, tm.tm_mday) || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60)
		return -1;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	if (*s == 'Z' || *s == 'z')
		return s[1] ? -1 : t;
	if ((*s == '+' || *s == '-') && sscanf(s, "%c%2d:%2d%n", &sign, &oh, &om, &n) == 3 &&
	    !s[n])
		return sign == '+' ? t - (oh * 3600 + om * 60) : t + (oh * 3600 + om * 60);
	return -1;
}

const char *edu_fmt_time(const char *rfc3339, char buf[64])
{
	time_t t;
	struct tm tm;

	if (!rfc3339)
		return "";
	t = parse_rfc3339(rfc3339);
	if (t == (time_t)-1 || !localtime_r(&t, &tm) ||
	    !strftime(buf, 64, "%Y-%m-%d %H:%M", &tm))
		return rfc3339;
	return buf;
}

int edu_parse_time(const char *s, char **out)
{
	struct tm tm = { 0 };
	int n = 0, y, mo, d, h = 23, mi = 59;
	char sep;
	time_t t;

	*out = NULL;
	t = parse_rfc3339(s);
	if (t == (time_t)-1) {
		if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
			return -1;
		/* the form is right, the day is not one: say so rather than "not a date" */
		if (mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && !real_day(y, mo, d))
			return -2;
		if (s[n]) {
			int m = 0;

			if (sscanf(s + n, "%c%2d:%2d%n", &sep, &h, &mi, &m) != 3 || s[n + m] ||
			    (sep != ' ' && sep != 'T'))
				return -1;
		}
		if (!real_day(y, mo, d) || h < 0 || h > 23 || mi < 0 || mi > 59)
			return -1;
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		tm.tm_hour = h;
		tm.tm_min = mi;
		tm.tm_isdst = -1;
		t = mktime(&tm);
		if (t == (time_t)-1)
			return -1;
	}
	if (!gmtime_r(&t, &tm))
		return -1;
	*out = xmalloc(32);
	strftime(*out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return 0;
}

const char *edu_fmt_size(long long bytes, char buf[32])
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes;
	int u = 0;
	char num[32];
	size_t n;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, 32, "%lld B", bytes);
	else {
		/* a number of at most a few digits, a space, a unit of three letters */
		edu_fmt_num((double)(long long)(v * 10 + 0.5) / 10, num);
		n = strlen(num);
		if (n > 20)
			n = 20;
		memcpy(buf, num, n);
		buf[n] = ' ';
		strcpy(buf + n + 1, units[u]);
	}
	return buf;
}

const char *edu_fmt_num(double v, char buf[32])
{
	char tmp[32];

	/* two decimals at most, and none that are zero */
	edu_points_str((double)(long long)(v * 100 + (v < 0 ? -0.5 : 0.5)) / 100, tmp);
	snprintf(buf, 32, "%s", tmp);
	return buf;
}

char *edu_fmt_score(const struct edu_grade *g, double points_possible)
{
	char a[32], b[32];
	int has;
	double v = edu_grade_effective(g, &has);

	if (g->excused)
		return xstrdup("excused");
	if (!has)
		return xstrdup(g->missing ? "missing" : "-");
	if (points_possible > 0)
		return xasprintf("%s/%s", edu_fmt_num(v, a), edu_fmt_num(points_possible, b));
	return xstrdup(edu_fmt_num(v, a));
}

/* "7", "none" */
static void score_text(const struct edu_grade *g, int rubric_score, char buf[32])
{
	int has = rubric_score ? g->has_rubric_score : g->has_score;

	if (has)
		edu_fmt_num(rubric_score ? g->rubric_score : g->score, buf);
	else
		snprintf(buf, 32, "none");
}

/* The level chosen for criterion_id in g, by name, or "none" (static buffer). */
static const char *pick_text(const struct edu_grade *g, const char *criterion_id,
			     const struct edu_rubric *r)
{
	static char buf[256];

	for (int i = 0; i < g->nrubric; i++) {
		const struct edu_rubric_criterion *c;
		const struct edu_rubric_level *l;
		char pts[32];

		if (!g->rubric[i].criterion_id || strcmp(g->rubric[i].criterion_id, criterion_id))
			continue;
		l = edu_rubric_level(r, criterion_id, g->rubric[i].level_id, &c);
		snprintf(buf, sizeof(buf), "%s (%s)", l && l->name ? l->name : "a level",
			 edu_fmt_num(g->rubric[i].points, pts));
		return buf;
	}
	return "none";
}

static int diff_line(struct edu_buf *out, const char *field, const char *a, const char *b)
{
	char *ca, *cb;

	if (!strcmp(a, b))
		return 0;
	ca = edu_safe_text(a, EDU_SAFE_ONELINE);
	cb = edu_safe_text(b, EDU_SAFE_ONELINE);
	edu_buf_printf(out, "  %s: %s -> %s\n", field, ca, cb);
	free(ca);
	free(cb);
	return 1;
}

int edu_grade_diff(struct edu_buf *out, const struct edu_grade *base,
		   const struct edu_grade *current, const struct edu_rubric *rubric)
{
	static const char *const yesno[] = { "no", "yes" };
	char a[32], b[32];
	char *ca, *cb;
	int n = 0;

	score_text(base, 0, a);
	score_text(current, 0, b);
	n += diff_line(out, "score", a, b);
	score_text(base, 1, a);
	score_text(current, 1, b);
	n += diff_line(out, "rubric score", a, b);
	n += diff_line(out, "excused", yesno[!!base->excused], yesno[!!current->excused]);
	n += diff_line(out, "late", yesno[!!base->late], yesno[!!current->late]);
	n += diff_line(out, "missing", yesno[!!base->missing], yesno[!!current->missing]);
	ca = xasprintf("'%s'", base->comment ? base->comment : "");
	cb = xasprintf("'%s'", current->comment ? current->comment : "");
	n += diff_line(out, "comment", base->comment ? ca : "none",
		       current->comment ? cb : "none");
	free(ca);
	free(cb);
	/* every criterion either grade assessed */
	for (int pass = 0; pass < 2; pass++) {
		const struct edu_grade *g = pass ? current : base;

		for (int i = 0; i < g->nrubric; i++) {
			const char *cid = g->rubric[i].criterion_id;
			const struct edu_rubric_criterion *c;
			char *old, *label;
			int seen = 0;

			if (!cid)
				continue;
			/* the second pass only adds criteria the first did not see */
			for (int k = 0; pass && k < base->nrubric; k++)
				if (base->rubric[k].criterion_id &&
				    !strcmp(base->rubric[k].criterion_id, cid))
					seen = 1;
			if (seen)
				continue;
			edu_rubric_level(rubric, cid, NULL, &c);
			label = xasprintf("rubric '%s'", c && c->name ? c->name : cid);
			old = xstrdup(pick_text(base, cid, rubric));
			n += diff_line(out, label, old, pick_text(current, cid, rubric));
			free(old);
			free(label);
		}
	}
	n += diff_line(out, "released", yesno[!!base->released], yesno[!!current->released]);
	return n;
}

