/* sidejob: documents made in order on a second thread while the calling
 * thread goes on (in place when no thread can be had). Each document's
 * bytes are hashed on that thread too. The caller may wait for one of them
 * (its hash, say) before the rest are done, and collects them all at the
 * end. The trees a document is made from must not change until then. */
#ifndef PVECG_SIDEJOB_H
#define PVECG_SIDEJOB_H

#include <pthread.h>
#include <stddef.h>
#include <cjson/cJSON.h>

#include "pvecg/buf.h"
#include "pvecg/error.h"
#include "pvecg/files.h"

typedef struct pvecg_side_doc pvecg_side_doc;

struct pvecg_side_doc {
	/* Appends the document to out; on failure sets err and returns its code. */
	int (*make)(const pvecg_side_doc *d, pvecg_buf *out, pvecg_error *err);
	const char *name; /* of the file it makes */
	const cJSON *tree;
	const char *tag;
	const char *sha; /* for make: the hash of an earlier document */
	/* results, read after pvecg_side_wait or pvecg_side_finish */
	int made, rc;
	char *data;
	size_t len;
	char sha256[65];
	pvecg_error err;
	double seconds;
};

typedef struct pvecg_side {
	pvecg_side_doc *docs;
	size_t n;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t done; /* documents finished, under mu */
	pthread_t tid;
	int threaded;
} pvecg_side;

void pvecg_side_start(pvecg_side *s, pvecg_side_doc *docs, size_t n);
/* Waits until docs[k] is finished; its rc (the rc of the first document
 * that failed before it, when one did). */
PVECG_NODISCARD int pvecg_side_wait(pvecg_side *s, size_t k);
/* Waits for all and releases s. When rc (the caller's result so far) is 0
 * and every document was made, adds their files to files in order; else
 * frees them, and returns rc or, when that was 0, the first document's
 * failure (copied to err). */
PVECG_NODISCARD int pvecg_side_finish(pvecg_side *s, pvecg_files *files, int rc, pvecg_error *err);

#endif
