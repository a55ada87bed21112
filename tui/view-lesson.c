/*
 * A lesson: its Markdown content rendered (markdown.c), scrolled by page, its attachments
 * after it; d marks it done (or not done again), o opens an attachment. What the list had
 * is shown at once, and the lesson is read again from the server.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "lessons.h"
#include "model.h"
#include "tui.h"
#include "xalloc.h"

struct lesson {
	cJSON *json;
	struct edu_lesson l;
	int have;
};


static void lesson_set(struct view *v, cJSON *json)
{
	struct lesson *ls = v->priv;

	if (ls->have)
		edu_lesson_release(&ls->l);
	cJSON_Delete(ls->json);
	ls->json = json;
	ls->have = !edu_lesson_from_json(&ls->l, json);
	v->width = 0;	/* lay it out again */
	v->tui->need_redraw = 1;
}

static void lesson_layout(struct view *v, int width)
{
	struct lesson *ls = v->priv;
	const struct edu_lesson *l = &ls->l;

	tui_view_clear(v);
	if (!ls->have)
		return;
	tui_text_line(&v->text, -1);
	tui_text_add(&v->text, TUI_ROLE_HEADING, l->title && *l->title ? l->title : "(untitled)");
	if (l->done >= 0) {
		tui_text_add(&v->text, TUI_ROLE_NORMAL, "  ");
		tui_text_add(&v->text, l->done ? TUI_ROLE_OK : TUI_ROLE_DIM,
			     l->done ? "[done]" : "[not done: d marks it done]");
	}
	tui_text_line(&v->text, -1);
	if (l->content && *l->content)
		tui_markdown(&v->text, l->content, width - 2);
	else
		tui_text_add(&v->text, TUI_ROLE_DIM, "(no content)");
	if (l->nattachments) {
		tui_text_line(&v->text, -1);
		tui_text_line(&v->text, -1);
		tui_text_add(&v->text, TUI_ROLE_STRONG, "Attachments (o opens one)");
		for (int i = 0; i < l->nattachments; i++) {
			char size[32];

			tui_text_line(&v->text, -1);
			tui_text_addf(&v->text, TUI_ROLE_NORMAL, "  %d. ", i + 1);
			tui_text_add(&v->text, TUI_ROLE_LINK, l->attachments[i].filename);
			tui_text_addf(&v->text, TUI_ROLE_DIM, " (%s)",
				      edu_fmt_size(l->attachments[i].size, size));
		}
	}
}

static void run_get(struct edu_api *api, struct tui_job *job)
{
	job->err = edu_lesson_get(api, job->id[0], &job->out, &job->ei);
}

static void get_done(struct tui *t, struct view *v, struct tui_job *job)
{
	if (job->err) {
		tui_failure(t, "cannot read the lesson", job->err, &job->ei);
		return;
	}
	if (v) {
		lesson_set(v, job->out);
		job->out = NULL;
	}
}

static void lesson_open(struct view *v)
{
	struct lesson *ls = v->priv;
	struct tui_job *job;

	if (!ls->have)
		return;
	job = tui_job_new(v, "reading the lesson", run_get, get_done);
	job->id[0] = xstrdup(ls->l.id);
	tui_job_submit(v->tui, job);
}

static void run_done(struct edu_api *api, struct tui_job *job)
{
	job->err = edu_lesson_set_done(api, job->id[0], job->flag, &job->ei);
}

static void done_done(struct tui *t, struct view *v, struct tui_job *job)
{
	struct lesson *ls;

	if (job->err) {
		tui_failure(t, "cannot mark the lesson", job->err, &job->ei);
		return;
	}
	tui_message(t, "lesson marked %s", job->flag ? "done" : "not done");
	if (!v)
		return;
	ls = v->priv;
	cJSON_ReplaceItemInObjectCaseSensitive(ls->json, "done", cJSON_CreateBool(job->flag));
	lesson_set(v, cJSON_Duplicate(ls->json, 1));
	tui_view_stale_below(v);
}

static void attachment_answer(struct tui *t, struct view *v, const char *answer)
{
	struct lesson *ls;
	int n = atoi(answer);

	if (!v)
		return;
	ls = v->priv;
	if (n < 1 || n > ls->l.nattachments) {
		tui_error(t, "no attachment '%s': give 1 to %d", answer, ls->l.nattachments);
		return;
	}
	tui_open_file(t, v, "/lessons", ls->l.id, "attachments", &ls->l.attachments[n - 1]);
}

static int lesson_request(struct view *v, enum tui_action a)
{
	struct lesson *ls = v->priv;
	struct tui_job *job;

	if (!ls->have)
		return 0;
	switch (a) {
	case TUI_ACT_DONE:
		if (ls->l.done < 0) {
			tui_error(v->tui, "only the course's students mark lessons done");
			return 1;
		}
		job = tui_job_new(v, "marking the lesson", run_done, done_done);
		job->id[0] = xstrdup(ls->l.id);
		job->flag = !ls->l.done;
		tui_job_submit(v->tui, job);
		return 1;
	case TUI_ACT_ATTACHMENT:
		if (!ls->l.nattachments)
			tui_error(v->tui, "this lesson has no attachments");
		else if (ls->l.nattachments == 1)
			attachment_answer(v->tui, v, "1");
		else
			tui_prompt_open(v->tui, v, "open attachment number:", NULL,
					attachment_answer, NULL);
		return 1;
	default:
		return 0;
	}
}

static void lesson_free(struct view *v)
{
	struct lesson *ls = v->priv;

	if (ls->have)
		edu_lesson_release(&ls->l);
	cJSON_Delete(ls->json);
	free(ls);
}

const struct view_ops tui_view_lesson = {
	.open = lesson_open,
	.layout = lesson_layout,
	.request = lesson_request,
	.done = lesson_free,
};

struct view *tui_lesson_view(struct tui *t, const cJSON *lesson)
{
	struct lesson *ls = xcalloc(1, sizeof(*ls));
	struct view *v;

	ls->json = cJSON_Duplicate(lesson, 1);
	ls->have = !edu_lesson_from_json(&ls->l, ls->json);
	v = tui_view_new(t, "lesson", ls->have ? ls->l.title : NULL, ls);
	return v;
}
