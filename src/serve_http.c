/* serve_http: HTTP hygiene of the service that libmicrohttpd leaves to us.
 *
 * Who the client is (the peer, or behind one trusted reverse proxy the
 * address it appended to X-Forwarded-For), with IPv6 clients keyed by
 * their /64; refusing requests whose framing two parsers could read
 * differently (request smuggling); and error details that name a version
 * and a reason but never an absolute server path. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "serve_int.h"

union addr {
	struct in_addr v4;
	struct in6_addr v6;
};

/* af_out AF_INET or AF_INET6 with the bytes of text; 0 when not an IP. */
static int
parse_ip(int *af_out, union addr *a, const char *text)
{
	if (inet_pton(AF_INET, text, &a->v4) == 1) {
		*af_out = AF_INET;
		return 1;
	}
	if (inet_pton(AF_INET6, text, &a->v6) == 1) {
		*af_out = AF_INET6;
		return 1;
	}
	return 0;
}

/* IPv4-mapped IPv6 becomes IPv4: one client, one key. */
static void
unmap(int *af, union addr *a)
{
	if (*af == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&a->v6)) {
		struct in_addr v4;
		memcpy(&v4, &a->v6.s6_addr[12], 4);
		a->v4 = v4;
		*af = AF_INET;
	}
}

static void
format_client(char *addr, size_t acap, char *key, size_t kcap, int af, union addr a)
{
	char text[INET6_ADDRSTRLEN];

	unmap(&af, &a);
	if (inet_ntop(af, &a, text, sizeof(text)) == NULL)
		snprintf(text, sizeof(text), "unknown");
	snprintf(addr, acap, "%s", text);
	if (af != AF_INET6) {
		snprintf(key, kcap, "%s", text);
		return;
	}
	/* one IPv6 client holds a whole /64 */
	memset(&a.v6.s6_addr[8], 0, 8);
	if (inet_ntop(AF_INET6, &a.v6, text, sizeof(text)) == NULL)
		snprintf(text, sizeof(text), "unknown");
	snprintf(key, kcap, "%s/64", text);
}

static int
peer_of(int *af, union addr *a, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
	    conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	if (sa == NULL)
		return 0;
	if (sa->sa_family == AF_INET) {
		a->v4 = ((const struct sockaddr_in *)(const void *)sa)->sin_addr;
		*af = AF_INET;
		return 1;
	}
	if (sa->sa_family == AF_INET6) {
		a->v6 = ((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr;
		*af = AF_INET6;
		return 1;
	}
	return 0;
}

struct xff {
	char last[256]; /* the last X-Forwarded-For header seen */
	bool seen;
};

static enum MHD_Result
xff_cb(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct xff *x = cls;

	(void)kind;
	if (key != NULL && value != NULL && strcasecmp(key, "X-Forwarded-For") == 0) {
		const char *comma = strrchr(value, ',');
		snprintf(x->last, sizeof(x->last), "%s", comma ? comma + 1 : value);
		x->seen = true;
	}
	return MHD_YES;
}

/* The entry the proxy appended: the last one of the last header. */
static int
forwarded_for(int *af, union addr *a, struct MHD_Connection *conn)
{
	struct xff x = { "", false };
	char *p, *e;

	MHD_get_connection_values(conn, MHD_HEADER_KIND, xff_cb, &x);
	if (!x.seen)
		return 0;
	p = x.last;
	while (*p == ' ' || *p == '\t')
		p++;
	e = p + strlen(p);
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	if (*p == '[' && e > p + 1 && e[-1] == ']') {
		*--e = '\0';
		p++;
	}
	return parse_ip(af, a, p);
}

static bool
same_addr(int af1, const union addr *a1, int af2, const union addr *a2)
{
	if (af1 != af2)
		return false;
	return af1 == AF_INET ? memcmp(&a1->v4, &a2->v4, sizeof(a1->v4)) == 0
	                      : memcmp(&a1->v6, &a2->v6, sizeof(a1->v6)) == 0;
}

void
serve_http_client(char *addr, size_t acap, char *key, size_t kcap, struct MHD_Connection *conn,
    const char *trust_proxy)
{
	union addr peer, proxy, fwd;
	int paf = 0, xaf = 0, faf = 0;

	memset(&peer, 0, sizeof(peer));
	if (!peer_of(&paf, &peer, conn)) {
		snprintf(addr, acap, "unknown");
		snprintf(key, kcap, "unknown");
		return;
	}
	unmap(&paf, &peer);
	if (trust_proxy != NULL && parse_ip(&xaf, &proxy, trust_proxy)) {
		unmap(&xaf, &proxy);
		if (same_addr(paf, &peer, xaf, &proxy) && forwarded_for(&faf, &fwd, conn)) {
			format_client(addr, acap, key, kcap, faf, fwd);
			return;
		}
	}
	format_client(addr, acap, key, kcap, paf, peer);
}

int
serve_http_check_proxy(const char *trust_proxy, pvecg_error *err)
{
	union addr a;
	int af;

	if (trust_proxy == NULL || parse_ip(&af, &a, trust_proxy))
		return 0;
	return pvecg_error_set(err, PVECG_EUSAGE, "--trust-proxy",
	    "expected the proxy's IPv4 or IPv6 address, got '%.80s'", trust_proxy);
}

struct framing {
	unsigned n_cl, n_te;
	char cl[64], te[64];
	bool cl_differ;
};

static enum MHD_Result
framing_cb(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct framing *f = cls;

	(void)kind;
	if (key == NULL)
		return MHD_YES;
	if (value == NULL)
		value = "";
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
		if (f->n_cl++ == 0)
			snprintf(f->cl, sizeof(f->cl), "%s", value);
		else if (strcmp(f->cl, value) != 0)
			f->cl_differ = true;
	} else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
		if (f->n_te++ == 0)
			snprintf(f->te, sizeof(f->te), "%s", value);
	}
	return MHD_YES;
}

unsigned
serve_http_framing(struct MHD_Connection *conn, char *detail, size_t dcap)
{
	struct framing f;

	memset(&f, 0, sizeof(f));
	MHD_get_connection_values(conn, MHD_HEADER_KIND, framing_cb, &f);
	if (f.cl_differ) {
		snprintf(detail, dcap, "conflicting Content-Length headers");
		return MHD_HTTP_BAD_REQUEST;
	}
	if (f.n_te > 0 && f.n_cl > 0) {
		snprintf(detail, dcap, "Content-Length together with Transfer-Encoding");
		return MHD_HTTP_BAD_REQUEST;
	}
	if (f.n_te > 1) {
		snprintf(detail, dcap, "more than one Transfer-Encoding header");
		return MHD_HTTP_BAD_REQUEST;
	}
	if (f.n_te == 1 && strcasecmp(f.te, "chunked") != 0) {
		snprintf(
		    detail, dcap, "transfer coding '%.40s' is not supported (only chunked)", f.te);
		return MHD_HTTP_NOT_IMPLEMENTED;
	}
	return 0;
}

/* Copies s to out, with every place under root named relative to it and
 * any other absolute path (a '/' that starts a word) replaced. */
static void
redact(char *out, size_t cap, const char *s, const char *root)
{
	size_t rl = strlen(root), w = 0;
	char prev = ' ';

	while (*s && w + 1 < cap) {
		bool word = prev == ' ' || prev == '\'' || prev == '"' || prev == '(' ||
		    prev == '=';
		if (word && rl > 0 && strncmp(s, root, rl) == 0 && s[rl] == '/') {
			s += rl + 1;
			prev = '/';
			continue;
		}
		if (word && *s == '/') {
			const char *repl = "<server path>";
			while (*s && *s != ' ' && *s != '\'' && *s != '"' && *s != ')' && *s != ',')
				s++;
			for (; *repl && w + 1 < cap; repl++)
				out[w++] = *repl;
			prev = '>';
			continue;
		}
		prev = *s;
		out[w++] = *s++;
	}
	out[w] = '\0';
}

const char *
serve_http_under(const char *path, const char *root)
{
	size_t rl = strlen(root);
	const char *slash;

	if (rl > 0 && strncmp(path, root, rl) == 0 && path[rl] == '/')
		return path + rl + 1;
	slash = strrchr(path, '/');
	return slash != NULL ? slash + 1 : path;
}

void
serve_http_detail(char *out, size_t cap, const pvecg_error *e, const char *root, const char *tag)
{
	char where[sizeof(e->where) + 64], msg[sizeof(e->message) + 64];
	size_t rl = strlen(root);

	if (e->where[0] == '/' && !(strncmp(e->where, root, rl) == 0 && e->where[rl] == '/'))
		snprintf(where, sizeof(where), "version %s", tag && *tag ? tag : "(server)");
	else
		redact(where, sizeof(where), e->where, root);
	redact(msg, sizeof(msg), e->message, root);
	if (where[0])
		snprintf(out, cap, "%s: %s", where, msg);
	else
		snprintf(out, cap, "%s", msg);
}
