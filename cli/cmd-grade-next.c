/*
 * `edu grade next ASSIGNMENT`: the grading loop. The latest ungraded submissions in order,
 * one at a time, with readline prompts that also read a script's standard input line by
 * line: the score, a level for each rubric criterion, a comment, whether to release it.
 * Submissions skipped with an empty score are remembered in
 * $XDG_STATE_HOME/edu/grade-next/ASSIGNMENT, so the next run starts after them;
 * --from-start forgets them.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "clientconfig.h"
#include "cw.h"
#include "grader.h"
#include "lookup.h"
#include "prompt.h"
#include "safe.h"
#include "submissions.h"
#include "term.h"
#include "transfer.h"
#include "xalloc.h"

/* The skipped submissions of one assignment, kept between runs. */
struct skips {
	char *path;		/* NULL: nowhere to keep them */
	struct edu_buf ids;	/* one id a line */
};

static void skips_load(struct skips *sk, const char *assignment_id, int from_start)
{
	char *sub = xasprintf("grade-next/%s", assignment_id), *data;
	FILE *fp;

	memset(sk, 0, sizeof(*sk));
	sk->path = edu_xdg_path("XDG_STATE_HOME", ".local/state", sub);
	free(sub);
	if (!sk->path)
		return;
	if (from_start) {
		unlink(sk->path);
		return;
	}
	fp = fopen(sk->path, "r");
	if (!fp)
		return;
	data = xmalloc(64);
	while (fgets(data, 64, fp))
		if (edu_is_uuid(strtok(data, "\n") ? data : ""))
			edu_buf_printf(&sk->ids, "%s\n", data);
	free(data);
	fclose(fp);
}

static int skips_has(const struct skips *sk, const char *id)
{
	const char *p = edu_buf_str(&sk->ids);
	size_t n = strlen(id);

	for (; (p = strstr(p, id)); p += n)
		if ((p == edu_buf_str(&sk->ids) || p[-1] == '\n') && p[n] == '\n')
			return 1;
	return 0;
}

/* Remembers a skip at once, so a quit (or a kill) right after does not lose it. */
static void skips_add(struct skips *sk, const char *id)
{
	struct edu_errinfo ei = { 0 };
	char *dir;

	edu_buf_printf(&sk->ids, "%s\n", id);
	if (!sk->path)
		return;
	dir = xstrndup(sk->path, (size_t)(strrchr(sk->path, '/') - sk->path));
	if (edu_mkdirs(dir, 0700, &ei) ||
	    edu_write_atomic(sk->path, sk->ids.data, sk->ids.len, 0600, &ei))
		edu_error("cannot remember the skip: %s", ei.message);
	free(dir);
}

static void skips_release(struct skips *sk)
{
	free(sk->path);
	edu_buf_release(&sk->ids);
}

/* What the teacher answered. */
enum answer { ANS_OK, ANS_SKIP, ANS_QUIT };

/* One answer, without blanks around it; NULL at the end of input. */
static char *ask(const char *question)
{
	char *line = edu_prompt(question, NULL);

	if (line) {
		/* blanks around an answer are never meant */
		char *s = line, *e;

		while (isspace((unsigned char)*s))
			s++;
		e = s + strlen(s);
		while (e > s && isspace((unsigned char)e[-1]))
			*--e = '\0';
		memmove(line, s, strlen(s) + 1);
	}
	return line;
}

/* Downloads file n of s into the cache and opens it. */
static void open_file(struct grader *g, const struct edu_submission *s, int n)
{
	struct edu_errinfo ei = { 0 };
	const struct edu_file *f;
	struct edu_progress p;
	char *path = NULL, *name;

	if (!s->nfiles) {
		edu_error("this submission has no files");
		return;
	}
	if (n < 1 || n > s->nfiles) {
		edu_error("no file %d: give 1 to %d", n, s->nfiles);
		return;
	}
	f = &s->files[n - 1];
	name = edu_safe_filename(f->filename, "file");
	edu_progress_init(&p, name, 1024 * 1024);
	if (edu_transfer_cached(g->api, "/submissions", s->id, "files", f, edu_progress_cb, &p,
				&path, &ei)) {
		edu_progress_end(&p);
		edu_report(ei.err, &ei);
	} else {
		edu_progress_end(&p);
		edu_term_open(path, f->mime);
	}
	free(path);
	free(name);
}

/* Shows a submission: the header and files on stdout, the text through the pager. */
static void show_submission(const struct edu_submission *s, int index, int total)
{
	char when[64], size[32], *user = cw_oneline(s->student.username);
	char *name = cw_oneline(s->student.display_name);

	putchar('\n');
	edu_line("[%d/%d] %s%s%s%s, attempt %d, submitted %s%s", index, total,
		 *user ? user : "?", *name ? " (" : "", name, *name ? ")" : "", s->attempt,
		 edu_fmt_time(s->submitted_at, when), s->late ? ", LATE" : "");
	free(user);
	free(name);
	for (int i = 0; i < s->nfiles; i++) {
		char *file = cw_oneline(s->files[i].filename), *mime = cw_oneline(s->files[i].mime);

		edu_line("  %d. %s (%s, %s)", i + 1, *file ? file : "?",
			 edu_fmt_size(s->files[i].size, size), *mime ? mime : "?");
		free(file);
		free(mime);
	}
	if (s->text && *s->text) {
		printf("\n");
		edu_term_page(s->text);
	} else if (!s->nfiles) {
		printf("  (nothing handed in)\n");
	}
	fflush(stdout);
}

/* Asks the score: fills body; ANS_SKIP on an empty line, ANS_QUIT on q or end of input. */
static enum answer ask_score(struct grader *g, const struct edu_submission *s, int index,
			     int total, cJSON *body)
{
	char pts[32], *question;
	enum answer ans = ANS_QUIT;

	question = xasprintf("score (of %s; empty skips, q quits, o N opens file N, ? helps)",
			     edu_fmt_num(g->assignment.points_possible, pts));
	for (;;) {
		char *line = ask(question);
		int has;
		double v;

		if (!line || !strcmp(line, "q")) {
			free(line);
			break;
		}
		if (!*line) {
			free(line);
			ans = ANS_SKIP;
			break;
		}
		if (line[0] == 'o' && (line[1] == ' ' || isdigit((unsigned char)line[1]))) {
			open_file(g, s, atoi(line + 1));
		} else if (!strcmp(line, "t")) {
			show_submission(s, index, total);
		} else if (!strcmp(line, "?")) {
			fprintf(stderr, "  a number: the score ('-': none, the rubric decides)\n"
				"  x: excused\n  o N: open file N\n  t: show the submission again\n"
				"  empty: skip to the next one (remembered for the next run)\n"
				"  q: quit (run again to go on)\n");
		} else if (!strcmp(line, "x")) {
			cJSON_AddBoolToObject(body, "excused", 1);
			cJSON_AddNullToObject(body, "score");
			ans = ANS_OK;
		} else if (!grader_parse_score(line, &has, &v)) {
			if (has && v > g->assignment.points_possible &&
			    g->assignment.points_possible > 0)
				fprintf(stderr, "edu: note: more than the %s points possible\n", pts);
			if (has)
				cJSON_AddNumberToObject(body, "score", v);
			else
				cJSON_AddNullToObject(body, "score");
			ans = ANS_OK;
		} else {
			edu_error("'%s' is not a score: a number, '-', x, o N, t, q, or empty to "
				  "skip", line);
		}
		free(line);
		if (ans == ANS_OK)
			break;
	}
	free(question);
	return ans;
}

/* Asks a level for each criterion of the rubric; ANS_QUIT at end of input or q. */
static enum answer ask_rubric(struct grader *g, cJSON *body)
{
	const struct edu_rubric *r = &g->rubric;
	cJSON *picks;

	if (!r->ncriteria)
		return ANS_OK;
	picks = cJSON_AddArrayToObject(body, "rubric");
	for (int i = 0; i < r->ncriteria; i++) {
		const struct edu_rubric_criterion *c = &r->criteria[i];
		char *levels = grader_levels_text(c), *question;
		char *choices = xasprintf("  %s: %s", c->name ? c->name : "?", levels);
		char *clean = cw_oneline(choices);

		fprintf(stderr, "%s\n", clean);
		free(clean);
		free(choices);
		question = xasprintf("%s (number or name; empty: not assessed)",
				     c->name ? c->name : "?");
		free(levels);
		for (;;) {
			char *line = ask(question);
			int li;

			if (!line || !strcmp(line, "q")) {
				free(line);
				free(question);
				return ANS_QUIT;
			}
			if (!*line) {
				free(line);
				break;
			}
			li = grader_pick(line, c->nlevels, grader_level_name, c);
			if (li >= 0) {
				grader_add_pick(picks, r, i, li);
				free(line);
				break;
			}
			edu_error("'%s' is not a level of '%s'", line, c->name ? c->name : "?");
			free(line);
		}
		free(question);
	}
	return ANS_OK;
}

/* Asks the comment and whether to release; ANS_QUIT at end of input. */
static enum answer ask_rest(const struct edu_grade *base, cJSON *body)
{
	char *line, *text = NULL;

	line = ask(base->comment && *base->comment ?
		   "comment (one line; e: editor; empty keeps the one there)" :
		   "comment (one line; e: editor; empty: none)");
	if (!line)
		return ANS_QUIT;
	if (!strcmp(line, "e")) {
		if (!edu_term_edit(base->comment, "comment", "txt", &text, NULL)) {
			cJSON_AddStringToObject(body, "comment", text);
			free(text);
		}
	} else if (*line) {
		cJSON_AddStringToObject(body, "comment", line);
	}
	free(line);
	for (;;) {
		line = ask(base->released ? "keep it released? [Y/n]" : "release to the student? "
			   "[y/N]");
		if (!line)
			return ANS_QUIT;
		if (!*line) {
			free(line);
			break;
		}
		if (!strcasecmp(line, "y") || !strcasecmp(line, "yes") ||
		    !strcasecmp(line, "n") || !strcasecmp(line, "no")) {
			cJSON_AddBoolToObject(body, "released", tolower((unsigned char)*line) == 'y');
			free(line);
			break;
		}
		edu_error("answer y or n");
		free(line);
	}
	return ANS_OK;
}

enum { GN_FROM_START, GN__N };
const struct edu_opt grader_next_opts[] = {
	[GN_FROM_START] = OPT_BOOL(0, "from-start", "revisit the submissions skipped before"),
	OPT_END
};

int grader_next(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	struct grader g = { 0 };
	struct skips sk = { 0 };
	struct edu_errinfo ei = { 0 };
	struct edu_api *api;
	const cJSON *item;
	cJSON *items = NULL;
	enum edu_err err, result = EDU_ERR_OK;
	int total = 0, index = 0, graded = 0, skipped = 0, conflicts = 0, quit = 0;
	const char *id = NULL;

	err = grader_load(&g, ctx->api, ctx->id[0]);
	if (err)
		goto out;
	api = g.api;
	id = g.assignment_id;
	skips_load(&sk, id, opts[GN_FROM_START].set);
	err = edu_submissions_list(api, id, EDU_SUB_UNGRADED, &items, &ei);
	if (err) {
		edu_report(err, &ei);
		goto out;
	}
	cJSON_ArrayForEach(item, items)
		if (edu_json_str(item, "id") && !skips_has(&sk, edu_json_str(item, "id")))
			total++;
	if (!ctx->out.quiet)
		edu_line("%s: %d to grade%s", g.assignment.title, total,
			 sk.ids.len ? " (some skipped earlier: --from-start revisits them)" : "");
	cJSON_ArrayForEach(item, items) {
		struct edu_submission s;
		struct edu_grade base;
		enum answer ans;
		cJSON *body, *saved = NULL;

		if (quit)
			break;
		if (!edu_json_str(item, "id") || skips_has(&sk, edu_json_str(item, "id")) ||
		    edu_submission_from_json(&s, item))
			continue;
		index++;
		show_submission(&s, index, total);
		err = grader_get(api, s.id, &base);
		if (err) {
			edu_submission_release(&s);
			result = err;
			break;
		}
		for (;;) {
			body = cJSON_CreateObject();
			ans = ask_score(&g, &s, index, total, body);
			if (ans == ANS_OK)
				ans = ask_rubric(&g, body);
			if (ans == ANS_OK)
				ans = ask_rest(&base, body);
			if (ans != ANS_OK) {
				cJSON_Delete(body);
				break;
			}
			err = grader_put(&g, s.id, &base, body, &saved);
			cJSON_Delete(body);
			/* a value the server refused: ask again; anything else ends this one */
			if (err != EDU_ERR_INVALID)
				break;
		}
		if (ans == ANS_SKIP) {
			skips_add(&sk, s.id);
			skipped++;
		} else if (ans == ANS_QUIT) {
			quit = 1;
		} else if (err == EDU_ERR_CONFLICT) {
			conflicts++;
			result = err;
		} else if (err) {
			result = err;
			quit = 1;
		} else {
			graded++;
			grader_print_saved(ctx, saved, s.student.username ? s.student.username : s.id,
				    g.assignment.points_possible);
		}
		cJSON_Delete(saved);
		edu_grade_release(&base);
		edu_submission_release(&s);
	}
	if (!ctx->out.quiet) {
		printf("%s %d graded, %d skipped%s", quit ? "stopped:" : "done:", graded, skipped,
		       conflicts ? ", " : "");
		if (conflicts)
			printf("%d left to the other teacher's grade", conflicts);
		printf("\n");
		if (quit)
			edu_line("run 'edu grade next %s' to go on", argv[0]);
		else if (skipped || sk.ids.len)
			edu_line("run 'edu grade next %s --from-start' to revisit the skipped ones",
				 argv[0]);
	}
	err = result;
out:
	skips_release(&sk);
	grader_release(&g);
	cJSON_Delete(items);
	return err;
}

