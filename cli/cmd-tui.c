/*
 * `edu tui`: starts the full-screen client, edu-tui(1), with the same profile and server:
 * the edu-tui beside this edu (an installed pair, or a build tree's cli/ and tui/), else
 * the one on the PATH. edu's own process becomes it (exec), so its exit status is edu's.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "edu.h"
#include "xalloc.h"

/* edu-tui next to this program (../tui/edu-tui in a build tree), or NULL (caller frees). */
static char *beside_me(void)
{
	static const char *const tries[] = { "edu-tui", "../tui/edu-tui" };
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		char *path = xasprintf("%s/%s", self, tries[i]);

		if (access(path, X_OK) == 0)
			return path;
		free(path);
	}
	return NULL;
}

int edu_cmd_tui(struct edu_ctx *ctx, int argc, char **argv, struct edu_optval *opts)
{
	char *path = beside_me();
	const char *args[8];
	int n = 0;

	args[n++] = "edu-tui";
	args[n++] = "--profile";
	args[n++] = ctx->profile;
	if (ctx->server) {
		args[n++] = "--server";
		args[n++] = ctx->server;
	}
	args[n] = NULL;
	fflush(stdout);
	if (path)
		execv(path, (char *const *)args);
	else
		execvp("edu-tui", (char *const *)args);
	edu_error("cannot run edu-tui: %s (is it installed beside edu, or on the PATH?)",
		  strerror(errno));
	free(path);
	return EDU_ERR_FAIL;
}
