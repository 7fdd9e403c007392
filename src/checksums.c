/* checksums: writes and reads the SHA256SUMS file of a version directory,
 * in the format `sha256sum -c` checks. */
#include <stdlib.h>
#include <string.h>

#include "pvecg/buf.h"
#include "pvecg/checksums.h"
#include "pvecg/util.h"

int
pvecg_checksums_add(pvecg_files *files, pvecg_error *err)
{
	pvecg_buf b = PVECG_BUF_INIT;
	size_t i, len;
	char *data;

	pvecg_files_sort(files);
	for (i = 0; i < files->n; i++) {
		pvecg_file *f = &files->items[i];

		if (strcmp(f->path, PVECG_CHECKSUMS_FILE) == 0)
			continue;
		if (pvecg_buf_printf(&b, "%s  %s\n", pvecg_file_sha256(f), f->path) != 0) {
			pvecg_buf_free(&b);
			return pvecg_error_set(
			    err, PVECG_ENOMEM, PVECG_CHECKSUMS_FILE, "out of memory");
		}
	}
	data = pvecg_buf_steal(&b, &len);
	if (data == NULL && (data = calloc(1, 1)) == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, PVECG_CHECKSUMS_FILE, "out of memory");
	for (i = 0; i < files->n; i++) {
		if (strcmp(files->items[i].path, PVECG_CHECKSUMS_FILE) == 0) {
			free(files->items[i].data);
			files->items[i].data = data;
			files->items[i].len = len;
			files->items[i].sha256[0] = '\0';
			return 0;
		}
	}
	if (pvecg_files_add(files, PVECG_CHECKSUMS_FILE, data, len) != 0)
		return pvecg_error_set(err, PVECG_ENOMEM, PVECG_CHECKSUMS_FILE, "out of memory");
	pvecg_files_sort(files);
	return 0;
}

void
pvecg_checksums_free(pvecg_checksum *sums, size_t n)
{
	size_t i;

	for (i = 0; sums != NULL && i < n; i++)
		free(sums[i].path);
	free(sums);
}

/* A relative path of plain segments: no "", ".", ".." or control bytes. */
static int
plain_path(const char *p, size_t len)
{
	size_t i, seg = 0;

	if (len == 0 || p[0] == '/')
		return 0;
	for (i = 0; i <= len; i++) {
		if (i == len || p[i] == '/') {
			size_t n = i - seg;

			if (n == 0 || (n == 1 && p[seg] == '.') ||
			    (n == 2 && p[seg] == '.' && p[seg + 1] == '.'))
				return 0;
			seg = i + 1;
		} else if ((unsigned char)p[i] < 0x20 || p[i] == '\\') {
			return 0;
		}
	}
	return 1;
}

PVECG_NODISCARD static int
parse_line(pvecg_checksum *c, const char *s, size_t len)
{
	size_t i;

	if (len < 67 || s[64] != ' ' || s[65] != ' ' || !plain_path(s + 66, len - 66))
		return -1;
	for (i = 0; i < 64; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return -1;
		c->hex[i] = s[i];
	}
	c->hex[64] = '\0';
	c->path = pvecg_strndup(s + 66, len - 66);
	return c->path == NULL ? PVECG_ENOMEM : 0;
}

int
pvecg_checksums_parse(pvecg_checksum **out, size_t *n, const char *text, size_t len,
    const char *where, pvecg_error *err)
{
	pvecg_checksum *sums = NULL;
	size_t lines = 0, i = 0, k = 0, line = 1;
	int rc = 0;

	*out = NULL;
	*n = 0;
	for (i = 0; i < len; i++)
		lines += text[i] == '\n';
	if (len > 0 && text[len - 1] != '\n')
		return pvecg_error_set(
		    err, PVECG_EINPUT, where, "last line does not end with a newline");
	if ((sums = calloc(lines ? lines : 1, sizeof(*sums))) == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, where, "out of memory");
	for (i = 0; i < len; line++) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t l = (size_t)(nl - (text + i));

		rc = parse_line(&sums[k], text + i, l);
		if (rc == PVECG_ENOMEM) {
			rc = pvecg_error_set(err, rc, where, "out of memory");
			break;
		}
		if (rc != 0) {
			rc = pvecg_error_set(err, PVECG_EINPUT, where,
			    "line %zu: expected \"<sha256 hex>  <relative path>\"", line);
			break;
		}
		if (k++ > 0 && strcmp(sums[k - 2].path, sums[k - 1].path) >= 0) {
			rc = pvecg_error_set(err, PVECG_EINPUT, where,
			    "line %zu: %s is not after %s (paths are sorted, each once)", line,
			    sums[k - 1].path, sums[k - 2].path);
			break;
		}
		i += l + 1;
	}
	if (rc != 0) {
		pvecg_checksums_free(sums, k);
		return rc;
	}
	*out = sums;
	*n = k;
	return 0;
}
