/* openapi_typetext: a property-string format read back from its typetext.
 *
 * Members with a *named* format (pve-qm-hostpci, pve-qm-smbios1, ...) carry
 * no key list in the viewer, only the typetext Proxmox generates from the
 * registered format: "[[host=]<HOSTPCIID>] [,pcie=<1|0>] [,rombar=<1|0>]".
 * That text states the keys, which are optional ([...]), which is the
 * default key ([key=]) and the booleans (<1|0>); integers show as
 * <integer> or \d+, numbers as <number>. Everything else is kept a string
 * (a format_description such as <hex id> or <8-64|host> is no type), so a
 * format read this way never refuses a value Proxmox accepts. The result
 * is a Proxmox-style format object, converted like any other; the member
 * is marked x-proxmox-property-string-source: typetext. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/json.h"
#include "pvecg/propstr.h"

#define TT_MAX_KEYS 64

static int
is_key(const char *s, size_t n)
{
	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return 0;
	return 1;
}

static const char *
type_of(const char *t, size_t n)
{
	if ((n == 5 && !strncmp(t, "<1|0>", 5)))
		return "boolean";
	if ((n == 9 && !strncmp(t, "<integer>", 9)) || (n == 3 && !strncmp(t, "\\d+", 3)))
		return "integer";
	if (n == 8 && !strncmp(t, "<number>", 8))
		return "number";
	return "string";
}

/* One item "key=<type>" or "[key=]<type>" (the default key), with the
 * brackets of an optional item already taken off. 0 on success. */
PVECG_NODISCARD static int
add_item(cJSON *fmt, const char *s, size_t n, int optional)
{
	const char *end = s + n, *key, *eq, *t;
	size_t klen;
	int dflt = 0;
	char name[65];
	cJSON *k = NULL;

	if (!(eq = memchr(s, '=', n)))
		return -1;
	if (s[0] == '[') {
		if (eq + 1 >= end || eq[1] != ']')
			return -1;
		key = s + 1;
		t = eq + 2;
		dflt = 1;
	} else {
		key = s;
		t = eq + 1;
	}
	klen = (size_t)(eq - key);
	if (!is_key(key, klen) || t >= end)
		return -1;
	memcpy(name, key, klen);
	name[klen] = '\0';
	if (pvecg_json_get(fmt, name))
		return -1;
	if (!(k = cJSON_CreateObject()) || !cJSON_AddItemToObject(fmt, name, k)) {
		cJSON_Delete(k);
		return PVECG_ENOMEM;
	}
	if (!cJSON_AddStringToObject(k, "type", type_of(t, (size_t)(end - t))) ||
	    (optional && !cJSON_AddNumberToObject(k, "optional", 1)) ||
	    (dflt && !cJSON_AddNumberToObject(k, "default_key", 1)))
		return PVECG_ENOMEM;
	return 0;
}

int
pvecg_propstr_from_typetext(cJSON **out, const char *tt)
{
	cJSON *fmt = cJSON_CreateObject();
	const char *s = tt;
	int first = 1, n_keys = 0, rc = 0;

	*out = NULL;
	if (!fmt)
		return PVECG_ENOMEM;
	while (rc == 0) {
		const char *e;
		size_t n;
		int optional = 0;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		/* the item ends before " [," / " ," or at the end */
		for (e = s; *e; e++)
			if (*e == ' ' && (e[1] == ',' || (e[1] == '[' && e[2] == ',')))
				break;
		n = (size_t)(e - s);
		while (n && s[n - 1] == ' ')
			n--;
		if (!first) {
			if (n > 3 && s[0] == '[' && s[1] == ',' && s[n - 1] == ']') {
				optional = 1;
				s += 2;
				n -= 3;
			} else if (n > 1 && s[0] == ',') {
				s++;
				n--;
			} else {
				rc = -1;
				break;
			}
		} else if (n > 2 && s[0] == '[' && s[n - 1] == ']' &&
		    (s[1] == '[' || memchr(s, '=', n) == NULL ||
		        ((const char *)memchr(s, '=', n))[1] != ']')) {
			optional = 1; /* "[[key=]<t>]" or "[key=<t>]" */
			s++;
			n -= 2;
		}
		rc = add_item(fmt, s, n, optional);
		n_keys++;
		first = 0;
		s = e;
	}
	if (rc != 0 || n_keys == 0 || n_keys > TT_MAX_KEYS) {
		cJSON_Delete(fmt);
		return rc == PVECG_ENOMEM ? rc : PVECG_EINPUT;
	}
	*out = fmt;
	return 0;
}
