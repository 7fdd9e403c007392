/* Errors travel in a caller-owned struct, never in a global. */
#ifndef PVECG_ERROR_H
#define PVECG_ERROR_H

#include <stdio.h>

/* On every function that returns a status: ignoring one is a bug. */
#define PVECG_NODISCARD __attribute__((warn_unused_result))

enum {
	PVECG_OK = 0,
	PVECG_EUSAGE = -1, /* bad command line: exit 2 */
	PVECG_EIO = -2,    /* file system */
	PVECG_ENET = -3,   /* transfer failed */
	PVECG_EINPUT = -4, /* the input is not what we expect */
	PVECG_ENOMEM = -5,
	PVECG_EPOLICY = -6,   /* refused by the URL guard or a flag */
	PVECG_ELIMIT = -7,    /* size, time or memory cap hit */
	PVECG_EINTERNAL = -8, /* a stage broke its own contract */
	PVECG_EDRIFT = -9     /* --check / verify found differences */
};

typedef struct pvecg_error {
	int code;
	char where[512]; /* file, URL, or URL + JSON path */
	char message[1024];
} pvecg_error;

/* Fills err (if non-NULL) and returns code, so callers can
 * `return pvecg_error_set(err, PVECG_EIO, path, "...")`. */
int pvecg_error_set(pvecg_error *err, int code, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void pvecg_error_clear(pvecg_error *err);
/* One line: "proxmox-sdk-codegen: <where>: <message>\n" */
void pvecg_error_print(const pvecg_error *err, FILE *fp);

#endif
