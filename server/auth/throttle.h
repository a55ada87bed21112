/*
 * Throttling of wrong passwords and codes per account (login_max_failures per
 * login_failure_window), counted in the database so that every edud on it shares the count.
 */
#ifndef SRV_AUTH_THROTTLE_H
#define SRV_AUTH_THROTTLE_H

#include "core/req.h"

/*
 * srv_throttle_wait gives the seconds to wait (0: go ahead) or -1 after a database
 * failure; srv_throttle_failed records one failure (0, or -1 after a database failure).
 */
long srv_throttle_wait(struct srv_req *r, const char *school_id, const char *user_id);
int srv_throttle_failed(struct srv_req *r, const char *school_id, const char *user_id);
/* 429 rate_limited with Retry-After. */
void srv_reply_throttled(struct srv_req *r, long seconds);
/* 503 with Retry-After: 1, when the password pool stayed busy. */
void srv_reply_busy(struct srv_req *r);

#endif
