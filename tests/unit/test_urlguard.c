/* URL guard: the URLs it allows and refuses, addresses as sockaddr values,
 * and version tags. Each refusal checks the code and the reason text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "pvecg/urlguard.h"

enum {
	F_HTTP = 1,
	F_PRIV = 2,
	F_ANY = 4
};

static pvecg_fetch_policy
policy(int flags)
{
	pvecg_fetch_policy p;

	pvecg_fetch_policy_init(&p);
	p.allow_http = (flags & F_HTTP) != 0;
	p.allow_private_network = (flags & F_PRIV) != 0;
	p.allow_any_domain = (flags & F_ANY) != 0;
	return p;
}

static void
accepts(const char *url, int flags)
{
	pvecg_fetch_policy p = policy(flags);
	pvecg_error e;
	int rc;

	pvecg_error_clear(&e);
	rc = pvecg_urlguard_check_url(url, &p, &e);
	if (rc != 0)
		fail_msg("%s (flags %d) refused: %s: %s", url, flags, e.where, e.message);
}

/* Refused with PVECG_EPOLICY and a message containing needle. */
static void
refuses(const char *url, int flags, const char *needle)
{
	pvecg_fetch_policy p = policy(flags);
	pvecg_error e;
	int rc;

	pvecg_error_clear(&e);
	rc = pvecg_urlguard_check_url(url, &p, &e);
	if (rc != PVECG_EPOLICY)
		fail_msg("%s (flags %d): expected EPOLICY, got %d", url, flags, rc);
	assert_int_equal(e.code, PVECG_EPOLICY);
	if (strstr(e.message, needle) == NULL)
		fail_msg("%s: message \"%s\" lacks \"%s\"", url, e.message, needle);
	assert_null(strchr(e.message, '\n'));
}

static void
test_urlguard_accepts_public_viewer_urls(void **state)
{
	(void)state;
	accepts("https://pve.proxmox.com/pve-docs/api-viewer/", 0);
	accepts("https://pve.proxmox.com:8006/pve-docs/api-viewer/index.html", 0);
	accepts("https://proxmox.com/", 0);
	accepts("HTTPS://PVE.Proxmox.COM/pve-docs/api-viewer/", 0);
	accepts("https://pve.proxmox.com./pve-docs/api-viewer/", 0);
}

static void
test_urlguard_refuses_http_unless_allowed(void **state)
{
	(void)state;
	refuses("http://pve.proxmox.com/pve-docs/api-viewer/", 0, "use --allow-http");
	accepts("http://pve.proxmox.com/pve-docs/api-viewer/", F_HTTP);
}

static void
test_urlguard_refuses_other_schemes(void **state)
{
	(void)state;
	refuses("file:///etc/passwd", 0, "scheme \"file\" is not allowed");
	refuses("file:///etc/passwd", F_HTTP | F_PRIV | F_ANY, "scheme \"file\"");
	refuses("gopher://pve.proxmox.com/", F_ANY, "scheme \"gopher\"");
	refuses("ftp://pve.proxmox.com/", F_ANY, "scheme \"ftp\"");
	refuses("pve.proxmox.com/pve-docs/", 0, "not a valid URL");
}

static void
test_urlguard_refuses_empty_and_malformed(void **state)
{
	(void)state;
	refuses("", 0, "empty");
	refuses("   \t ", 0, "empty");
	refuses("https://[invalid-ipv6]/", F_PRIV | F_ANY, "not a valid URL");
	refuses("https://pve.proxmox.com/a b", 0, "spaces or control");
	refuses(" https://pve.proxmox.com/", 0, "spaces or control");
	refuses("https://a..proxmox.com/", 0, "empty label");
	refuses("https://1.2.3.4.5/", F_ANY, "not a valid IPv4");
	refuses("https://4294967296/", F_ANY, "not a valid IPv4");
	refuses("https://08.0.0.1/", F_ANY, "not a valid IPv4");
	refuses("https://pve.proxmox.com:99999/", 0, "not a valid URL");
}

static void
test_urlguard_refuses_userinfo(void **state)
{
	(void)state;
	refuses("https://pve.proxmox.com@127.0.0.1/", F_PRIV | F_ANY, "userinfo");
	refuses("https://user:secret@pve.proxmox.com/", 0, "userinfo");
	refuses("https://:secret@pve.proxmox.com/", 0, "userinfo");
	refuses("https://pve.proxmox.com\\@127.0.0.1/", F_PRIV | F_ANY, "userinfo");
	refuses("https://pve.proxmox.com%2F@127.0.0.1/", F_PRIV | F_ANY, "userinfo");
}

static void
test_urlguard_refuses_other_domains_unless_allowed(void **state)
{
	(void)state;
	refuses("https://evil.com/", 0, "not in the allowed domains (proxmox.com)");
	refuses("https://proxmox.com.evil.com/", 0, "not in the allowed domains");
	refuses("https://evilproxmox.com/", 0, "not in the allowed domains");
	accepts("https://evil.com/", F_ANY);
	refuses("https://8.8.8.8/", 0, "use --allow-any-domain");
	accepts("https://8.8.8.8/", F_ANY);
	accepts("https://[::ffff:8.8.8.8]/", F_ANY);
	accepts("https://[2001:4860:4860::8888]/", F_ANY);
}

struct private_case {
	const char *url;
	const char *why;
};

static const struct private_case private_cases[] = {
	{ "https://localhost/", "loopback name" },
	{ "https://localhost./", "loopback name" },
	{ "https://api.localhost/", "loopback name" },
	{ "https://127.0.0.1/", "loopback address" },
	{ "https://127.0.0.1:8006/", "loopback address" },
	{ "https://127.0.0.1./", "loopback address" },
	{ "https://0.0.0.0/", "unspecified" },
	{ "https://10.0.0.5/", "private (RFC 1918)" },
	{ "https://172.16.0.5/", "private (RFC 1918)" },
	{ "https://192.168.1.1/", "private (RFC 1918)" },
	{ "https://169.254.169.254/", "link-local" },
	{ "https://100.64.0.1/", "CGNAT" },
	{ "https://192.0.0.8/", "reserved (192.0.0.0/24)" },
	{ "https://192.0.2.1/", "documentation" },
	{ "https://198.18.0.1/", "benchmarking" },
	{ "https://198.51.100.7/", "documentation" },
	{ "https://203.0.113.9/", "documentation" },
	{ "https://224.0.0.1/", "multicast" },
	{ "https://240.1.2.3/", "reserved (240.0.0.0/4)" },
	{ "https://255.255.255.255/", "broadcast" },
	{ "https://[::]/", "unspecified" },
	{ "https://[::1]/", "loopback address" },
	{ "https://[fe80::1]/", "link-local" },
	{ "https://[fe80::1%25eth0]/", "link-local" },
	{ "https://[fec0::1]/", "site-local" },
	{ "https://[fd00::1]/", "unique local" },
	{ "https://[ff02::1]/", "multicast" },
	{ "https://[2001:db8::1]/", "documentation" },
	{ "https://[::ffff:127.0.0.1]/", "IPv4-mapped address embedding 127.0.0.1, a loopback" },
	{ "https://[::ffff:10.0.0.1]/", "IPv4-mapped address embedding 10.0.0.1, a private" },
	{ "https://[::127.0.0.1]/", "IPv4-compatible address embedding 127.0.0.1" },
	{ "https://[64:ff9b::7f00:1]/", "NAT64 (64:ff9b::/96) address embedding 127.0.0.1" },
	{ "https://[64:ff9b::10.1.2.3]/", "NAT64 (64:ff9b::/96) address embedding 10.1.2.3" },
	{ "https://[2002:7f00:1::]/", "6to4 (2002::/16) address embedding 127.0.0.1" },
	{ "https://[2002:c0a8:101::1]/", "6to4 (2002::/16) address embedding 192.168.1.1" },
	/* Teredo: server 192.168.0.1, then client ~0x80ffffff = 127.0.0.0. */
	{ "https://[2001:0:c0a8:1::1]/",
	    "Teredo (2001::/32) address with server embedding 192.168.0.1" },
	{ "https://[2001:0:808:808:0:0:80ff:fffe]/",
	    "Teredo (2001::/32) address with client embedding 127.0.0.1" },
	{ "https://2130706433/", "loopback address" },
	{ "https://0x7f000001/", "loopback address" },
	{ "https://0177.0.0.1/", "loopback address" },
	{ "https://127.1/", "loopback address" },
	{ "https://0x7f.1/", "loopback address" },
	{ "https://%31%32%37.0.0.1/", "loopback address" },
	{ "https://127%2e0%2e0%2e1/", "loopback address" },
	{ "https://0x7F.0.0.1/", "loopback address" },
	{ "https://0/", "unspecified" },
};

static void
test_urlguard_refuses_private_hosts(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(private_cases) / sizeof(private_cases[0]); i++) {
		refuses(private_cases[i].url, 0, private_cases[i].why);
		/* The domain flag alone does not open the private network. */
		refuses(private_cases[i].url, F_ANY, "use --allow-private-network");
		refuses(private_cases[i].url, F_ANY | F_HTTP, private_cases[i].why);
	}
}

static void
test_urlguard_accepts_private_hosts_with_flags(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(private_cases) / sizeof(private_cases[0]); i++)
		accepts(private_cases[i].url, F_PRIV | F_ANY);
	/* A private literal address needs no domain match: a node is
	 * normally reached by address (the e2e tests rely on it). */
	accepts("http://127.0.0.1:8006/", F_HTTP | F_PRIV);
	/* But a public address or an unknown name still does. */
	refuses("https://8.8.8.8/", F_PRIV, "use --allow-any-domain");
	refuses("https://pve1.lan/", F_PRIV, "not in the allowed domains");
}

static void
test_urlguard_error_names_url_and_reason(void **state)
{
	pvecg_fetch_policy p = policy(0);
	pvecg_error e;

	(void)state;
	pvecg_error_clear(&e);
	assert_int_equal(
	    pvecg_urlguard_check_url("https://127.0.0.1:8006/", &p, &e), PVECG_EPOLICY);
	assert_string_equal(e.where, "https://127.0.0.1:8006/");
	assert_string_equal(e.message,
	    "host 127.0.0.1 is a loopback address "
	    "(use --allow-private-network to allow)");
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_urlguard_check_url("https://0x7f000001/", &p, &e), PVECG_EPOLICY);
	assert_string_equal(e.where, "https://0x7f000001/");
	assert_non_null(strstr(e.message, "127.0.0.1"));
}

static void
test_urlguard_error_redacts_secrets(void **state)
{
	pvecg_fetch_policy p = policy(0);
	pvecg_error e;

	(void)state;
	pvecg_error_clear(&e);
	assert_int_equal(
	    pvecg_urlguard_check_url("https://root:hunter2@10.0.0.1/x?ticket=abc", &p, &e),
	    PVECG_EPOLICY);
	assert_string_equal(e.where, "https://***@10.0.0.1/x?...");
	assert_null(strstr(e.message, "hunter2"));
}

static void
test_urlguard_redact_keeps_plain_urls(void **state)
{
	char out[64];

	(void)state;
	pvecg_urlguard_redact(out, sizeof(out), "https://pve.proxmox.com/a/b");
	assert_string_equal(out, "https://pve.proxmox.com/a/b");
	pvecg_urlguard_redact(out, sizeof(out), "https://u@h/?q#f");
	assert_string_equal(out, "https://***@h/?...");
	pvecg_urlguard_redact(out, sizeof(out), "https://h/a@b");
	assert_string_equal(out, "https://h/a@b");
}

static void
test_urlguard_domain_list_is_proxmox(void **state)
{
	(void)state;
	assert_string_equal(pvecg_urlguard_domains[0], "proxmox.com");
	assert_null(pvecg_urlguard_domains[1]);
}

/* ---- addresses as sockaddr values ---------------------------------------- */

static int
check_v4(const char *text, unsigned short port, bool allow, pvecg_error *e)
{
	struct sockaddr_in in;

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_port = htons(port);
	assert_int_equal(inet_pton(AF_INET, text, &in.sin_addr), 1);
	pvecg_error_clear(e);
	return pvecg_urlguard_check_addr(
	    (const struct sockaddr *)&in, allow, "https://pve.proxmox.com/", e);
}

static int
check_v6(const char *text, unsigned short port, bool allow, pvecg_error *e)
{
	struct sockaddr_in6 in6;

	memset(&in6, 0, sizeof(in6));
	in6.sin6_family = AF_INET6;
	in6.sin6_port = htons(port);
	assert_int_equal(inet_pton(AF_INET6, text, &in6.sin6_addr), 1);
	pvecg_error_clear(e);
	return pvecg_urlguard_check_addr(
	    (const struct sockaddr *)&in6, allow, "https://pve.proxmox.com/", e);
}

static void
test_urlguard_addr_refuses_private_ipv4(void **state)
{
	static const char *const bad[] = { "127.0.0.1", "127.255.0.1", "0.0.0.0", "10.0.0.5",
		"172.16.0.5", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
		"100.127.255.255", "192.0.0.1", "192.0.2.1", "198.18.0.1", "198.19.255.255",
		"198.51.100.1", "203.0.113.1", "224.0.0.251", "239.255.255.250", "240.0.0.1",
		"255.255.255.255" };
	pvecg_error e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (check_v4(bad[i], 443, false, &e) != PVECG_EPOLICY)
			fail_msg("%s accepted", bad[i]);
		assert_non_null(strstr(e.message, bad[i]));
		assert_int_equal(check_v4(bad[i], 443, true, &e), 0);
	}
	assert_int_equal(check_v4("127.0.0.1", 8006, false, &e), PVECG_EPOLICY);
	assert_string_equal(e.where, "https://pve.proxmox.com/");
	assert_string_equal(e.message,
	    "address 127.0.0.1 port 8006 is a loopback "
	    "address (use --allow-private-network to allow)");
}

static void
test_urlguard_addr_accepts_public_ipv4(void **state)
{
	static const char *const good[] = { "8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1",
		"100.63.255.255", "100.128.0.1", "192.0.3.1", "198.17.255.255", "198.20.0.1",
		"212.224.123.70", "223.255.255.255" };
	pvecg_error e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (check_v4(good[i], 443, false, &e) != 0)
			fail_msg("%s refused: %s", good[i], e.message);
}

static void
test_urlguard_addr_refuses_private_ipv6(void **state)
{
	static const char *const bad[] = { "::", "::1", "fe80::1", "febf::1", "fec0::1", "fc00::1",
		"fdff::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::127.0.0.1",
		"::10.0.0.1", "64:ff9b::7f00:1", "64:ff9b:1::1", "2002:7f00:1::", "2002:a00:1::1",
		"2001:db8::1", "2001:0:c0a8:1::1", "100::1", "3fff:fff::1" };
	pvecg_error e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (check_v6(bad[i], 443, false, &e) != PVECG_EPOLICY)
			fail_msg("%s accepted", bad[i]);
		assert_non_null(strstr(e.message, "use --allow-private-network"));
		assert_int_equal(check_v6(bad[i], 443, true, &e), 0);
	}
	assert_int_equal(check_v6("::ffff:127.0.0.1", 8006, false, &e), PVECG_EPOLICY);
	assert_string_equal(e.message,
	    "address ::ffff:127.0.0.1 port 8006 is an "
	    "IPv4-mapped address embedding 127.0.0.1, a loopback address "
	    "(use --allow-private-network to allow)");
}

static void
test_urlguard_addr_accepts_public_ipv6(void **state)
{
	static const char *const good[] = { "2001:4860:4860::8888", "2a01:4f8::1", "::ffff:8.8.8.8",
		"64:ff9b::808:808", "2002:808:808::1", "2606:4700::1111", "3fff:1000::1" };
	pvecg_error e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (check_v6(good[i], 443, false, &e) != 0)
			fail_msg("%s refused: %s", good[i], e.message);
}

static void
test_urlguard_addr_refuses_other_families(void **state)
{
	struct sockaddr sa;
	pvecg_error e;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sa_family = AF_UNIX;
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_urlguard_check_addr(&sa, true, "x", &e), PVECG_EPOLICY);
	assert_non_null(strstr(e.message, "address family"));
}

/* ---- version tags ------------------------------------------------------- */

static void
tag_ok(const char *in, const char *want)
{
	char buf[64];
	pvecg_error e;

	snprintf(buf, sizeof(buf), "%s", in);
	pvecg_error_clear(&e);
	if (pvecg_urlguard_check_tag(buf, &e) != 0)
		fail_msg("tag \"%s\" refused: %s", in, e.message);
	assert_string_equal(buf, want);
}

static void
tag_bad(const char *in, const char *needle)
{
	char buf[256];
	pvecg_error e;

	snprintf(buf, sizeof(buf), "%s", in);
	pvecg_error_clear(&e);
	if (pvecg_urlguard_check_tag(buf, &e) != PVECG_EUSAGE)
		fail_msg("tag \"%s\" accepted", in);
	if (strstr(e.message, needle) == NULL)
		fail_msg("tag \"%s\": message \"%s\" lacks \"%s\"", in, e.message, needle);
}

static void
test_urlguard_tag_accepts_and_trims(void **state)
{
	(void)state;
	tag_ok("9.1", "9.1");
	tag_ok("pve-9.1_2", "pve-9.1_2");
	tag_ok("  8.4\n", "8.4");
	tag_ok("\tv1 ", "v1");
	tag_ok("a.b.c", "a.b.c");
	tag_ok("latest", "latest");
	tag_ok("9.1-lockdown", "9.1-lockdown");
}

static void
test_urlguard_tag_refuses_bad_tags(void **state)
{
	(void)state;
	tag_bad("", "empty");
	tag_bad("   ", "empty");
	tag_bad(".", "must start with a letter or a digit");
	tag_bad("..", "\"..\"");
	tag_bad("a..b", "version tag \"a..b\"");
	tag_bad("../etc", "version tag \"../etc\"");
	tag_bad("a/b", "version tag \"a/b\" is not allowed");
	tag_bad("a\\b", "only letters");
	tag_bad("a b", "only letters");
	tag_bad("ä", "only letters");
	tag_bad("$(id)", "only letters");
}

/* Names the output stage keeps beside the versions: a tag must never be one. */
static void
test_urlguard_tag_refuses_internal_names(void **state)
{
	char long_tag[200];

	(void)state;
	tag_bad(".9.1.lock", "must start with a letter or a digit");
	tag_bad(".latest.tmp-1", "must start with a letter or a digit");
	tag_bad(".hidden", "must start with a letter or a digit");
	tag_bad("-9.1", "must start with a letter or a digit");
	tag_bad("_x", "must start with a letter or a digit");
	tag_bad("9.1.lock", "\".lock\" is part of the tool's internal file names");
	tag_bad("9.1.LOCK", "\".lock\" is part of the tool's internal file names");
	tag_bad("latest.tmp-123", "\".tmp-\" is part of the tool's internal file names");
	tag_bad("9..1", "must not contain \"..\"");
	memset(long_tag, 'a', PVECG_TAG_MAX + 1);
	long_tag[PVECG_TAG_MAX + 1] = '\0';
	tag_bad(long_tag, "longer than 127 characters");
	long_tag[PVECG_TAG_MAX] = '\0';
	{
		char buf[200];
		pvecg_error e;

		snprintf(buf, sizeof(buf), "%s", long_tag);
		assert_int_equal(pvecg_urlguard_check_tag(buf, &e), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_urlguard_accepts_public_viewer_urls),
		cmocka_unit_test(test_urlguard_refuses_http_unless_allowed),
		cmocka_unit_test(test_urlguard_refuses_other_schemes),
		cmocka_unit_test(test_urlguard_refuses_empty_and_malformed),
		cmocka_unit_test(test_urlguard_refuses_userinfo),
		cmocka_unit_test(test_urlguard_refuses_other_domains_unless_allowed),
		cmocka_unit_test(test_urlguard_refuses_private_hosts),
		cmocka_unit_test(test_urlguard_accepts_private_hosts_with_flags),
		cmocka_unit_test(test_urlguard_error_names_url_and_reason),
		cmocka_unit_test(test_urlguard_error_redacts_secrets),
		cmocka_unit_test(test_urlguard_redact_keeps_plain_urls),
		cmocka_unit_test(test_urlguard_domain_list_is_proxmox),
		cmocka_unit_test(test_urlguard_addr_refuses_private_ipv4),
		cmocka_unit_test(test_urlguard_addr_accepts_public_ipv4),
		cmocka_unit_test(test_urlguard_addr_refuses_private_ipv6),
		cmocka_unit_test(test_urlguard_addr_accepts_public_ipv6),
		cmocka_unit_test(test_urlguard_addr_refuses_other_families),
		cmocka_unit_test(test_urlguard_tag_accepts_and_trims),
		cmocka_unit_test(test_urlguard_tag_refuses_bad_tags),
		cmocka_unit_test(test_urlguard_tag_refuses_internal_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
