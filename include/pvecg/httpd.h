/* httpd: small HTTP plumbing shared by the tool's servers (listen address
 * parsing, TLS files, starting a libmicrohttpd daemon, URL decoding). */
#ifndef PVECG_HTTPD_H
#define PVECG_HTTPD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <microhttpd.h>
#include "pvecg/buf.h"
#include "pvecg/error.h"

/* "ADDR:PORT" or "[V6]:PORT" into ss (numeric port, host resolved). */
PVECG_NODISCARD int
pvecg_httpd_parse_listen(struct sockaddr_storage *ss, const char *listen, pvecg_error *err);

/* Reads --tls-cert/--tls-key (both or neither); bufs stay empty without. */
PVECG_NODISCARD int pvecg_httpd_load_tls(pvecg_buf *cert, pvecg_buf *key, const char *cert_file,
    const char *key_file, const char *who, pvecg_error *err);

/* How a server's daemon runs; every count of 0 leaves MHD's default. */
typedef struct pvecg_httpd_config {
	const char *listen;                  /* the --listen text, for errors */
	const struct sockaddr_storage *addr; /* from pvecg_httpd_parse_listen */
	const pvecg_buf *cert, *key;         /* TLS when cert->data is set */
	unsigned threads;                    /* connection threads (pool when > 1) */
	unsigned idle_timeout_s;             /* no byte moved for this long: closed */
	unsigned connection_limit;
	unsigned per_ip_limit; /* connections from one address */
	size_t memory_limit;   /* per connection */
	unsigned backlog;      /* listen(2) backlog */
	bool suspend_resume;   /* connections may be suspended */
	bool error_log;        /* MHD's own messages on stderr */
	MHD_AccessHandlerCallback on_request;
	MHD_RequestCompletedCallback on_completed;
	MHD_NotifyConnectionCallback on_connection; /* NULL: not called */
	void *cls;                                  /* passed to the three callbacks */
} pvecg_httpd_config;

/* Starts the daemon (its own polling thread or pool) on c->addr. */
PVECG_NODISCARD int
pvecg_httpd_start(struct MHD_Daemon **out, const pvecg_httpd_config *c, pvecg_error *err);

/* %XX and (when plus) '+' decoded in place; returns s. */
char *pvecg_httpd_unescape(char *s, int plus);

/* Port the daemon listens on, and "http(s)://ADDR:PORT" into out. */
void pvecg_httpd_origin(
    char *out, size_t cap, const struct sockaddr_storage *ss, unsigned port, int tls);

#endif
