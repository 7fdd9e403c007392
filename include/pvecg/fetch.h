/* fetch: one GET with libcurl under the URL guard, TLS verification,
 * size and time caps; redirects refused (or re-checked hop by hop). */
#ifndef PVECG_FETCH_H
#define PVECG_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "pvecg/buf.h"
#include "pvecg/error.h"

typedef struct pvecg_fetch_policy {
	bool allow_http;
	bool allow_private_network;
	bool allow_any_domain;
	bool insecure;         /* skip TLS verification (loud warning by the CLI) */
	bool follow_redirects; /* at most 5 hops, each re-checked by the guard */
	FILE *progress;        /* a progress line on this stream (the run's log); NULL: none */
	const char *cacert;    /* PEM bundle or NULL for the system store */
	const char *api_token; /* "USER@REALM!TOKENID=SECRET" or NULL */
	/* Credentials (API token, ticket) go only to this URL's scheme, host
	 * and port, for every hop; NULL: to no one. */
	const char *cred_origin;
	const char *token_prefix;   /* "PVEAPIToken=" (the default), "PBSAPIToken=", ... */
	char token_sep;             /* '=' or ':' between TOKENID and SECRET; 0: as given */
	const char *ticket_cookie;  /* "PVEAuthCookie=TICKET" after a ticket login */
	const char *csrf_token;     /* CSRFPreventionToken, sent with POSTs */
	const char *pinned_pubkey;  /* "sha256//BASE64[;sha256//...]" (CURLOPT_PINNEDPUBLICKEY) */
	const char *const *resolve; /* curl-style "HOST:PORT:ADDR" pins */
	size_t n_resolve;
	long connect_timeout_s; /* default 10 */
	long timeout_s;         /* total, default 60 */
	long stall_timeout_s;   /* abort below 1 byte/s for this long, default 15 */
	size_t max_size;        /* default 64 MiB */
} pvecg_fetch_policy;

void pvecg_fetch_policy_init(pvecg_fetch_policy *p);

/* Global libcurl set-up; call once from main before threads start. */
PVECG_NODISCARD int pvecg_fetch_global_init(pvecg_error *err);
void pvecg_fetch_global_cleanup(void);

/* One request with more control than pvecg_fetch. */
typedef struct pvecg_fetch_req {
	const char *post_form; /* non-NULL: POST this x-www-form-urlencoded body */
	bool keep_status;      /* HTTP >= 400 is not an error: see status */
	long status;           /* out: final HTTP status */
	char *final_url;       /* out: the URL after redirects; caller frees */
} pvecg_fetch_req;

PVECG_NODISCARD int pvecg_fetch_req_run(pvecg_buf *body, const char *url,
    const pvecg_fetch_policy *p, pvecg_fetch_req *req, pvecg_error *err);

/* GETs url into body. HTTP status >= 400, refused redirects, guard
 * refusals, TLS failures and caps are errors naming url. */
PVECG_NODISCARD int
pvecg_fetch(pvecg_buf *body, const char *url, const pvecg_fetch_policy *p, pvecg_error *err);

#endif
