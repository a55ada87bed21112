/*
 * The connections edud holds, and what keeps slow clients from holding them all:
 *
 * - max_connections: how many at once in all (sized for idle event streams), bounded by
 *   the open-file limit, whose soft value edud raises to the hard one;
 * - max_connections_per_address: how many at once from one client address (an IPv6
 *   client counts by its /64); a connection past it is closed at once, without an answer.
 *   The address is the socket's peer: behind a load balancer that is the balancer's, so
 *   the addresses of trusted_proxies are not limited (they carry many clients, and bound
 *   slow clients themselves);
 * - header_timeout: the whole header of a request must arrive within that many seconds of
 *   the connection's opening, or of the end of the answer before on a kept-alive
 *   connection, however slowly it trickles in; past it the connection is closed. Bodies
 *   and answers (uploads, event streams) are not bound by it.
 *
 * http.c hands these functions to libmicrohttpd (srv_conn_accept, srv_conn_notify) and
 * calls srv_conn_request_begins() when a request's header is in, srv_conn_request_ends()
 * when its answer is done. A thread of its own closes the connections past their deadline.
 */
#ifndef SRV_CONN_H
#define SRV_CONN_H

#include <microhttpd.h>
#include <sys/socket.h>

/*
 * Reads the three keys, raises the open-file limit and starts the deadline thread. The
 * connection limit to give libmicrohttpd (max_connections, or less when the open-file
 * limit allows less: logged) goes to *limit. 0, or -1 after logging why.
 */
int srv_conn_start(unsigned *limit);
/* After the HTTP daemon has stopped. */
void srv_conn_stop(void);

/* libmicrohttpd's accept policy: refuses an address already at its limit. */
enum MHD_Result srv_conn_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen);
/* libmicrohttpd's MHD_OPTION_NOTIFY_CONNECTION: a connection opens or closes. */
void srv_conn_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
		     enum MHD_ConnectionNotificationCode code);

/* A request's header is in (its deadline is met); its answer is done (the next begins). */
void srv_conn_request_begins(struct MHD_Connection *conn);
void srv_conn_request_ends(struct MHD_Connection *conn);

#endif
