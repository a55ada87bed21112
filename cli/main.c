/*
 * edu(1): the command-line client of the edu platform. main() hands the command line to
 * the dispatcher (dispatch.c), which finds the command in the table and runs it, and turns
 * the result into the exit status, in one place. The two hidden entry points that read the
 * tables without running anything come first: the man page's commands and the completion
 * helper.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "edu.h"

int main(int argc, char **argv)
{
	enum edu_err err;

	setlocale(LC_ALL, "");
	if (argc >= 2 && !strcmp(argv[1], "--completion-helper"))
		return edu_complete(argc - 2, argv + 2, stdout);
	if (argc >= 2 && !strcmp(argv[1], "--help-man"))
		return edu_help_man(stdout);
	err = edu_run(argc, argv);
	/* output that could not be written is a failure a script must see */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE)
			edu_error("cannot write the output: %s", strerror(errno));
		if (!err)
			err = EDU_ERR_IO;
	}
	edu_opts_release(edu_global_opts, edu_global_vals);
	return edu_err_exit_code(err);
}
