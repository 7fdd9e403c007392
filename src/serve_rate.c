/* serve_rate: per-client limits of the HTTP service.
 *
 * One table of entries keyed by client and class: a token bucket per
 * client for generations and for reads, and a record of failed
 * authentications that makes a client guessing keys wait 1, 2, 4, ... up
 * to SERVE_AUTH_MAX_WAIT_S seconds between guesses, forgotten after a
 * quiet SERVE_AUTH_FORGET_S. A full table first drops entries equal to
 * fresh ones, then the entry idle the longest: it never fails closed for
 * everyone. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvecg/util.h"
#include "serve_int.h"

struct entry {
	char client[SERVE_CLIENT_MAX];
	int cls;
	double rate;          /* buckets: tokens per hour */
	double tokens, stamp; /* buckets: level at stamp */
	double last;          /* last use: eviction picks the smallest */
	unsigned fails;       /* auth: failures not yet forgotten */
	double blocked_until; /* auth */
};

struct serve_rate {
	pthread_mutex_t lock;
	struct entry *e;
	size_t n, cap;
};

int
serve_rate_new(serve_rate **out, size_t cap)
{
	serve_rate *t = calloc(1, sizeof(*t));

	*out = NULL;
	if (t == NULL || cap == 0 || (t->e = calloc(cap, sizeof(*t->e))) == NULL) {
		free(t);
		return PVECG_ENOMEM;
	}
	t->cap = cap;
	pthread_mutex_init(&t->lock, NULL);
	*out = t;
	return 0;
}

void
serve_rate_free(serve_rate *t)
{
	if (t == NULL)
		return;
	pthread_mutex_destroy(&t->lock);
	free(t->e);
	free(t);
}

static double
bucket_cap(double rate)
{
	return rate < 1 ? 1 : floor(rate);
}

static void
bucket_refill(struct entry *b, double now)
{
	double cap = bucket_cap(b->rate);

	b->tokens += (now - b->stamp) * b->rate / 3600.0;
	if (b->tokens > cap)
		b->tokens = cap;
	b->stamp = now;
}

/* Failures are forgotten after a quiet period. */
static void
auth_decay(struct entry *a, double now)
{
	if (a->fails > 0 && now - a->last > SERVE_AUTH_FORGET_S && now >= a->blocked_until)
		a->fails = 0;
}

/* True when the entry says nothing a fresh one would not. */
static int
is_fresh(struct entry *x, double now)
{
	if (x->cls == SERVE_RC_AUTH) {
		auth_decay(x, now);
		return x->fails == 0 && now >= x->blocked_until;
	}
	bucket_refill(x, now);
	return x->tokens >= bucket_cap(x->rate);
}

/* Makes room for one entry: drops fresh ones, else the longest idle. */
static void
make_room(serve_rate *t, double now)
{
	size_t w = 0, oldest = 0;

	for (size_t r = 0; r < t->n; r++)
		if (!is_fresh(&t->e[r], now))
			t->e[w++] = t->e[r];
	t->n = w;
	if (t->n < t->cap)
		return;
	for (size_t k = 1; k < t->n; k++)
		if (t->e[k].last < t->e[oldest].last)
			oldest = k;
	t->e[oldest] = t->e[--t->n];
}

static struct entry *
find(serve_rate *t, const char *client, int cls)
{
	for (size_t k = 0; k < t->n; k++)
		if (t->e[k].cls == cls && strcmp(t->e[k].client, client) == 0)
			return &t->e[k];
	return NULL;
}

/* The entry of client and class, made when absent. */
static struct entry *
get(serve_rate *t, const char *client, int cls, double rate, double now)
{
	struct entry *x = find(t, client, cls);

	if (x != NULL)
		return x;
	if (t->n == t->cap)
		make_room(t, now);
	x = &t->e[t->n++];
	memset(x, 0, sizeof(*x));
	snprintf(x->client, sizeof(x->client), "%s", client);
	x->cls = cls;
	x->rate = rate;
	x->tokens = bucket_cap(rate);
	x->stamp = x->last = now;
	return x;
}

int
serve_rate_take(serve_rate *t, const char *client, int cls, double rate, double now, long *retry)
{
	struct entry *b;
	int res = 0;

	if (rate <= 0)
		return 0; /* 0 disables the limit */
	pthread_mutex_lock(&t->lock);
	b = get(t, client, cls, rate, now);
	b->last = now;
	bucket_refill(b, now);
	if (b->tokens >= 1) {
		b->tokens -= 1;
	} else {
		double wait = ceil((1 - b->tokens) * 3600.0 / rate);
		*retry = wait < 1 ? 1 : (long)wait;
		res = 1;
	}
	pthread_mutex_unlock(&t->lock);
	return res;
}

void
serve_rate_refund(serve_rate *t, const char *client, int cls, double rate)
{
	struct entry *b;

	if (rate <= 0)
		return;
	pthread_mutex_lock(&t->lock);
	if ((b = find(t, client, cls)) != NULL) {
		b->tokens += 1;
		if (b->tokens > bucket_cap(rate))
			b->tokens = bucket_cap(rate);
	}
	pthread_mutex_unlock(&t->lock);
}

int
serve_rate_auth_blocked(serve_rate *t, const char *client, double now, long *retry)
{
	struct entry *a;
	int res = 0;

	pthread_mutex_lock(&t->lock);
	a = find(t, client, SERVE_RC_AUTH);
	if (a != NULL && now < a->blocked_until) {
		double wait = ceil(a->blocked_until - now);
		*retry = wait < 1 ? 1 : (long)wait;
		res = 1;
	}
	pthread_mutex_unlock(&t->lock);
	return res;
}

void
serve_rate_auth_failed(serve_rate *t, const char *client, double now)
{
	struct entry *a;

	pthread_mutex_lock(&t->lock);
	a = get(t, client, SERVE_RC_AUTH, 0, now);
	auth_decay(a, now);
	a->last = now;
	if (a->fails < 64)
		a->fails++;
	if (a->fails >= SERVE_AUTH_FREE) {
		unsigned shift = a->fails - SERVE_AUTH_FREE;
		double wait = shift >= 6 ? SERVE_AUTH_MAX_WAIT_S : (double)(1u << shift);
		if (wait > SERVE_AUTH_MAX_WAIT_S)
			wait = SERVE_AUTH_MAX_WAIT_S;
		a->blocked_until = now + wait;
	}
	pthread_mutex_unlock(&t->lock);
}

size_t
serve_rate_count(serve_rate *t)
{
	size_t n;

	pthread_mutex_lock(&t->lock);
	n = t->n;
	pthread_mutex_unlock(&t->lock);
	return n;
}
