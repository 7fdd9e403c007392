/* product: the one table of what differs between Proxmox products (name,
 * output directory, default port, API viewer path, credential names). */
#ifndef PVECG_PRODUCT_H
#define PVECG_PRODUCT_H

#include <stddef.h>

typedef struct pvecg_product {
	const char *name;          /* pve, pbs, pmg, pdm */
	const char *dir;           /* output directory under generated/ */
	const char *title;         /* OpenAPI info.title */
	const char *prefix;        /* PVE, PBS, ...: security scheme names */
	int port;                  /* default HTTPS port of the API */
	const char *viewer_path;   /* API viewer below the host, ends in '/' */
	const char *token_prefix;  /* "PVEAPIToken=", NULL: no API tokens */
	char token_sep;            /* between TOKENID and SECRET in the header */
	const char *token_format;  /* documented header value */
	const char *ticket_cookie; /* "PVEAuthCookie" */
	/* The schema variable of its API viewers: [0] the name every product's
	 * current viewers use, [1] the name only its own (older) viewers use,
	 * which tells a viewer of this product from the others (capture). */
	const char *schema_vars[2];
	/* What else tells a viewer of this product from the others (capture): */
	const char *title_words[2]; /* in the page title; [1] may be NULL */
	const char *own_path;       /* a path only its API has, or NULL */
	int rust;                   /* 1: Rust (proxmox-schema), 0: Perl (PVE::JSONSchema) */
} pvecg_product;

/* Every product, in the fixed order a host of unknown product is probed. */
extern const pvecg_product pvecg_products[];
extern const size_t pvecg_n_products;

/* "pve, pbs, pmg, pdm": the names in table order, for messages
 * (truncated to cap - 1 bytes). */
void pvecg_product_list(char *out, size_t cap);
/* The product named name, or NULL. */
const pvecg_product *pvecg_product_find(const char *name);
/* 1 when name is a product whose API is written in Rust (property-string
 * quoting, error bodies, UPIDs differ), 0 for Perl or an unknown name. */
int pvecg_product_is_rust(const char *name);

#endif
