/* serve_files: what serve answers from the artifact tree: openapi.json
 * and model_index.json of a version, its C models as .tar.gz, and the
 * versions listing (kept while the tree is unchanged). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>

#include "pvecg/product.h"
#include "pvecg/buf.h"
#include "pvecg/capture.h"
#include "pvecg/targz.h"
#include "pvecg/urlguard.h"
#include "pvecg/util.h"
#include "pvecg/versions.h"
#include "serve_int.h"

#define SERVE_VERSIONS_RECHECK_S 1.0 /* other writers show up this late */

/* ------------------------------------------------------------------ */
/* the models archive                                                  */

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted entry names of dir (no "." / ".."). */
PVECG_NODISCARD static int
list_dir(char ***out, size_t *n, const char *dir, pvecg_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t cnt = 0;
	if (!d)
		return pvecg_error_set(err, PVECG_EIO, dir, "%s", strerror(errno));
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char **nv = realloc(v, (cnt + 1) * sizeof(*v));
		char *s = pvecg_strdup(e->d_name);
		if (!nv || !s) {
			free(s);
			v = nv ? nv : v;
			for (size_t k = 0; k < cnt; k++)
				free(v[k]);
			free(v);
			closedir(d);
			return pvecg_error_set(err, PVECG_ENOMEM, dir, "out of memory");
		}
		v = nv;
		v[cnt++] = s;
	}
	closedir(d);
	if (cnt)
		qsort(v, cnt, sizeof(*v), name_cmp);
	*out = v;
	*n = cnt;
	return 0;
}

static void
free_names(char **v, size_t n)
{
	for (size_t k = 0; k < n; k++)
		free(v[k]);
	free(v);
}

static bool
wanted_top(const char *name, bool isdir)
{
	size_t l = strlen(name);
	if (isdir)
		return !strcmp(name, "models");
	if (!strcmp(name, "model_index.json"))
		return true;
	return l > 2 && name[l - 2] == '.' && (name[l - 1] == 'h' || name[l - 1] == 'c');
}

/* Adds dir/rel (recursively) as prefix/rel; depth-limited, symlinks skipped. */
PVECG_NODISCARD static int
tar_tree(pvecg_targz *tar, const char *base, const char *rel, const char *prefix, int depth,
    pvecg_error *err)
{
	char path[4096], name[4096];
	char **names = NULL;
	size_t n = 0;
	int rc;
	if (depth > 16)
		return pvecg_error_set(err, PVECG_ELIMIT, base, "directory tree too deep");
	snprintf(path, sizeof(path), "%s%s%s", base, *rel ? "/" : "", rel);
	if ((rc = list_dir(&names, &n, path, err)))
		return rc;
	for (size_t k = 0; k < n && !rc; k++) {
		struct stat st;
		char sub[4096];
		pvecg_buf data = PVECG_BUF_INIT;
		int wn = snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", names[k]);
		int wp = snprintf(path, sizeof(path), "%s/%s", base, sub);
		int wm = snprintf(name, sizeof(name), "%s/%s", prefix, sub);
		if (wn < 0 || wp < 0 || wm < 0 || (size_t)wn >= sizeof(sub) ||
		    (size_t)wp >= sizeof(path) || (size_t)wm >= sizeof(name)) {
			rc = pvecg_error_set(err, PVECG_ELIMIT, base, "path too long");
			break;
		}
		if (lstat(path, &st) != 0) {
			rc = pvecg_error_set(err, PVECG_EIO, path, "%s", strerror(errno));
			break;
		}
		bool isdir = S_ISDIR(st.st_mode);
		if (!isdir && !S_ISREG(st.st_mode))
			continue;
		if (depth == 0 && !wanted_top(names[k], isdir))
			continue;
		if (isdir) {
			size_t l = strlen(name);
			if (l + 1 >= sizeof(name)) {
				rc = pvecg_error_set(err, PVECG_ELIMIT, base, "path too long");
				break;
			}
			name[l] = '/';
			name[l + 1] = '\0';
			rc = pvecg_targz_add_dir(tar, name, (long long)st.st_mtime, err);
			if (!rc)
				rc = tar_tree(tar, base, sub, prefix, depth + 1, err);
			continue;
		}
		rc = pvecg_read_file(&data, path, 0, err);
		if (!rc)
			rc = pvecg_targz_add_file(
			    tar, name, data.data, data.len, (long long)st.st_mtime, err);
		pvecg_buf_free(&data);
	}
	free_names(names, n);
	return rc;
}

/* The C models of one version directory as .tar.gz, entries under prefix/. */
PVECG_NODISCARD static int
models_targz(pvecg_buf *out, const char *vdir, const char *prefix, pvecg_error *err)
{
	pvecg_targz *tar = NULL;
	int rc = pvecg_targz_new(&tar, err);
	if (!rc)
		rc = tar_tree(tar, vdir, "", prefix, 0, err);
	if (!rc)
		rc = pvecg_targz_finish(tar, out, err);
	pvecg_targz_free(tar);
	return rc;
}

/* ------------------------------------------------------------------ */
/* reading artifacts                                                   */

/* "pve" -> ROOT/proxmox/<tag>; 400 on a bad product or tag. */
static unsigned
version_dir(char *out, size_t cap, const char **pdir_out, const struct serve *s,
    struct MHD_Connection *conn, char *detail, size_t dcap)
{
	const char *product = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "product");
	const char *version = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "version");
	const char *pdir;
	char tag[128];
	pvecg_error e = { 0 };
	if (!product || !*product)
		product = "pve";
	if (!(pdir = pvecg_capture_product_dir(product))) {
		char names[64];

		pvecg_product_list(names, sizeof(names));
		snprintf(detail, dcap, "unknown product '%.40s' (%s)", product, names);
		return MHD_HTTP_BAD_REQUEST;
	}
	if (!version || !*version)
		version = "latest";
	if (strlen(version) >= sizeof(tag)) {
		snprintf(detail, dcap, "version tag too long");
		return MHD_HTTP_BAD_REQUEST;
	}
	snprintf(tag, sizeof(tag), "%s", version);
	if (pvecg_urlguard_check_tag(tag, &e)) {
		snprintf(detail, dcap, "%.400s", e.message);
		return MHD_HTTP_BAD_REQUEST;
	}
	*pdir_out = pdir;
	int w = snprintf(out, cap, "%s/%s/%s", s->root, pdir, tag);
	if (w < 0 || (size_t)w >= cap) {
		snprintf(detail, dcap, "path too long");
		return MHD_HTTP_BAD_REQUEST;
	}
	return 0;
}

static enum MHD_Result
serve_file(struct req *r, struct MHD_Connection *conn, const char *path, const char *type)
{
	struct MHD_Response *resp;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return serve_send_error(r, conn, MHD_HTTP_NOT_FOUND, "not found",
		    "no such version (or the file is missing)");
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return serve_send_error(
		    r, conn, MHD_HTTP_NOT_FOUND, "not found", "not a regular file");
	}
	/* MHD owns fd from here (closes it with the response). */
	resp = MHD_create_response_from_fd((size_t)st.st_size, fd);
	if (!resp) {
		close(fd);
		return MHD_NO;
	}
	r->bytes = (unsigned long long)st.st_size;
	return serve_queue(r, conn, MHD_HTTP_OK, resp, type);
}

enum MHD_Result
serve_files_artifact(struct serve *s, struct req *r, struct MHD_Connection *conn)
{
	char dir[4096], path[4200], detail[512];
	const char *pdir = NULL;
	unsigned st = version_dir(dir, sizeof(dir), &pdir, s, conn, detail, sizeof(detail));
	if (st)
		return serve_send_error(r, conn, st, "bad request", detail);
	if (r->route == R_OPENAPI || r->route == R_MODEL_INDEX) {
		snprintf(path, sizeof(path), "%s/%s", dir,
		    r->route == R_OPENAPI ? "openapi.json" : "model_index.json");
		return serve_file(r, conn, path, "application/json");
	}
	/* models: name the archive after the real tag (latest resolves). */
	char real[4096], prefix[300], cd[400];
	pvecg_buf gz = PVECG_BUF_INIT;
	pvecg_error e = { 0 };
	if (!realpath(dir, real))
		return serve_send_error(
		    r, conn, MHD_HTTP_NOT_FOUND, "not found", "no such version");
	const char *tag = strrchr(real, '/') ? strrchr(real, '/') + 1 : real;
	snprintf(path, sizeof(path), "%s/models", real);
	struct stat sb;
	if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return serve_send_error(r, conn, MHD_HTTP_NOT_FOUND, "not found",
		    "this version has no models directory");
	snprintf(prefix, sizeof(prefix), "%s-%.200s", pdir, tag);
	if (models_targz(&gz, real, prefix, &e)) {
		pvecg_buf_free(&gz);
		return serve_send_pvecg_error(
		    r, conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "archive failed", &e);
	}
	size_t len;
	char *data = pvecg_buf_steal(&gz, &len);
	struct MHD_Response *resp = MHD_create_response_from_buffer_with_free_callback(
	    len, data, free);
	if (!resp) {
		free(data);
		return MHD_NO;
	}
	snprintf(cd, sizeof(cd), "attachment; filename=\"%s-models.tar.gz\"", prefix);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, cd);
	r->bytes = len;
	return serve_queue(r, conn, MHD_HTTP_OK, resp, "application/gzip");
}

/* Names, inodes, sizes and mtimes of ROOT down to the files of each
 * version: every commit (a rename) or latest switch changes it. Returns
 * PVECG_ENOMEM when the signature could not be built. */
PVECG_NODISCARD static int
tree_sig(pvecg_buf *b, const char *dir, int depth)
{
	char **names = NULL;
	size_t n = 0;
	pvecg_error e;
	int rc = 0;

	if (list_dir(&names, &n, dir, &e))
		return 0;
	for (size_t k = 0; k < n && rc == 0; k++) {
		char path[4096];
		struct stat st;

		if (snprintf(path, sizeof(path), "%s/%s", dir, names[k]) >= (int)sizeof(path) ||
		    stat(path, &st) != 0)
			continue;
		rc = pvecg_buf_printf(b, "%d %s %llu %lld %lld.%09ld\n", depth, names[k],
		    (unsigned long long)st.st_ino, (long long)st.st_size,
		    (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
		if (rc == 0 && S_ISDIR(st.st_mode) && depth < 2)
			rc = tree_sig(b, path, depth + 1);
	}
	free_names(names, n);
	return rc;
}

/* The listing is expensive (it reads every version's artifacts), so the
 * answer is kept while the tree's signature is unchanged. The signature
 * itself (a few dozen stat calls) is taken at most every
 * SERVE_VERSIONS_RECHECK_S, and at once after our own generation; vlock
 * makes concurrent misses compute the listing once. */
PVECG_NODISCARD static int
versions_text(char **out, size_t *len, struct serve *s, pvecg_error *err)
{
	pvecg_buf sig = PVECG_BUF_INIT;
	char hex[65], *text = NULL;
	size_t tlen = 0;
	int rc = 0;
	double now = pvecg_now();
	FILE *fp;

	pthread_mutex_lock(&s->vlock);
	if (s->vtext && now - s->vchecked < SERVE_VERSIONS_RECHECK_S)
		goto copy;
	if (tree_sig(&sig, s->root, 0) != 0) {
		pvecg_buf_free(&sig);
		rc = pvecg_error_set(err, PVECG_ENOMEM, "versions", "out of memory");
		goto out;
	}
	pvecg_sha256_hex(hex, sig.data ? sig.data : "", sig.len);
	pvecg_buf_free(&sig);
	if (!s->vtext || strcmp(hex, s->vsig) != 0) {
		if (!(fp = open_memstream(&text, &tlen))) {
			rc = pvecg_error_set(err, PVECG_ENOMEM, "versions", "out of memory");
			goto out;
		}
		rc = pvecg_versions(s->root, 1, fp, err);
		if (fclose(fp) != 0 && !rc)
			rc = pvecg_error_set(err, PVECG_ENOMEM, "versions", "out of memory");
		if (rc == PVECG_EINPUT && tlen == 0) {
			/* no version yet: a fresh server's root is a valid, empty list */
			free(text);
			text = pvecg_strdup("[]\n");
			tlen = 3;
			rc = text ? 0
			          : pvecg_error_set(err, PVECG_ENOMEM, "versions", "out of memory");
		}
		if (rc) {
			free(text);
			goto out;
		}
		free(s->vtext);
		s->vtext = text;
		s->vlen = tlen;
		memcpy(s->vsig, hex, sizeof(hex));
	}
	s->vchecked = now;
copy:
	if (!(*out = malloc(s->vlen + 1))) {
		rc = pvecg_error_set(err, PVECG_ENOMEM, "versions", "out of memory");
		goto out;
	}
	memcpy(*out, s->vtext, s->vlen);
	*len = s->vlen;
out:
	pthread_mutex_unlock(&s->vlock);
	return rc;
}

enum MHD_Result
serve_files_versions(struct serve *s, struct req *r, struct MHD_Connection *conn)
{
	char *text = NULL;
	size_t len = 0;
	pvecg_error e = { 0 };
	if (versions_text(&text, &len, s, &e))
		return serve_send_pvecg_error(
		    r, conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "versions failed", &e);
	return serve_send_bytes(r, conn, MHD_HTTP_OK, text, len, "application/json");
}
