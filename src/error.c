/* error: filling, clearing and printing the caller-owned pvecg_error
 * (one line: where, then the message). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pvecg/error.h"

int
pvecg_error_set(pvecg_error *err, int code, const char *where, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	snprintf(err->where, sizeof(err->where), "%s", where ? where : "");
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return code;
}

void
pvecg_error_clear(pvecg_error *err)
{
	if (err != NULL)
		memset(err, 0, sizeof(*err));
}

/* Control characters from hostile input must not reach the terminal. */
static void
print_clean(const char *s, FILE *fp)
{
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, fp);
}

void
pvecg_error_print(const pvecg_error *err, FILE *fp)
{
	fputs("proxmox-sdk-codegen: ", fp);
	if (err->where[0] != '\0') {
		print_clean(err->where, fp);
		fputs(": ", fp);
	}
	print_clean(err->message[0] ? err->message : "unknown error", fp);
	fputc('\n', fp);
}
