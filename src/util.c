/* util: whole-file reads with a size cap, SHA-256 in hex, string
 * duplication, the clock, path formatting and allocator tuning. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <malloc.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "pvecg/util.h"

static const char *
file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	return "not a regular file";
}

/* Opened non-blocking, so a FIFO without a writer cannot hang the run, and
 * judged by fstat on the descriptor itself, so nothing can be swapped in
 * between a check and the open. */
int
pvecg_read_file(pvecg_buf *out, const char *path, size_t max, pvecg_error *err)
{
	struct stat st;
	ssize_t n;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 && errno == ENXIO && stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return pvecg_error_set(
		    err, PVECG_EIO, path, "not a regular file (%s)", file_kind(st.st_mode));
	if (fd < 0)
		return pvecg_error_set(err, PVECG_EIO, path, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) != 0) {
		rc = pvecg_error_set(err, PVECG_EIO, path, "cannot stat: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = pvecg_error_set(
		    err, PVECG_EIO, path, "not a regular file (%s)", file_kind(st.st_mode));
		goto out;
	}
	/* a regular file: reads block as usual */
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0) {
		rc = pvecg_error_set(err, PVECG_EIO, path, "fcntl failed: %s", strerror(errno));
		goto out;
	}
	if (max > 0 && (size_t)st.st_size > max) {
		rc = pvecg_error_set(err, PVECG_ELIMIT, path,
		    "file is %lld bytes, over the %zu byte limit (--max-size)",
		    (long long)st.st_size, max);
		goto out;
	}
	if (pvecg_buf_reserve(out, (size_t)st.st_size) != 0) {
		rc = pvecg_error_set(err, PVECG_ENOMEM, path, "out of memory");
		goto out;
	}
	for (;;) {
		if (pvecg_buf_reserve(out, 65536) != 0) {
			rc = pvecg_error_set(err, PVECG_ENOMEM, path, "out of memory");
			goto out;
		}
		n = read(fd, out->data + out->len, out->cap - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = pvecg_error_set(
			    err, PVECG_EIO, path, "read failed: %s", strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		if (max > 0 && out->len > max) {
			rc = pvecg_error_set(err, PVECG_ELIMIT, path,
			    "file grew over the %zu byte limit (--max-size)", max);
			goto out;
		}
	}
	out->data[out->len] = '\0';
out:
	close(fd);
	return rc;
}

void
pvecg_sha256_hex_bufs(char hex[65], const pvecg_buf *bufs, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char md[32];
	unsigned int mdlen = 0;
	size_t i;
	int ok = ctx != NULL && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;

	for (i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(ctx, bufs[i].data ? bufs[i].data : "", bufs[i].len) == 1;
	if (!ok || EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen != 32)
		abort(); /* libcrypto cannot fail here short of a broken install */
	EVP_MD_CTX_free(ctx);
	for (i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}

void
pvecg_sha256_hex(char hex[65], const void *data, size_t len)
{
	pvecg_buf one = { (char *)data, len, len };

	pvecg_sha256_hex_bufs(hex, &one, 1);
}

char *
pvecg_strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
pvecg_strdup(const char *s)
{
	return s ? pvecg_strndup(s, strlen(s)) : NULL;
}

double
pvecg_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
pvecg_path(char *out, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, cap, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int
pvecg_path_join(char *out, size_t cap, const char *a, const char *b)
{
	int n = snprintf(out, cap, "%s/%s", a, b);

	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int
pvecg_path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

const char *
pvecg_path_base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* First touches of fresh pages cost much of this program's run time (a
 * 4 KiB fault costs ~10 us on virtual machines), so the main heap is grown
 * once by `heap` bytes and kept rather than trimmed: memory a stage frees
 * serves the next. One malloc arena for every thread: the big trees come
 * from json arenas, so threads seldom meet in malloc, and an arena per
 * thread cost ~7 MiB of peak RSS. (Transparent huge pages were tried too:
 * no faster, and 2 MiB more RSS.) Call early, before the big allocations. */
void
pvecg_memory_tune(size_t heap)
{
	void *volatile p; /* volatile: a malloc/free pair may be elided */

	if (heap > INT32_MAX)
		return;
	mallopt(M_MMAP_THRESHOLD, 32 << 20); /* glibc's maximum on 64-bit */
	mallopt(M_ARENA_MAX, 1);
	/* No fastbins: a large request after freeing a big cJSON tree would
	 * otherwise consolidate hundreds of thousands of chunks at once. */
	mallopt(M_MXFAST, 0);
	mallopt(M_TRIM_THRESHOLD, (int)heap);
	mallopt(M_TOP_PAD, (int)heap);
	p = malloc(16 << 20); /* from the heap, under the mmap threshold */
	free(p);
}
