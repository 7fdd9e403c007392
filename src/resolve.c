/* resolve: from a job's source to what the pipeline fetches, with which
 * credentials, under which version tag.
 *
 * Credentials belong to one origin (scheme, host, port): on the CLI the
 * origin of --source (or --api-token-origin), in serve only the operator's
 * --api-token-origin or $PROXMOX_URL. Every request, including the ticket
 * login and the version query, goes through pvecg_fetch_req_run, which
 * attaches them only to a URL of that origin, hop by hop. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "pvecg/json.h"
#include "pvecg/product.h"
#include "pvecg/resolve.h"
#include "pvecg/source.h"
#include "pvecg/urlguard.h"
#include "pvecg/util.h"
#include "pvecg/viewer.h"

#define MAX_TAG 127

static void
wipe_free(char *s)
{
	if (s != NULL)
		memset(s, 0, strlen(s));
	free(s);
}

void
pvecg_login_free(pvecg_login *l)
{
	wipe_free(l->user);
	wipe_free(l->realm);
	wipe_free(l->password);
	wipe_free(l->totp);
	memset(l, 0, sizeof(*l));
}

static int
login_set(pvecg_login *l, const char *key, const char *val)
{
	char **slot = strcmp(key, "user") == 0 ? &l->user
	    : strcmp(key, "realm") == 0        ? &l->realm
	    : strcmp(key, "password") == 0     ? &l->password
	    : strcmp(key, "totp") == 0         ? &l->totp
	                                       : NULL;

	if (slot == NULL)
		return 1;
	wipe_free(*slot);
	*slot = pvecg_strdup(val);
	return *slot == NULL ? -1 : 0;
}

PVECG_NODISCARD static int
login_parse(pvecg_login *l, char *text, const char *file, pvecg_error *err)
{
	char *line, *save = NULL;
	int n = 0;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '='), *end = line + strlen(line);
		int rc;

		n++;
		while (end > line && (end[-1] == '\r' || end[-1] == ' '))
			*--end = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (eq == NULL)
			return pvecg_error_set(
			    err, PVECG_EUSAGE, file, "line %d: expected key=value", n);
		*eq = '\0';
		rc = login_set(l, line, eq + 1);
		if (rc > 0)
			return pvecg_error_set(err, PVECG_EUSAGE, file,
			    "line %d: unknown key '%.32s' (user, realm, password, totp)", n, line);
		if (rc < 0)
			return pvecg_error_set(err, PVECG_ENOMEM, file, "out of memory");
	}
	return 0;
}

PVECG_NODISCARD static int
login_from_file(pvecg_login *l, const char *file, pvecg_error *err)
{
	pvecg_buf b = PVECG_BUF_INIT;
	struct stat st;
	int rc;

	if (stat(file, &st) == 0 && (st.st_mode & 077) != 0)
		return pvecg_error_set(err, PVECG_EUSAGE, file,
		    "login file is readable by group or others (chmod 600 it)");
	rc = pvecg_read_file(&b, file, 65536, err);
	if (rc == 0)
		rc = login_parse(l, b.data ? b.data : (char *)"", file, err);
	if (b.data != NULL)
		memset(b.data, 0, b.len);
	pvecg_buf_free(&b);
	return rc;
}

int
pvecg_login_load(pvecg_login *l, const char *file, pvecg_error *err)
{
	static const char *const env[][2] = { { "user", "PROXMOX_USER" },
		{ "realm", "PROXMOX_REALM" }, { "password", "PROXMOX_PASSWORD" },
		{ "totp", "PROXMOX_TOTP" } };
	size_t i;
	int rc = 0;

	memset(l, 0, sizeof(*l));
	if (file != NULL)
		rc = login_from_file(l, file, err);
	for (i = 0; file == NULL && rc == 0 && i < sizeof(env) / sizeof(env[0]); i++) {
		const char *v = getenv(env[i][1]);

		if (v != NULL && v[0] != '\0' && login_set(l, env[i][0], v) < 0)
			rc = pvecg_error_set(err, PVECG_ENOMEM, env[i][1], "out of memory");
	}
	if (rc == 0 && file != NULL && (l->user == NULL || l->password == NULL))
		rc = pvecg_error_set(err, PVECG_EUSAGE, file, "needs both user= and password=");
	if (rc != 0)
		pvecg_login_free(l);
	return rc;
}

/* application/x-www-form-urlencoded value. */
PVECG_NODISCARD static int
form_add(pvecg_buf *b, const char *key, const char *val)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)val;

	if (pvecg_buf_printf(b, "%s%s=", b->len ? "&" : "", key) != 0)
		return -1;
	for (; *s; s++) {
		char enc[4] = { '%', hex[*s >> 4], hex[*s & 15], '\0' };

		if (isalnum(*s) || *s == '-' || *s == '.' || *s == '_' || *s == '~')
			enc[0] = (char)*s, enc[1] = '\0';
		if (pvecg_buf_append(b, enc, strlen(enc)) != 0)
			return -1;
	}
	return 0;
}

/* GET or POST origin+path; the answer's "data" object (owned by *doc). */
PVECG_NODISCARD static int
api_call(cJSON **doc, const cJSON **data, const char *origin, const char *path, const char *form,
    const pvecg_fetch_policy *p, pvecg_error *err)
{
	pvecg_fetch_req req = { form, true, 0, NULL };
	pvecg_buf url = PVECG_BUF_INIT, body = PVECG_BUF_INIT;
	int rc;

	*doc = NULL;
	if (pvecg_buf_printf(&url, "%s%s", origin, path) != 0)
		return pvecg_error_set(err, PVECG_ENOMEM, origin, "out of memory");
	rc = pvecg_fetch_req_run(&body, url.data, p, &req, err);
	if (rc == 0 && (req.status == 401 || req.status == 403))
		rc = pvecg_error_set(err, PVECG_ENET, url.data,
		    "HTTP %ld: the credentials were refused", req.status);
	else if (rc == 0 && req.status >= 400)
		rc = pvecg_error_set(err, PVECG_ENET, url.data, "HTTP %ld", req.status);
	if (rc == 0) {
		*doc = cJSON_ParseWithLength(body.data ? body.data : "", body.len);
		*data = pvecg_json_get(*doc, "data");
		if (!cJSON_IsObject(*data))
			rc = pvecg_error_set(err, PVECG_EINPUT, url.data,
			    "expected a JSON object {\"data\": {...}}");
	}
	if (body.data != NULL)
		memset(body.data, 0, body.len);
	free(req.final_url);
	pvecg_buf_free(&body);
	pvecg_buf_free(&url);
	return rc;
}

/* Keeps ticket and CSRF token of a login answer. */
PVECG_NODISCARD static int
take_ticket(pvecg_resolved *r, const cJSON *data, const pvecg_product *pr, const char *where,
    pvecg_error *err)
{
	const char *t = pvecg_json_str(data, "ticket");
	const char *c = pvecg_json_str(data, "CSRFPreventionToken");
	pvecg_buf b = PVECG_BUF_INIT;

	if (t == NULL || c == NULL)
		return pvecg_error_set(
		    err, PVECG_EINPUT, where, "login answer lacks ticket or CSRFPreventionToken");
	wipe_free(r->cookie);
	wipe_free(r->csrf);
	r->csrf = pvecg_strdup(c);
	if (pvecg_buf_printf(&b, "%s=%s", pr->ticket_cookie, t) != 0 || r->csrf == NULL) {
		pvecg_buf_free(&b);
		return pvecg_error_set(err, PVECG_ENOMEM, where, "out of memory");
	}
	r->cookie = b.data;
	r->fetch.ticket_cookie = r->cookie;
	r->fetch.csrf_token = r->csrf;
	return 0;
}

/* POST /access/ticket; a second POST answers a TOTP challenge. */
PVECG_NODISCARD static int
ticket_login(pvecg_resolved *r, const pvecg_login *l, const pvecg_product *pr, const char *origin,
    pvecg_error *err)
{
	pvecg_buf form = PVECG_BUF_INIT, user = PVECG_BUF_INIT, pw = PVECG_BUF_INIT;
	const cJSON *data = NULL;
	cJSON *doc = NULL;
	int rc = 0;

	if ((l->realm && !strchr(l->user, '@') ? pvecg_buf_printf(&user, "%s@%s", l->user, l->realm)
	                                       : pvecg_buf_printf(&user, "%s", l->user)) != 0 ||
	    form_add(&form, "username", user.data) || form_add(&form, "password", l->password))
		rc = pvecg_error_set(err, PVECG_ENOMEM, origin, "out of memory");
	if (rc == 0)
		rc = api_call(
		    &doc, &data, origin, "/api2/json/access/ticket", form.data, &r->fetch, err);
	if (rc == 0 && pvecg_json_truthy(pvecg_json_get(data, "NeedTFA"))) {
		const char *chal = pvecg_json_str(data, "ticket");

		if (l->totp == NULL || chal == NULL) {
			rc = pvecg_error_set(err, PVECG_EUSAGE, origin,
			    "the account needs a second factor: give totp= in the login "
			    "file or $PROXMOX_TOTP");
			goto out;
		}
		memset(form.data, 0, form.len);
		form.len = 0;
		if (pvecg_buf_printf(&pw, "totp:%s", l->totp) != 0 ||
		    form_add(&form, "username", user.data) ||
		    form_add(&form, "tfa-challenge", chal) ||
		    form_add(&form, "password", pw.data)) {
			rc = pvecg_error_set(err, PVECG_ENOMEM, origin, "out of memory");
			goto out;
		}
		cJSON_Delete(doc);
		rc = api_call(
		    &doc, &data, origin, "/api2/json/access/ticket", form.data, &r->fetch, err);
	}
	if (rc == 0)
		rc = take_ticket(r, data, pr, origin, err);
out:
	if (form.data)
		memset(form.data, 0, form.len);
	if (pw.data)
		memset(pw.data, 0, pw.len);
	pvecg_buf_free(&form);
	pvecg_buf_free(&pw);
	pvecg_buf_free(&user);
	cJSON_Delete(doc);
	return rc;
}

/* "release" when it reads like 9.2; else "version" cut to major.minor
 * (PBS reports version 4.0.x with a one-number release). */
PVECG_NODISCARD static int
reported_tag(char out[MAX_TAG + 1], const cJSON *data, const char *where, pvecg_error *err)
{
	const char *rel = pvecg_json_str(data, "release");
	const char *ver = pvecg_json_str(data, "version");
	const char *pick = rel && strchr(rel, '.') ? rel : ver;
	size_t n;

	if (pick == NULL)
		return pvecg_error_set(
		    err, PVECG_EINPUT, where, "no release or version in the answer");
	if (pick == rel) {
		n = strlen(pick);
	} else {
		n = strspn(pick, "0123456789");
		if (pick[n] == '.')
			n += 1 + strspn(pick + n + 1, "0123456789");
	}
	if (n == 0 || n > MAX_TAG)
		return pvecg_error_set(err, PVECG_EINPUT, where, "unusable version '%.40s'", pick);
	memcpy(out, pick, n);
	out[n] = '\0';
	return pvecg_urlguard_check_tag(out, err) == 0
	    ? 0
	    : pvecg_error_set(err, PVECG_EINPUT, where, "unusable version '%.40s'", pick);
}

static void
bind_product(pvecg_resolved *r, const pvecg_product *pr)
{
	r->fetch.token_prefix = pr->token_prefix ? pr->token_prefix : "PVEAPIToken=";
	r->fetch.token_sep = pr->token_sep;
}

/* Tries each candidate product's viewer on the host; the first HTML page wins. */
PVECG_NODISCARD static int
probe_host(pvecg_resolved *r, const pvecg_product **chosen, const char *url, const pvecg_job *job,
    const pvecg_generate_config *o, pvecg_error *err)
{
	const pvecg_product *only = pvecg_product_find(job->product);
	pvecg_error last;
	size_t i;
	int rc = PVECG_ENET;

	pvecg_error_clear(&last);
	for (i = 0; i < pvecg_n_products; i++) {
		const pvecg_product *pr = only ? only : &pvecg_products[i];
		pvecg_buf page = PVECG_BUF_INIT;
		char *v = NULL;

		if ((rc = pvecg_source_viewer_url(&v, url, pr, err)) != 0)
			return rc;
		bind_product(r, pr);
		if (r->cred_origin == NULL && !o->remote_only)
			r->fetch.cred_origin = v;
		rc = pvecg_fetch(&page, v, &r->fetch, &last);
		if (rc == 0 && !pvecg_viewer_is_html(page.data, page.len))
			rc = pvecg_error_set(&last, PVECG_EINPUT, v, "not an HTML page");
		pvecg_buf_free(&page);
		r->fetch.cred_origin = r->cred_origin;
		pvecg_generate_note(o, "%s: %s API viewer at %s: %s", url, pr->name, v,
		    rc == 0 ? "answered" : last.message);
		if (rc == 0) {
			r->source = v;
			*chosen = pr;
			return 0;
		}
		free(v);
		if (only)
			break;
	}
	if (err != NULL)
		*err = last;
	if (!only) {
		char names[64];

		pvecg_product_list(names, sizeof(names));
		pvecg_error_set(err, last.code ? last.code : PVECG_ENET, url,
		    "no Proxmox API viewer answered on this host (tried %s); "
		    "last: %s: %s",
		    names, last.where, last.message);
	}
	return last.code ? last.code : PVECG_ENET;
}

PVECG_NODISCARD static int
decide_tag(pvecg_resolved *r, const pvecg_job *job, const pvecg_product *pr, bool creds,
    const pvecg_login *l, const pvecg_generate_config *o, pvecg_error *err)
{
	char tag[MAX_TAG + 1], *origin = NULL;
	const cJSON *data = NULL;
	cJSON *doc = NULL;
	int rc = 0;

	if (creds && (rc = pvecg_source_origin(&origin, r->source, err)) != 0)
		return rc;
	if (creds && l->user != NULL && l->password != NULL) {
		rc = ticket_login(r, l, pr, origin, err);
		if (rc == 0)
			pvecg_generate_note(o, "%s: logged in as %s, %s ticket", origin, l->user,
			    pr->ticket_cookie);
	}
	if (rc != 0 || job->version_tag != NULL) {
		if (rc == 0)
			snprintf(r->tag_reason, sizeof(r->tag_reason), "given");
		r->version_tag = job->version_tag ? pvecg_strdup(job->version_tag) : NULL;
		free(origin);
		return rc != 0 ? rc
		    : r->version_tag
		    ? 0
		    : pvecg_error_set(err, PVECG_ENOMEM, "--version-tag", "out of memory");
	}
	if (creds) {
		rc = api_call(&doc, &data, origin, "/api2/json/version", NULL, &r->fetch, err);
		if (rc == 0)
			rc = reported_tag(tag, data, origin, err);
		if (rc == 0)
			snprintf(r->tag_reason, sizeof(r->tag_reason),
			    "release reported by %s/api2/json/version (%s, product %s)", origin,
			    r->cookie ? "ticket login" : "API token", pr->name);
	} else {
		snprintf(tag, sizeof(tag), "latest");
		snprintf(r->tag_reason, sizeof(r->tag_reason), "%s",
		    pvecg_source_classify(r->source) != PVECG_SOURCE_URL
		        ? "no --version-tag and a local input: no host to ask"
		        : "no version tag given and no credentials for this origin to ask the "
		          "host");
	}
	cJSON_Delete(doc);
	free(origin);
	if (rc == 0 && (r->version_tag = pvecg_strdup(tag)) == NULL)
		rc = pvecg_error_set(err, PVECG_ENOMEM, "--version-tag", "out of memory");
	return rc;
}

PVECG_NODISCARD static int
resolve_url(pvecg_resolved *r, const pvecg_product **pr, const pvecg_job *job,
    const pvecg_generate_config *o, pvecg_error *err)
{
	const char *src = job->source;
	int rc;

	if ((rc = pvecg_source_check_url(src, &o->fetch, err)) != 0)
		return rc;
	if (o->token_origin != NULL &&
	    (rc = pvecg_source_origin(&r->cred_origin, o->token_origin, err)) != 0)
		return rc;
	r->fetch.cred_origin = r->cred_origin;
	if (pvecg_source_is_host_url(src)) {
		rc = probe_host(r, pr, src, job, o, err);
		r->product = rc == 0 ? (*pr)->name : NULL;
	} else {
		*pr = pvecg_product_find(job->product);
		if (*pr == NULL)
			*pr = pvecg_source_product_of(src);
		if (*pr == NULL)
			*pr = &pvecg_products[0];
		r->product = job->product;
		r->source = pvecg_strdup(src);
		rc = r->source ? 0 : pvecg_error_set(err, PVECG_ENOMEM, src, "out of memory");
	}
	if (rc != 0)
		return rc;
	bind_product(r, *pr);
	/* CLI: the credentials belong to the source's own origin. */
	if (r->cred_origin == NULL && !o->remote_only &&
	    (rc = pvecg_source_origin(&r->cred_origin, r->source, err)) != 0)
		return rc;
	r->fetch.cred_origin = r->cred_origin;
	return 0;
}

int
pvecg_resolve(
    pvecg_resolved *r, const pvecg_job *job, const pvecg_generate_config *o, pvecg_error *err)
{
	enum pvecg_source_kind kind = pvecg_source_classify(job->source);
	const pvecg_product *pr = NULL;
	pvecg_login l;
	bool creds;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(&l, 0, sizeof(l));
	r->fetch = o->fetch;
	r->fetch.cred_origin = NULL;
	if (kind != PVECG_SOURCE_URL && o->remote_only)
		return pvecg_error_set(err, PVECG_EPOLICY, job->source,
		    "not a URL (scheme://host/...); local files are never read for a request");
	if (kind != PVECG_SOURCE_URL) {
		r->product = job->product;
		r->source = pvecg_strdup(job->source);
		rc = r->source ? 0
		               : pvecg_error_set(err, PVECG_ENOMEM, job->source, "out of memory");
		pr = &pvecg_products[0];
	} else {
		rc = resolve_url(r, &pr, job, o, err);
	}
	if (rc == 0)
		rc = pvecg_login_load(&l, o->login_file, err);
	creds = kind == PVECG_SOURCE_URL && r->cred_origin != NULL &&
	    pvecg_source_same_origin(r->cred_origin, r->source) &&
	    ((r->fetch.api_token != NULL && pr->token_prefix != NULL) ||
	        (l.user != NULL && l.password != NULL));
	if (creds && l.user == NULL && pr->token_prefix == NULL)
		creds = false;
	if (rc == 0)
		rc = decide_tag(r, job, pr, creds, &l, o, err);
	pvecg_login_free(&l);
	if (rc == 0)
		pvecg_generate_note(
		    o, "%s: version tag %s: %s", r->source, r->version_tag, r->tag_reason);
	else
		pvecg_resolved_free(r);
	return rc;
}

void
pvecg_resolved_free(pvecg_resolved *r)
{
	free(r->source);
	free(r->version_tag);
	free(r->cred_origin);
	wipe_free(r->cookie);
	wipe_free(r->csrf);
	memset(r, 0, sizeof(*r));
}
