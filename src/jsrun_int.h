/* Private to the script runner: what the parent (jsrun.c) and the child
 * (jsrun_child.c) share, that is the protocol between them, and the parent's
 * half of the schema literal's fast path (jsrun_fast.c). */
#ifndef PVECG_JSRUN_INT_H
#define PVECG_JSRUN_INT_H

#include <stddef.h>
#include <cjson/cJSON.h>
#include "pvecg/jsrun.h"

/*
 * The parent <-> child protocol
 * =============================
 *
 * Processes and descriptors. pvecg_jsrun_run() maps one shared anonymous
 * page holding a zeroed `progress`, makes a pipe (both ends close-on-exec)
 * and forks. The parent closes the write end at once and reads the read
 * end. The child closes the read end, moves the write end to
 * JSRUN_RESULT_FD and closes every descriptor above it (closefrom), keeping
 * only stdio besides. The child never returns: it ends with _exit(), which
 * closes the pipe. The parent reads until EOF (or the deadline), reaps the
 * child, closes the read end, and only then copies the shared page and
 * unmaps it. The parent does not write to the child at all: the scripts and
 * limits reach it through fork().
 *
 * The shared page. The child keeps `progress` current while it runs: the
 * script running, the statement counts, and the most relevant statement
 * that failed. The parent reads it once, after the child is reaped, so
 * nothing reads it while it changes; it terminates fail_msg itself, since
 * the child could have died while writing it. The page names the script
 * and the counts in every verdict, including timeouts and crashes.
 *
 * The result pipe carries at most one message, written by the child once
 * at the end: one ASCII head line, then a payload; there is no terminator,
 * the message ends at EOF. Numbers are decimal.
 *
 *   "OK <namelen>\n" <name> <json>
 *       The schema, found in the global <name> (namelen bytes), serialized
 *       by duktape as JSON text: the rest of the message.
 *   "LZ <script> <offset> <length> <namelen>\n" <name>
 *       The schema is the JSON literal still bound, untouched, to the global
 *       <name>: <length> bytes at <offset> of scripts[<script>]. The parent
 *       parses those bytes itself (or takes its guess, jsrun_make_guess(),
 *       when it is exactly that literal). Nothing follows the name.
 *   "ER <kind>\n" <text>
 *       No schema; <kind> is one byte of enum jsrun_er_kind, <text> the
 *       child's or duktape's message (may be empty), the rest of the message.
 *
 * Sizes. The child's head line is at most JSRUN_HEAD_MAX bytes. The parent
 * reads at most the memory limit plus JSRUN_MSG_SLACK bytes; more means the
 * child held more than its budget allowed, and the parent kills it and
 * reports the memory limit. A write the parent no longer reads (it is gone
 * or killed the child) ends the child's writing quietly.
 *
 * Exit status (enum jsrun_exit) and the verdict, in this order: a child
 * the parent killed at the --js-timeout deadline, or that died of SIGALRM
 * (its own alarm, the timeout plus 2 s, is the backup) or SIGXCPU, ran out
 * of time; an overlong message or "ER M" is the memory limit, whatever the
 * status; any other signal is a crash; then "ER S" and "ER I". A schema is
 * taken only from a child that exited with JSRUN_EXIT_OK after an "OK" or
 * "LZ" message; anything else is an internal error.
 */

/* The pipe's write end in the child. */
#define JSRUN_RESULT_FD 3
/* Longest head line the child writes ("LZ " and four numbers). */
#define JSRUN_HEAD_MAX 128
/* What the parent reads beyond the memory limit before it gives up. */
#define JSRUN_MSG_SLACK 4096

/* The <kind> of an "ER" message. */
enum jsrun_er_kind {
	JSRUN_ER_MEMORY = 'M',    /* an allocation was refused: --js-memory reached */
	JSRUN_ER_NO_SCHEMA = 'S', /* the scripts ran; no global holds a schema
	                           * (the shared page says which statement failed) */
	JSRUN_ER_INTERNAL = 'I'   /* anything else: duktape's fatal error, the
	                           * browser stubs would not install, ... */
};

/* The child's exit status. */
enum jsrun_exit {
	JSRUN_EXIT_OK = 0,     /* "OK" or "LZ" sent, the budget never refused */
	JSRUN_EXIT_FAILED = 1, /* "ER" sent, or the budget refused an allocation
	                        * on the way (fail closed) */
	JSRUN_EXIT_SETUP = 2   /* the pipe could not be moved to JSRUN_RESULT_FD */
};

/* The failing statement a "no schema" message names: the one assigning a
 * known schema variable if any failed, else the first that failed. */
enum {
	FAIL_NONE,
	FAIL_FIRST,
	FAIL_SCHEMA
};

/* The shared page: written by the child, read by the parent after it is
 * gone. */
typedef struct progress {
	size_t script;
	size_t statements;
	size_t skipped;
	int fail_kind;
	size_t fail_script, fail_off; /* where the statement starts */
	long fail_line;               /* duktape's line inside it; 0 unknown */
	size_t fail_json_at;          /* 1 + where its literal stops being JSON; 0 none */
	char fail_msg[240];           /* duktape's message */
} progress;

/* Runs the scripts in the child of fork() under lim, writes the one result
 * message to fd and exits; never returns. */
_Noreturn void jsrun_child_main(int fd, volatile progress *pg, const pvecg_script *scripts,
    size_t n, const pvecg_jsrun_limits *lim);

/* The parent's guess, made while the child runs (the machine has more
 * than one core): the first statement of the first script is the schema
 * literal, which the child will report untouched. Used only when the
 * child reports exactly that literal. */
typedef struct guess {
	size_t off, len;
	cJSON *tree;
} guess;

/* Fills g from the first statement of script when it is `var NAME = [...]`
 * that cJSON reads as an array; else leaves g empty (tree NULL). */
void jsrun_make_guess(guess *g, const pvecg_script *script);
/* Parses the bracketed JSON value at the start of s with cJSON (white space
 * dropped first); *consumed is its length. NULL when it is not complete
 * JSON or memory runs out. */
cJSON *jsrun_parse_value(const char *s, size_t len, size_t *consumed);

#endif
