/* Growable, always NUL-terminated byte buffer. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "xalloc.h"

void edu_buf_init(struct edu_buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void edu_buf_release(struct edu_buf *b)
{
	free(b->data);
	edu_buf_init(b);
}

void edu_buf_reset(struct edu_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void edu_buf_grow(struct edu_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	if (b->cap < 64)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->data = xrealloc(b->data, b->cap);
}

void edu_buf_add(struct edu_buf *b, const void *data, size_t len)
{
	edu_buf_grow(b, len);
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void edu_buf_adds(struct edu_buf *b, const char *s)
{
	edu_buf_add(b, s, strlen(s));
}

void edu_buf_addc(struct edu_buf *b, char c)
{
	edu_buf_add(b, &c, 1);
}

void edu_buf_vprintf(struct edu_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	edu_buf_grow(b, 64);
	va_copy(cp, ap);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		edu_buf_grow(b, (size_t)n);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void edu_buf_printf(struct edu_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	edu_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *edu_buf_detach(struct edu_buf *b)
{
	char *s = b->data ? b->data : xstrdup("");

	edu_buf_init(b);
	return s;
}

const char *edu_buf_str(const struct edu_buf *b)
{
	return b->data ? b->data : "";
}
