/* fetch: real libcurl against a tiny HTTP server thread on 127.0.0.1
 * that answers canned responses and records what it received. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pvecg/fetch.h"
#include "pvecg/urlguard.h"
#include "pvecg/util.h"

#define MAX_ANSWERS 8

struct server {
	int fd;
	unsigned short port;
	const char *answers[MAX_ANSWERS];
	size_t n_answers;
	char requests[MAX_ANSWERS][2048];
	size_t served;
	bool hold; /* keep each connection open until the client closes it */
	pthread_t thread;
};

static void
read_request(int c, char *out, size_t n)
{
	size_t len = 0;

	while (len + 1 < n) {
		ssize_t r = recv(c, out + len, n - 1 - len, 0);

		if (r <= 0)
			break;
		len += (size_t)r;
		out[len] = '\0';
		if (strstr(out, "\r\n\r\n") != NULL)
			break;
	}
	out[len] = '\0';
}

static void *
serve(void *arg)
{
	struct server *s = arg;

	while (s->served < s->n_answers) {
		const char *a = s->answers[s->served];
		int c = accept(s->fd, NULL, NULL);

		if (c < 0)
			break;
		read_request(c, s->requests[s->served], sizeof(s->requests[0]));
		s->served++;
		if (send(c, a, strlen(a), MSG_NOSIGNAL) < 0)
			perror("send");
		if (s->hold) {
			char sink[256];

			while (recv(c, sink, sizeof(sink), 0) > 0)
				;
		}
		close(c);
	}
	return NULL;
}

/* Listens on 127.0.0.1:0; the thread starts only with start_server. */
static void
listen_server(struct server *s)
{
	struct sockaddr_in in;
	socklen_t len = sizeof(in);
	int one = 1;

	memset(s, 0, sizeof(*s));
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s->fd >= 0);
	setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s->fd, (struct sockaddr *)&in, sizeof(in)), 0);
	assert_int_equal(listen(s->fd, 8), 0);
	assert_int_equal(getsockname(s->fd, (struct sockaddr *)&in, &len), 0);
	s->port = ntohs(in.sin_port);
}

static void
start_server(struct server *s)
{
	assert_int_equal(pthread_create(&s->thread, NULL, serve, s), 0);
}

static void
stop_server(struct server *s, bool started)
{
	if (started) {
		shutdown(s->fd, SHUT_RDWR);
		pthread_join(s->thread, NULL);
	}
	close(s->fd);
}

/* True when a client connection is waiting: something reached us. */
static bool
connection_pending(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 200) > 0;
}

static pvecg_fetch_policy
local_policy(void)
{
	pvecg_fetch_policy p;

	pvecg_fetch_policy_init(&p);
	p.allow_http = true;
	p.allow_private_network = true;
	p.connect_timeout_s = 5;
	p.timeout_s = 10;
	return p;
}

static void
url_for(char *out, size_t n, const char *host, unsigned short port, const char *path)
{
	snprintf(out, n, "http://%s:%u%s", host, (unsigned)port, path);
}

static int
setup(void **state)
{
	pvecg_error e;

	(void)state;
	return pvecg_fetch_global_init(&e);
}

static int
teardown(void **state)
{
	(void)state;
	pvecg_fetch_global_cleanup();
	return 0;
}

static void
test_fetch_policy_defaults(void **state)
{
	pvecg_fetch_policy p;

	(void)state;
	memset(&p, 0xa5, sizeof(p));
	pvecg_fetch_policy_init(&p);
	assert_int_equal(p.connect_timeout_s, 10);
	assert_int_equal(p.timeout_s, 60);
	assert_int_equal(p.stall_timeout_s, 15);
	assert_int_equal(p.max_size, 64u * 1024 * 1024);
	assert_false(p.allow_http);
	assert_false(p.allow_private_network);
	assert_false(p.allow_any_domain);
	assert_false(p.insecure);
	assert_false(p.follow_redirects);
	assert_null(p.progress);
	assert_null(p.cacert);
	assert_null(p.api_token);
	assert_int_equal(p.n_resolve, 0);
}

static void
test_fetch_gets_body(void **state)
{
	struct server s;
	pvecg_fetch_policy p = local_policy();
	pvecg_buf body = PVECG_BUF_INIT;
	pvecg_error e;
	char url[128];

	(void)state;
	listen_server(&s);
	s.answers[s.n_answers++] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
	start_server(&s);
	url_for(url, sizeof(url), "127.0.0.1", s.port, "/apidoc.js");
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_fetch(&body, url, &p, &e), 0);
	assert_int_equal(body.len, 5);
	assert_string_equal(body.data, "hello");
	assert_non_null(strstr(s.requests[0], "GET /apidoc.js HTTP/1.1\r\n"));
	assert_null(strstr(s.requests[0], "Authorization"));
	pvecg_buf_free(&body);
	stop_server(&s, true);
}

static void
test_fetch_refuses_loopback_before_connecting(void **state)
{
	struct server s;
	pvecg_fetch_policy p = local_policy();
	pvecg_buf body = PVECG_BUF_INIT;
	pvecg_error e;
	char url[128];

	(void)state;
	listen_server(&s);
	p.allow_private_network = false;
	url_for(url, sizeof(url), "127.0.0.1", s.port, "/");
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_fetch(&body, url, &p, &e), PVECG_EPOLICY);
	assert_string_equal(e.where, url);
	assert_non_null(strstr(e.message, "loopback address"));
	assert_false(connection_pending(s.fd));
	assert_null(body.data);
	stop_server(&s, false);
}

/* DNS rebinding: the name passes the URL check, the pinned address is
 * refused in the socket callback, before connect(). */
static void
test_fetch_refuses_pinned_private_address(void **state)
{
	struct server s;
	pvecg_fetch_policy p = local_policy();
	pvecg_buf body = PVECG_BUF_INIT;
	pvecg_error e;
	char url[128], pin[128], want[128];
	const char *pins[1];

	(void)state;
	listen_server(&s);
	p.allow_private_network = false;
	snprintf(pin, sizeof(pin), "pve.proxmox.com:%u:127.0.0.1", (unsigned)s.port);
	pins[0] = pin;
	p.resolve = pins;
	p.n_resolve = 1;
	url_for(url, sizeof(url), "pve.proxmox.com", s.port, "/");
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_fetch(&body, url, &p, &e), PVECG_EPOLICY);
	assert_string_equal(e.where, url);
	snprintf(want, sizeof(want), "address 127.0.0.1 port %u is a loopback address",
	    (unsigned)s.port);
	assert_non_null(strstr(e.message, want));
	assert_false(connection_pending(s.fd));
	stop_server(&s, false);
}

static void
test_fetch_pinned_private_address_allowed_with_flag(void **state)
{
	struct server s;
	pvecg_fetch_policy p = local_policy();
	pvecg_buf body = PVECG_BUF_INIT;
	pvecg_error e;
	char url[128], pin[128];
	const char *pins[1];

	(void)state;
	listen_server(&s);
	s.answers[s.n_answers++] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
	start_server(&s);
	snprintf(pin, sizeof(pin), "pve.proxmox.com:%u:127.0.0.1", (unsigned)s.port);
	pins[0] = pin;
	p.resolve = pins;
	p.n_resolve = 1;
	url_for(url, sizeof(url), "pve.proxmox.com", s.port, "/");
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_fetch(&body, url, &p, &e), 0);
	assert_string_equal(body.data, "ok");
	assert_non_null(strstr(s.requests[0], "Host: pve.proxmox.com:"));
	pvecg_buf_free(&body);
	stop_server(&s, true);
}

static void
test_fetch_reports_http_status(void **state)
{
	struct server s;
	pvecg_fetch_policy p = local_policy();
	pvecg_buf body = PVECG_BUF_INIT;
	pvecg_error e;
	char url[128];

	(void)state;
	listen_server(&s);
	s.answers[s.n_answers++] = "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nno\n";
	s.answers[s.n_answers++] = "HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n";
	start_server(&s);
	url_for(url, sizeof(url), "127.0.0.1", s.port, "/x?secret=1");
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_fetch(&body, url, &p, &e), PVECG_ENET);
	assert_string_equal(e.message, "HTTP 404");
	/* The query may carry secrets: not echoed. */
	assert_null(strstr(e.where, "secret"));
	assert_null(body.data);
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_fetch(&body, url, &p, &e), PVECG_ENET);
	assert_string_equal(e.message, "HTTP 500");
	stop_server(&s, true);
}

static void
test_fetch_caps_size_with_content_length(void **state)
{
	static char answer[512];
	struct server s;
	pvecg_fetch_policy p = local_policy();
	pvecg_buf body = PVECG_BUF_INIT;
	pvecg_error e;
	char url[128];

	(void)state;
	snprintf(answer, sizeof(answer), "HTTP/1.1 200 OK\r\nContent-Length: 300\r\n\r\n%300s", "");
	listen_server(&s);
	s.answers[s.n_answers++] = answer;
	start_server(&s);
	p.max_size = 100;
	url_for(url, sizeof(url), "127.0.0.1", s.port, "/");
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_fetch(&body, url, &p, &e), PVECG_ELIMIT);
	assert_non_null(strstr(e.message, "size limit of 100 bytes"));
	assert_null(body.data);
	stop_server(&s, true);
}

static void
test_fetch_caps_size_without_content_length(void **state)
{
	static char answer[512];
	struct server s;
	pvecg_fetch_policy p = local_policy();
	pvecg_buf body = PVECG_BUF_INIT;
	pvecg_error e;
	char url[128];

	(void)state;
	snprintf(answer, sizeof(answer), "HTTP/1.0 200 OK\r\n\r\n%300s", "");
	listen_server(&s);
	s.answers[s.n_answers++] = answer;
	start_server(&s);
	p.max_size = 100;
	url_for(url, sizeof(url), "127.0.0.1", s.port, "/");
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_fetch(&body, url, &p, &e), PVECG_ELIMIT);
	assert_non_null(strstr(e.message, "size limit of 100 bytes"));
	stop_server(&s, true);

	/* Exactly max_size bytes are fine. */
	snprintf(answer, sizeof(answer), "HTTP/1.0 200 OK\r\n\r\n%100s", "");
	listen_server(&s);
	s.answers[s.n_answers++] = answer;
	start_server(&s);
	url_for(url, sizeof(url), "127.0.0.1", s.port, "/");
	assert_int_equal(pvecg_fetch(&body, url, &p, &e), 0);
	assert_int_equal(body.len, 100);
	pvecg_buf_free(&body);
	stop_server(&s, true);
}

static void
test_fetch_refuses_redirect_naming_location(void **state)
{
	struct server s;
	pvecg_fetch_policy p = local_policy();
	pvecg_buf body = PVECG_BUF_INIT;
	pvecg_error e;
	char url[128];

	(void)state;
	listen_server(&s);
	s.answers[s.n_answers++] = "HTTP/1.1 302 Found\r\nLocation: https://elsewhere.example/x\r\n"
	                           "Content-Length: 0\r\n\r\n";
	start_server(&s);
	url_for(url, sizeof(url), "127.0.0.1", s.port, "/");
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_fetch(&body, url, &p, &e), PVECG_EPOLICY);
	assert_string_equal(e.message,
	    "HTTP 302 redirect to https://elsewhere.example/x "
	    "refused (use --follow-redirects to follow)");
	stop_server(&s, true);
}

static void
test_fetch_follows_relative_redirect(void **state)
{
	struct server s;
	pvecg_fetch_policy p = local_policy();
	pvecg_buf body = PVECG_BUF_INIT;
	pvecg_error e;
	char url[128];

	(void)state;
	listen_server(&s);
	s.answers[s.n_answers++] = "HTTP/1.1 301 Moved\r\nLocation: ../b/index.html\r\n"
	                           "Content-Length: 0\r\n\r\n";
	s.answers[s.n_answers++] = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\npage";
	start_server(&s);
	p.follow_redirects = true;
	url_for(url, sizeof(url), "127.0.0.1", s.port, "/a/x/");
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_fetch(&body, url, &p, &e), 0);
	assert_string_equal(body.data, "page");
	assert_non_null(strstr(s.requests[1], "GET /a/b/index.html HTTP/1.1\r\n"));
	pvecg_buf_free(&body);
	stop_server(&s, true);
}

static void
test_fetch_rechecks_each_redirect_hop(void **state)
{
	struct server s;
	pvecg_fetch_policy p = local_policy();
	pvecg_buf body = PVECG_BUF_INIT;
	pvecg_error e;
	char url[128];

	(void)state;
	listen_server(&s);
	s.answers[s.n_answers++] = "HTTP/1.1 302 Found\r\nLocation: file:///etc/passwd\r\n"
	                           "Content-Length: 0\r\n\r\n";
	start_server(&s);
	p.follow_redirects = true;
	url_for(url, sizeof(url), "127.0.0.1", s.port, "/");
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_fetch(&body, url, &p, &e), PVECG_EPOLICY);
	assert_non_null(strstr(e.message,
	    "redirect to file:///etc/passwd refused: "
	    "scheme \"file\" is not allowed"));
	stop_server(&s, true);
}

static void
test_fetch_stops_after_five_redirects(void **state)
{
	static const char loop[] = "HTTP/1.1 302 Found\r\nLocation: /loop\r\n"
	                           "Content-Length: 0\r\n\r\n";
	struct server s;
	pvecg_fetch_policy p = local_policy();
	pvecg_buf body = PVECG_BUF_INIT;
	pvecg_error e;
	char url[128];
	size_t i;

	(void)state;
	listen_server(&s);
	for (i = 0; i < 6; i++)
		s.answers[s.n_answers++] = loop;
	start_server(&s);
	p.follow_redirects = true;
	url_for(url, sizeof(url), "127.0.0.1", s.port, "/loop");
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_fetch(&body, url, &p, &e), PVECG_EPOLICY);
	assert_non_null(strstr(e.message, "too many redirects (more than 5)"));
	assert_int_equal(s.served, 6);
	stop_server(&s, true);
}

static void
test_fetch_sends_token_only_to_the_same_origin(void **state)
{
	struct server s;
	pvecg_fetch_policy p = local_policy();
	pvecg_buf body = PVECG_BUF_INIT;
	pvecg_error e;
	char url[128], answer[256];

	(void)state;
	listen_server(&s);
	snprintf(answer, sizeof(answer),
	    "HTTP/1.1 302 Found\r\nLocation: "
	    "http://localhost:%u/next\r\nContent-Length: 0\r\n\r\n",
	    (unsigned)s.port);
	s.answers[s.n_answers++] = answer;
	s.answers[s.n_answers++] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
	start_server(&s);
	p.follow_redirects = true;
	p.allow_any_domain = true;
	p.api_token = "root@pam!ci=0123-secret";
	url_for(url, sizeof(url), "127.0.0.1", s.port, "/first");
	p.cred_origin = url;
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_fetch(&body, url, &p, &e), 0);
	assert_non_null(
	    strstr(s.requests[0], "\r\nAuthorization: PVEAPIToken=root@pam!ci=0123-secret\r\n"));
	assert_null(strstr(s.requests[1], "Authorization"));
	assert_non_null(strstr(s.requests[1], "GET /next HTTP/1.1\r\n"));
	pvecg_buf_free(&body);
	stop_server(&s, true);
}

static void
test_fetch_refuses_token_with_newline(void **state)
{
	struct server s;
	pvecg_fetch_policy p = local_policy();
	pvecg_buf body = PVECG_BUF_INIT;
	pvecg_error e;
	char url[128];

	(void)state;
	listen_server(&s);
	p.api_token = "a=b\r\nX-Evil: 1";
	url_for(url, sizeof(url), "127.0.0.1", s.port, "/");
	p.cred_origin = url;
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_fetch(&body, url, &p, &e), PVECG_EUSAGE);
	assert_non_null(strstr(e.message, "control characters"));
	assert_null(strstr(e.message, "X-Evil"));
	assert_false(connection_pending(s.fd));
	stop_server(&s, false);
}

static void
test_fetch_reports_connection_refused(void **state)
{
	struct server s;
	pvecg_fetch_policy p = local_policy();
	pvecg_buf body = PVECG_BUF_INIT;
	pvecg_error e;
	char url[128];

	(void)state;
	listen_server(&s);
	url_for(url, sizeof(url), "127.0.0.1", s.port, "/");
	close(s.fd); /* nothing listens there now */
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_fetch(&body, url, &p, &e), PVECG_ENET);
	assert_string_equal(e.where, url);
	assert_non_null(strstr(e.message, "transfer failed: Failed to connect"));
}

static void
test_fetch_refuses_http_without_flag(void **state)
{
	pvecg_fetch_policy p = local_policy();
	pvecg_buf body = PVECG_BUF_INIT;
	pvecg_error e;

	(void)state;
	p.allow_http = false;
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_fetch(&body, "http://127.0.0.1:1/", &p, &e), PVECG_EPOLICY);
	assert_non_null(strstr(e.message, "use --allow-http"));
}

static void
test_fetch_times_out_on_a_silent_server(void **state)
{
	struct server s;
	pvecg_fetch_policy p = local_policy();
	pvecg_buf body = PVECG_BUF_INIT;
	pvecg_error e;
	char url[128];

	(void)state;
	listen_server(&s); /* listens, never answers: the backlog accepts */
	p.timeout_s = 1;
	url_for(url, sizeof(url), "127.0.0.1", s.port, "/");
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_fetch(&body, url, &p, &e), PVECG_ELIMIT);
	assert_non_null(strstr(e.message, "timed out"));
	stop_server(&s, false);
}

static void
test_fetch_rechecks_domain_on_redirect(void **state)
{
	struct server s;
	pvecg_fetch_policy p = local_policy();
	pvecg_buf body = PVECG_BUF_INIT;
	pvecg_error e;
	char url[128];

	(void)state;
	listen_server(&s);
	s.answers[s.n_answers++] = "HTTP/1.1 302 Found\r\nLocation: http://evil.example/x\r\n"
	                           "Content-Length: 0\r\n\r\n";
	start_server(&s);
	p.follow_redirects = true;
	url_for(url, sizeof(url), "127.0.0.1", s.port, "/");
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_fetch(&body, url, &p, &e), PVECG_EPOLICY);
	assert_string_equal(e.where, url);
	assert_non_null(strstr(e.message,
	    "redirect to http://evil.example/x refused: "
	    "host evil.example is not in the allowed domains"));
	stop_server(&s, true);
	assert_int_equal(s.served, 1);
}

static void
test_fetch_aborts_a_stalled_transfer(void **state)
{
	struct server s;
	pvecg_fetch_policy p = local_policy();
	pvecg_buf body = PVECG_BUF_INIT;
	pvecg_error e;
	char url[128];
	double t0;

	(void)state;
	listen_server(&s);
	s.hold = true;
	s.answers[s.n_answers++] = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc";
	start_server(&s);
	p.stall_timeout_s = 1;
	p.timeout_s = 30;
	url_for(url, sizeof(url), "127.0.0.1", s.port, "/");
	pvecg_error_clear(&e);
	t0 = pvecg_now();
	assert_int_equal(pvecg_fetch(&body, url, &p, &e), PVECG_ELIMIT);
	assert_true(pvecg_now() - t0 < 10);
	assert_non_null(strstr(e.message, "timed out"));
	assert_non_null(strstr(e.message, "stall 1s"));
	stop_server(&s, true);
}

/* Progress goes to the policy's stream as one redrawn line, erased at the
 * end; stderr gets nothing. */
static void
test_fetch_progress_line_is_cleared(void **state)
{
	struct server s;
	pvecg_fetch_policy p = local_policy();
	pvecg_buf body = PVECG_BUF_INIT;
	pvecg_error e;
	char url[128], seen[1024];
	FILE *log = tmpfile(), *err = tmpfile();
	int saved;
	size_t n;

	(void)state;
	assert_non_null(log);
	assert_non_null(err);
	listen_server(&s);
	s.answers[s.n_answers++] = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
	start_server(&s);
	p.progress = log;
	url_for(url, sizeof(url), "127.0.0.1", s.port, "/p.js");
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(err), STDERR_FILENO) >= 0);
	pvecg_error_clear(&e);
	assert_int_equal(pvecg_fetch(&body, url, &p, &e), 0);
	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	fseek(err, 0, SEEK_END);
	assert_int_equal(ftell(err), 0);
	fclose(err);
	rewind(log);
	n = fread(seen, 1, sizeof(seen) - 1, log);
	seen[n] = '\0';
	fclose(log);
	assert_non_null(strstr(seen, "/p.js: 5 / 5 bytes"));
	assert_null(strchr(seen, '\n'));
	assert_true(n >= 4);
	assert_string_equal(seen + n - 4, "\r\033[K");
	pvecg_buf_free(&body);
	stop_server(&s, true);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fetch_policy_defaults),
		cmocka_unit_test(test_fetch_gets_body),
		cmocka_unit_test(test_fetch_refuses_loopback_before_connecting),
		cmocka_unit_test(test_fetch_refuses_pinned_private_address),
		cmocka_unit_test(test_fetch_pinned_private_address_allowed_with_flag),
		cmocka_unit_test(test_fetch_reports_http_status),
		cmocka_unit_test(test_fetch_caps_size_with_content_length),
		cmocka_unit_test(test_fetch_caps_size_without_content_length),
		cmocka_unit_test(test_fetch_refuses_redirect_naming_location),
		cmocka_unit_test(test_fetch_follows_relative_redirect),
		cmocka_unit_test(test_fetch_rechecks_each_redirect_hop),
		cmocka_unit_test(test_fetch_stops_after_five_redirects),
		cmocka_unit_test(test_fetch_sends_token_only_to_the_same_origin),
		cmocka_unit_test(test_fetch_refuses_token_with_newline),
		cmocka_unit_test(test_fetch_reports_connection_refused),
		cmocka_unit_test(test_fetch_refuses_http_without_flag),
		cmocka_unit_test(test_fetch_times_out_on_a_silent_server),
		cmocka_unit_test(test_fetch_rechecks_domain_on_redirect),
		cmocka_unit_test(test_fetch_aborts_a_stalled_transfer),
		cmocka_unit_test(test_fetch_progress_line_is_cleared),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
