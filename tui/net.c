/*
 * The worker thread: every request of edu-tui runs here, never on the input loop, so the
 * screen answers keys while the server thinks (or is gone). libcurl handles are one per
 * thread: the worker has its own API client, and the main thread sends nothing.
 *
 * The main thread queues jobs (under the mutex, with the condition to wake the worker);
 * the worker runs one at a time in order and writes the job's address to a pipe when it is
 * done, or a progress note while an upload moves; the input loop polls the pipe with the
 * keyboard and runs each job's done on the main thread. A message is one pointer and a
 * tag, far below PIPE_BUF, so each write is whole.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "tui.h"
#include "xalloc.h"

enum { MSG_DONE, MSG_PROGRESS };

struct msg {
	struct tui_job *job;
	int kind;
};

struct tui_net {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct tui_job *head, *tail;	/* queued, under lock */
	int stop;			/* under lock */
	int pipe[2];
	struct edu_api *api;		/* the worker's */
	const struct tui_job *progress;	/* the main thread's: last job that moved */
};

/* The main thread's list of jobs in flight (t->flights). */
struct tui_flight {
	struct tui_job *job;
	struct tui_flight *next;
};

static void send_msg(struct tui_net *n, struct tui_job *job, int kind)
{
	struct msg m = { job, kind };

	while (write(n->pipe[1], &m, sizeof(m)) < 0 && errno == EINTR)
		;
}

static void *worker(void *arg)
{
	struct tui_net *n = arg;

	for (;;) {
		struct tui_job *job;

		pthread_mutex_lock(&n->lock);
		while (!n->head && !n->stop)
			pthread_cond_wait(&n->wake, &n->lock);
		if (n->stop) {
			pthread_mutex_unlock(&n->lock);
			break;
		}
		job = n->head;
		n->head = job->next;
		if (!n->head)
			n->tail = NULL;
		pthread_mutex_unlock(&n->lock);
		job->run(n->api, job);
		send_msg(n, job, MSG_DONE);
	}
	return NULL;
}

struct tui_net *tui_net_start(struct edu_api *api)
{
	struct tui_net *n = xcalloc(1, sizeof(*n));

	n->api = api;
	if (pipe(n->pipe) < 0)
		abort();	/* no descriptors left at start: nothing can work */
	fcntl(n->pipe[0], F_SETFL, O_NONBLOCK);
	fcntl(n->pipe[0], F_SETFD, FD_CLOEXEC);
	fcntl(n->pipe[1], F_SETFD, FD_CLOEXEC);
	pthread_mutex_init(&n->lock, NULL);
	pthread_cond_init(&n->wake, NULL);
	if (pthread_create(&n->thread, NULL, worker, n))
		abort();
	return n;
}

void tui_net_stop(struct tui *t)
{
	struct tui_net *n = t->net;
	struct msg m;

	if (!n)
		return;
	pthread_mutex_lock(&n->lock);
	n->stop = 1;
	pthread_cond_signal(&n->wake);
	pthread_mutex_unlock(&n->lock);
	pthread_join(n->thread, NULL);
	/* what the worker had done, and what it had not started */
	while (read(n->pipe[0], &m, sizeof(m)) == (ssize_t)sizeof(m))
		if (m.kind == MSG_DONE)
			tui_job_free(m.job);
	while (n->head) {
		struct tui_job *next = n->head->next;

		tui_job_free(n->head);
		n->head = next;
	}
	while (t->flights) {
		struct tui_flight *f = t->flights;

		t->flights = f->next;
		free(f);
	}
	t->npending = 0;
	close(n->pipe[0]);
	close(n->pipe[1]);
	pthread_mutex_destroy(&n->lock);
	pthread_cond_destroy(&n->wake);
	edu_api_free(n->api);
	free(n);
	t->net = NULL;
}

int tui_net_fd(const struct tui_net *n)
{
	return n->pipe[0];
}

struct tui_job *tui_job_new(struct view *v, const char *what, tui_job_run_fn *run,
			    tui_job_done_fn *done)
{
	struct tui_job *job = xcalloc(1, sizeof(*job));

	job->view = v;
	job->what = what;
	job->run = run;
	job->done = done;
	atomic_init(&job->done_bytes, 0);
	atomic_init(&job->total_bytes, 0);
	return job;
}

void tui_job_free(struct tui_job *job)
{
	for (int i = 0; i < 3; i++)
		free(job->id[i]);
	free(job->text);
	free(job->version);
	free(job->path);
	cJSON_Delete(job->body);
	cJSON_Delete(job->out);
	cJSON_Delete(job->current);
	free(job);
}

void tui_job_submit(struct tui *t, struct tui_job *job)
{
	struct tui_net *n = t->net;
	struct tui_flight *f = xmalloc(sizeof(*f));

	f->job = job;
	f->next = t->flights;
	t->flights = f;
	job->net = n;
	t->npending++;
	if (job->view)
		job->view->loading++;
	job->started = tui_now();
	job->next = NULL;
	pthread_mutex_lock(&n->lock);
	if (n->tail)
		n->tail->next = job;
	else
		n->head = job;
	n->tail = job;
	pthread_cond_signal(&n->wake);
	pthread_mutex_unlock(&n->lock);
}

/* Takes job off the list of jobs in flight. */
static void landed(struct tui *t, struct tui_job *job)
{
	struct tui_flight **pp = &t->flights;

	for (; *pp; pp = &(*pp)->next)
		if ((*pp)->job == job) {
			struct tui_flight *f = *pp;

			*pp = f->next;
			free(f);
			t->npending--;
			return;
		}
}

int tui_net_dispatch(struct tui *t)
{
	struct tui_net *n = t->net;
	struct msg m;
	int changed = 0;
	ssize_t r;

	while ((r = read(n->pipe[0], &m, sizeof(m))) == (ssize_t)sizeof(m)) {
		changed = 1;
		if (m.kind == MSG_PROGRESS) {
			n->progress = m.job;
			continue;
		}
		if (n->progress == m.job)
			n->progress = NULL;
		landed(t, m.job);
		if (m.job->view)
			m.job->view->loading--;
		if (m.job->done)
			m.job->done(t, m.job->view, m.job);
		tui_job_free(m.job);
	}
	return changed;
}

int tui_net_pending(const struct tui *t)
{
	return t->npending;
}

void tui_net_forget(struct tui *t, struct view *v)
{
	for (struct tui_flight *f = t->flights; f; f = f->next)
		if (f->job->view == v)
			f->job->view = NULL;
	if (t->prompt.active && t->prompt.view == v)
		tui_prompt_close(t);
}

const struct tui_job *tui_net_progress(const struct tui *t)
{
	return t->net->progress;
}

/*
 * The figures are atomic, and a note goes to the main thread at most ten times a second;
 * the notes of a job come before the one that says it is done, from the same thread, so
 * none arrives after the job is freed.
 */
void tui_job_progress(void *arg, long long done, long long total)
{
	struct tui_job *job = arg;
	double now = tui_now();

	atomic_store(&job->done_bytes, done);
	atomic_store(&job->total_bytes, total);
	if (now - job->last_note >= 0.1 || (total > 0 && done == total)) {
		job->last_note = now;
		send_msg(job->net, job, MSG_PROGRESS);
	}
}
