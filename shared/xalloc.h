/*
 * Allocation wrappers that abort on out-of-memory, so callers never check for NULL.
 * Every pointer they return is owned by the caller, who frees it with free().
 */
#ifndef EDU_XALLOC_H
#define EDU_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* size bytes at an address that is a multiple of align (a power of two, for O_DIRECT say). */
void *xaligned(size_t align, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
