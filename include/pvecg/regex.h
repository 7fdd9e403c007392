/* regex: the one place patterns change dialect.
 *
 * Two directions, each a single scanner over the pattern:
 *   pvecg_regex_to_ecma  Proxmox pattern (Perl `(?^:...)`/bare, or a `/.../`
 *                        literal from the Rust products) -> ECMA-262 ('u'
 *                        flag), what openapi.json carries.
 *   pvecg_regex_to_ere   ECMA-262 pattern (openapi.json, schemas/) -> POSIX
 *                        extended regex for regcomp(): the generated C
 *                        models (whole-string match) and jschema (search).
 * Both are conservative: a construct without an exact equivalent refuses
 * the whole pattern rather than translating it approximately. */
#ifndef PVECG_REGEX_H
#define PVECG_REGEX_H

#include "pvecg/buf.h"
#include "pvecg/error.h"

/* Translates a Proxmox pattern into an ECMA-262 regex that compiles with
 * the 'u' flag. Bare and `(?^:...)` patterns are anchored the way Proxmox
 * applies them (m/^PATTERN$/); `/.../` literals are kept unanchored. *out
 * is a new string the caller frees. Returns PVECG_EINPUT when no safe
 * translation exists (the caller keeps the original as x-proxmox-pattern
 * only), PVECG_ENOMEM when out of memory. */
PVECG_NODISCARD int pvecg_regex_to_ecma(char **out, const char *pattern);

/* pvecg_regex_to_ere flags */
#define PVECG_REGEX_SEARCH 0u /* match anywhere in the string (JSON Schema) */
#define PVECG_REGEX_WHOLE \
	1u /* the whole string must match: one ^...$ pair
                                 around the ERE (its own anchors merged in) */
#define PVECG_REGEX_UTF8 \
	2u /* a UTF-8 character outside a class that no
                                 quantifier follows is kept as its bytes
                                 (otherwise non-ASCII refuses the pattern) */
#define PVECG_REGEX_OPEN_BIG \
	4u /* an upper repeat bound above 255 is dropped
                                   ({m,n} -> {m,}): for callers that check
                                   the length limits separately */

/* Translates an ECMA-262 pattern into a POSIX ERE and appends it to out.
 * Returns 0 when translated, 1 when the pattern has no exact ERE form
 * (*reason is then a static string saying why, out is unchanged),
 * PVECG_ENOMEM when out of memory. */
PVECG_NODISCARD int
pvecg_regex_to_ere(pvecg_buf *out, const char *pattern, unsigned flags, const char **reason);

#endif
