/* The script runner's child process: a duktape heap with a byte budget
 * and browser stubs, which runs the viewer scripts one top-level statement
 * at a time (skipping what does not compile or throws), keeps its progress
 * on the shared page, and writes the schema it found, or why there is none,
 * to the result pipe (the protocol is in jsrun_int.h).
 *
 * A statement `var NAME = <JSON literal>` is not compiled: the literal was
 * validated by the splitter, and the global is bound as a lazy getter and
 * setter. If a later statement touches it, it is decoded then and its final
 * value is serialized as usual; if nothing touched it, the child reports
 * where the literal is and the parent parses those bytes itself. */
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <duktape.h>

#include "pvecg/jsrun.h"
#include "pvecg/product.h"
#include "jssplit.h"
#include "jsrun_int.h"

/* At most this many different schema variable names in the product table. */
#define MAX_SCHEMA_NAMES 16

/* A global bound to a JSON literal that no script has read or written
 * yet: decoded only when touched (a getter), else the parent parses the
 * literal itself, which saves decoding and re-encoding several MB. */
typedef struct lazy {
	size_t script;
	const char *name, *lit;
	size_t name_len, lit_off, lit_len;
	int shape;
	int touched;
} lazy;

typedef struct child {
	budget mem; /* the heap and everything else the child allocates */
	int fd;
	volatile progress *pg;
	lazy *lz;
	size_t n_lz, cap_lz;
} child;

/* Each block carries its size in front, so frees can be counted. 16 bytes
 * keep the alignment malloc gives. */
#define MEM_HDR 16

static void *
mem_alloc(void *ud, duk_size_t size)
{
	child *c = ud;
	unsigned char *p;

	if (size > c->mem.limit - c->mem.used) {
		c->mem.refused = 1;
		return NULL;
	}
	p = malloc(size + MEM_HDR);
	if (p == NULL) {
		c->mem.refused = 1;
		return NULL;
	}
	memcpy(p, &size, sizeof(size));
	c->mem.used += size;
	return p + MEM_HDR;
}

static void
mem_free(void *ud, void *ptr)
{
	child *c = ud;
	unsigned char *p = ptr;
	duk_size_t old;

	if (p == NULL)
		return;
	p -= MEM_HDR;
	memcpy(&old, p, sizeof(old));
	c->mem.used -= old;
	free(p);
}

static void *
mem_realloc(void *ud, void *ptr, duk_size_t size)
{
	child *c = ud;
	unsigned char *p = ptr, *q;
	duk_size_t old;

	if (p == NULL)
		return mem_alloc(ud, size);
	if (size == 0) {
		mem_free(ud, ptr);
		return NULL;
	}
	p -= MEM_HDR;
	memcpy(&old, p, sizeof(old));
	if (size > old && size - old > c->mem.limit - c->mem.used) {
		c->mem.refused = 1;
		return NULL;
	}
	q = realloc(p, size + MEM_HDR);
	if (q == NULL) {
		c->mem.refused = 1;
		return NULL;
	}
	memcpy(q, &size, sizeof(size));
	c->mem.used = c->mem.used - old + size;
	return q + MEM_HDR;
}

static void
write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	ssize_t w;

	while (len > 0) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* the parent is gone; nothing left to tell */
		p += w;
		len -= (size_t)w;
	}
}

/* "ER <kind>\n<text>" (see jsrun_int.h). */
static void
send_error(int fd, enum jsrun_er_kind kind, const char *text)
{
	char head[8];

	snprintf(head, sizeof(head), "ER %c\n", kind);
	write_all(fd, head, strlen(head));
	write_all(fd, text, strlen(text));
}

static void
on_fatal(void *ud, const char *msg)
{
	child *c = ud;

	send_error(c->fd, c->mem.refused ? JSRUN_ER_MEMORY : JSRUN_ER_INTERNAL,
	    msg ? msg : "duktape fatal error");
	_exit(JSRUN_EXIT_FAILED);
}

/* Browser globals the viewer code touches at top level. Ext is a Proxy so
 * that any Ext.<anything>(...) returns another stub; Ext.onReady never
 * runs its callback (that is the UI, not the schema). */
static const char stub_js[] =
    "(function (g) {\n"
    "  var noop = function () {};\n"
    "  function make() {\n"
    "    var s, fn = function () { return s; };\n"
    "    if (typeof Proxy !== 'function') {\n"
    "      s = { define: fn, create: fn, apply: fn, applyIf: fn, namespace: fn, ns: fn,\n"
    "        getCmp: fn, get: fn, select: fn, each: fn, override: fn, widget: fn,\n"
    "        getElementById: fn, querySelector: fn, createElement: fn,\n"
    "        addEventListener: noop, onReady: noop };\n"
    "      return s;\n"
    "    }\n"
    "    s = new Proxy({}, { get: function (t, k) {\n"
    "      if (typeof k !== 'string' || k === 'toString' || k === 'valueOf' ||\n"
    "          k === 'then' || k === 'toJSON') return undefined;\n"
    "      if (Object.prototype.hasOwnProperty.call(t, k)) return t[k];\n"
    "      if (k === 'onReady' || k === 'addEventListener') return noop;\n"
    "      return fn; } });\n"
    "    return s;\n"
    "  }\n"
    "  g.Ext = make();\n"
    "  g.document = make();\n"
    "  g.window = g; g.self = g;\n"
    "  if (typeof g.globalThis === 'undefined') g.globalThis = g;\n"
    "  g.location = { href: '', hash: '', host: '', hostname: '', pathname: '/',\n"
    "    protocol: 'https:', search: '', origin: '', reload: noop, replace: noop };\n"
    "  g.navigator = { userAgent: '', language: 'en', platform: '' };\n"
    "  g.console = { log: noop, info: noop, warn: noop, error: noop, debug: noop, trace: noop };\n"
    "  g.setTimeout = g.setInterval = g.requestAnimationFrame = function () { return 0; };\n"
    "  g.clearTimeout = g.clearInterval = noop;\n"
    "})(this);\n";

static child *
stashed_child(duk_context *ctx)
{
	child *c;

	duk_push_heap_stash(ctx);
	duk_get_prop_string(ctx, -1, "child");
	c = duk_get_pointer(ctx, -1);
	duk_pop_2(ctx);
	return c;
}

/* The lazy entry behind the running getter or setter. */
static lazy *
current_lazy(duk_context *ctx)
{
	child *c = stashed_child(ctx);
	duk_uint_t k;

	duk_push_current_function(ctx);
	duk_get_prop_string(ctx, -1, DUK_HIDDEN_SYMBOL("lazy"));
	k = duk_get_uint(ctx, -1);
	duk_pop_2(ctx);
	if (c == NULL || k >= c->n_lz)
		return duk_error(ctx, DUK_ERR_ERROR, "lost lazy binding"), NULL;
	return &c->lz[k];
}

/* Replaces the accessor with a plain data property holding the value on
 * the stack top (left there). */
static void
settle(duk_context *ctx, const lazy *z)
{
	duk_push_global_object(ctx);
	duk_push_lstring(ctx, z->name, z->name_len);
	duk_dup(ctx, -3);
	duk_def_prop(ctx, -3,
	    DUK_DEFPROP_HAVE_VALUE | DUK_DEFPROP_SET_WRITABLE | DUK_DEFPROP_SET_ENUMERABLE |
	        DUK_DEFPROP_SET_CONFIGURABLE);
	duk_pop(ctx);
}

static duk_ret_t
lazy_get(duk_context *ctx)
{
	lazy *z = current_lazy(ctx);

	z->touched = 1;
	duk_push_lstring(ctx, z->lit, z->lit_len);
	duk_json_decode(ctx, -1);
	settle(ctx, z);
	return 1;
}

static duk_ret_t
lazy_set(duk_context *ctx)
{
	lazy *z = current_lazy(ctx);

	z->touched = 1;
	duk_dup(ctx, 0);
	settle(ctx, z);
	return 0;
}

static void
push_accessor(duk_context *ctx, duk_c_function fn, duk_idx_t nargs, size_t k)
{
	duk_push_c_function(ctx, fn, nargs);
	duk_push_uint(ctx, (duk_uint_t)k);
	duk_put_prop_string(ctx, -2, DUK_HIDDEN_SYMBOL("lazy"));
}

/* Defines the global c->lz[last] as a getter/setter pair. */
static duk_ret_t
bind_lazy(duk_context *ctx, void *ud)
{
	child *c = ud;
	const lazy *z = &c->lz[c->n_lz - 1];

	duk_push_global_object(ctx);
	duk_push_lstring(ctx, z->name, z->name_len);
	push_accessor(ctx, lazy_get, 0, c->n_lz - 1);
	push_accessor(ctx, lazy_set, 1, c->n_lz - 1);
	duk_def_prop(ctx, -4,
	    DUK_DEFPROP_HAVE_GETTER | DUK_DEFPROP_HAVE_SETTER | DUK_DEFPROP_SET_ENUMERABLE |
	        DUK_DEFPROP_SET_CONFIGURABLE);
	duk_pop(ctx);
	return 0;
}

/* 0 bound, 1 not (then the statement is evaluated as code). */
static int
run_json_decl(duk_context *ctx, child *c, size_t script, const char *text, const json_decl *d)
{
	lazy *p;
	size_t cap;

	if (c->n_lz == c->cap_lz) {
		cap = c->cap_lz ? c->cap_lz * 2 : 8;
		p = jssplit_budget_realloc(
		    &c->mem, c->lz, c->cap_lz * sizeof(*p), cap * sizeof(*p));
		if (p == NULL)
			return 1;
		c->lz = p;
		c->cap_lz = cap;
	}
	p = &c->lz[c->n_lz++];
	p->script = script;
	p->name = text + d->name_off;
	p->name_len = d->name_len;
	p->lit = text + d->lit_off;
	p->lit_off = d->lit_off;
	p->lit_len = d->lit_len;
	p->shape = d->shape;
	p->touched = 0;
	if (duk_safe_call(ctx, bind_lazy, c, 0, 1) != DUK_EXEC_SUCCESS) {
		c->n_lz--; /* e.g. a non-configurable global of that name */
		duk_pop(ctx);
		return 1;
	}
	duk_pop(ctx);
	return 0;
}

/* Reads .lineNumber of the thrown value; protected, as a script may throw
 * an object whose getter throws again. */
static duk_ret_t
read_line_number(duk_context *ctx, void *ud)
{
	long *line = ud;

	if (duk_is_object(ctx, -1)) {
		duk_get_prop_string(ctx, -1, "lineNumber");
		if (duk_is_number(ctx, -1))
			*line = (long)duk_get_number(ctx, -1);
	}
	return 0;
}

/* Keeps what duktape said about a failed statement: its message (without
 * the "(line N)" it appends, which is relative to the statement) and line. */
static void
take_failure(duk_context *ctx, char *msg, size_t size, long *line)
{
	const char *m, *cut;

	*line = 0;
	duk_dup(ctx, -1);
	if (duk_safe_call(ctx, read_line_number, line, 1, 1) != DUK_EXEC_SUCCESS)
		*line = 0;
	duk_pop(ctx);
	m = duk_safe_to_string(ctx, -1);
	snprintf(msg, size, "%s", m ? m : "error");
	if ((cut = strstr(msg, " (line ")) != NULL) {
		if (*line == 0)
			*line = atol(cut + 7);
		msg[cut - msg] = '\0';
	}
}

/* Compiles and runs one statement as global code; 0 ok, 1 skipped (then
 * msg and *line say why). */
PVECG_NODISCARD static int
eval_statement(
    duk_context *ctx, budget *mem, const char *s, size_t len, char *msg, size_t size, long *line)
{
	char *copy = NULL;
	int rc = 0;

	*line = 0;
	snprintf(msg, size, "out of memory");
	/* Top-level let/const would not land on the global object. */
	if ((len > 4 && memcmp(s, "let", 3) == 0 && is_space((unsigned char)s[3])) ||
	    (len > 6 && memcmp(s, "const", 5) == 0 && is_space((unsigned char)s[5]))) {
		copy = jssplit_budget_realloc(mem, NULL, 0, len);
		if (copy == NULL)
			return 1;
		memcpy(copy, s, len);
		memcpy(copy, s[0] == 'l' ? "var" : "var  ", s[0] == 'l' ? 3 : 5);
		s = copy;
	}
	if (duk_pcompile_lstring(ctx, 0, s, len) != 0 || duk_pcall(ctx, 0) != 0) {
		rc = 1;
		take_failure(ctx, msg, size, line);
	}
	duk_pop(ctx);
	jssplit_budget_free(mem, copy, len);
	return rc;
}

static void
add_name(const char **names, size_t *n, const char *name)
{
	for (size_t k = 0; k < *n; k++)
		if (strcmp(names[k], name) == 0)
			return;
	assert(*n < MAX_SCHEMA_NAMES);
	if (*n < MAX_SCHEMA_NAMES)
		names[(*n)++] = name;
}

/* The names the viewers give the schema variable (the product table's
 * schema_vars), most likely first: the one every product's current
 * viewers use, then each product's own, the Perl products' (whose old
 * viewers used them) before the Rust ones'. Returns how many. */
static size_t
schema_names(const char *names[MAX_SCHEMA_NAMES])
{
	size_t i, n = 0;
	int rust;

	for (i = 0; i < pvecg_n_products; i++)
		add_name(names, &n, pvecg_products[i].schema_vars[0]);
	for (rust = 0; rust <= 1; rust++)
		for (i = 0; i < pvecg_n_products; i++)
			if (pvecg_products[i].rust == rust)
				add_name(names, &n, pvecg_products[i].schema_vars[1]);
	return n;
}

/* True when the statement assigns one of schema_names (`var NAME =`,
 * `NAME =`, with let or const too). */
static int
assigns_schema(const char *s, size_t len)
{
	const char *names[MAX_SCHEMA_NAMES];
	size_t i = 0, k, n, count = schema_names(names);

	if (len > 4 && (memcmp(s, "var", 3) == 0 || memcmp(s, "let", 3) == 0) &&
	    is_space((unsigned char)s[3]))
		i = 3;
	else if (len > 6 && memcmp(s, "const", 5) == 0 && is_space((unsigned char)s[5]))
		i = 5;
	while (i < len && is_space((unsigned char)s[i]))
		i++;
	for (k = 0; k < count; k++) {
		n = strlen(names[k]);
		if (len - i > n && memcmp(s + i, names[k], n) == 0 &&
		    !is_ident_byte((unsigned char)s[i + n]))
			break;
	}
	if (k == count)
		return 0;
	for (i += n; i < len && is_space((unsigned char)s[i]); i++)
		;
	return i + 1 < len && s[i] == '=' && s[i + 1] != '=';
}

/* For `var NAME = [...]` whose literal is not JSON: 1 + the offset in s
 * where it stops being JSON, a cut-off literal's end moved back to its last
 * token; 0 for any other statement. This is the column a message can name. */
static size_t
json_stop(const char *s, size_t len)
{
	json_decl d;
	size_t end = 0, at;
	int shape;

	if (!jsrun_decl_prefix(s, len, &d) ||
	    jsrun_json_check(s + d.lit_off, len - d.lit_off, &end, &shape))
		return 0;
	at = d.lit_off + end;
	if (at >= len)
		for (at = len; at > d.lit_off && is_space((unsigned char)s[at - 1]); at--)
			;
	return at + 1;
}

/* Records a failed statement if it is more relevant than the one kept. */
static void
note_failure(volatile progress *pg, size_t script, const pvecg_span *sp, const char *text,
    const char *msg, long line)
{
	int kind = assigns_schema(text + sp->off, sp->len) ? FAIL_SCHEMA : FAIL_FIRST;
	size_t i;

	if (pg->fail_kind >= kind)
		return;
	pg->fail_kind = kind;
	pg->fail_script = script;
	pg->fail_off = sp->off;
	pg->fail_line = line;
	pg->fail_json_at = json_stop(text + sp->off, sp->len);
	if (pg->fail_json_at != 0)
		pg->fail_json_at += sp->off;
	for (i = 0; msg[i] != '\0' && i + 1 < sizeof(pg->fail_msg); i++)
		pg->fail_msg[i] = msg[i];
	pg->fail_msg[i] = '\0';
}

/* The untouched lazy binding a global property still is, or NULL. The
 * hidden index cannot be forged from script code. */
static const lazy *
untouched_lazy(duk_context *ctx, child *c, duk_idx_t obj, duk_idx_t key)
{
	duk_uint_t k = (duk_uint_t)-1;

	duk_dup(ctx, key);
	duk_get_prop_desc(ctx, obj, 0);
	if (duk_is_object(ctx, -1)) {
		duk_get_prop_string(ctx, -1, "get");
		if (duk_is_function(ctx, -1)) {
			if (duk_get_prop_string(ctx, -1, DUK_HIDDEN_SYMBOL("lazy")))
				k = duk_get_uint(ctx, -1);
			duk_pop(ctx);
		}
		duk_pop(ctx);
	}
	duk_pop(ctx);
	if (k >= c->n_lz || c->lz[k].touched)
		return NULL;
	return &c->lz[k];
}

/* An array of tree nodes: objects with a string `path` and an object
 * `info` or an array `children`. */
static int
has_schema_shape(duk_context *ctx, duk_idx_t idx)
{
	duk_size_t i, n;
	int ok = 1;

	if (!duk_is_array(ctx, idx))
		return 0;
	n = duk_get_length(ctx, idx);
	for (i = 0; ok && i < n; i++) {
		duk_get_prop_index(ctx, idx, (duk_uarridx_t)i);
		ok = duk_is_object(ctx, -1) && !duk_is_array(ctx, -1);
		if (ok) {
			duk_get_prop_string(ctx, -1, "path");
			ok = duk_is_string(ctx, -1);
			duk_pop(ctx);
		}
		if (ok) {
			duk_get_prop_string(ctx, -1, "info");
			ok = duk_is_object(ctx, -1);
			duk_pop(ctx);
			if (!ok) {
				duk_get_prop_string(ctx, -1, "children");
				ok = duk_is_array(ctx, -1);
				duk_pop(ctx);
			}
		}
		duk_pop(ctx);
	}
	return ok && n > 0;
}

/* Pushes what report() sends for the global glob[key] when it holds the
 * schema: its JSON text, or the index of its untouched lazy binding (whose
 * literal the parent parses). Pushes nothing and returns 0 otherwise. */
static int
candidate(duk_context *ctx, child *c, duk_idx_t glob, duk_idx_t key)
{
	const lazy *z = untouched_lazy(ctx, c, glob, key);

	if (z != NULL && z->shape != SHAPE_UNSURE) {
		if (z->shape != SHAPE_YES)
			return 0;
		duk_push_uint(ctx, (duk_uint_t)(z - c->lz));
		return 1;
	}
	duk_dup(ctx, key);
	duk_get_prop(ctx, glob);
	if (!has_schema_shape(ctx, -1)) {
		duk_pop(ctx);
		return 0;
	}
	duk_json_encode(ctx, -1);
	return 1;
}

/* Leaves [name, result] on the stack (see candidate()), known names
 * first, then any global by shape; [undefined, undefined] when none. */
static duk_ret_t
find_schema(duk_context *ctx, void *ud)
{
	child *c = ud;
	const char *names[MAX_SCHEMA_NAMES];
	duk_idx_t glob, e;
	size_t k, count = schema_names(names);

	duk_push_global_object(ctx);
	glob = duk_get_top_index(ctx);
	for (k = 0; k < count; k++) {
		duk_push_string(ctx, names[k]);
		if (candidate(ctx, c, glob, duk_get_top_index(ctx)))
			return 2;
		duk_pop(ctx);
	}
	duk_enum(ctx, glob, DUK_ENUM_OWN_PROPERTIES_ONLY);
	e = duk_get_top_index(ctx);
	while (duk_next(ctx, e, 0)) {
		if (candidate(ctx, c, glob, duk_get_top_index(ctx)))
			return 2;
		duk_pop(ctx);
	}
	duk_push_undefined(ctx);
	duk_push_undefined(ctx);
	return 2;
}

PVECG_NODISCARD static int
setup_heap(duk_context *ctx, child *c)
{
	int rc;

	duk_push_heap_stash(ctx);
	duk_push_pointer(ctx, c);
	duk_put_prop_string(ctx, -2, "child");
	duk_pop(ctx);
	rc = duk_pcompile_lstring(ctx, 0, stub_js, sizeof(stub_js) - 1) != 0 ||
	    duk_pcall(ctx, 0) != 0;
	duk_pop(ctx);
	return rc;
}

PVECG_NODISCARD static int
run_scripts(duk_context *ctx, child *c, const pvecg_script *scripts, size_t n)
{
	const char *text;
	splitter sp;
	size_t k, j;
	char msg[240];
	long line;
	int skip, more = 1;

	/* Each statement runs as soon as the splitter has it: the span arrays
	 * never hold more than a few, however many statements a script has. */
	for (k = 0; k < n && more >= 0; k++) {
		c->pg->script = k;
		text = scripts[k].text;
		jssplit_init(&sp, text, scripts[k].len, 1, &c->mem);
		do {
			more = jssplit_more(&sp);
			for (j = 0; j < sp.n && !c->mem.refused; j++) {
				skip = 1;
				if (sp.decls[j].shape != 0)
					skip = run_json_decl(ctx, c, k, text, &sp.decls[j]);
				if (skip &&
				    (skip = eval_statement(ctx, &c->mem, text + sp.spans[j].off,
				         sp.spans[j].len, msg, sizeof(msg), &line)) != 0)
					note_failure(c->pg, k, &sp.spans[j], text, msg, line);
				c->pg->skipped += (size_t)skip;
				c->pg->statements++;
			}
			sp.n = 0;
		} while (more > 0 && !c->mem.refused);
		jssplit_free(&sp);
		if (c->mem.refused)
			return -1;
	}
	return more < 0 ? -1 : 0;
}

/* Sends the schema or the reason there is none; returns the exit code. */
static int
report(duk_context *ctx, child *c)
{
	const char *name, *json = NULL;
	duk_size_t name_len, json_len = 0;
	const lazy *z;
	char head[JSRUN_HEAD_MAX];

	if (duk_safe_call(ctx, find_schema, c, 0, 2) != DUK_EXEC_SUCCESS) {
		send_error(c->fd, c->mem.refused ? JSRUN_ER_MEMORY : JSRUN_ER_INTERNAL,
		    duk_safe_to_string(ctx, -2));
		return JSRUN_EXIT_FAILED;
	}
	if (duk_is_undefined(ctx, -1)) {
		send_error(c->fd, JSRUN_ER_NO_SCHEMA, "");
		return JSRUN_EXIT_FAILED;
	}
	name = duk_safe_to_lstring(ctx, -2, &name_len);
	if (duk_is_number(ctx, -1)) {
		z = &c->lz[duk_get_uint(ctx, -1)];
		snprintf(head, sizeof(head), "LZ %zu %zu %zu %zu\n", z->script, z->lit_off,
		    z->lit_len, (size_t)name_len);
	} else {
		json = duk_get_lstring(ctx, -1, &json_len);
		snprintf(head, sizeof(head), "OK %zu\n", (size_t)name_len);
	}
	write_all(c->fd, head, strlen(head));
	write_all(c->fd, name, name_len);
	if (json != NULL)
		write_all(c->fd, json, json_len);
	return JSRUN_EXIT_OK;
}

static void
reset_signals(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGALRM, SIGPIPE,
		SIGTERM, SIGINT, SIGHUP, SIGXCPU, SIGCHLD };
	sigset_t none;
	size_t i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

_Noreturn void
jsrun_child_main(int fd, volatile progress *pg, const pvecg_script *scripts, size_t n,
    const pvecg_jsrun_limits *lim)
{
	child c = { { 0, lim->memory, 0 }, JSRUN_RESULT_FD, pg, NULL, 0, 0 };
	duk_context *ctx;
	int code = JSRUN_EXIT_FAILED;

	reset_signals();
	/* Only the result pipe stays open (as fd 3), besides stdio. */
	if (fd != JSRUN_RESULT_FD) {
		if (dup2(fd, JSRUN_RESULT_FD) < 0)
			_exit(JSRUN_EXIT_SETUP);
		close(fd);
	}
	closefrom(JSRUN_RESULT_FD + 1);
	alarm((unsigned)fmin(lim->timeout_s + 2, 86400));
	ctx = duk_create_heap(mem_alloc, mem_realloc, mem_free, &c, on_fatal);
	if (ctx == NULL) {
		send_error(c.fd, JSRUN_ER_MEMORY, "");
		_exit(JSRUN_EXIT_FAILED);
	}
	if (setup_heap(ctx, &c) != 0)
		send_error(c.fd, c.mem.refused ? JSRUN_ER_MEMORY : JSRUN_ER_INTERNAL,
		    "cannot install the browser stubs");
	else if (run_scripts(ctx, &c, scripts, n) != 0)
		send_error(c.fd, c.mem.refused ? JSRUN_ER_MEMORY : JSRUN_ER_INTERNAL,
		    "out of memory splitting a script");
	else
		code = report(ctx, &c);
	if (code == JSRUN_EXIT_OK && c.mem.refused) /* fail closed: the limit was hit on the way */
		code = JSRUN_EXIT_FAILED;
	duk_destroy_heap(ctx);
	jssplit_budget_free(&c.mem, c.lz, c.cap_lz * sizeof(*c.lz));
	_exit(code);
}
