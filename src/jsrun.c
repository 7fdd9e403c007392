/* The script runner's parent: runs the viewer scripts in duktape in a
 * sandboxed child and turns what comes back into the schema array or one
 * clear error (the verdict).
 *
 * The scripts are untrusted, so they run in a forked child
 * (jsrun_child.c): the child's duktape heap counts every byte it allocates
 * and refuses allocations past the memory limit, and the parent reads the
 * result pipe against a deadline and SIGKILLs the child when it is reached
 * (an alarm in the child is the backup). A shared page carries the child's
 * progress so the parent can name the script and the statement counts on
 * every outcome. jsrun_int.h describes the protocol between the two.
 *
 * Viewer scripts are written for browsers (ES2020) and duktape 2.7 cannot
 * compile most of them, so the child runs them one top-level statement at
 * a time (jssplit.c cuts them) and skips what does not compile or throws.
 *
 * The schema statement (`const apiSchema = [...]`, ~4 MB) is a JSON
 * literal. Compiling it as code costs ~115 ms; duk_json_decode plus
 * re-encoding and cJSON parsing still ~80 ms. So the child only validates
 * it (strict JSON, one pass, jsrun_fast.c) and binds the global as a lazy
 * getter/setter: if any later statement touches it, it is decoded then and
 * the final value is serialized as usual; if nothing touched it, the child
 * reports where the literal is and the parent parses those bytes itself (in
 * fact it already started, on its second core, while the child was
 * running). */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include "pvecg/buf.h"
#include "pvecg/json.h"
#include "pvecg/jsrun.h"
#include "pvecg/util.h"
#include "jsrun_int.h"

void
pvecg_jsrun_limits_init(pvecg_jsrun_limits *l)
{
	l->timeout_s = 10;
	l->memory = (size_t)512 << 20;
}

typedef struct outcome {
	pvecg_buf msg;
	int status;
	int timed_out;
	int too_big;
} outcome;

static void
kill_and_reap(pid_t pid, int *status)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
}

static int
poll_ms(double deadline)
{
	double left = deadline - pvecg_now();

	if (left <= 0)
		return 0;
	return left > 3600 ? 3600000 : (int)ceil(left * 1000);
}

/* Reads the child's message until EOF or the deadline, then reaps the
 * child. Every path ends with the child reaped. */
PVECG_NODISCARD static int
collect(outcome *o, int fd, pid_t pid, double deadline, size_t cap)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	struct timespec ms = { 0, 1000000 };
	ssize_t r;
	pid_t w;
	int ready;

	for (;;) {
		ready = poll(&pfd, 1, poll_ms(deadline));
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0) {
			kill_and_reap(pid, &o->status);
			return PVECG_EINTERNAL;
		}
		/* Data that is ready is read even past the deadline (the parent
		 * may have been slow), but a child still writing 1 s later is
		 * out of time. */
		if (pvecg_now() >= deadline + (ready == 0 ? 0 : 1)) {
			o->timed_out = 1;
			kill_and_reap(pid, &o->status);
			return 0;
		}
		if (ready == 0)
			continue;
		if (pvecg_buf_reserve(&o->msg, 65536) != 0) {
			kill_and_reap(pid, &o->status);
			return PVECG_ENOMEM;
		}
		r = read(fd, o->msg.data + o->msg.len, o->msg.cap - o->msg.len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		o->msg.len += (size_t)r;
		o->msg.data[o->msg.len] = '\0';
		if (o->msg.len > cap) {
			o->too_big = 1;
			kill_and_reap(pid, &o->status);
			return 0;
		}
	}
	/* EOF: the child is exiting; give it until the deadline (at least
	 * a moment, in case the parent itself was slow). */
	if (deadline < pvecg_now() + 0.2)
		deadline = pvecg_now() + 0.2;
	for (;;) {
		w = waitpid(pid, &o->status, WNOHANG);
		if (w == pid)
			return 0;
		if (w < 0 && errno != EINTR) {
			kill_and_reap(pid, &o->status);
			return PVECG_EINTERNAL;
		}
		if (pvecg_now() >= deadline) {
			o->timed_out = 1;
			kill_and_reap(pid, &o->status);
			return 0;
		}
		nanosleep(&ms, NULL);
	}
}

PVECG_NODISCARD static int
take_schema(pvecg_jsrun_result *out, const outcome *o, const char *where, pvecg_error *err)
{
	const char *p = o->msg.data + 3, *nl;
	char *end;
	unsigned long long name_len;

	nl = memchr(p, '\n', o->msg.len - 3);
	name_len = strtoull(p, &end, 10);
	if (nl == NULL || end != nl || name_len > o->msg.len - (size_t)(nl + 1 - o->msg.data))
		return pvecg_error_set(
		    err, PVECG_EINTERNAL, where, "malformed result from the script runner");
	out->variable = pvecg_strndup(nl + 1, (size_t)name_len);
	p = nl + 1 + name_len;
	out->schema = pvecg_json_parse(p, o->msg.len - (size_t)(p - o->msg.data), NULL);
	if (out->variable == NULL || out->schema == NULL || !cJSON_IsArray(out->schema)) {
		pvecg_jsrun_result_free(out);
		return pvecg_error_set(err, PVECG_EINTERNAL, where,
		    "the script runner sent a schema that is not a JSON array");
	}
	return 0;
}

/* "LZ <script> <offset> <length> <namelen>\n<name>": the schema is the
 * untouched JSON literal at that place of the script, parsed here. */
PVECG_NODISCARD static int
take_literal(pvecg_jsrun_result *out, const outcome *o, const pvecg_script *scripts, size_t n,
    guess *g, const char *where, pvecg_error *err)
{
	unsigned long long k, off, len, name_len;
	size_t consumed = 0;
	int used = 0;

	if (sscanf(o->msg.data, "LZ %llu %llu %llu %llu\n%n", &k, &off, &len, &name_len, &used) !=
	        4 ||
	    used == 0 || k >= n || off > scripts[k].len || len > scripts[k].len - off ||
	    name_len != o->msg.len - (size_t)used)
		return pvecg_error_set(
		    err, PVECG_EINTERNAL, where, "malformed result from the script runner");
	out->variable = pvecg_strndup(o->msg.data + used, (size_t)name_len);
	if (out->variable == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, where, "out of memory");
	if (g->tree != NULL && k == 0 && off == g->off && len == g->len) {
		out->schema = g->tree;
		g->tree = NULL;
	} else {
		out->schema = jsrun_parse_value(scripts[k].text + off, (size_t)len, &consumed);
		if (consumed != len) {
			cJSON_Delete(out->schema);
			out->schema = NULL;
		}
	}
	if (!cJSON_IsArray(out->schema)) {
		pvecg_jsrun_result_free(out);
		return pvecg_error_set(err, PVECG_EINPUT, where,
		    "the schema literal of %s is not a JSON array cJSON can read", scripts[k].name);
	}
	return 0;
}

/* 1-based line and column (in characters) of byte off of a script. */
static void
line_col(size_t *line, size_t *col, const pvecg_script *sc, size_t off)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < sc->len; i++) {
		if (sc->text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)sc->text[i] & 0xC0) != 0x80) {
			(*col)++; /* not UTF-8 continuation bytes */
		}
	}
}

/* "no schema array found", naming the most relevant failed statement:
 * script, line (the statement's first line plus duktape's line inside it),
 * the statement's start column, duktape's message. */
PVECG_NODISCARD static int
no_schema(
    const progress *pg, const pvecg_script *scripts, size_t n, const char *where, pvecg_error *err)
{
	const pvecg_script *sc;
	size_t line, start_line, start_col, json_line = 0, json_col = 0;
	char at[64];

	if (pg->fail_kind == FAIL_NONE || pg->fail_script >= n)
		return pvecg_error_set(err, PVECG_EINPUT, where,
		    "no schema array found (ran %zu statements, skipped %zu)", pg->statements,
		    pg->skipped);
	sc = &scripts[pg->fail_script];
	line_col(&start_line, &start_col, sc, pg->fail_off);
	if (pg->fail_json_at != 0)
		line_col(&json_line, &json_col, sc, pg->fail_json_at - 1);
	line = start_line + (pg->fail_line > 1 ? (size_t)pg->fail_line - 1 : 0);
	/* The JSON check knows the column when it stopped on duktape's line. */
	if (json_line == line)
		snprintf(at, sizeof(at), "line %zu, column %zu", line, json_col);
	else
		snprintf(at, sizeof(at), "line %zu", line);
	return pvecg_error_set(err, PVECG_EINPUT, sc->name ? sc->name : "<script>",
	    "no schema array found: %s: %s (in the statement from line %zu, column %zu, "
	    "%s; ran %zu statements, skipped %zu)",
	    at, pg->fail_msg, start_line, start_col,
	    pg->fail_kind == FAIL_SCHEMA ? "which assigns the schema variable"
	                                 : "the first that failed",
	    pg->statements, pg->skipped);
}

/* The child's message is "ER <kind>\n..." (m is NUL-terminated). */
static int
is_error(const char *m, enum jsrun_er_kind kind)
{
	return strncmp(m, "ER ", 3) == 0 && m[3] == (char)kind && m[4] == '\n';
}

PVECG_NODISCARD static int
verdict(pvecg_jsrun_result *out, const outcome *o, const progress *pg,
    const pvecg_jsrun_limits *lim, const pvecg_script *scripts, size_t n, guess *g,
    const char *where, pvecg_error *err)
{
	const char *m = o->msg.data ? o->msg.data : "";
	int sig;

	if (o->timed_out ||
	    (WIFSIGNALED(o->status) &&
	        (WTERMSIG(o->status) == SIGALRM || WTERMSIG(o->status) == SIGXCPU)))
		return pvecg_error_set(err, PVECG_ELIMIT, where,
		    "script ran longer than the --js-timeout of %g s", lim->timeout_s);
	if (o->too_big || is_error(m, JSRUN_ER_MEMORY))
		return pvecg_error_set(err, PVECG_ELIMIT, where,
		    "script exceeded the --js-memory limit of %zu MiB", lim->memory >> 20);
	if (WIFSIGNALED(o->status)) {
		sig = WTERMSIG(o->status);
		return pvecg_error_set(err, PVECG_EINPUT, where,
		    "script runner crashed (signal %d, %s) after %zu statements", sig,
		    strsignal(sig), pg->statements);
	}
	if (is_error(m, JSRUN_ER_NO_SCHEMA))
		return no_schema(pg, scripts, n, where, err);
	if (is_error(m, JSRUN_ER_INTERNAL))
		return pvecg_error_set(err, PVECG_EINTERNAL, where, "script runner: %.300s", m + 5);
	if (!WIFEXITED(o->status) || WEXITSTATUS(o->status) != JSRUN_EXIT_OK ||
	    (strncmp(m, "OK ", 3) != 0 && strncmp(m, "LZ ", 3) != 0))
		return pvecg_error_set(err, PVECG_EINTERNAL, where,
		    "script runner exited with status %d",
		    WIFEXITED(o->status) ? WEXITSTATUS(o->status) : -1);
	out->statements = pg->statements;
	out->skipped = pg->skipped;
	if (m[0] == 'L')
		return take_literal(out, o, scripts, n, g, where, err);
	return take_schema(out, o, where, err);
}

/* The script a message should name: the one running when it ended. */
static void
script_where(char *buf, size_t size, const pvecg_script *scripts, size_t n, size_t k)
{
	if (k >= n)
		k = n - 1;
	snprintf(buf, size, "%s", scripts[k].name ? scripts[k].name : "<script>");
}

int
pvecg_jsrun_run(pvecg_jsrun_result *out, const pvecg_script *scripts, size_t n,
    const pvecg_jsrun_limits *limits, pvecg_error *err)
{
	pvecg_jsrun_limits lim;
	outcome o = { PVECG_BUF_INIT, 0, 0, 0 };
	guess g = { 0, 0, NULL };
	volatile progress *pg;
	progress snap;
	char where[512];
	double deadline;
	int fds[2], rc;
	pid_t pid;

	memset(out, 0, sizeof(*out));
	if (limits == NULL)
		pvecg_jsrun_limits_init(&lim);
	else
		lim = *limits;
	if (n == 0 || scripts == NULL)
		return pvecg_error_set(err, PVECG_EINPUT, "", "no script to run");
	if (!(lim.timeout_s > 0) || lim.memory == 0)
		return pvecg_error_set(
		    err, PVECG_EUSAGE, scripts[0].name, "invalid script runner limits");
	deadline = pvecg_now() + lim.timeout_s;
	pg = mmap(
	    NULL, sizeof(progress), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (pg == MAP_FAILED)
		return pvecg_error_set(
		    err, PVECG_ENOMEM, scripts[0].name, "mmap: %s", strerror(errno));
	memset((void *)pg, 0, sizeof(progress));
	if (pipe(fds) != 0) {
		rc = pvecg_error_set(err, PVECG_EIO, scripts[0].name, "pipe: %s", strerror(errno));
		goto out;
	}
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	pid = fork();
	if (pid < 0) {
		rc = pvecg_error_set(err, PVECG_EIO, scripts[0].name, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		goto out;
	}
	if (pid == 0) {
		close(fds[0]);
		jsrun_child_main(fds[1], pg, scripts, n, &lim);
	}
	close(fds[1]);
	jsrun_make_guess(&g, &scripts[0]);
	rc = collect(&o, fds[0], pid, deadline, lim.memory + JSRUN_MSG_SLACK);
	close(fds[0]);
	/* the child is gone: the page no longer changes */
	memcpy(&snap, (const void *)pg, sizeof(snap));
	snap.fail_msg[sizeof(snap.fail_msg) - 1] = '\0';
	script_where(where, sizeof(where), scripts, n, snap.script);
	if (rc != 0)
		rc = pvecg_error_set(err, rc, where, "reading the script runner's result failed");
	else
		rc = verdict(out, &o, &snap, &lim, scripts, n, &g, where, err);
out:
	cJSON_Delete(g.tree);
	pvecg_buf_free(&o.msg);
	munmap((void *)pg, sizeof(progress));
	return rc;
}

void
pvecg_jsrun_result_free(pvecg_jsrun_result *r)
{
	if (r == NULL)
		return;
	cJSON_Delete(r->schema);
	free(r->variable);
	memset(r, 0, sizeof(*r));
}
