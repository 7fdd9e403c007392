/* urlguard: decides whether a URL, a resolved address or the address
 * about to be connected to may be used, before any byte is sent.
 *
 * Rules (see include/pvecg/urlguard.h):
 * - scheme https; http only with allow_http; nothing else;
 * - no userinfo ("https://pve.proxmox.com@127.0.0.1/" is a classic trick);
 * - literal addresses (IPv4 in any inet_aton spelling, IPv6 with the IPv4
 *   it embeds) and the name localhost are refused when private unless
 *   allow_private_network, and then need no domain match: a Proxmox node
 *   is normally reached by its private address;
 * - public literal addresses and every other name need allow_any_domain
 *   unless the name is one of pvecg_urlguard_domains or below it. */
#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "pvecg/urlguard.h"

const char *const pvecg_urlguard_domains[] = { "proxmox.com", NULL };

#define PRIVATE_HINT "(use --allow-private-network to allow)"

/* ---- address classification ------------------------------------------ */

struct v4_range {
	uint32_t net;
	int bits;
	const char *what;
};

/* Order matters: the first match names the reason. */
static const struct v4_range v4_refused[] = {
	{ 0x00000000u, 8, "an unspecified (0.0.0.0/8) address" },
	{ 0x0a000000u, 8, "a private (RFC 1918) address" },
	{ 0x64400000u, 10, "a shared CGNAT (100.64.0.0/10) address" },
	{ 0x7f000000u, 8, "a loopback address" },
	{ 0xa9fe0000u, 16, "a link-local address" },
	{ 0xac100000u, 12, "a private (RFC 1918) address" },
	{ 0xc0000000u, 24, "a reserved (192.0.0.0/24) address" },
	{ 0xc0000200u, 24, "a documentation (192.0.2.0/24) address" },
	{ 0xc0586300u, 24, "a reserved 6to4 relay (192.88.99.0/24) address" },
	{ 0xc0a80000u, 16, "a private (RFC 1918) address" },
	{ 0xc6120000u, 15, "a benchmarking (198.18.0.0/15) address" },
	{ 0xc6336400u, 24, "a documentation (198.51.100.0/24) address" },
	{ 0xcb007100u, 24, "a documentation (203.0.113.0/24) address" },
	{ 0xe0000000u, 4, "a multicast address" },
	{ 0xffffffffu, 32, "a broadcast address" },
	{ 0xf0000000u, 4, "a reserved (240.0.0.0/4) address" },
};

/* Returns why the host-order address a is refused, or NULL. */
static const char *
v4_reason(uint32_t a)
{
	size_t i;

	for (i = 0; i < sizeof(v4_refused) / sizeof(v4_refused[0]); i++) {
		uint32_t mask = 0xffffffffu << (32 - v4_refused[i].bits);

		if ((a & mask) == v4_refused[i].net)
			return v4_refused[i].what;
	}
	return NULL;
}

static uint32_t
be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
v4_text(char *out, size_t n, uint32_t a)
{
	snprintf(out, n, "%u.%u.%u.%u", (unsigned)(a >> 24), (unsigned)(a >> 16 & 0xff),
	    (unsigned)(a >> 8 & 0xff), (unsigned)(a & 0xff));
}

static int
v6_prefix(const uint8_t *a, const uint8_t *pfx, int bits)
{
	int full = bits / 8, rest = bits % 8;

	if (memcmp(a, pfx, (size_t)full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((a[full] ^ pfx[full]) & (0xff << (8 - rest)) & 0xff) == 0;
}

/* Writes why the IPv4 address embedded in an IPv6 one is refused. */
static int
embedded_reason(char *out, size_t n, const char *kind, uint32_t v4)
{
	const char *why = v4_reason(v4);
	char t[INET_ADDRSTRLEN];

	if (why == NULL)
		return 0;
	v4_text(t, sizeof(t), v4);
	snprintf(out, n, "%s embedding %s, %s", kind, t, why);
	return 1;
}

/* Returns 1 and a reason ("a loopback address", ...) when refused. */
static int
v6_reason(char *out, size_t n, const uint8_t a[16])
{
	static const uint8_t zero[16];
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const uint8_t nat64[12] = { 0, 0x64, 0xff, 0x9b };
	static const uint8_t nat64_local[6] = { 0, 0x64, 0xff, 0x9b, 0, 1 };
	static const uint8_t sixto4[2] = { 0x20, 0x02 };
	static const uint8_t teredo[4] = { 0x20, 0x01, 0, 0 };
	static const uint8_t doc[4] = { 0x20, 0x01, 0x0d, 0xb8 };
	static const uint8_t doc2[3] = { 0x3f, 0xff, 0x00 };
	static const uint8_t bench[6] = { 0x20, 0x01, 0, 0x02, 0, 0 };
	static const uint8_t discard[8] = { 0x01, 0 };
	static const uint8_t ula[1] = { 0xfc };
	static const uint8_t ll[2] = { 0xfe, 0x80 };
	static const uint8_t sl[2] = { 0xfe, 0xc0 };
	static const uint8_t mc[1] = { 0xff };
	const char *why = NULL;

	if (memcmp(a, zero, 16) == 0)
		why = "an unspecified address";
	else if (memcmp(a, zero, 15) == 0 && a[15] == 1)
		why = "a loopback address";
	else if (memcmp(a, mapped, 12) == 0)
		return embedded_reason(out, n, "an IPv4-mapped address", be32_at(a + 12));
	else if (memcmp(a, zero, 12) == 0)
		return embedded_reason(out, n, "an IPv4-compatible address", be32_at(a + 12));
	else if (memcmp(a, nat64, 12) == 0)
		return embedded_reason(out, n, "a NAT64 (64:ff9b::/96) address", be32_at(a + 12));
	else if (v6_prefix(a, nat64_local, 48))
		why = "a local-use NAT64 (64:ff9b:1::/48) address";
	else if (v6_prefix(a, sixto4, 16))
		return embedded_reason(out, n, "a 6to4 (2002::/16) address", be32_at(a + 2));
	else if (v6_prefix(a, teredo, 32)) {
		/* Server in bits 32..63, client obfuscated in the last 32. */
		if (embedded_reason(
		        out, n, "a Teredo (2001::/32) address with server", be32_at(a + 4)))
			return 1;
		return embedded_reason(
		    out, n, "a Teredo (2001::/32) address with client", ~be32_at(a + 12));
	} else if (v6_prefix(a, doc, 32) || v6_prefix(a, doc2, 20))
		why = "a documentation address";
	else if (v6_prefix(a, bench, 48))
		why = "a benchmarking (2001:2::/48) address";
	else if (v6_prefix(a, discard, 64))
		why = "a discard-only (100::/64) address";
	else if (v6_prefix(a, ula, 7))
		why = "a unique local (fc00::/7) address";
	else if (v6_prefix(a, ll, 10))
		why = "a link-local address";
	else if (v6_prefix(a, sl, 10))
		why = "a site-local address";
	else if (v6_prefix(a, mc, 8))
		why = "a multicast address";
	if (why == NULL)
		return 0;
	snprintf(out, n, "%s", why);
	return 1;
}

/* ---- IPv4 spellings ----------------------------------------------------- */

/* One part of an inet_aton spelling: decimal, 0x hex or 0 octal.
 * Returns 0, or -1 when s is not a number. */
PVECG_NODISCARD static int
v4_part(uint64_t *out, const char *s, size_t len)
{
	uint64_t v = 0;
	unsigned base = 10;
	size_t i = 0;

	if (len == 0)
		return -1;
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (len >= 2 && s[0] == '0') {
		base = 8;
		i = 1;
	}
	for (; i < len; i++) {
		int d;

		if (isdigit((unsigned char)s[i]))
			d = s[i] - '0';
		else if (base == 16 && isxdigit((unsigned char)s[i]))
			d = tolower((unsigned char)s[i]) - 'a' + 10;
		else
			return -1;
		if ((unsigned)d >= base)
			return -1;
		v = v * base + (unsigned)d;
		if (v > 0xffffffffu)
			return -2; /* numeric but too large */
	}
	*out = v;
	return 0;
}

/* The WHATWG rule: a host whose last label is a number (all digits, or
 * 0x and hex digits) is an IPv4 address or invalid, never a name. */
static int
ends_in_number(const char *host)
{
	const char *last = strrchr(host, '.');
	size_t i = 0;

	last = last ? last + 1 : host;
	if (last[0] == '0' && (last[1] == 'x' || last[1] == 'X')) {
		for (i = 2; last[i] != '\0'; i++)
			if (!isxdigit((unsigned char)last[i]))
				return 0;
		return 1;
	}
	for (i = 0; last[i] != '\0'; i++)
		if (!isdigit((unsigned char)last[i]))
			return 0;
	return i > 0;
}

/* Parses every spelling inet_aton and browsers accept (2130706433,
 * 0x7f000001, 0177.0.0.1, 127.1). Returns 0 and the host-order address,
 * -1 when host is not numeric, -2 when it looks numeric but is invalid
 * (those must not reach a resolver that might read them differently). */
static int
v4_parse(uint32_t *out, const char *host)
{
	uint64_t part[4];
	const char *p = host, *dot;
	size_t n = 0, i;
	uint64_t v;
	int rc;

	for (;;) {
		dot = strchr(p, '.');
		if (n == 4)
			return -2;
		rc = v4_part(&part[n], p, dot ? (size_t)(dot - p) : strlen(p));
		if (rc != 0)
			return ends_in_number(host) ? -2 : -1;
		n++;
		if (dot == NULL)
			break;
		p = dot + 1;
	}
	for (i = 0; i + 1 < n; i++)
		if (part[i] > 0xff)
			return -2;
	if (part[n - 1] > (0xffffffffu >> (8 * (n - 1))))
		return -2;
	v = part[n - 1];
	for (i = 0; i + 1 < n; i++)
		v |= part[i] << (8 * (3 - i));
	*out = (uint32_t)v;
	return 0;
}

/* ---- URL checks --------------------------------------------------------- */

static int
host_char_ok(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '.' || c == '_';
}

static int
domain_allowed(const char *host)
{
	size_t hl = strlen(host), i;

	for (i = 0; pvecg_urlguard_domains[i] != NULL; i++) {
		const char *d = pvecg_urlguard_domains[i];
		size_t dl = strlen(d);

		if (hl == dl && strcasecmp(host, d) == 0)
			return 1;
		if (hl > dl && host[hl - dl - 1] == '.' && strcasecmp(host + hl - dl, d) == 0)
			return 1;
	}
	return 0;
}

static int
is_localhost(const char *host)
{
	size_t hl = strlen(host);

	return strcasecmp(host, "localhost") == 0 ||
	    (hl > 10 && strcasecmp(host + hl - 10, ".localhost") == 0);
}

/* '@' anywhere in the authority means userinfo, whatever curl made of it. */
static int
has_userinfo(const char *url, CURLU *u)
{
	static const CURLUPart parts[] = { CURLUPART_USER, CURLUPART_PASSWORD, CURLUPART_OPTIONS };
	const char *auth = strstr(url, "://");
	size_t i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		char *s = NULL;

		if (curl_url_get(u, parts[i], &s, 0) == CURLUE_OK && s != NULL) {
			curl_free(s);
			return 1;
		}
	}
	if (auth == NULL)
		return 0;
	auth += 3;
	return memchr(auth, '@', strcspn(auth, "/?#")) != NULL;
}

/* "a, b, c" from pvecg_urlguard_domains, for messages. */
static const char *
domain_list_text(char *out, size_t n)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; pvecg_urlguard_domains[i] != NULL && len < n; i++)
		len += (size_t)snprintf(
		    out + len, n - len, "%s%s", i ? ", " : "", pvecg_urlguard_domains[i]);
	return out;
}

PVECG_NODISCARD static int
check_public_literal(
    const char *where, const char *host, const pvecg_fetch_policy *p, pvecg_error *err)
{
	char domains[256];

	if (p->allow_any_domain)
		return 0;
	return pvecg_error_set(err, PVECG_EPOLICY, where,
	    "host %s is an address, not a name in the allowed domains (%s) "
	    "(use --allow-any-domain to allow)",
	    host, domain_list_text(domains, sizeof(domains)));
}

PVECG_NODISCARD static int
check_v6_host(const char *where, const char *host, const pvecg_fetch_policy *p, pvecg_error *err)
{
	char inner[INET6_ADDRSTRLEN + 8], why[192];
	struct in6_addr a;
	size_t hl = strlen(host);

	if (hl < 3 || hl - 2 >= sizeof(inner) || host[hl - 1] != ']')
		return pvecg_error_set(
		    err, PVECG_EPOLICY, where, "host %s is not a valid IPv6 address", host);
	memcpy(inner, host + 1, hl - 2);
	inner[hl - 2] = '\0';
	if (inet_pton(AF_INET6, inner, &a) != 1)
		return pvecg_error_set(
		    err, PVECG_EPOLICY, where, "host %s is not a valid IPv6 address", host);
	if (v6_reason(why, sizeof(why), a.s6_addr)) {
		if (p->allow_private_network)
			return 0;
		return pvecg_error_set(
		    err, PVECG_EPOLICY, where, "host %s is %s " PRIVATE_HINT, host, why);
	}
	return check_public_literal(where, host, p, err);
}

PVECG_NODISCARD static int
check_name_host(const char *where, char *host, const pvecg_fetch_policy *p, pvecg_error *err)
{
	size_t hl = strlen(host), i;
	const char *why;
	uint32_t v4;
	int rc;

	/* "name." is the same name; strip one dot so it is no bypass. */
	if (hl > 1 && host[hl - 1] == '.')
		host[--hl] = '\0';
	if (hl == 0 || host[0] == '.' || strstr(host, "..") != NULL)
		return pvecg_error_set(
		    err, PVECG_EPOLICY, where, "host \"%s\" has an empty label", host);
	for (i = 0; i < hl; i++)
		if (!host_char_ok(host[i]))
			return pvecg_error_set(err, PVECG_EPOLICY, where,
			    "host \"%s\" has characters not allowed in a host name "
			    "(use the punycode form)",
			    host);
	rc = v4_parse(&v4, host);
	if (rc == -2)
		return pvecg_error_set(err, PVECG_EPOLICY, where,
		    "host %s looks numeric but is not a valid IPv4 address", host);
	if (rc == 0) {
		char t[INET_ADDRSTRLEN];

		v4_text(t, sizeof(t), v4);
		why = v4_reason(v4);
		if (why != NULL && !p->allow_private_network) {
			if (strcmp(t, host) == 0)
				return pvecg_error_set(err, PVECG_EPOLICY, where,
				    "host %s is %s " PRIVATE_HINT, host, why);
			return pvecg_error_set(err, PVECG_EPOLICY, where,
			    "host %s means %s, which is %s " PRIVATE_HINT, host, t, why);
		}
		return why != NULL ? 0 : check_public_literal(where, t, p, err);
	}
	if (is_localhost(host)) {
		if (p->allow_private_network)
			return 0;
		return pvecg_error_set(
		    err, PVECG_EPOLICY, where, "host %s is a loopback name " PRIVATE_HINT, host);
	}
	if (!p->allow_any_domain && !domain_allowed(host)) {
		char domains[256];

		return pvecg_error_set(err, PVECG_EPOLICY, where,
		    "host %s is not in the allowed domains (%s) "
		    "(use --allow-any-domain to allow)",
		    host, domain_list_text(domains, sizeof(domains)));
	}
	return 0;
}

PVECG_NODISCARD static int
check_scheme(const char *where, const char *scheme, const pvecg_fetch_policy *p, pvecg_error *err)
{
	if (strcasecmp(scheme, "https") == 0)
		return 0;
	if (strcasecmp(scheme, "http") == 0) {
		if (p->allow_http)
			return 0;
		return pvecg_error_set(err, PVECG_EPOLICY, where,
		    "plain http is refused, TLS is required (use --allow-http to allow)");
	}
	return pvecg_error_set(err, PVECG_EPOLICY, where,
	    "scheme \"%s\" is not allowed (only https%s)", scheme,
	    p->allow_http ? " and http" : "");
}

static int
blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

void
pvecg_urlguard_redact(char *out, size_t n, const char *url)
{
	const char *auth, *at, *end, *q;
	size_t skip_from = 0, skip_to = 0, cut, len;

	if (n == 0)
		return;
	if (url == NULL) {
		out[0] = '\0';
		return;
	}
	len = strlen(url);
	auth = strstr(url, "://");
	auth = auth ? auth + 3 : url;
	end = auth + strcspn(auth, "/?#");
	at = NULL;
	for (q = auth; q < end; q++)
		if (*q == '@')
			at = q;
	if (at != NULL) {
		skip_from = (size_t)(auth - url);
		skip_to = (size_t)(at - url);
	}
	cut = (size_t)(end - url) + strcspn(end, "?#");
	snprintf(out, n, "%.*s%s%.*s%s", (int)(at ? skip_from : 0), url, at ? "***" : "",
	    (int)(cut - skip_to), url + skip_to, cut < len ? "?..." : "");
}

int
pvecg_urlguard_check_url(const char *url, const pvecg_fetch_policy *p, pvecg_error *err)
{
	char *scheme = NULL, *host = NULL, where[512];
	CURLU *u = NULL;
	CURLUcode uc;
	const char *s;
	int rc;

	if (url == NULL || blank(url))
		return pvecg_error_set(err, PVECG_EPOLICY, url ? url : "", "the URL is empty");
	pvecg_urlguard_redact(where, sizeof(where), url);
	for (s = url; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return pvecg_error_set(err, PVECG_EPOLICY, where,
			    "the URL contains spaces or control characters");
	u = curl_url();
	if (u == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, where, "out of memory");
	uc = curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME);
	if (uc != CURLUE_OK) {
		rc = pvecg_error_set(
		    err, PVECG_EPOLICY, where, "not a valid URL: %s", curl_url_strerror(uc));
		goto out;
	}
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK) {
		rc = pvecg_error_set(err, PVECG_EPOLICY, where, "the URL has no scheme");
		goto out;
	}
	rc = check_scheme(where, scheme, p, err);
	if (rc != 0)
		goto out;
	if (has_userinfo(url, u)) {
		rc = pvecg_error_set(err, PVECG_EPOLICY, where,
		    "the URL contains userinfo (user@), which is not allowed");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || host == NULL ||
	    host[0] == '\0') {
		rc = pvecg_error_set(err, PVECG_EPOLICY, where, "the URL has no host");
		goto out;
	}
	if (host[0] == '[')
		rc = check_v6_host(where, host, p, err);
	else
		rc = check_name_host(where, host, p, err);
out:
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

int
pvecg_urlguard_check_addr(
    const struct sockaddr *sa, bool allow_private, const char *where, pvecg_error *err)
{
	char text[INET6_ADDRSTRLEN], why[192];
	unsigned port;

	if (sa == NULL)
		return pvecg_error_set(err, PVECG_EPOLICY, where, "no address");
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
		const char *w = v4_reason(ntohl(in->sin_addr.s_addr));

		inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
		port = ntohs(in->sin_port);
		if (w == NULL || allow_private)
			return 0;
		snprintf(why, sizeof(why), "%s", w);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
		port = ntohs(in6->sin6_port);
		if (!v6_reason(why, sizeof(why), in6->sin6_addr.s6_addr) || allow_private)
			return 0;
	} else {
		return pvecg_error_set(err, PVECG_EPOLICY, where,
		    "address family %d is not allowed", (int)sa->sa_family);
	}
	return pvecg_error_set(
	    err, PVECG_EPOLICY, where, "address %s port %u is %s " PRIVATE_HINT, text, port, why);
}

static int
tag_char_ok(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '-';
}

int
pvecg_urlguard_check_tag(char *tag, pvecg_error *err)
{
	static const char *const internal[] = { ".lock", ".tmp-", NULL };
	size_t len, start = 0, i;

	if (tag == NULL)
		return pvecg_error_set(
		    err, PVECG_EUSAGE, "--version-tag", "the version tag is missing");
	len = strlen(tag);
	while (start < len && isspace((unsigned char)tag[start]))
		start++;
	while (len > start && isspace((unsigned char)tag[len - 1]))
		len--;
	memmove(tag, tag + start, len - start);
	len -= start;
	tag[len] = '\0';
	if (len == 0)
		return pvecg_error_set(
		    err, PVECG_EUSAGE, "--version-tag", "the version tag is empty");
	if (len > PVECG_TAG_MAX)
		return pvecg_error_set(err, PVECG_EUSAGE, "--version-tag",
		    "version tag \"%.40s...\" is longer than %d characters", tag, PVECG_TAG_MAX);
	for (i = 0; i < len; i++)
		if (!tag_char_ok(tag[i]))
			return pvecg_error_set(err, PVECG_EUSAGE, "--version-tag",
			    "version tag \"%.80s\" is not allowed: only letters, digits, "
			    "'.', '_' and '-' may be used",
			    tag);
	/* The tool's own names beside the versions all start with '.'. */
	if (!isalnum((unsigned char)tag[0]))
		return pvecg_error_set(err, PVECG_EUSAGE, "--version-tag",
		    "version tag \"%.80s\" is not allowed: it must start with a letter or a digit",
		    tag);
	if (strstr(tag, "..") != NULL)
		return pvecg_error_set(err, PVECG_EUSAGE, "--version-tag",
		    "version tag \"%.80s\" is not allowed: it must not contain \"..\"", tag);
	for (i = 0; internal[i] != NULL; i++)
		if (strcasestr(tag, internal[i]) != NULL)
			return pvecg_error_set(err, PVECG_EUSAGE, "--version-tag",
			    "version tag \"%.80s\" is not allowed: \"%s\" is part of the tool's "
			    "internal file names",
			    tag, internal[i]);
	return 0;
}
