/* pvecg_rt_propstr: Proxmox property strings ("virtio=AA:..,bridge=vmbr0")
 * as typed structs, and indexed members (net0..net31) as fixed arrays.
 *
 * A property-string format is described by an ordinary object model (one
 * field per key, with its type and constraints) plus this descriptor: the
 * default key (written without "key="), the aliases, and the dialect:
 *
 *   PERL  PVE and PMG (PVE::JSONSchema parse_property_string /
 *         print_property_string): parts split at every comma, no quoting;
 *         a value holding a comma cannot be sent, nor an empty one.
 *   RUST  PBS and PDM (proxmox-schema): a value may be quoted, "a,b" with
 *         \" and \\ escapes; the writer quotes when needed.
 *
 * Booleans read 1/0, yes/no, on/off, true/false (any case) and are written
 * 1/0, which both dialects read. Unknown keys are kept in the struct's
 * extra (newer servers add keys), reported in err (code 0, path = the
 * first unknown key) and written back. Typed access from a model: a string
 * member with PVECG_RT_F_PROPSTR has a parsed struct beside the text,
 * filled by pvecg_rt_parse when PVECG_RT_PROPSTR is in the flags. The text
 * is what pvecg_rt_to_json writes: after changing the parsed struct, write
 * it into the text with pvecg_rt_propstr_format.
 *
 * Indexed members (PVECG_RT_F_INDEXED): the field's JSON name is the
 * family ("net[n]"), its slot is `char *net[count]` (NULL = absent),
 * `cons` holds count, and for a family of property strings `presence` is
 * the offset of `T *net_parsed[count]`. Members past count stay in extra.
 *
 * This file is copied verbatim into every generated models/ directory. */
#ifndef PVECG_RT_PROPSTR_H
#define PVECG_RT_PROPSTR_H

#include "pvecg_rt.h"

enum {
	PVECG_RT_PS_PERL = 1,
	PVECG_RT_PS_RUST = 2
};

enum {
	PVECG_RT_PS_OBJECT = 1, /* key=value,... */
	PVECG_RT_PS_LIST = 2    /* a,b;c (the Rust products' array formats) */
};

#define PVECG_RT_PS_NOKEY 0xFFFFFFFFu

/* Parse flag: an unknown key is an error, not a report. */
#define PVECG_RT_PS_STRICT_KEYS (1u << 8)

typedef struct pvecg_rt_propstr_alias {
	uint32_t alias;     /* pool offset: the alias key ("e1000") */
	uint32_t key;       /* the key its value goes to ("macaddr") */
	uint32_t key_alias; /* the key its name goes to ("model"), or NOKEY */
} pvecg_rt_propstr_alias;

typedef struct pvecg_rt_propstr {
	const pvecg_rt_model *model; /* OBJECT: one field per key; LIST: a value
	                                model whose one field is the array */
	uint32_t name;               /* pool offset: the format's name */
	uint32_t default_key;        /* pool offset, or NOKEY */
	const pvecg_rt_propstr_alias *aliases;
	uint16_t n_aliases;
	uint8_t dialect; /* PVECG_RT_PS_PERL / _RUST */
	uint8_t kind;    /* PVECG_RT_PS_OBJECT / _LIST */
} pvecg_rt_propstr;

/* text -> a new struct of ps->model (free with pvecg_rt_free(ps->model,
 * ...)). flags: PVECG_RT_NO_VALIDATE, PVECG_RT_PS_STRICT_KEYS. Errors name
 * the key in err->path and the reason in err->message. */
PVECG_RT_NODISCARD int pvecg_rt_propstr_parse(
    void **out, const pvecg_rt_propstr *ps, const char *text, unsigned flags, pvecg_rt_error *err);

/* The same, stopping at the JSON object of typed values (keys after alias
 * resolution), before the struct: what the parser understood. */
PVECG_RT_NODISCARD int pvecg_rt_propstr_to_json(
    cJSON **out, const pvecg_rt_propstr *ps, const char *text, unsigned flags, pvecg_rt_error *err);

/* struct -> text as the product writes it: the default key first without
 * "key=", then the other keys sorted. Fails (key, reason) when a value
 * cannot be sent in this dialect or the struct does not validate. *out is
 * malloc'd. */
PVECG_RT_NODISCARD int pvecg_rt_propstr_format(
    char **out, const pvecg_rt_propstr *ps, const void *obj, pvecg_rt_error *err);

const char *pvecg_rt_propstr_name(const pvecg_rt_propstr *ps);
/* A shard's format by name; NULL if absent. */
const pvecg_rt_propstr *pvecg_rt_shard_propstr(const pvecg_rt_shard *s, const char *name);

/* ---- used by pvecg_rt.c --------------------------------------------------- */

/* The indexed field member ("net12") belongs to, and its index. */
const pvecg_rt_field *
pvecg_rt_indexed_field(const pvecg_rt_model *m, const char *member, size_t *index);
/* Frees what a PROPSTR or INDEXED field owns (texts and parsed structs). */
void pvecg_rt_propstr_free_field(const pvecg_rt_model *m, const pvecg_rt_field *f, void *obj);
/* Parses text into the parsed slot of f (index ix of an indexed field). */
PVECG_RT_NODISCARD int pvecg_rt_propstr_fill(const pvecg_rt_model *m, const pvecg_rt_field *f,
    void *obj, size_t ix, unsigned flags, pvecg_rt_error *err);
/* Adds family0..familyN of an indexed field to the object o. */
PVECG_RT_NODISCARD int pvecg_rt_indexed_to_json(
    const pvecg_rt_model *m, const pvecg_rt_field *f, const void *obj, cJSON *o);

#endif
