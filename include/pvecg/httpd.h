/* httpd: small HTTP plumbing shared by the tool's servers (listen address
 * parsing, TLS files, URL decoding). */
#ifndef PVECG_HTTPD_H
#define PVECG_HTTPD_H

#include <stddef.h>
#include <sys/socket.h>
#include "pvecg/buf.h"
#include "pvecg/error.h"

/* "ADDR:PORT" or "[V6]:PORT" into ss (numeric port, host resolved). */
int pvecg_httpd_parse_listen(struct sockaddr_storage *ss, const char *listen, pvecg_error *err);

/* Reads --tls-cert/--tls-key (both or neither); bufs stay empty without. */
int pvecg_httpd_load_tls(pvecg_buf *cert, pvecg_buf *key, const char *cert_file,
    const char *key_file, const char *who, pvecg_error *err);

/* %XX and (when plus) '+' decoded in place; returns s. */
char *pvecg_httpd_unescape(char *s, int plus);

/* Port the daemon listens on, and "http(s)://ADDR:PORT" into out. */
void pvecg_httpd_origin(char *out, size_t cap, const struct sockaddr_storage *ss,
    unsigned port, int tls);

#endif
