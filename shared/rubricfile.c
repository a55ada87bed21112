/*
 * The rubric file reader and writer (see rubricfile.h). The CSV form goes through libcsv,
 * fed one byte at a time so that each field's line and column are known for messages.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "buf.h"
#include "rubricfile.h"
#include "xalloc.h"

/* A rubric file larger than this is not a rubric. */
#define MAX_RUBRIC_FILE (1024 * 1024)

const char *edu_points_str(double points, char buf[32])
{
	const char *dp = localeconv()->decimal_point;
	char *p;

	snprintf(buf, 32, "%.15g", points);
	/* "2,5" in a German locale would read back as two levels */
	if (dp && *dp && strcmp(dp, ".") && (p = strstr(buf, dp))) {
		size_t n = strlen(dp);

		*p = '.';
		memmove(p + 1, p + n, strlen(p + n) + 1);
	}
	return buf;
}

/* The column (from 1, in characters) of byte off of line. */
static int column(const char *line, size_t off)
{
	int col = 1;

	for (size_t i = 0; i < off && line[i]; i++)
		if (((unsigned char)line[i] & 0xC0) != 0x80)
			col++;
	return col;
}

static enum edu_err fail_at(struct edu_errinfo *ei, const char *name, int line, int col,
			    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static enum edu_err fail_at(struct edu_errinfo *ei, const char *name, int line, int col,
			    const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return edu_err_set(ei, EDU_ERR_INVALID, "%s:%d:%d: %s", name, line, col, msg);
}

/*
 * Reads a number of points: digits, at most one '.', more digits; nothing else. Parsed by
 * hand because strtod() follows the locale's decimal point. Returns 0, or -1.
 */
static int parse_points(const char *s, size_t len, double *out)
{
	double v = 0, scale = 1;
	int digits = 0, dot = 0;

	if (len > 0 && *s == '+') {
		s++;
		len--;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.' && !dot) {
			dot = 1;
		} else if (isdigit((unsigned char)s[i])) {
			digits++;
			if (dot) {
				scale /= 10;
				v += (s[i] - '0') * scale;
			} else {
				v = v * 10 + (s[i] - '0');
			}
		} else {
			return -1;
		}
	}
	if (!digits || digits > 15)
		return -1;
	*out = v;
	return 0;
}

int edu_parse_points(const char *s, double *out)
{
	return parse_points(s, strlen(s), out);
}

static const struct edu_rubric_criterion *find_criterion(const struct edu_rubric *r, const char *name)
{
	for (int i = 0; i < r->ncriteria; i++)
		if (!strcasecmp(r->criteria[i].name, name))
			return &r->criteria[i];
	return NULL;
}

static int has_level(const struct edu_rubric_criterion *c, const char *name)
{
	for (int i = 0; i < c->nlevels; i++)
		if (!strcasecmp(c->levels[i].name, name))
			return 1;
	return 0;
}

/* Trims blanks at both ends of [*s, *s + *len). */
static void trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

/* Explains why a value is not a number of points. */
static const char *points_problem(const char *s, size_t len)
{
	if (len == 0)
		return "no points";
	if (*s == '-')
		return "negative points";
	return "not a number of points";
}

/* --- the text form ------------------------------------------------------------------- */

/* Parses one "Criterion: Level=points, ..." line (lineno for messages). */
static enum edu_err text_line(const char *name, int lineno, const char *line, size_t len,
			      struct edu_rubric *r, const int *first_line,
			      struct edu_errinfo *ei)
{
	const char *colon = memchr(line, ':', len), *p, *cname;
	struct edu_rubric_criterion *c;
	size_t clen;
	char *cn;

	if (!colon) {
		const char *s = line;
		size_t n = len;

		trim(&s, &n);
		return fail_at(ei, name, lineno, column(line, (size_t)(s - line)),
			       "expected 'Criterion: Level=points, Level=points, ...', found no ':'");
	}
	cname = line;
	clen = (size_t)(colon - line);
	trim(&cname, &clen);
	if (!clen)
		return fail_at(ei, name, lineno, column(line, (size_t)(colon - line)),
			       "the criterion has no name before ':'");
	cn = xstrndup(cname, clen);
	if (find_criterion(r, cn)) {
		int k = (int)(find_criterion(r, cn) - r->criteria);
		enum edu_err e = fail_at(ei, name, lineno, column(line, (size_t)(cname - line)),
					 "criterion '%s' is given twice (first on line %d)", cn,
					 first_line[k]);

		free(cn);
		return e;
	}
	c = edu_rubric_add_criterion(r, cn);
	free(cn);
	p = colon + 1;
	for (;;) {
		const char *end = memchr(p, ',', len - (size_t)(p - line));
		const char *lv = p, *eq, *pts;
		size_t lvlen, plen;
		double points;
		char *ln;

		if (!end)
			end = line + len;
		lvlen = (size_t)(end - p);
		trim(&lv, &lvlen);
		if (!lvlen) {
			if (c->nlevels == 0 && end == line + len)
				return fail_at(ei, name, lineno, column(line, (size_t)(p - line)),
					       "criterion '%s' has no levels after ':'", c->name);
			return fail_at(ei, name, lineno, column(line, (size_t)(lv - line)),
				       "empty level: expected 'Level=points' before %s",
				       end == line + len ? "the end of the line" : "','");
		}
		eq = memchr(lv, '=', lvlen);
		if (!eq) {
			ln = xstrndup(lv, lvlen);
			fail_at(ei, name, lineno, column(line, (size_t)(lv - line) + lvlen),
				"level '%s' has no points (write %s=N)", ln, ln);
			free(ln);
			return EDU_ERR_INVALID;
		}
		pts = eq + 1;
		plen = (size_t)(lv + lvlen - pts);
		lvlen = (size_t)(eq - lv);
		trim(&lv, &lvlen);
		trim(&pts, &plen);
		if (!lvlen)
			return fail_at(ei, name, lineno, column(line, (size_t)(eq - line)),
				       "a level has no name before '='");
		ln = xstrndup(lv, lvlen);
		if (parse_points(pts, plen, &points)) {
			char *v = xstrndup(pts, plen);

			fail_at(ei, name, lineno, column(line, (size_t)(plen ? pts - line :
									eq + 1 - line)),
				"level '%s': %s%s%s%s", ln, points_problem(pts, plen),
				plen ? " '" : "", v, plen ? "'" : "");
			free(v);
			free(ln);
			return EDU_ERR_INVALID;
		}
		if (has_level(c, ln)) {
			fail_at(ei, name, lineno, column(line, (size_t)(lv - line)),
				"level '%s' is given twice in criterion '%s'", ln, c->name);
			free(ln);
			return EDU_ERR_INVALID;
		}
		edu_rubric_add_level(c, ln, points);
		free(ln);
		if (end == line + len)
			break;
		p = end + 1;
	}
	return EDU_ERR_OK;
}

static enum edu_err parse_text(const char *name, const char *data, size_t len,
			       struct edu_rubric *r, struct edu_errinfo *ei)
{
	int *first_line = NULL, lineno = 0;
	const char *p = data, *end = data + len;
	enum edu_err err = EDU_ERR_OK;

	while (p < end && !err) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *s;
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p), k;

		lineno++;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		s = p;
		k = n;
		trim(&s, &k);
		if (k && *s != '#') {
			first_line = xrealloc(first_line, (size_t)(r->ncriteria + 1) * sizeof(int));
			first_line[r->ncriteria] = lineno;
			err = text_line(name, lineno, p, n, r, first_line, ei);
		}
		p = nl ? nl + 1 : end;
	}
	free(first_line);
	return err;
}

/* --- the CSV form -------------------------------------------------------------------- */

struct csv_state {
	const char *name;
	const char *data;
	struct edu_rubric *r;
	struct edu_errinfo *ei;
	enum edu_err err;
	/* where the byte being fed is */
	int line;
	size_t line_start;	/* offset of its line's first byte */
	size_t off;
	/* the start of the field being read, and of the fields of this row */
	int pending;		/* 1: the next byte starts a field; 2: so far blanks only */
	int fline, fcol;
	int nfields;
	char *fields[3];
	int lines[3], cols[3];
	int rows;		/* rows seen, the header included */
	int at_row_start;
};

static int cur_col(const struct csv_state *st)
{
	return column(st->data + st->line_start, st->off - st->line_start);
}

static void csv_field(void *s, size_t len, void *arg)
{
	struct csv_state *st = arg;

	st->pending = 1;
	if (st->err)
		return;
	if (st->nfields == 3) {
		st->err = fail_at(st->ei, st->name, st->fline, st->fcol,
				  "too many fields: a row is criterion,level,points");
		return;
	}
	st->fields[st->nfields] = xstrndup(s ? s : "", s ? len : 0);
	st->lines[st->nfields] = st->fline;
	st->cols[st->nfields] = st->fcol;
	st->nfields++;
}

static void csv_clear_row(struct csv_state *st)
{
	for (int i = 0; i < st->nfields; i++) {
		free(st->fields[i]);
		st->fields[i] = NULL;
	}
	st->nfields = 0;
}

/* A whole row: check it and add its level. */
static void csv_row(int c, void *arg)
{
	struct csv_state *st = arg;
	struct edu_rubric_criterion *crit = NULL;
	double points;
	char **f = st->fields;

	st->pending = 1;
	st->at_row_start = 1;
	if (st->err)
		goto out;
	/* a line of blanks is one empty field: nothing */
	if (st->nfields == 1 && !f[0][0])
		goto out;
	st->rows++;
	if (st->nfields < 3) {
		st->err = fail_at(st->ei, st->name, st->line, cur_col(st),
				  "%s: a row is criterion,level,points",
				  st->nfields == 1 ? "only one field" : "only two fields");
		goto out;
	}
	if (st->rows == 1 && !strcasecmp(f[0], "criterion") && !strcasecmp(f[1], "level") &&
	    !strcasecmp(f[2], "points"))
		goto out;
	if (!f[0][0]) {
		st->err = fail_at(st->ei, st->name, st->lines[0], st->cols[0],
				  "the criterion has no name");
		goto out;
	}
	if (!f[1][0]) {
		st->err = fail_at(st->ei, st->name, st->lines[1], st->cols[1],
				  "the level has no name");
		goto out;
	}
	if (parse_points(f[2], strlen(f[2]), &points)) {
		st->err = fail_at(st->ei, st->name, st->lines[2], st->cols[2],
				  "level '%s': %s%s%s%s", f[1], points_problem(f[2], strlen(f[2])),
				  f[2][0] ? " '" : "", f[2], f[2][0] ? "'" : "");
		goto out;
	}
	for (int i = 0; i < st->r->ncriteria; i++)
		if (!strcasecmp(st->r->criteria[i].name, f[0]))
			crit = &st->r->criteria[i];
	if (!crit)
		crit = edu_rubric_add_criterion(st->r, f[0]);
	if (has_level(crit, f[1])) {
		st->err = fail_at(st->ei, st->name, st->lines[1], st->cols[1],
				  "level '%s' is given twice in criterion '%s'", f[1], crit->name);
		goto out;
	}
	edu_rubric_add_level(crit, f[1], points);
out:
	csv_clear_row(st);
}

static enum edu_err parse_csv(const char *name, const char *data, size_t len,
			      struct edu_rubric *r, struct edu_errinfo *ei)
{
	struct csv_state st = { .name = name, .data = data, .r = r, .ei = ei, .line = 1,
				.pending = 1, .at_row_start = 1 };
	struct csv_parser p;

	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL))
		abort();	/* only out of memory makes it fail */
	for (st.off = 0; st.off < len && !st.err; st.off++) {
		unsigned char b = (unsigned char)data[st.off];

		if (st.at_row_start && b == '#') {
			/* a comment line: skip to its end */
			while (st.off + 1 < len && data[st.off + 1] != '\n')
				st.off++;
			continue;
		}
		if (b != '\n' && b != '\r' && b != ' ' && b != '\t')
			st.at_row_start = 0;
		/* a field starts right after its delimiter, or at its first non-blank */
		if (st.pending == 1 || (st.pending == 2 && b != ' ' && b != '\t' && b != ',' &&
					b != '\n' && b != '\r')) {
			st.fline = st.line;
			st.fcol = cur_col(&st);
		}
		if (st.pending)
			st.pending = b == ' ' || b == '\t' ? 2 : 0;
		if (csv_parse(&p, &data[st.off], 1, csv_field, csv_row, &st) != 1 && !st.err)
			st.err = fail_at(ei, name, st.line, cur_col(&st), "%s",
					 csv_error(&p) == CSV_EPARSE ?
					 "a quote in the middle of a field (a quoted field is "
					 "\"...\", with \"\" for a quote inside)" :
					 csv_strerror(csv_error(&p)));
		if (b == '\n') {
			st.line++;
			st.line_start = st.off + 1;
		}
	}
	if (!st.err) {
		if (st.pending == 1) {
			st.fline = st.line;
			st.fcol = cur_col(&st);
		}
		if (csv_fini(&p, csv_field, csv_row, &st) && !st.err)
			st.err = fail_at(ei, name, st.fline, st.fcol,
					 "a quoted field is not closed");
	}
	csv_clear_row(&st);
	csv_free(&p);
	return st.err;
}

/* --- reading and writing ------------------------------------------------------------- */

/* CSV by name, or because the first line that matters has no ':'. */
static int looks_csv(const char *name, const char *data, size_t len)
{
	size_t n = strlen(name);
	const char *p = data, *end = data + len;

	if (n >= 4 && !strcasecmp(name + n - 4, ".csv"))
		return 1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *s = p;
		size_t k = nl ? (size_t)(nl - p) : (size_t)(end - p);

		trim(&s, &k);
		if (k && *s != '#')
			return !memchr(s, ':', k) && memchr(s, ',', k);
		p = nl ? nl + 1 : end;
	}
	return 0;
}

enum edu_err edu_rubric_parse(const char *name, const char *data, size_t len,
			      struct edu_rubric *r, struct edu_errinfo *ei)
{
	enum edu_err err;
	int lineno = 1;

	edu_rubric_release(r);
	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\n')
			lineno++;
		else if (!data[i])
			return fail_at(ei, name, lineno, 1, "a NUL byte: this is not a text file");
	}
	if (looks_csv(name, data, len))
		err = parse_csv(name, data, len, r, ei);
	else
		err = parse_text(name, data, len, r, ei);
	if (!err && r->ncriteria == 0)
		err = fail_at(ei, name, lineno, 1, "no criteria in the file");
	if (err)
		edu_rubric_release(r);
	return err;
}

enum edu_err edu_rubric_read_file(const char *path, struct edu_rubric *r,
				  struct edu_errinfo *ei)
{
	const int is_stdin = !strcmp(path, "-");
	struct edu_buf b = EDU_BUF_INIT;
	FILE *fp = is_stdin ? stdin : fopen(path, "rb");
	enum edu_err err = EDU_ERR_OK;
	char chunk[8192];
	size_t n;

	if (!fp)
		return edu_err_set(ei, EDU_ERR_IO, "cannot open '%s': %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (b.len + n > MAX_RUBRIC_FILE) {
			err = edu_err_set(ei, EDU_ERR_INVALID, "'%s' is larger than a rubric can be "
					  "(%d bytes)", path, MAX_RUBRIC_FILE);
			break;
		}
		edu_buf_add(&b, chunk, n);
	}
	if (!err && ferror(fp))
		err = edu_err_set(ei, EDU_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
	if (!is_stdin)
		fclose(fp);
	if (!err)
		err = edu_rubric_parse(is_stdin ? "<stdin>" : path, edu_buf_str(&b), b.len, r, ei);
	edu_buf_release(&b);
	return err;
}

/* Writes one CSV field, quoted when it has to be. */
static void csv_out(FILE *fp, const char *s)
{
	if (strpbrk(s, ",\"\r\n") || s[0] == ' ' || s[0] == '#' ||
	    (s[0] && s[strlen(s) - 1] == ' ')) {
		fputc('"', fp);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', fp);
			fputc(*s, fp);
		}
		fputc('"', fp);
	} else {
		fputs(s, fp);
	}
}

/* Can r be written in the text form and read back the same? */
static int text_ok(const struct edu_rubric *r)
{
	for (int i = 0; i < r->ncriteria; i++) {
		const struct edu_rubric_criterion *c = &r->criteria[i];

		if (strpbrk(c->name, ":\n") || c->name[0] == '#' || !c->nlevels)
			return 0;
		for (int k = 0; k < c->nlevels; k++)
			if (strpbrk(c->levels[k].name, ",=\n"))
				return 0;
	}
	return 1;
}

void edu_rubric_write(FILE *fp, const struct edu_rubric *r)
{
	char pts[32];

	if (text_ok(r)) {
		fputs("# one criterion a line: Criterion: Level=points, Level=points, ...\n", fp);
		for (int i = 0; i < r->ncriteria; i++) {
			const struct edu_rubric_criterion *c = &r->criteria[i];

			fprintf(fp, "%s:", c->name);
			for (int k = 0; k < c->nlevels; k++)
				fprintf(fp, "%s %s=%s", k ? "," : "", c->levels[k].name,
					edu_points_str(c->levels[k].points, pts));
			fputc('\n', fp);
		}
		return;
	}
	fputs("criterion,level,points\n", fp);
	for (int i = 0; i < r->ncriteria; i++) {
		const struct edu_rubric_criterion *c = &r->criteria[i];

		for (int k = 0; k < c->nlevels; k++) {
			csv_out(fp, c->name);
			fputc(',', fp);
			csv_out(fp, c->levels[k].name);
			fprintf(fp, ",%s\n", edu_points_str(c->levels[k].points, pts));
		}
	}
}
