/* httpd: the daemon every server starts through pvecg_httpd_start, on a
 * real loopback socket: options applied (connection limit, completion
 * callback), and a refused listen reported as one error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "pvecg/httpd.h"

static int completed;

static enum MHD_Result
answer(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
    const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	static char body[] = "hello\n";
	struct MHD_Response *r;
	enum MHD_Result ok;

	(void)cls;
	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	if (*con_cls == NULL) {
		*con_cls = conn;
		return MHD_YES;
	}
	r = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "X-Url", url);
	MHD_add_response_header(r, "X-Method", method);
	ok = MHD_queue_response(conn, 200, r);
	MHD_destroy_response(r);
	return ok;
}

static void
done(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)conn;
	(void)con_cls;
	if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
		__atomic_add_fetch((int *)cls, 1, __ATOMIC_SEQ_CST);
}

static unsigned
port_of(struct MHD_Daemon *d)
{
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);

	assert_non_null(di);
	return di->port;
}

/* One HTTP/1.0 exchange; the whole answer into out. */
static size_t
exchange(unsigned port, const char *request, char *out, size_t cap)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	size_t got = 0;
	ssize_t n;
	struct timeval tv = { 5, 0 };

	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(write(fd, request, strlen(request)), (ssize_t)strlen(request));
	while (got + 1 < cap && (n = read(fd, out + got, cap - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(fd);
	return got;
}

static pvecg_httpd_config
config(const struct sockaddr_storage *ss, const pvecg_buf *none)
{
	return (pvecg_httpd_config){ .listen = "127.0.0.1:0",
		.addr = ss,
		.cert = none,
		.key = none,
		.threads = 2,
		.idle_timeout_s = 5,
		.connection_limit = 8,
		.per_ip_limit = 4,
		.memory_limit = 32 * 1024,
		.backlog = 16,
		.on_request = answer,
		.on_completed = done,
		.cls = &completed };
}

static void
test_httpd_start_serves_on_loopback(void **state)
{
	struct sockaddr_storage ss;
	pvecg_buf none = PVECG_BUF_INIT;
	struct MHD_Daemon *d = NULL;
	pvecg_error err;
	char reply[1024];

	(void)state;
	pvecg_error_clear(&err);
	assert_int_equal(pvecg_httpd_parse_listen(&ss, "127.0.0.1:0", &err), 0);
	pvecg_httpd_config c = config(&ss, &none);
	assert_int_equal(pvecg_httpd_start(&d, &c, &err), 0);
	assert_non_null(d);
	exchange(port_of(d), "GET /a/b HTTP/1.0\r\n\r\n", reply, sizeof(reply));
	assert_non_null(strstr(reply, "HTTP/1.1 200 OK\r\n"));
	assert_non_null(strstr(reply, "X-Url: /a/b\r\n"));
	assert_non_null(strstr(reply, "X-Method: GET\r\n"));
	assert_non_null(strstr(reply, "\r\n\r\nhello\n"));
	MHD_stop_daemon(d);
	/* the completion callback was registered with cls */
	assert_int_equal(completed, 1);
}

static void
test_httpd_start_reports_a_taken_port(void **state)
{
	struct sockaddr_storage ss, ss2;
	pvecg_buf none = PVECG_BUF_INIT;
	struct MHD_Daemon *d = NULL, *d2 = NULL;
	pvecg_error err;
	char listen[64];

	(void)state;
	pvecg_error_clear(&err);
	assert_int_equal(pvecg_httpd_parse_listen(&ss, "127.0.0.1:0", &err), 0);
	pvecg_httpd_config c = config(&ss, &none);
	assert_int_equal(pvecg_httpd_start(&d, &c, &err), 0);
	snprintf(listen, sizeof(listen), "127.0.0.1:%u", port_of(d));
	assert_int_equal(pvecg_httpd_parse_listen(&ss2, listen, &err), 0);
	c.addr = &ss2;
	c.listen = listen;
	assert_int_equal(pvecg_httpd_start(&d2, &c, &err), PVECG_EIO);
	assert_null(d2);
	assert_string_equal(err.where, listen);
	assert_string_equal(
	    err.message, "cannot listen (address in use, or bad TLS certificate/key?)");
	MHD_stop_daemon(d);
}

static void
test_httpd_parse_listen_refuses_bad_forms(void **state)
{
	struct sockaddr_storage ss;
	pvecg_error err;

	(void)state;
	assert_int_equal(pvecg_httpd_parse_listen(&ss, "127.0.0.1", &err), PVECG_EUSAGE);
	assert_string_equal(err.message, "expected ADDR:PORT");
	assert_int_equal(pvecg_httpd_parse_listen(&ss, "127.0.0.1:65536", &err), PVECG_EUSAGE);
	assert_int_equal(pvecg_httpd_parse_listen(&ss, "[::1]8080", &err), PVECG_EUSAGE);
	assert_string_equal(err.message, "expected [ADDR]:PORT");
	assert_int_equal(pvecg_httpd_parse_listen(&ss, "[::1]:8080", &err), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_httpd_start_serves_on_loopback),
		cmocka_unit_test(test_httpd_start_reports_a_taken_port),
		cmocka_unit_test(test_httpd_parse_listen_refuses_bad_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
