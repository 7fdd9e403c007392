/* jschema: a small JSON Schema 2020-12 validator for the subset schemas/ uses.
 *
 * Supported keywords: type (string or array of names), properties, required,
 * additionalProperties (bool or schema), patternProperties, items, prefixItems,
 * enum, const, minimum, maximum, minLength, maxLength, minItems, maxItems,
 * pattern, anyOf, oneOf, allOf, $ref to a local JSON pointer ("#/$defs/x").
 * Annotations ($schema, $id, $comment, title, description, default,
 * examples) are ignored. Any other keyword makes the schema unusable: the
 * validator refuses it instead of silently passing what it cannot check.
 * Patterns are ECMA-262 in the schema; they are run as POSIX extended
 * regexes (pvecg_regex_to_ere); one without an exact ERE form makes the
 * schema unusable. */
#ifndef PVECG_JSCHEMA_H
#define PVECG_JSCHEMA_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "pvecg/error.h"

/* Called once per violation; path is a JSON path of the instance
 * ("$.routes[3].method"), message says what is wrong. */
typedef void (*pvecg_jschema_fail_fn)(void *ctx, const char *path, const char *message);

/* Validates instance against schema. *nfail receives the number of
 * violations (each reported through fail, which may be NULL); at most
 * max_fail are reported (0: no cap), the count keeps going. Returns 0 when
 * validation ran (whatever *nfail is), or a negative code when the schema
 * itself is unusable (unsupported keyword, bad $ref, bad pattern). */
PVECG_NODISCARD int
pvecg_jschema_validate(size_t *nfail, const cJSON *schema, const cJSON *instance, size_t max_fail,
    pvecg_jschema_fail_fn fail, void *ctx, pvecg_error *err);

#endif
