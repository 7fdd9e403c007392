/* serve_log: the access log of the HTTP service, one line per request:
 *
 *   2026-12-03T13:45:00.123Z 192.0.2.7 GET /codegen/openapi 200 51234 0.004
 *
 * (UTC time, client, method, path, status, body bytes, seconds). Fields
 * never contain a space: method and path are %-escaped. Headers are never
 * logged, so neither the API key nor a token can appear. Each line is one
 * write(2) to a file opened with O_APPEND, so lines from several threads
 * (or processes sharing the file) do not interleave. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "serve_int.h"

struct serve_log {
	int fd;
	bool own;
};

int
serve_log_open(serve_log **out, const char *path, bool quiet, pvecg_error *err)
{
	serve_log *l;

	*out = NULL;
	if (path == NULL && quiet)
		return 0;
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, "--access-log", "out of memory");
	l->fd = STDERR_FILENO;
	if (path != NULL) {
		l->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);
		if (l->fd < 0) {
			int e = errno;
			free(l);
			return pvecg_error_set(
			    err, PVECG_EIO, path, "cannot open the access log: %s", strerror(e));
		}
		l->own = true;
	}
	*out = l;
	return 0;
}

void
serve_log_close(serve_log *l)
{
	if (l == NULL)
		return;
	if (l->own)
		close(l->fd);
	free(l);
}

/* Printable ASCII except space, quotes, backslash and '%' pass; the rest
 * becomes %XX. Truncated (with "...") past cap. */
static void
escape(char *out, size_t cap, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t w = 0;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool plain = c > 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%';
		if (w + (plain ? 1 : 3) + 4 > cap) {
			memcpy(out + w, "...", 3);
			w += 3;
			break;
		}
		if (plain) {
			out[w++] = (char)c;
		} else {
			out[w++] = '%';
			out[w++] = hex[c >> 4];
			out[w++] = hex[c & 15];
		}
	}
	if (w == 0)
		out[w++] = '-';
	out[w] = '\0';
}

void
serve_log_request(serve_log *l, const char *client, const char *method, const char *path,
    unsigned status, unsigned long long bytes, double seconds)
{
	char when[32], m[64], p[1024], line[1280];
	struct timespec ts;
	struct tm tm;
	int n;

	if (l == NULL)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	escape(m, sizeof(m), method ? method : "");
	escape(p, sizeof(p), path ? path : "");
	n = snprintf(line, sizeof(line), "%s.%03ldZ %s %s %s %u %llu %.3f\n", when,
	    ts.tv_nsec / 1000000L, client, m, p, status, bytes, seconds);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = (int)sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	while (write(l->fd, line, (size_t)n) < 0 && errno == EINTR)
		;
}
