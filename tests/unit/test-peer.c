/* The client's address behind trusted load balancers: trusted_proxies and X-Forwarded-For. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "core/conf.h"
#include "core/peer.h"
#include "tap.h"

static int use(const char *proxies)
{
	char err[128];

	if (srv_config_set("trusted_proxies", proxies, err, sizeof(err)) < 0)
		return -1;
	return srv_peer_init();
}

/* The address srv_peer_address() gives for a peer (text) and an X-Forwarded-For. */
static const char *client(const char *peer, const char *xff)
{
	static char out[64];
	struct sockaddr_in in4 = { .sin_family = AF_INET };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6 };

	if (inet_pton(AF_INET, peer, &in4.sin_addr) == 1)
		srv_peer_address((struct sockaddr *)&in4, xff, out, sizeof(out));
	else if (inet_pton(AF_INET6, peer, &in6.sin6_addr) == 1)
		srv_peer_address((struct sockaddr *)&in6, xff, out, sizeof(out));
	else
		srv_peer_address(NULL, xff, out, sizeof(out));
	return out;
}

static void test_no_proxies(void)
{
	CU_ASSERT_EQUAL_FATAL(use(""), 0);
	/* nobody is trusted: the header is anyone's to send, and ignored */
	CU_ASSERT_STRING_EQUAL(client("127.0.0.1", "203.0.113.5"), "127.0.0.1");
	CU_ASSERT_STRING_EQUAL(client("192.0.2.1", NULL), "192.0.2.1");
	CU_ASSERT_STRING_EQUAL(client("none", NULL), "-");
}

static void test_one_proxy(void)
{
	CU_ASSERT_EQUAL_FATAL(use("127.0.0.1"), 0);
	CU_ASSERT_STRING_EQUAL(client("127.0.0.1", "203.0.113.5"), "203.0.113.5");
	CU_ASSERT_STRING_EQUAL(client("127.0.0.1", NULL), "127.0.0.1");
	/* what the client wrote itself is left of what the proxy appended */
	CU_ASSERT_STRING_EQUAL(client("127.0.0.1", "1.2.3.4, 198.51.100.7"), "198.51.100.7");
	CU_ASSERT_STRING_EQUAL(client("127.0.0.1", "spoofed,198.51.100.7"), "198.51.100.7");
	/* another peer's header counts for nothing */
	CU_ASSERT_STRING_EQUAL(client("192.0.2.1", "203.0.113.5"), "192.0.2.1");
}

static void test_chain_and_ranges(void)
{
	CU_ASSERT_EQUAL_FATAL(use("10.0.0.0/8, 192.168.1.0/25 ::1"), 0);
	CU_ASSERT_STRING_EQUAL(client("10.1.2.3", "203.0.113.5, 10.0.0.2"), "203.0.113.5");
	CU_ASSERT_STRING_EQUAL(client("192.168.1.100", "203.0.113.9"), "203.0.113.9");
	/* outside the /25 */
	CU_ASSERT_STRING_EQUAL(client("192.168.1.200", "203.0.113.9"), "192.168.1.200");
	CU_ASSERT_STRING_EQUAL(client("11.0.0.1", "203.0.113.9"), "11.0.0.1");
	/* only proxies in the chain: the farthest one */
	CU_ASSERT_STRING_EQUAL(client("10.0.0.1", "10.0.0.3, 10.0.0.2"), "10.0.0.3");
	/* a malformed hop: the last one we could believe */
	CU_ASSERT_STRING_EQUAL(client("10.0.0.1", "203.0.113.5, garbage"), "10.0.0.1");
	CU_ASSERT_STRING_EQUAL(client("10.0.0.1", "garbage, 10.0.0.7"), "10.0.0.7");
	CU_ASSERT_STRING_EQUAL(client("10.0.0.1", ""), "10.0.0.1");
	CU_ASSERT_STRING_EQUAL(client("::1", "2001:db8::1"), "2001:db8::1");
	/* an IPv4 client seen through an IPv6 socket */
	CU_ASSERT_STRING_EQUAL(client("::ffff:10.0.0.1", "203.0.113.5"), "203.0.113.5");
}

static void test_bad_entries(void)
{
	CU_ASSERT_EQUAL(use("10.0.0.0/33"), -1);
	CU_ASSERT_EQUAL(use("lb.example.org"), -1);
	CU_ASSERT_EQUAL(use("10.0.0.0/"), -1);
	CU_ASSERT_EQUAL(use("::1/129"), -1);
	/* a refused list trusts nobody */
	CU_ASSERT_STRING_EQUAL(client("127.0.0.1", "203.0.113.5"), "127.0.0.1");
	CU_ASSERT_EQUAL(use(""), 0);
}

static CU_TestInfo peer_tests[] = {
	{ "without trusted proxies X-Forwarded-For is ignored", test_no_proxies },
	{ "a trusted proxy names the client", test_one_proxy },
	{ "chains of proxies, CIDR ranges, IPv6", test_chain_and_ranges },
	{ "a bad trusted_proxies entry is refused", test_bad_entries },
	CU_TEST_INFO_NULL
};

static CU_SuiteInfo suites[] = {
	{ "peer", NULL, NULL, NULL, NULL, peer_tests },
	CU_SUITE_INFO_NULL
};

int main(int argc, char **argv)
{
	int rc = tap_main(argc, argv, suites);

	srv_peer_free();
	srv_config_free();
	return rc;
}
