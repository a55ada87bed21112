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

#endif
