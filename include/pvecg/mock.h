/* mock: a stateful Proxmox API served from route_metadata.json alone.
 *
 * `proxmox-sdk-codegen mock [ROOT]` reads ROOT/<product-dir>/<tag>/
 * route_metadata.json (never openapi.json) and answers /api2/json/... (and
 * /api2/extjs/...: HTTP 200, success and the error status in the body) for
 * every route in it:
 *  - requests are checked with Proxmox's rules (path templates, query
 *    strings, form and JSON bodies; booleans 0/1/yes/no/on/off/true/false
 *    in any case; integer ranges, enums, lengths, patterns, property
 *    strings); a bad request gets 400 {"data":null,"errors":{"name":"..."}};
 *  - state and CRUD come from the topology in the metadata (a POST to a
 *    collection creates a child, GET lists, DELETE on the item removes it,
 *    writes to an item's config-like sub-routes update it); the few rules
 *    the metadata cannot say are one table in src/mock_rules.c;
 *  - long-running operations answer a UPID; the task's status reads
 *    "running" once, then "stopped" with exitstatus "OK";
 *  - auth as Proxmox: POST /access/ticket gives a PVEAuthCookie ticket and a
 *    CSRFPreventionToken (required on writes), or
 *    "Authorization: PVEAPIToken=USER@REALM!TOKENID=SECRET"; --no-auth.
 * Proxmox puts an error's text in the HTTP reason phrase, which
 * libmicrohttpd cannot set: the mock puts it in the body as "message". */
#ifndef PVECG_MOCK_H
#define PVECG_MOCK_H

#include <stdbool.h>
#include <cjson/cJSON.h>
#include "pvecg/error.h"
#include "pvecg/options.h"

typedef struct pvecg_mock pvecg_mock;

/* One request, already split from HTTP: path below /api2/json, the query
 * and body parameters (strings from forms and query strings, any JSON
 * from JSON bodies), and the credentials as sent. */
typedef struct pvecg_mock_request {
	const char *method; /* GET, POST, PUT, DELETE */
	const char *path;   /* "/nodes/pve/qemu" */
	const cJSON *query; /* object or NULL */
	const cJSON *body;  /* object or NULL */
	const char *authorization;
	const char *ticket; /* PVEAuthCookie */
	const char *csrf;   /* CSRFPreventionToken header */
} pvecg_mock_request;

typedef struct pvecg_mock_response {
	unsigned status;
	cJSON *body; /* owned: {"data": ...} and maybe errors/message */
} pvecg_mock_response;

/* Loads the metadata of one version directory, and the state: from
 * state_file when it exists, else from seed_file, else the built-in seed
 * (node "pve", storage "local", VM 100, container 101). */
PVECG_NODISCARD int pvecg_mock_open(pvecg_mock **out, const char *version_dir,
    const char *seed_file, const char *state_file, bool no_auth, pvecg_error *err);
void pvecg_mock_free(pvecg_mock *m);

/* Answers one request (thread-safe). Fails only when out of memory. */
PVECG_NODISCARD int
pvecg_mock_handle(pvecg_mock_response *out, pvecg_mock *m, const pvecg_mock_request *rq);
void pvecg_mock_response_free(pvecg_mock_response *r);

/* The value Proxmox gives a boolean parameter: 1, 0, or -1 when s is none
 * of 1/0/yes/no/on/off/true/false (case-insensitive). */
PVECG_NODISCARD int pvecg_mock_parse_bool(const char *s);

/* Finds ROOT/<product-dir>/<tag> (or ROOT itself when it holds
 * route_metadata.json) and serves it on o->listen until SIGTERM/SIGINT. */
PVECG_NODISCARD int pvecg_mock_serve(const pvecg_options *o, pvecg_error *err);

#endif
