/*
 * A growable byte buffer that is always NUL-terminated.
 *
 *	struct edu_buf b = EDU_BUF_INIT;
 *	edu_buf_printf(&b, "%d", 42);
 *	...use b.data, b.len...
 *	edu_buf_release(&b);
 *
 * edu_buf_detach() hands the bytes to the caller (who frees them) and resets the buffer.
 */
#ifndef EDU_BUF_H
#define EDU_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct edu_buf {
	char *data;	/* never NULL after the first append; "" when empty */
	size_t len;
	size_t cap;
};

#define EDU_BUF_INIT { NULL, 0, 0 }

void edu_buf_init(struct edu_buf *b);
void edu_buf_release(struct edu_buf *b);
void edu_buf_reset(struct edu_buf *b);
void edu_buf_grow(struct edu_buf *b, size_t extra);
void edu_buf_add(struct edu_buf *b, const void *data, size_t len);
void edu_buf_adds(struct edu_buf *b, const char *s);
void edu_buf_addc(struct edu_buf *b, char c);
void edu_buf_printf(struct edu_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void edu_buf_vprintf(struct edu_buf *b, const char *fmt, va_list ap);
/* Returns the bytes (caller frees; "" for an empty buffer) and leaves b empty. */
char *edu_buf_detach(struct edu_buf *b);
/* The contents as a string, "" when nothing was added. */
const char *edu_buf_str(const struct edu_buf *b);

#endif
