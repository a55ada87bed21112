/* The router: hands every resource's route table to core/route.c. */
#ifndef SRV_ROUTER_H
#define SRV_ROUTER_H

/* Once, before any route is matched or listed (edud, and the tests of the table). */
void srv_router_init(void);

#endif
