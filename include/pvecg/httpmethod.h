/* httpmethod: the one list of HTTP methods the tool turns into operations,
 * and the one operation counter every stage and verify use. */
#ifndef PVECG_HTTPMETHOD_H
#define PVECG_HTTPMETHOD_H

#include "pvecg/error.h"
#include <cjson/cJSON.h>

#define PVECG_HTTP_NMETHODS 4

typedef struct pvecg_httpmethod {
	const char *upper; /* as the viewer and raw_capture.json spell it */
	const char *lower; /* as an OpenAPI path item spells it */
} pvecg_httpmethod;

/* GET, POST, PUT, DELETE: the order operations of one path are listed in. */
extern const pvecg_httpmethod pvecg_httpmethods[PVECG_HTTP_NMETHODS];
/* The same methods as indices into pvecg_httpmethods, in byte order of
 * their names (DELETE, GET, POST, PUT), for outputs sorted by name. */
extern const int pvecg_httpmethods_by_name[PVECG_HTTP_NMETHODS];
/* "GET, POST, PUT, DELETE", for messages. */
extern const char pvecg_httpmethods_text[];

/* Index of an upper-case (viewer) name, -1 when it is not supported. */
PVECG_NODISCARD int pvecg_httpmethod_find_upper(const char *name);
/* Index of a lower-case (OpenAPI) name, -1 when it is not a method. */
PVECG_NODISCARD int pvecg_httpmethod_find_lower(const char *name);
/* Operations of an OpenAPI document: method objects under "paths".
 * *paths gets the number of path items; per (may be NULL) the operations
 * per method, indexed like pvecg_httpmethods. */
long
pvecg_httpmethod_count_operations(const cJSON *openapi, long *paths, long per[PVECG_HTTP_NMETHODS]);

#endif
