/* Internals the mock_*.c files share (not part of the public header). */
#ifndef PVECG_MOCK_INT_H
#define PVECG_MOCK_INT_H

#include "pvecg/error.h"
#include <pthread.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>
#include "pvecg/mock.h"

enum mock_kind {
	MOCK_PATH,
	MOCK_QUERY,
	MOCK_BODY
};
enum mock_get_kind {
	MOCK_GET_NONE,
	MOCK_GET_ARRAY,
	MOCK_GET_OBJECT,
	MOCK_GET_SCALAR
};

/* A compiled pattern: state 0 not tried, 1 usable, -1 not translatable
 * to POSIX (then it is not checked). */
typedef struct mock_regex {
	int state;
	regex_t re;
} mock_regex;

typedef struct mock_param {
	const char *name;
	int kind;
	bool required;
	const cJSON *schema; /* resolved */
	mock_regex pattern;  /* schema's pattern */
	mock_regex name_re;  /* indexed names (net[n]) */
	bool indexed;
} mock_param;

typedef struct mock_route {
	const char *method;
	const char *path; /* template */
	char **seg;       /* template segments, "{x}" for parameters */
	size_t nseg;
	mock_param *params;
	size_t n_params;
	const cJSON *response; /* resolved schema of data, NULL: none */
	const cJSON *item_schema;
	const char *child_tpl, *child_param;
	const char *parent_tpl, *parent_param;
	int get_kind;
	bool tracked;      /* an item whose existence the state keeps */
	bool task;         /* answers a UPID */
	size_t literal;    /* literal segments, to prefer /a/b over /a/{x} */
	size_t item_at[8]; /* segment counts of the tracked items above */
	size_t n_item_at;
} mock_route;

typedef struct mock_api {
	cJSON *doc;
	const cJSON *schemas;
	mock_route *routes;
	size_t n_routes;
	char product[16];
	char version[64];
} mock_api;

struct pvecg_mock {
	mock_api api;
	pthread_mutex_t lock;
	cJSON *objects; /* concrete path -> entry */
	cJSON *tasks;   /* UPID -> task */
	cJSON *users;   /* userid -> password */
	cJSON *tokens;  /* "user!tokenid" -> secret */
	char secret[65];
	char *state_file;
	bool no_auth;
	unsigned long task_seq;
};

/* mock_api.c */
PVECG_NODISCARD int mock_api_load(mock_api *api, const char *version_dir, pvecg_error *err);
void mock_api_free(mock_api *api);
const cJSON *mock_resolve(const mock_api *api, const cJSON *schema);
/* Route for method+path; *path_vals gets {"node":"pve",...}. NULL with
 * *any_method set when only other methods exist for the path. */
const mock_route *mock_route_match(
    const mock_api *api, const char *method, const char *path, cJSON **path_vals, bool *any_method);
const mock_route *mock_route_find(const mock_api *api, const char *method, const char *tpl);
/* Schema type names: a string or an array of them; x-proxmox-type wins
 * as the declared type. */
bool mock_type_has(const cJSON *schema, const char *type);
const char *mock_declared_type(const cJSON *schema);

/* mock_validate.c */
int mock_regex_match(mock_regex *rx, const char *pattern, const char *s);
void mock_regex_free(mock_regex *rx);
/* Checks every parameter; args gets the normalized values, errors one
 * message per bad parameter. Returns the number of errors, -1 no memory. */
PVECG_NODISCARD int mock_validate(cJSON *args, cJSON *errors, const mock_api *api, mock_route *r,
    const cJSON *path_vals, const cJSON *query, const cJSON *body);

/* mock_shape.c */
/* The data for schema, filled from src where it has values (src may be
 * NULL), plausible values for the required rest. */
cJSON *mock_shape(const mock_api *api, const cJSON *schema, const cJSON *src, int depth);

/* mock_state.c */
PVECG_NODISCARD int
mock_state_init(pvecg_mock *m, const char *seed_file, const char *state_file, pvecg_error *err);
PVECG_NODISCARD int mock_state_save(pvecg_mock *m);
cJSON *
mock_entry_new(pvecg_mock *m, const char *path, const char *id_param, const char *id, cJSON *conf);
void mock_entry_remove(pvecg_mock *m, const char *path);
const char *
mock_task_new(pvecg_mock *m, const char *node, const char *type, const char *id, const char *user);
/* Auth: 0 ok (user filled), else an HTTP status with msg. */
unsigned mock_auth(
    pvecg_mock *m, const pvecg_mock_request *rq, char *user, size_t ucap, char *msg, size_t mcap);
PVECG_NODISCARD int mock_ticket_new(
    pvecg_mock *m, const char *user, char *ticket, size_t tcap, char *csrf, size_t ccap);
bool mock_password_ok(pvecg_mock *m, const char *user, const char *password);

/* mock_rules.c */
void mock_rules_apply(mock_api *api);
PVECG_NODISCARD int mock_dispatch(pvecg_mock_response *out, pvecg_mock *m, const mock_route *r,
    const char *path, const cJSON *path_vals, cJSON *args, const char *user);
cJSON *mock_run_defaults(const char *id_param);
/* {"data": data} with status (takes data; -1 when out of memory). */
PVECG_NODISCARD int mock_answer(pvecg_mock_response *out, unsigned status, cJSON *data);
/* {"data": null, "message": ...} */
PVECG_NODISCARD int mock_fail(pvecg_mock_response *out, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* 400 {"data": null, "errors": {name: msg}} */
PVECG_NODISCARD int mock_param_error(pvecg_mock_response *out, const char *name, const char *msg);
/* An entry's configuration (or sub-path bucket), run-time state and id. */
cJSON *mock_entry_view(const cJSON *e, const char *bucket, bool with_run);
bool mock_vmid_taken(const pvecg_mock *m, const char *id, const char **where);

/* mock_actions.c: a guest action's effect on the state; 0 done, 1
 * answered with an error, 2 rel is no action, -1 out of memory. */
int mock_action_apply(pvecg_mock_response *out, pvecg_mock *m, cJSON *owner, const char *owner_path,
    const char *rel, const cJSON *args);

/* mock_infra.c: 1 when r is not an infrastructure route */
int mock_infra_dispatch(
    pvecg_mock_response *out, pvecg_mock *m, const mock_route *r, const cJSON *args);

#endif
