/* targz: .tar.gz archives in memory (ustar headers here, deflate and the
 * gzip framing by zlib), for serve's models download. Owner, group and
 * times are fixed by the caller, so the same tree gives the same bytes. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "pvecg/targz.h"

#define TAR_BLOCK 512

struct pvecg_targz {
	z_stream z;
	pvecg_buf out; /* compressed bytes so far */
	int finished;
};

int
pvecg_targz_new(pvecg_targz **out, pvecg_error *err)
{
	pvecg_targz *t = calloc(1, sizeof(*t));

	*out = NULL;
	if (t == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, "targz", "out of memory");
	/* windowBits 15 + 16: a gzip member (header with mtime 0, CRC-32 trailer) */
	if (deflateInit2(
	        &t->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(t);
		return pvecg_error_set(err, PVECG_ENOMEM, "targz", "cannot start zlib");
	}
	*out = t;
	return 0;
}

void
pvecg_targz_free(pvecg_targz *t)
{
	if (t == NULL)
		return;
	deflateEnd(&t->z);
	pvecg_buf_free(&t->out);
	free(t);
}

/* Feeds n bytes (flush: Z_NO_FLUSH, or Z_FINISH at the end) to deflate. */
PVECG_NODISCARD static int
put(pvecg_targz *t, const void *p, size_t n, int flush, const char *name, pvecg_error *err)
{
	const unsigned char *in = p;
	size_t room;
	int zrc;

	if (t->finished)
		return pvecg_error_set(err, PVECG_EINTERNAL, name, "archive already finished");
	do {
		uInt chunk = n > UINT_MAX ? UINT_MAX : (uInt)n;

		t->z.next_in = (Bytef *)in;
		t->z.avail_in = chunk;
		in += chunk;
		n -= chunk;
		do {
			if (pvecg_buf_reserve(&t->out, 65536) != 0)
				return pvecg_error_set(err, PVECG_ENOMEM, name, "out of memory");
			t->z.next_out = (Bytef *)t->out.data + t->out.len;
			room = t->out.cap - t->out.len - 1;
			t->z.avail_out = room > UINT_MAX ? UINT_MAX : (uInt)room;
			zrc = deflate(&t->z, n == 0 ? flush : Z_NO_FLUSH);
			t->out.len = (size_t)((char *)t->z.next_out - t->out.data);
			t->out.data[t->out.len] = '\0';
			if (zrc == Z_STREAM_ERROR)
				return pvecg_error_set(
				    err, PVECG_EINTERNAL, name, "zlib: stream error");
		} while (
		    t->z.avail_out == 0 || (n == 0 && flush == Z_FINISH && zrc != Z_STREAM_END));
	} while (n > 0);
	return 0;
}

static void
octal(unsigned char *field, size_t width, unsigned long long v)
{
	/* width-1 octal digits, then NUL (callers keep v in range) */
	field[width - 1] = '\0';
	for (size_t k = width - 1; k-- > 0; v >>= 3)
		field[k] = (unsigned char)('0' + (v & 7));
}

/* The 512-byte ustar header of one entry. */
PVECG_NODISCARD static int
header(unsigned char h[TAR_BLOCK], const char *name, int dir, unsigned long long size,
    long long mtime, pvecg_error *err)
{
	size_t nl = strlen(name), split = 0;
	unsigned sum = 0;

	memset(h, 0, TAR_BLOCK);
	if (size >= (1ull << 33))
		return pvecg_error_set(err, PVECG_ELIMIT, name, "file too large for ustar");
	if (nl > 100) {
		/* name = prefix "/" rest, prefix <= 155 and rest <= 100 */
		for (size_t k = nl - 1; k > 0; k--)
			if (name[k] == '/' && nl - k - 1 <= 100 && k <= 155) {
				split = k;
				break;
			}
		if (!split)
			return pvecg_error_set(err, PVECG_ELIMIT, name, "path too long for ustar");
		memcpy(h + 345, name, split);
		memcpy(h, name + split + 1, nl - split - 1);
	} else {
		memcpy(h, name, nl);
	}
	octal(h + 100, 8, dir ? 0755 : 0644);
	octal(h + 108, 8, 0);
	octal(h + 116, 8, 0);
	octal(h + 124, 12, size);
	octal(h + 136, 12, mtime > 0 && mtime < (1ll << 33) ? (unsigned long long)mtime : 0);
	h[156] = dir ? '5' : '0';
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memcpy(h + 265, "root", 4);
	memcpy(h + 297, "root", 4);
	memset(h + 148, ' ', 8);
	for (size_t k = 0; k < TAR_BLOCK; k++)
		sum += h[k];
	snprintf((char *)h + 148, 8, "%06o", sum);
	h[155] = ' ';
	return 0;
}

int
pvecg_targz_add_dir(pvecg_targz *t, const char *name, long long mtime, pvecg_error *err)
{
	unsigned char h[TAR_BLOCK];
	int rc = header(h, name, 1, 0, mtime, err);

	return rc != 0 ? rc : put(t, h, sizeof(h), Z_NO_FLUSH, name, err);
}

int
pvecg_targz_add_file(pvecg_targz *t, const char *name, const void *data, size_t len,
    long long mtime, pvecg_error *err)
{
	static const unsigned char zero[TAR_BLOCK];
	unsigned char h[TAR_BLOCK];
	int rc = header(h, name, 0, (unsigned long long)len, mtime, err);

	if (rc == 0)
		rc = put(t, h, sizeof(h), Z_NO_FLUSH, name, err);
	if (rc == 0 && len > 0)
		rc = put(t, data, len, Z_NO_FLUSH, name, err);
	if (rc == 0 && len % TAR_BLOCK != 0)
		rc = put(t, zero, TAR_BLOCK - len % TAR_BLOCK, Z_NO_FLUSH, name, err);
	return rc;
}

int
pvecg_targz_finish(pvecg_targz *t, pvecg_buf *out, pvecg_error *err)
{
	static const unsigned char zero[2 * TAR_BLOCK];
	int rc = put(t, zero, sizeof(zero), Z_FINISH, "targz", err);

	t->finished = 1;
	if (rc != 0)
		return rc;
	if (out->data == NULL) {
		*out = t->out;
		memset(&t->out, 0, sizeof(t->out));
		return 0;
	}
	return pvecg_buf_append(out, t->out.data, t->out.len) == 0
	    ? 0
	    : pvecg_error_set(err, PVECG_ENOMEM, "targz", "out of memory");
}
