/* One sanitised line per log entry, written with one write(2) so threads never interleave. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "core/log.h"
#include "safe.h"

void srv_log(const char *fmt, ...)
{
	struct edu_buf b = EDU_BUF_INIT;
	struct timespec ts;
	struct tm tm;
	char stamp[40];
	char *clean;
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	va_start(ap, fmt);
	edu_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	clean = edu_safe_text(edu_buf_str(&b), EDU_SAFE_ONELINE);
	edu_buf_reset(&b);
	edu_buf_printf(&b, "%s.%03ldZ %s\n", stamp, ts.tv_nsec / 1000000, clean);
	if (write(STDERR_FILENO, b.data, b.len) < 0) {
		/* nowhere left to report it */
	}
	free(clean);
	edu_buf_release(&b);
}
