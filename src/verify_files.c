/* verify: the pins in the generated C headers and the SHA256SUMS list. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pvecg/checksums.h"
#include "pvecg/util.h"
#include "verify_int.h"

/* ------------------------------------------------------------------ */
/* Header pins                                                          */

/* Every `<prefix>KEY "value"` in the text must carry want. */
static void
check_pin_strings(struct vstate *s, struct vdir *v, const char *file, const char *text,
    const char *key, int is_tag)
{
	size_t klen = strlen(key);
	const char *p = text;
	int seen = 0;

	while ((p = strstr(p, key)) != NULL) {
		const char *val = p + klen, *end = strchr(val, '"');
		char got[256];

		p = val;
		if (end == NULL || (size_t)(end - val) >= sizeof(got))
			continue;
		memcpy(got, val, (size_t)(end - val));
		got[end - val] = '\0';
		seen = 1;
		if (is_tag)
			verify_check_tag(s, v, file, "VERSION_TAG", got);
		else if (v->have_sha && strcmp(got, v->sha) != 0)
			verify_failure(s, file,
			    "OPENAPI_SHA256 %s does not match openapi.json (%s)", got, v->sha);
	}
	if (!seen)
		verify_failure(s, file, "no %s...\" pin", key);
}

/* pvecg_rt*.h is the shared runtime, copied verbatim into every tree: not
 * made from openapi.json, so not pinned. Every other header is. */
static int
is_pinned_header(const char *name)
{
	return verify_ends_with(name, ".h") && strncmp(name, "pvecg_rt", 8) != 0;
}

static void
check_header_pins(struct vstate *s, struct vdir *v, const char *path, const char *text)
{
	check_pin_strings(s, v, path, text, "OPENAPI_SHA256 \"", 0);
	check_pin_strings(s, v, path, text, "VERSION_TAG \"", 1);
}

void
verify_headers_in(struct vstate *s, struct vdir *v, const char *dir, int depth)
{
	struct dirent **ents = NULL;
	int n, i;

	if (depth > MAX_WALK_DEPTH)
		return;
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0) {
		verify_failure(s, dir, "cannot list: %s", strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		char path[PATH_MAX];
		struct stat st;

		if (ents[i]->d_name[0] == '.' ||
		    pvecg_path_join(path, sizeof(path), dir, ents[i]->d_name) != 0 ||
		    lstat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			verify_headers_in(s, v, path, depth + 1);
		} else if (S_ISREG(st.st_mode) && is_pinned_header(ents[i]->d_name)) {
			pvecg_buf b = PVECG_BUF_INIT;

			if (pvecg_read_file(&b, path, MAX_HEADER, NULL) != 0)
				verify_failure(s, path, "cannot read");
			else
				check_header_pins(s, v, path, b.data ? b.data : "");
			pvecg_buf_free(&b);
		}
	}
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
}

/* The headers of a file set in memory (hidden paths skipped, as on disk). */
void
verify_headers_mem(struct vstate *s, struct vdir *v)
{
	size_t i;

	for (i = 0; i < s->mem->n; i++) {
		const pvecg_file *f = &s->mem->items[i];
		pvecg_buf b = PVECG_BUF_INIT;
		char path[PATH_MAX];

		if (!is_pinned_header(pvecg_path_base_name(f->path)) || f->path[0] == '.' ||
		    strstr(f->path, "/.") != NULL ||
		    pvecg_path_join(path, sizeof(path), v->dir, f->path) != 0)
			continue;
		/* the set's bytes are not NUL-terminated: a string copy */
		if (pvecg_buf_append(&b, f->data ? f->data : "", f->len) != 0)
			s->fatal = 1;
		else
			check_header_pins(s, v, path, b.data ? b.data : "");
		pvecg_buf_free(&b);
	}
}

/* ------------------------------------------------------------------ */
/* SHA256SUMS                                                           */

struct names {
	char **v;
	size_t n, cap;
};

PVECG_NODISCARD static int
names_add(struct names *l, const char *name)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char **p = realloc(l->v, cap * sizeof(*p));

		if (p == NULL)
			return PVECG_ENOMEM;
		l->v = p;
		l->cap = cap;
	}
	if ((l->v[l->n] = pvecg_strdup(name)) == NULL)
		return PVECG_ENOMEM;
	l->n++;
	return 0;
}

static void
names_free(struct names *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* Every file below dir, as paths relative to it (SHA256SUMS at the top left out). */
PVECG_NODISCARD static int
list_files(struct names *l, const char *dir, const char *rel, int depth)
{
	struct dirent **ents = NULL;
	char path[PATH_MAX], sub[PATH_MAX];
	int n, i, rc = 0;

	if (depth > MAX_WALK_DEPTH)
		return 0;
	if ((rel[0] ? pvecg_path_join(path, sizeof(path), dir, rel)
	            : snprintf(path, sizeof(path), "%s", dir) < 0) != 0 ||
	    (n = scandir(path, &ents, NULL, alphasort)) < 0)
		return 0;
	for (i = 0; i < n && rc == 0; i++) {
		struct stat st;

		if (strcmp(ents[i]->d_name, ".") == 0 || strcmp(ents[i]->d_name, "..") == 0 ||
		    (rel[0] == '\0' && strcmp(ents[i]->d_name, PVECG_CHECKSUMS_FILE) == 0))
			continue;
		if ((rel[0] ? pvecg_path_join(sub, sizeof(sub), rel, ents[i]->d_name)
		            : snprintf(sub, sizeof(sub), "%s", ents[i]->d_name) < 0) != 0 ||
		    pvecg_path_join(path, sizeof(path), dir, sub) != 0 || lstat(path, &st) != 0)
			continue;
		rc = S_ISDIR(st.st_mode) ? list_files(l, dir, sub, depth + 1) : names_add(l, sub);
	}
	for (i = 0; i < n; i++)
		free(ents[i]);
	free(ents);
	return rc;
}

PVECG_NODISCARD static int
actual_files(struct vstate *s, struct names *l, const char *dir)
{
	size_t i;

	if (s->mem == NULL)
		return list_files(l, dir, "", 0);
	for (i = 0; i < s->mem->n; i++)
		if (strcmp(s->mem->items[i].path, PVECG_CHECKSUMS_FILE) != 0 &&
		    names_add(l, s->mem->items[i].path) != 0)
			return PVECG_ENOMEM;
	return 0;
}

static void
check_listed(struct vstate *s, struct vdir *v, const char *file, const pvecg_checksum *c)
{
	pvecg_buf b = PVECG_BUF_INIT;
	const char *data;
	char hex[65];
	size_t len;
	int got = verify_bytes(s, v->dir, c->path, MAX_JSON, &b, &data, &len);

	if (got == 0)
		verify_failure(s, file, "names %s, which does not exist", c->path);
	if (got > 0) {
		if (v->have_sha && strcmp(c->path, "openapi.json") == 0)
			memcpy(hex, v->sha, sizeof(hex)); /* hashed by check_openapi in this pass */
		else
			pvecg_sha256_hex(hex, data, len);
		if (strcmp(hex, c->hex) != 0)
			verify_failure(
			    s, file, "%s: SHA-256 is %s, SHA256SUMS says %s", c->path, hex, c->hex);
	}
	pvecg_buf_free(&b);
}

void
verify_sums(struct vstate *s, struct vdir *v)
{
	char file[PATH_MAX];
	pvecg_buf b = PVECG_BUF_INIT;
	pvecg_checksum *sums = NULL;
	struct names have = { NULL, 0, 0 };
	const char *data;
	size_t len, n = 0, i, j;
	pvecg_error e;
	int got;

	if (pvecg_path_join(file, sizeof(file), v->dir, PVECG_CHECKSUMS_FILE) != 0)
		return;
	got = verify_bytes(s, v->dir, PVECG_CHECKSUMS_FILE, MAX_JSON, &b, &data, &len);
	if (got == 0)
		verify_failure(s, file, "missing");
	pvecg_error_clear(&e);
	if (got > 0 && pvecg_checksums_parse(&sums, &n, data, len, file, &e) != 0) {
		if (e.code == PVECG_ENOMEM)
			s->fatal = 1;
		else
			verify_failure(s, file, "%s", e.message);
	}
	for (i = 0; i < n; i++)
		check_listed(s, v, file, &sums[i]);
	if (got > 0 && sums != NULL && actual_files(s, &have, v->dir) != 0)
		s->fatal = 1;
	for (i = 0; i < have.n && !s->fatal; i++) {
		for (j = 0; j < n && strcmp(sums[j].path, have.v[i]) != 0; j++)
			;
		if (j == n)
			verify_failure(s, file, "does not list %s", have.v[i]);
	}
	names_free(&have);
	pvecg_checksums_free(sums, n);
	pvecg_buf_free(&b);
}
