/*
 * edu-tui(1): the full-screen client. main() settles the profile, the server and the
 * session as edu does (shared/client.h), starts the worker thread with its own API client,
 * sets up the screen and runs the input loop: one poll() on the keyboard (or the script)
 * and the worker's pipe, a key at a time to the prompt or the view on top, the answers of
 * the server to the views that asked, and a redraw when something changed. A resize is a
 * key like any other (KEY_RESIZE); no signal handler of ours does anything.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "clientconfig.h"
#include "model.h"
#include "schools.h"
#include "tui.h"
#include "users.h"
#include "xalloc.h"

static const char *const section_views[] = {
#define X(name, title, view) view,
	TUI_SECTION_LIST(X)
#undef X
};

double tui_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void set_message(struct tui *t, int error, const char *fmt, va_list ap)
{
	struct edu_buf b = EDU_BUF_INIT;

	edu_buf_vprintf(&b, fmt, ap);
	free(t->message);
	t->message = edu_buf_detach(&b);
	t->message_error = error;
	t->need_redraw = 1;
}

void tui_message(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(t, 0, fmt, ap);
	va_end(ap);
}

void tui_error(struct tui *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(t, 1, fmt, ap);
	va_end(ap);
}


void tui_failure(struct tui *t, const char *what, enum edu_err err,
		 const struct edu_errinfo *ei)
{
	const char *msg = ei && ei->message[0] ? ei->message : edu_err_message(err);

	if (ei && ei->field[0])
		tui_error(t, "%s: %s%s (field '%s')", what, msg, edu_err_advice(ei), ei->field);
	else
		tui_error(t, "%s: %s%s", what, msg, edu_err_advice(ei));
}

void tui_section(struct tui *t, enum tui_section s)
{
	t->section = s;
	if (!t->depth[s]) {
		const struct tui_view_type *vt = tui_view_type(section_views[s]);

		/* a section whose view is not in this version says so */
		tui_view_push(t, tui_view_new(t, vt ? vt->name : "missing", NULL, NULL));
	}
	t->need_redraw = 1;
}

void tui_act(struct tui *t, enum tui_action a)
{
	struct view *v = tui_view_top(t);

	t->need_redraw = 1;
	if (v && v->type->ops->request && v->type->ops->request(v, a))
		return;
	switch (a) {
	case TUI_ACT_QUIT:
		t->quit = 1;
		return;
	case TUI_ACT_QUIT_VIEW:
		if (!tui_view_pop(t))
			t->quit = 1;
		return;
	case TUI_ACT_HELP:
		if (v && strcmp(v->type->name, "help"))
			tui_view_push(t, tui_help_view(t, v->type->name));
		return;
	case TUI_ACT_COMMAND:
		tui_command_open(t);
		return;
	case TUI_ACT_REDRAW:
		clearok(curscr, TRUE);
		return;
	case TUI_ACT_NEXT_SECTION:
		tui_section(t, (enum tui_section)((t->section + 1) % TUI_SEC__COUNT));
		return;
	case TUI_ACT_PREV_SECTION:
		tui_section(t, (enum tui_section)((t->section + TUI_SEC__COUNT - 1) %
						  TUI_SEC__COUNT));
		return;
	case TUI_ACT_SECTION_1:
	case TUI_ACT_SECTION_2:
	case TUI_ACT_SECTION_3:
	case TUI_ACT_SECTION_4:
	case TUI_ACT_SECTION_5:
		tui_section(t, (enum tui_section)(a - TUI_ACT_SECTION_1));
		return;
	default:
		break;
	}
	if (v)
		tui_view_request(v, a);
}

static void handle_key(struct tui *t, int key)
{
	struct view *v;

	if (key == TUI_KEYCODE(KEY_RESIZE)) {
		t->need_redraw = 1;
		return;
	}
	if (t->prompt.active) {
		tui_prompt_key(t, key);
		return;
	}
	if (t->too_small) {
		if (key == 'q' || key == 'Q')
			t->quit = 1;
		return;
	}
	/* a key read the last message */
	if (t->message) {
		free(t->message);
		t->message = NULL;
		t->need_redraw = 1;
	}
	v = tui_view_top(t);
	tui_act(t, tui_key_action(v ? v->type->name : NULL, key));
}

/* --- who is logged in ------------------------------------------------------------------- */

static void run_whoami(struct edu_api *api, struct tui_job *job)
{
	cJSON *schools = NULL;

	job->err = edu_users_me(api, &job->out, &job->ei);
	if (!job->err && !edu_schools_list(api, &schools, NULL)) {
		cJSON_AddItemToObject(job->out, "_schools", schools);
	}
}

static void whoami_done(struct tui *t, struct view *v, struct tui_job *job)
{
	struct edu_user u;
	const char *school_id;
	const cJSON *s;

	if (job->err) {
		tui_failure(t, "cannot tell who you are", job->err, &job->ei);
		return;
	}
	if (edu_user_from_json(&u, job->out))
		return;
	free(t->user);
	free(t->role);
	t->user = xstrdup(u.username ? u.username : "?");
	t->role = u.role ? xstrdup(u.role) : NULL;
	school_id = u.school_id;
	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(job->out, "_schools")) {
		const char *id = edu_json_str(s, "id"), *name = edu_json_str(s, "name");

		if (id && school_id && !strcmp(id, school_id) && name) {
			free(t->school);
			t->school = xstrdup(name);
		}
	}
	if (t->role && !strcmp(t->role, "student"))
		t->student = 1;
	edu_user_release(&u);
}

/* --- the program ---------------------------------------------------------------------- */

static void usage(FILE *fp)
{
	fprintf(fp, "usage: edu-tui [--profile NAME] [--server URL] [--script FILE] [--dump FILE]\n"
		"       edu-tui --version | --help\n"
		"The full-screen client of edu: see edu-tui(1); ? shows the keys of each view.\n");
}

/* The value of option name at argv[*i] ("--name VALUE" or "--name=VALUE"), or NULL. */
static const char *option(int argc, char **argv, int *i, const char *name, int *bad)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n))
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n])
		return NULL;
	if (*i + 1 >= argc) {
		fprintf(stderr, "edu-tui: %s needs a value\n", name);
		*bad = 1;
		return NULL;
	}
	return argv[++*i];
}

static void loop(struct tui *t)
{
	const int netfd = tui_net_fd(t->net);
	int script_ended = 0;

	t->need_redraw = 1;
	while (!t->quit) {
		struct pollfd fds[2];
		int nfds = 0, timeout = -1, r;

		if (t->need_redraw) {
			t->need_redraw = 0;
			tui_draw(t);
		}
		fds[nfds++] = (struct pollfd){ .fd = netfd, .events = POLLIN };
		if (!t->script)
			fds[nfds++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		if (tui_net_pending(t))
			timeout = 100;	/* the spinner turns */
		if (t->script)
			timeout = tui_net_pending(t) ? 20 : 0;
		r = poll(fds, (nfds_t)nfds, timeout);
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0 && (fds[0].revents & POLLIN) && tui_net_dispatch(t))
			t->need_redraw = 1;
		if (r == 0 && tui_net_pending(t)) {
			t->spinner++;
			t->need_redraw = 1;
		}
		if (t->script) {
			int key;

			if (t->need_redraw)
				continue;	/* what a key acts on is drawn first */
			key = tui_script_next(t);
			if (key == -2) {
				script_ended = 1;
				break;
			}
			if (key >= 0)
				handle_key(t, key);
			else if (!tui_net_pending(t))
				usleep(5000);
			continue;
		}
		for (;;) {
			wint_t wc;
			int got = get_wch(&wc);

			if (got == ERR)
				break;
			handle_key(t, got == KEY_CODE_YES ? TUI_KEYCODE((int)wc) : (int)wc);
			if (t->quit)
				break;
		}
	}
	(void)script_ended;
}

int main(int argc, char **argv)
{
	struct tui tui, *t = &tui;
	struct edu_errinfo ei = { 0 };
	const char *profile = NULL, *server = NULL, *script = NULL;
	struct edu_api *api;
	enum edu_err err;
	char *keys_path;
	int bad = 0, status = 0;

	setlocale(LC_ALL, "");
	memset(t, 0, sizeof(*t));
	t->t0 = tui_now();
	t->to_grade = t->due = -1;
	for (int i = 1; i < argc; i++) {
		const char *v;

		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--version")) {
			printf("edu-tui %s\n", PACKAGE_VERSION);
			return 0;
		} else if (!strcmp(argv[i], "--list-keys")) {
			/* for edu-tui(1)'s test: the defaults, whatever a config file says */
			tui_keys_list(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--list-commands")) {
			tui_commands_list(stdout);
			return 0;
		} else if ((v = option(argc, argv, &i, "--profile", &bad))) {
			profile = v;
		} else if ((v = option(argc, argv, &i, "--server", &bad))) {
			server = v;
		} else if ((v = option(argc, argv, &i, "--script", &bad))) {
			script = v;
		} else if ((v = option(argc, argv, &i, "--dump", &bad))) {
			t->dump_path = v;
		} else if (!bad) {
			fprintf(stderr, "edu-tui: unknown option '%s'\n", argv[i]);
			bad = 1;
		}
		if (bad) {
			usage(stderr);
			return edu_err_exit_code(EDU_ERR_USAGE);
		}
	}

	err = edu_client_init(&t->client, profile, server, &ei);
	if (err) {
		fprintf(stderr, "edu-tui: %s\n", ei.message);
		goto out_client;
	}
	if (!t->client.server) {
		fprintf(stderr, "edu-tui: no server for profile '%s': run 'edu login --server URL' "
			"or set EDU_SERVER\n", t->client.profile);
		err = EDU_ERR_USAGE;
		goto out_client;
	}
	keys_path = edu_xdg_path("XDG_CONFIG_HOME", ".config", "tui.conf");
	err = tui_keys_init(keys_path, &ei);
	free(keys_path);
	if (err) {
		fprintf(stderr, "edu-tui: %s\n", ei.message);
		goto out_keys;
	}
	if (script) {
		t->script = tui_script_load(script, &ei);
		if (!t->script) {
			err = ei.err;
			fprintf(stderr, "edu-tui: %s\n", ei.message);
			goto out_keys;
		}
	}

	/* the worker's API client; the session is read here, before the worker starts */
	api = edu_client_api(&t->client, NULL);
	err = edu_api_load_session(api, &ei);
	if (err) {
		fprintf(stderr, "edu-tui: %s%s\n", ei.message, edu_err_advice(&ei));
		edu_api_free(api);
		goto out_keys;
	}
	t->headless = !isatty(STDOUT_FILENO);
	if (t->headless && !t->script) {
		fprintf(stderr, "edu-tui: needs a terminal (or --script FILE to run without one)\n");
		err = EDU_ERR_USAGE;
		edu_api_free(api);
		goto out_keys;
	}
	if (edu_api_session(api)) {
		const struct edu_creds *c = edu_api_session(api);

		t->user = c->username ? xstrdup(c->username) : NULL;
		t->school = c->school ? xstrdup(c->school) : NULL;
		t->role = c->role ? xstrdup(c->role) : NULL;
	}
	t->net = tui_net_start(api);
	if (tui_screen_init(t) < 0) {
		fprintf(stderr, "edu-tui: cannot set up the terminal (TERM is '%s')\n",
			getenv("TERM") ? getenv("TERM") : "");
		err = EDU_ERR_USAGE;
		goto out_net;
	}
	tui_job_submit(t, tui_job_new(NULL, "who you are", run_whoami, whoami_done));
	tui_refresh_counts(t);
	tui_section(t, TUI_SEC_COURSES);
	loop(t);
	if (t->dump_path) {
		tui_draw(t);
		if (tui_screen_dump(t->dump_path) < 0)
			status = 1;
	}
	tui_screen_end(t);
	if (t->message && t->message_error)
		fprintf(stderr, "edu-tui: %s\n", t->message);
	for (int s = 0; s < TUI_SEC__COUNT; s++) {
		t->section = (enum tui_section)s;
		while (tui_view_pop(t))
			;
	}
out_net:
	tui_net_stop(t);
out_keys:
	tui_keys_release();
	tui_script_free(t->script);
out_client:
	edu_client_release(&t->client);
	cJSON_Delete(t->courses);
	free(t->user);
	free(t->school);
	free(t->role);
	free(t->message);
	free(t->search);
	free(t->prompt.question);
	return err ? edu_err_exit_code(err) : status;
}
