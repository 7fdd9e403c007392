/* httpd: HTTP plumbing shared by the servers: listen addresses, TLS key
 * material, the libmicrohttpd daemon and its options, URL decoding. */
#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "pvecg/httpd.h"
#include "pvecg/util.h"

int
pvecg_httpd_parse_listen(struct sockaddr_storage *ss, const char *listen, pvecg_error *err)
{
	char host[256];
	const char *port, *h = listen;
	size_t hl;
	struct addrinfo hints, *res = NULL;
	int gai;

	if (listen[0] == '[') {
		const char *close = strchr(listen, ']');

		if (!close || close[1] != ':')
			return pvecg_error_set(err, PVECG_EUSAGE, listen, "expected [ADDR]:PORT");
		h = listen + 1;
		hl = (size_t)(close - h);
		port = close + 2;
	} else {
		const char *colon = strrchr(listen, ':');

		if (!colon)
			return pvecg_error_set(err, PVECG_EUSAGE, listen, "expected ADDR:PORT");
		hl = (size_t)(colon - listen);
		port = colon + 1;
	}
	if (hl == 0 || hl >= sizeof(host) || !*port || strspn(port, "0123456789") != strlen(port) ||
	    strlen(port) > 5 || atol(port) > 65535)
		return pvecg_error_set(err, PVECG_EUSAGE, listen, "expected ADDR:PORT");
	memcpy(host, h, hl);
	host[hl] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((gai = getaddrinfo(host, port, &hints, &res)) != 0)
		return pvecg_error_set(err, PVECG_EUSAGE, listen, "%s", gai_strerror(gai));
	if (res->ai_addrlen > sizeof(*ss)) {
		freeaddrinfo(res);
		return pvecg_error_set(err, PVECG_EUSAGE, listen, "unsupported address");
	}
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return 0;
}

int
pvecg_httpd_load_tls(pvecg_buf *cert, pvecg_buf *key, const char *cert_file, const char *key_file,
    const char *who, pvecg_error *err)
{
	int rc;

	if (!cert_file && !key_file)
		return 0;
	if (!cert_file || !key_file)
		return pvecg_error_set(
		    err, PVECG_EUSAGE, who, "--tls-cert and --tls-key go together");
	if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
		return pvecg_error_set(
		    err, PVECG_EUSAGE, who, "libmicrohttpd was built without TLS");
	if ((rc = pvecg_read_file(cert, cert_file, 1 << 20, err)))
		return rc;
	return pvecg_read_file(key, key_file, 1 << 20, err);
}

int
pvecg_httpd_start(struct MHD_Daemon **out, const pvecg_httpd_config *c, pvecg_error *err)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO;
	struct MHD_OptionItem ops[16];
	size_t n = 0;

	if (c->addr->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (c->error_log)
		flags |= MHD_USE_ERROR_LOG;
	if (c->cert->data)
		flags |= MHD_USE_TLS;
	if (c->suspend_resume)
		flags |= MHD_ALLOW_SUSPEND_RESUME;
	ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_SOCK_ADDR, 0, (void *)c->addr };
	if (c->idle_timeout_s)
		ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT,
			c->idle_timeout_s, NULL };
	if (c->connection_limit)
		ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT,
			c->connection_limit, NULL };
	if (c->per_ip_limit)
		ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_PER_IP_CONNECTION_LIMIT,
			c->per_ip_limit, NULL };
	if (c->memory_limit)
		ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_MEMORY_LIMIT,
			(intptr_t)c->memory_limit, NULL };
	if (c->backlog)
		ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_LISTEN_BACKLOG_SIZE, c->backlog,
			NULL };
	ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)c->on_completed,
		c->cls };
	if (c->on_connection)
		ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_NOTIFY_CONNECTION,
			(intptr_t)c->on_connection, c->cls };
	if (c->threads > 1)
		ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_THREAD_POOL_SIZE, c->threads, NULL };
	if (c->cert->data) {
		ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, c->cert->data };
		ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, c->key->data };
	}
	ops[n++] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	*out = MHD_start_daemon(
	    flags, 0, NULL, NULL, c->on_request, c->cls, MHD_OPTION_ARRAY, ops, MHD_OPTION_END);
	if (*out == NULL)
		return pvecg_error_set(err, PVECG_EIO, c->listen,
		    "cannot listen (address in use, or bad TLS certificate/key?)");
	return 0;
}

PVECG_NODISCARD static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *
pvecg_httpd_unescape(char *s, int plus)
{
	char *r = s, *w = s;

	while (*r) {
		if (*r == '%' && hexval((unsigned char)r[1]) >= 0 &&
		    hexval((unsigned char)r[2]) >= 0) {
			*w++ = (char)(hexval((unsigned char)r[1]) * 16 +
			    hexval((unsigned char)r[2]));
			r += 3;
		} else if (*r == '+' && plus) {
			*w++ = ' ';
			r++;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return s;
}

void
pvecg_httpd_origin(char *out, size_t cap, const struct sockaddr_storage *ss, unsigned port, int tls)
{
	char host[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ss)->sin_addr, host,
		    sizeof(host));
	else
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)ss)->sin6_addr,
		    host, sizeof(host));
	snprintf(out, cap, "%s://%s%s%s:%u", tls ? "https" : "http",
	    ss->ss_family == AF_INET6 ? "[" : "", host, ss->ss_family == AF_INET6 ? "]" : "", port);
}
