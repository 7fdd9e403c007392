/* sidejob: documents made and hashed on a second thread, in order, while
 * the pipeline's first thread goes on (see sidejob.h). */
#include <stdlib.h>

#include "pvecg/util.h"
#include "sidejob.h"

/* Makes one document; 0 or its error code (also in d->rc and d->err). */
static int
make_one(pvecg_side_doc *d)
{
	pvecg_buf out = PVECG_BUF_INIT;
	double t = pvecg_now();

	pvecg_error_clear(&d->err);
	d->rc = d->make(d, &out, &d->err);
	if (d->rc == 0 && (d->data = pvecg_buf_steal(&out, &d->len)) == NULL)
		d->rc = pvecg_error_set(&d->err, PVECG_ENOMEM, d->name, "out of memory");
	if (d->rc == 0)
		pvecg_sha256_hex(d->sha256, d->data, d->len);
	pvecg_buf_free(&out);
	d->made = 1;
	d->seconds = pvecg_now() - t;
	return d->rc;
}

static void *
side_main(void *arg)
{
	pvecg_side *s = arg;
	size_t i;
	int rc = 0;

	for (i = 0; i < s->n && rc == 0; i++) {
		rc = make_one(&s->docs[i]);
		pthread_mutex_lock(&s->mu);
		s->done = rc == 0 ? i + 1 : s->n; /* a failure ends the list */
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
	}
	return NULL;
}

void
pvecg_side_start(pvecg_side *s, pvecg_side_doc *docs, size_t n)
{
	s->docs = docs;
	s->n = n;
	s->done = 0;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	s->threaded = pthread_create(&s->tid, NULL, side_main, s) == 0;
}

/* The rc of the first failed document up to k, or 0. */
static int
first_failure(const pvecg_side *s, size_t k)
{
	size_t i;

	for (i = 0; i <= k && i < s->n; i++)
		if (s->docs[i].made && s->docs[i].rc != 0)
			return s->docs[i].rc;
	return 0;
}

/* Until docs[k] is finished (made here when there is no thread). */
static void
wait_done(pvecg_side *s, size_t k)
{
	if (!s->threaded) {
		while (s->done <= k && s->done < s->n)
			s->done = make_one(&s->docs[s->done]) == 0 ? s->done + 1 : s->n;
		return;
	}
	pthread_mutex_lock(&s->mu);
	while (s->done <= k)
		pthread_cond_wait(&s->cv, &s->mu);
	pthread_mutex_unlock(&s->mu);
}

int
pvecg_side_wait(pvecg_side *s, size_t k)
{
	wait_done(s, k);
	return first_failure(s, k);
}

int
pvecg_side_finish(pvecg_side *s, pvecg_files *files, int rc, pvecg_error *err)
{
	size_t i;

	if (s->n > 0)
		wait_done(s, s->n - 1);
	if (s->threaded)
		pthread_join(s->tid, NULL);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	for (i = 0; i < s->n && rc == 0; i++) {
		if (s->docs[i].made && s->docs[i].rc != 0) {
			rc = s->docs[i].rc;
			if (err != NULL)
				*err = s->docs[i].err;
		}
	}
	for (i = 0; i < s->n; i++) {
		pvecg_side_doc *d = &s->docs[i];

		if (rc == 0 &&
		    pvecg_files_add_hashed(files, d->name, d->data, d->len, d->sha256) != 0)
			rc = pvecg_error_set(err, PVECG_ENOMEM, d->name, "out of memory");
		else if (rc != 0)
			free(d->data);
		d->data = NULL;
	}
	return rc;
}
