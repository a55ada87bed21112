/*
 * Asking the user for things (see prompt.h). Passwords are read from /dev/tty with echo
 * off; if a signal arrives meanwhile the terminal is put back before the signal is let
 * through, so an interrupted prompt never leaves the shell without echo.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

#include <readline/readline.h>

#include "buf.h"
#include "edu.h"
#include "prompt.h"
#include "safe.h"
#include "xalloc.h"

#define MAX_SECRET 1024

int edu_can_prompt(void)
{
	return isatty(STDIN_FILENO) && isatty(STDERR_FILENO);
}

char *edu_prompt(const char *question, const char *def)
{
	char *raw, *q, *line;

	if (def && *def)
		raw = xasprintf("%s [%s]: ", question, def);
	else
		raw = xasprintf("%s: ", question);
	/* a question may name things from the server: one line, whatever they hold */
	q = edu_safe_text(raw, EDU_SAFE_ONELINE);
	free(raw);
	/* the prompt and the echo go to stderr: stdout belongs to the command's output */
	rl_outstream = stderr;
	line = readline(q);
	free(q);
	if (line && !*line && def) {
		free(line);
		return xstrdup(def);
	}
	if (line) {
		/* readline's memory is malloc's; hand out our own copy all the same */
		char *copy = xstrdup(line);

		free(line);
		line = copy;
	}
	return line;
}

int edu_confirm(const char *question)
{
	char *q = xasprintf("%s [y/N]", question), *line = edu_prompt(q, NULL);
	int yes = line && (!strcasecmp(line, "y") || !strcasecmp(line, "yes"));

	free(q);
	free(line);
	return yes;
}

void edu_secret_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

char *edu_prompt_password(const char *question)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP };
	struct sigaction sa, old[sizeof(sigs) / sizeof(sigs[0])];
	struct termios saved, quiet;
	char buf[MAX_SECRET], c;
	char *result = NULL;
	size_t n = 0;
	ssize_t r;
	int fd, eof = 0;

	fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		edu_error("no terminal to read the password from; use --password-stdin");
		return NULL;
	}
	if (tcgetattr(fd, &saved) < 0) {
		edu_error("cannot set up the terminal: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: read() returns EINTR */
	sigemptyset(&sa.sa_mask);
	got_signal = 0;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, &old[i]);

	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	quiet.c_lflag |= ICANON;
	/* the prompt is a courtesy: reading works without it */
	(void)!write(fd, question, strlen(question));
	(void)!write(fd, ": ", 2);
	tcsetattr(fd, TCSAFLUSH, &quiet);
	for (;;) {
		r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR && !got_signal)
			continue;
		if (r <= 0) {
			eof = 1;
			break;
		}
		if (c == '\n')
			break;
		if (n < sizeof(buf) - 1)
			buf[n++] = c;
	}
	buf[n] = '\0';
	tcsetattr(fd, TCSAFLUSH, &saved);
	(void)!write(fd, "\n", 1);
	close(fd);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &old[i], NULL);
	if (got_signal) {
		explicit_bzero(buf, sizeof(buf));
		/* the terminal is back as it was: now let the signal do what it does */
		raise(got_signal);
		return NULL;
	}
	if (eof && n == 0)
		edu_error("no password given");
	else
		result = xstrndup(buf, n);
	explicit_bzero(buf, sizeof(buf));
	return result;
}

char *edu_read_stdin_line(void)
{
	struct edu_buf b = EDU_BUF_INIT;
	int c;

	edu_buf_grow(&b, 256);	/* fewer copies of a secret left in freed memory */
	/* byte by byte from the file descriptor's buffer: a later read must find the
	 * next line still there */
	while ((c = getchar()) != EOF && c != '\n')
		edu_buf_addc(&b, (char)c);
	if (c == EOF && b.len == 0) {
		edu_buf_release(&b);
		return NULL;
	}
	if (b.len > 0 && b.data[b.len - 1] == '\r')
		b.data[--b.len] = '\0';
	if (!b.data)
		edu_buf_adds(&b, "");
	return edu_buf_detach(&b);
}
