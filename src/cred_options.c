/* cred_options: parse-time checks of --api-token-origin, --pinned-pubkey
 * and serve's default token origin ($PROXMOX_URL). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/cred_options.h"
#include "pvecg/source.h"

int
pvecg_cred_option_origin(const char **out, const char *arg, pvecg_error *err)
{
	char *origin = NULL;

	if (pvecg_source_classify(arg) != PVECG_SOURCE_URL ||
	    pvecg_source_origin(&origin, arg, NULL) != 0)
		return pvecg_error_set(err, PVECG_EUSAGE, "--api-token-origin",
		    "expected a URL like https://pve1.lan:8006, got '%.200s'", arg);
	free(origin);
	*out = arg;
	return 0;
}

static int
pin_ok(const char *s, size_t n)
{
	size_t i;

	if (n != 8 + 44 || strncmp(s, "sha256//", 8) != 0 || s[n - 1] != '=')
		return 0;
	for (i = 8; i < n - 1; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '+' && s[i] != '/')
			return 0;
	return 1;
}

int
pvecg_cred_option_pin(const char **out, const char *arg, pvecg_error *err)
{
	const char *s = arg;

	for (;;) {
		size_t n = strcspn(s, ";");

		if (!pin_ok(s, n))
			return pvecg_error_set(err, PVECG_EUSAGE, "--pinned-pubkey",
			    "expected sha256//<44 base64 characters>[;sha256//...], got '%.200s'",
			    arg);
		if (s[n] == '\0')
			break;
		s += n + 1;
	}
	*out = arg;
	return 0;
}

int
pvecg_cred_serve_origin(const char **out, pvecg_error *err)
{
	const char *env = getenv("PROXMOX_URL");

	*out = NULL;
	if (env == NULL || env[0] == '\0')
		return 0;
	if (pvecg_cred_option_origin(out, env, err) != 0)
		return pvecg_error_set(err, PVECG_EUSAGE, "PROXMOX_URL",
		    "expected a URL like https://pve1.lan:8006 (the origin that gets "
		    "the API token)");
	return 0;
}
