/* Property-string round trip over every format of one generated version:
 * for each format (deduplicated by name across shards) it writes valid
 * strings from the descriptor alone - every key with a value its type,
 * enum, range and pattern accept, the default key without "key=", every
 * alias - and checks parse -> format -> parse gives the same struct and
 * the same text; then invalid strings (bad boolean, integer, enum value,
 * unknown key under PVECG_RT_PS_STRICT_KEYS) must fail naming their key.
 * Prints one coverage line per format and a summary.
 * Build: cc -DAGG_HEADER='"pve_models.h"' -DAGG_PREFIX=pve_models -I<dir>
 *        -I<dir>/models propstr_roundtrip.c <dir>/pve_models.c
 *        <dir>/models/pvecg_rt*.c -lcjson -lm
 * Usage: propstr_roundtrip LABEL   (exit 0: every check passed) */
#define _POSIX_C_SOURCE 200809L
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include AGG_HEADER

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define OPS CAT(AGG_PREFIX, _ops)
#define N_OPS (sizeof(OPS) / sizeof(OPS[0]))

static long failures;
static unsigned counter;

static void
failf(const char *fmt_name, const char *what, const char *detail)
{
	failures++;
	if (failures <= 40)
		fprintf(stderr, "FAIL %s: %s: %s\n", fmt_name, what, detail);
}

static const char *
pool(const pvecg_rt_model *m, uint32_t off)
{
	return m->shard->pool + off;
}

static const pvecg_rt_cons *
cons_of(const pvecg_rt_model *m, const pvecg_rt_field *f)
{
	return f->cons == PVECG_RT_NONE ? NULL : &m->shard->cons[f->cons];
}

/* Samples tried, in order, for strings with a pattern. */
static const char *const samples[] = {
	"vmbr0",
	"local-lvm:vm-100-disk-0",
	"BC:24:11:2E:3F:4A",
	"0000:01:00.0",
	"10.0.0.20/24",
	"10.0.0.1",
	"fd00::1/64",
	"fd00::1",
	"1",
	"100",
	"0-3",
	"1-2",
	"8",
	"32G",
	"host",
	"debian",
	"example",
	"ab",
	"abc",
	"a",
	"x86-64-v2-AES",
	"dhcp",
	"/mnt/data",
	"discard",
	"sha256",
	"uuid=4b7b8cf8-1a55-4b7c-9b5a-0d8d2b8b2b41",
	"4b7b8cf8-1a55-4b7c-9b5a-0d8d2b8b2b41",
	"node1",
	"store1",
	"root@pam",
	"2",
	"0x1234",
	"1234",
	"c",
	"10",
	"AAAA",
	"a.example.com",
	"example.com",
	"1h",
	"daily",
	"nvme0n1",
	"sda",
	"eth0",
	"enp1s0",
	"00:11:22:33:44:55",
	"ffff",
	"dGVzdA==",
	"default",
	"pve",
	"vm-100-disk-0",
	"0-1",
	"10/second",
	"tag1:FF0000",
	"0660",
	"q35",
	"0x5000c500a1b2c3d4",
	"8086:1234",
	NULL,
};

static int
matches(const char *re_src, const char *s)
{
	regex_t re;
	int ok;

	if (regcomp(&re, re_src, REG_EXTENDED | REG_NOSUB) != 0)
		return 1; /* the runtime skips what does not compile */
	ok = regexec(&re, s, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

/* A valid value for field f as text in buf; 0 when none could be made. */
static int
sample(char *buf, size_t cap, const pvecg_rt_model *m, const pvecg_rt_field *f)
{
	static const char *const bools[] = { "1", "yes", "on", "true", "0", "no", "off", "false" };
	const pvecg_rt_cons *k = cons_of(m, f);

	switch (f->type) {
	case PVECG_RT_BOOL: snprintf(buf, cap, "%s", bools[counter++ % 8]); return 1;
	case PVECG_RT_INT:
		if (k && (k->flags & PVECG_RT_C_ENUM))
			snprintf(buf, cap, "%s", pool(m, m->shard->enums[k->enum_first]));
		else if (k && (k->flags & PVECG_RT_C_MAX))
			snprintf(buf, cap, "%.0f", k->max);
		else if (k && (k->flags & PVECG_RT_C_MIN))
			snprintf(buf, cap, "%.0f", k->min + 1);
		else
			snprintf(buf, cap, "7");
		return 1;
	case PVECG_RT_NUM:
		if (k && (k->flags & PVECG_RT_C_MAX))
			snprintf(buf, cap, "%.17g", k->max);
		else if (k && (k->flags & PVECG_RT_C_MIN))
			snprintf(buf, cap, "%.17g", k->min + 0.5);
		else
			snprintf(buf, cap, "1.5");
		return 1;
	case PVECG_RT_STR:
		if (k && (k->flags & PVECG_RT_C_ENUM)) {
			snprintf(buf, cap, "%s",
			    pool(m, m->shard->enums[k->enum_first + counter++ % k->n_enum]));
			return 1;
		}
		for (size_t i = 0; samples[i]; i++) {
			size_t n = strlen(samples[i]);

			if (k && (k->flags & PVECG_RT_C_MINLEN) && n < k->min_len)
				continue;
			if (k && (k->flags & PVECG_RT_C_MAXLEN) && n > k->max_len)
				continue;
			if (k && (k->flags & PVECG_RT_C_PATTERN) &&
			    !matches(pool(m, k->pattern), samples[i]))
				continue;
			snprintf(buf, cap, "%s", samples[i]);
			return 1;
		}
		return 0;
	default: return 0;
	}
}

typedef struct cov {
	int keys, keys_total, aliases, aliases_total, default_key, has_default, invalid, invalid_ok;
	int unsampled;
} cov;

static const pvecg_rt_field *
field_named(const pvecg_rt_model *m, const char *name)
{
	const pvecg_rt_field *fs = m->shard->fields + m->first_field;

	for (uint16_t i = 0; i < m->n_fields; i++)
		if (strcmp(pool(m, fs[i].name), name) == 0)
			return &fs[i];
	return NULL;
}

/* parse -> format -> parse -> format: same struct (as JSON) and same text. */
static int
round_trip(const pvecg_rt_propstr *ps, const char *text, unsigned flags, const char *what)
{
	const char *name = pvecg_rt_propstr_name(ps);
	void *a = NULL, *b = NULL;
	char *t1 = NULL, *t2 = NULL, msg[1400];
	cJSON *ja = NULL, *jb = NULL;
	pvecg_rt_error err;
	int ok = 0;

	if (pvecg_rt_propstr_parse(&a, ps, text, flags, &err) != 0) {
		snprintf(msg, sizeof(msg), "parse \"%.600s\": %s: %s", text, err.path, err.message);
		failf(name, what, msg);
		goto out;
	}
	if (pvecg_rt_propstr_format(&t1, ps, a, &err) != 0) {
		snprintf(
		    msg, sizeof(msg), "format of \"%.600s\": %s: %s", text, err.path, err.message);
		failf(name, what, msg);
		goto out;
	}
	if (pvecg_rt_propstr_parse(&b, ps, t1, flags, &err) != 0) {
		snprintf(msg, sizeof(msg), "reparse \"%.600s\": %s: %s", t1, err.path, err.message);
		failf(name, what, msg);
		goto out;
	}
	if (pvecg_rt_propstr_format(&t2, ps, b, &err) != 0 || strcmp(t1, t2) != 0) {
		snprintf(
		    msg, sizeof(msg), "text differs: \"%.600s\" / \"%.600s\"", t1, t2 ? t2 : "?");
		failf(name, what, msg);
		goto out;
	}
	if (pvecg_rt_to_json(&ja, ps->model, a, &err) != 0 ||
	    pvecg_rt_to_json(&jb, ps->model, b, &err) != 0 || !cJSON_Compare(ja, jb, 1)) {
		failf(name, what, "struct differs after the round trip");
		goto out;
	}
	ok = 1;
out:
	pvecg_rt_free(ps->model, a);
	pvecg_rt_free(ps->model, b);
	free(t1);
	free(t2);
	cJSON_Delete(ja);
	cJSON_Delete(jb);
	return ok;
}

static void
expect_invalid(
    const pvecg_rt_propstr *ps, const char *text, const char *key, unsigned flags, cov *c)
{
	void *out = NULL;
	pvecg_rt_error err;
	char msg[1400];

	c->invalid++;
	if (pvecg_rt_propstr_parse(&out, ps, text, flags, &err) == PVECG_RT_EINVAL && out == NULL &&
	    strcmp(err.path, key) == 0 && err.message[0]) {
		c->invalid_ok++;
		return;
	}
	snprintf(msg, sizeof(msg), "\"%.300s\" should fail at key %.100s, got %.200s: %.300s", text,
	    key, err.path, err.message);
	pvecg_rt_free(ps->model, out);
	failf(pvecg_rt_propstr_name(ps), "invalid", msg);
}

static int
append(char *buf, size_t cap, const char *key, const char *value)
{
	size_t n = strlen(buf);

	return snprintf(buf + n, cap - n, "%s%s%s%s", n ? "," : "", key ? key : "", key ? "=" : "",
	           value) < (int)(cap - n);
}

/* Required keys other than skip (and the default key, written first). */
static int
required_rest(
    char *buf, size_t cap, const pvecg_rt_propstr *ps, const char *skip1, const char *skip2, cov *c)
{
	const pvecg_rt_model *m = ps->model;
	const pvecg_rt_field *fs = m->shard->fields + m->first_field;
	char v[256];

	for (uint16_t i = 0; i < m->n_fields; i++) {
		const char *k = pool(m, fs[i].name);

		if (!(fs[i].flags & PVECG_RT_F_REQUIRED) || (skip1 && !strcmp(k, skip1)) ||
		    (skip2 && !strcmp(k, skip2)))
			continue;
		if (!sample(v, sizeof(v), m, &fs[i])) {
			c->unsampled++;
			return 0;
		}
		if (!append(buf, cap, k, v))
			return 0;
	}
	return 1;
}

static void
check_object(const pvecg_rt_propstr *ps, cov *c)
{
	const pvecg_rt_model *m = ps->model;
	const pvecg_rt_field *fs = m->shard->fields + m->first_field;
	const char *dk = ps->default_key == PVECG_RT_PS_NOKEY ? NULL : pool(m, ps->default_key);
	char text[8192] = "", v[256];
	unsigned flags = 0;
	int skipped_required = 0;

	c->keys_total = m->n_fields;
	c->has_default = dk != NULL;
	c->aliases_total = ps->n_aliases;
	/* 1. every key, the default one first without its name */
	if (dk) {
		const pvecg_rt_field *f = field_named(m, dk);

		if (f && sample(v, sizeof(v), m, f)) {
			append(text, sizeof(text), NULL, v);
			c->default_key = 1;
			c->keys++;
		} else {
			c->unsampled++;
		}
	}
	for (uint16_t i = 0; i < m->n_fields; i++) {
		const char *k = pool(m, fs[i].name);

		if (dk && strcmp(k, dk) == 0)
			continue;
		if (!sample(v, sizeof(v), m, &fs[i])) {
			c->unsampled++;
			skipped_required |= (fs[i].flags & PVECG_RT_F_REQUIRED) != 0;
			continue;
		}
		append(text, sizeof(text), k, v);
		c->keys++;
	}
	if (skipped_required)
		flags |= PVECG_RT_NO_VALIDATE;
	if (!round_trip(ps, text, flags, "every key")) {
		c->keys = 0;
		c->default_key = 0;
	}
	/* 2. every alias, with the required keys it does not provide */
	for (uint16_t i = 0; i < ps->n_aliases; i++) {
		const pvecg_rt_propstr_alias *a = &ps->aliases[i];
		const char *target = pool(m, a->key);
		const char *ka = a->key_alias == PVECG_RT_PS_NOKEY ? NULL : pool(m, a->key_alias);
		const pvecg_rt_field *f = field_named(m, target);

		text[0] = '\0';
		if (!f || !sample(v, sizeof(v), m, f) ||
		    !append(text, sizeof(text), pool(m, a->alias), v) ||
		    !required_rest(text, sizeof(text), ps, target, ka, c))
			continue;
		if (round_trip(ps, text, flags, pool(m, a->alias)))
			c->aliases++;
	}
	/* 3. invalid strings name their key */
	for (uint16_t i = 0; i < m->n_fields; i++) {
		const char *k = pool(m, fs[i].name);
		const pvecg_rt_cons *kc = cons_of(m, &fs[i]);
		char bad[600];

		bad[0] = '\0';
		if (fs[i].type == PVECG_RT_BOOL)
			snprintf(bad, sizeof(bad), "%s=maybe", k);
		else if (fs[i].type == PVECG_RT_INT)
			snprintf(bad, sizeof(bad), "%s=12abc", k);
		else if (fs[i].type == PVECG_RT_STR && kc && (kc->flags & PVECG_RT_C_ENUM))
			snprintf(bad, sizeof(bad), "%s=no-such-value", k);
		if (!bad[0])
			continue;
		if (dk && strcmp(k, dk) != 0 && field_named(m, dk) &&
		    sample(v, sizeof(v), m, field_named(m, dk))) {
			char tmp[600];

			snprintf(tmp, sizeof(tmp), "%.250s,%.340s", v, bad);
			memcpy(bad, tmp, sizeof(bad));
		}
		/* the other required keys, so the bad value is the only fault */
		if (!required_rest(bad, sizeof(bad), ps, k, dk, c))
			continue;
		expect_invalid(ps, bad, k, 0, c);
	}
	snprintf(text, sizeof(text), "%s%sno-such-key-xyz=1", dk ? "x" : "", dk ? "," : "");
	if (dk && field_named(m, dk) && sample(v, sizeof(v), m, field_named(m, dk)))
		snprintf(text, sizeof(text), "%s,no-such-key-xyz=1", v);
	expect_invalid(
	    ps, text, "no-such-key-xyz", PVECG_RT_PS_STRICT_KEYS | PVECG_RT_NO_VALIDATE, c);
}

static void
check_list(const pvecg_rt_propstr *ps, cov *c)
{
	const pvecg_rt_model *m = ps->model;
	const pvecg_rt_field *f = m->shard->fields + m->first_field;
	char a[256], b[256], text[800];

	c->keys_total = 1;
	if (!sample(a, sizeof(a), m, f) || !sample(b, sizeof(b), m, f)) {
		c->unsampled++;
		return;
	}
	snprintf(text, sizeof(text), "%s;%s %s", a, b, a);
	if (round_trip(ps, text, 0, "list"))
		c->keys = 1;
}

int
main(int argc, char **argv)
{
	const pvecg_rt_shard *shards[64];
	size_t n_shards = 0;
	char seen[512][96];
	size_t n_seen = 0;
	cov total;
	int formats = 0;

	memset(&total, 0, sizeof(total));
	for (size_t i = 0; i < N_OPS; i++) {
		const pvecg_rt_model *m = OPS[i].response;
		size_t k;

		for (k = 0; k < n_shards && shards[k] != m->shard; k++)
			;
		if (k == n_shards && n_shards < 64)
			shards[n_shards++] = m->shard;
	}
	for (size_t s = 0; s < n_shards; s++) {
		for (uint32_t i = 0; i < shards[s]->n_propstrs; i++) {
			const pvecg_rt_propstr *ps = &shards[s]->propstrs[i];
			const char *name = pvecg_rt_propstr_name(ps);
			cov c;
			size_t k;

			for (k = 0; k < n_seen && strcmp(seen[k], name) != 0; k++)
				;
			if (k < n_seen || n_seen == 512)
				continue;
			snprintf(seen[n_seen++], sizeof(seen[0]), "%s", name);
			memset(&c, 0, sizeof(c));
			if (ps->kind == PVECG_RT_PS_LIST)
				check_list(ps, &c);
			else
				check_object(ps, &c);
			formats++;
			printf("  %-34s %s %s keys %d/%d, aliases %d/%d, default key %s, invalid "
			       "%d/%d%s\n",
			    name, ps->dialect == PVECG_RT_PS_RUST ? "rust" : "perl",
			    ps->kind == PVECG_RT_PS_LIST ? "list  " : "object", c.keys,
			    c.keys_total, c.aliases, c.aliases_total,
			    c.has_default ? (c.default_key ? "yes" : "NO") : "-", c.invalid_ok,
			    c.invalid, c.unsampled ? " (keys without a sample value)" : "");
			if (c.keys != c.keys_total || c.aliases != c.aliases_total ||
			    c.default_key != c.has_default || c.invalid_ok != c.invalid)
				failf(name, "coverage",
				    "not every key, alias and default key was exercised");
			total.keys += c.keys;
			total.keys_total += c.keys_total;
			total.aliases += c.aliases;
			total.aliases_total += c.aliases_total;
			total.default_key += c.default_key;
			total.has_default += c.has_default;
			total.invalid += c.invalid;
			total.invalid_ok += c.invalid_ok;
		}
	}
	printf("%s: %d property-string formats, keys %d/%d, aliases %d/%d, default keys %d/%d, "
	       "invalid strings rejected at their key %d/%d, failures %ld\n",
	    argc > 1 ? argv[1] : "?", formats, total.keys, total.keys_total, total.aliases,
	    total.aliases_total, total.default_key, total.has_default, total.invalid_ok,
	    total.invalid, failures);
	return failures || formats == 0 ? 1 : 0;
}
