/* naming: operationIds, model names and route groups, shared by the
 * OpenAPI builder and the C model emitter so both always agree. */
#include <ctype.h>
#include <string.h>

#include "pvecg/error.h"
#include "pvecg/naming.h"

/* The characters of a word in a PascalCase name: ASCII letters and digits. */
static int
word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int
pvecg_naming_operation_id(char *out, size_t cap, const char *method, const char *path)
{
	size_t n = 0;
	int gap = 0, any = 0;
	const char *s;
	int pass;

	if (!out || cap == 0 || !method || !path)
		return -1;
	/* pass 0: the method, pass 1: the path; both share the same rules */
	for (pass = 0; pass < 2; pass++) {
		for (s = pass == 0 ? method : path; *s; s++) {
			unsigned char ch = (unsigned char)*s;

			if (ch == '{' || ch == '}')
				continue;
			if (!isalnum(ch) || ch >= 0x80) {
				gap = n > 0;
				continue;
			}
			if (gap) {
				if (n + 1 >= cap)
					return -1;
				out[n++] = '_';
				gap = 0;
			}
			if (n + 1 >= cap)
				return -1;
			out[n++] = (char)tolower(ch);
			any |= pass == 1;
		}
		gap = n > 0;
	}
	if (!any) {
		if (n + 6 >= cap)
			return -1;
		memcpy(out + n, "_root", 5);
		n += 5;
	}
	out[n] = '\0';
	return (int)n;
}

/* One character of PascalCase: a separator starts a new word and is
 * dropped (0), a word's first lower-case letter is raised. */
static char
pascal_char(char c, int *up)
{
	if (!word_char(c)) {
		*up = 1;
		return 0;
	}
	if (*up && c >= 'a' && c <= 'z')
		c = (char)(c - 32);
	*up = 0;
	return c;
}

int
pvecg_naming_model_name(char *out, size_t cap, const char *name, const char *suffix)
{
	size_t n = 0, sl;
	int up = 1;
	const char *s;

	if (!out || cap == 0 || !name)
		return -1;
	for (s = name; *s; s++) {
		char c = pascal_char(*s, &up);

		if (c == 0)
			continue;
		if (n + 1 >= cap)
			return -1;
		out[n++] = c;
	}
	sl = suffix ? strlen(suffix) : 0;
	if (n + sl + 1 > cap)
		return -1;
	memcpy(out + n, suffix ? suffix : "", sl);
	n += sl;
	out[n] = '\0';
	return (int)n;
}

int
pvecg_naming_pascal_append(pvecg_buf *b, const char *s, size_t n)
{
	int up = 1;

	for (size_t i = 0; i < n; i++) {
		char c = pascal_char(s[i], &up);

		if (c != 0 && pvecg_buf_append(b, &c, 1) != 0)
			return PVECG_ENOMEM;
	}
	return 0;
}

const char *
pvecg_naming_route_group(const char *path, size_t *len)
{
	const char *s = path + (path[0] == '/');
	size_t n = strcspn(s, "/");

	if (n == 0) {
		*len = 4;
		return "root";
	}
	*len = n;
	return s;
}
