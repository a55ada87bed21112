/*
 * Asking the user: a line (readline, on a terminal), a password (from the terminal, not
 * echoed), or a line from standard input for scripts (--password-stdin). Prompts go to
 * the terminal or stderr, never stdout, so `edu ... | ...` and `$(edu ...)` stay clean.
 */
#ifndef EDU_PROMPT_H
#define EDU_PROMPT_H

/* Nonzero when the user can be asked (stdin and stderr are terminals). */
int edu_can_prompt(void);
/*
 * Asks question (with def shown in brackets and used for an empty answer). Returns the
 * answer (caller frees), or NULL at end of input.
 */
char *edu_prompt(const char *question, const char *def);
/*
 * Reads a password from the controlling terminal without echo. Returns it (free with
 * edu_secret_free()), or NULL after printing why (no terminal, end of input).
 */
char *edu_prompt_password(const char *question);
/*
 * Asks "QUESTION [y/N]: " on the terminal: 1 for y or yes, 0 for anything else, the end of
 * input too. The caller says what happens without a terminal (edu_can_prompt()).
 */
int edu_confirm(const char *question);
/* One line of standard input without its line end (free with edu_secret_free()), or NULL at its end. */
char *edu_read_stdin_line(void);
/* Zeroes and frees a secret. */
void edu_secret_free(char *s);

#endif
