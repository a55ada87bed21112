/*
 * Checks of text that comes from outside, the same everywhere: ids, and (text.c) the one
 * check of UTF-8 text that every name, title and comment goes through.
 */
#ifndef SRV_CORE_TEXT_H
#define SRV_CORE_TEXT_H

/* Nonzero when s is a UUID in canonical text form (path ids are checked before any query). */
int srv_is_uuid(const char *s);

#endif
