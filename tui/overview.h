/*
 * The overview job (overview.c): {"courses":[...], "assignments":[... each with
 * "_course": {"id","name","my_role"}]}, for the status line's counts and the lists of the
 * Assignments and Grading views.
 */
#ifndef EDU_TUI_OVERVIEW_H
#define EDU_TUI_OVERVIEW_H

#include "tui.h"

/* Runs on the worker: fills job->out with the overview. */
void tui_run_overview(struct edu_api *api, struct tui_job *job);
/* Takes the counts of the status line from an overview. */
void tui_overview_apply(struct tui *t, const cJSON *out);

/* What the Assignments and Grading views keep: the overview and the items they show. */
struct tui_alist {
	cJSON *overview;
	const cJSON **items;
	int n;
};
/*
 * The done of their overview job: the failure on the status line, or the counts taken and
 * the overview kept in v's struct tui_alist. Returns nonzero when v has a new one to show.
 */
int tui_overview_done(struct tui *t, struct view *v, struct tui_job *job);
/* Frees v's struct tui_alist (the view's done). */
void tui_alist_free(struct view *v);

#endif
