/*
 * edud's log: one line per entry on stderr, with a UTC timestamp. Every line passes through
 * the terminal-safe routine in one-line mode, so nothing a client sent can forge a line or
 * carry an escape sequence. Tokens and passwords are never logged.
 */
#ifndef SRV_LOG_H
#define SRV_LOG_H

void srv_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
