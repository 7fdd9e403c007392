/* serve: the pipeline as a protected HTTP service (libmicrohttpd).
 *
 * Endpoints (JSON in and out; errors are {"error": "...", "detail": "..."}):
 *   GET  /healthz                       {"status":"ok"}, no key needed
 *   GET  /versions/                     `versions --json` of the root
 *   GET  /codegen/openapi?version=TAG&product=pve     openapi.json
 *   GET  /codegen/model-index?version=TAG&product=pve model_index.json
 *   GET  /codegen/models?version=TAG&product=pve      .tar.gz of models/,
 *        the aggregate .h/.c and model_index.json under <product-dir>-<tag>/
 *        (TAG defaults to latest, product to pve)
 *   POST /codegen/generate {"proxmox_url","version_tag","product"(pve)}
 *        runs the pipeline into ROOT/<product-dir>/<tag> (latest follows
 *        the newest tag) and answers product, version_tag, output_dir,
 *        openapi_sha256, paths, operations, timings{stage: seconds}.
 * Status: 403 no $CODEGEN_API_KEY on the server; 401 missing or wrong
 * "Authorization: Bearer KEY"; 400 bad tag/product/body or a URL the guard
 * refuses; 404; 405; 409 a generation is running (detail names it and its
 * start time); 413 body over --max-body; 429 with Retry-After (token
 * buckets per client address: generate --rate-generate/hour, every other
 * authenticated endpoint --rate-read/hour; a generate refused with
 * 400/409/413 costs no token); 502 upstream failed, too big or too slow;
 * 422 the upstream is not a viewer; 503 shutting down.
 * Limits: a request (headers and body) must arrive within 10 s of the
 * connection or of the previous answer; 15 s idle timeout; 256
 * connections (128 per address); --threads worker threads. */
#ifndef PVECG_SERVE_H
#define PVECG_SERVE_H

#include "pvecg/error.h"
#include "pvecg/options.h"

/* Serves o->output_dir (default "generated") on o->listen until
 * SIGTERM/SIGINT, then stops accepting, lets a running generation finish
 * (its output is committed atomically) and answer, and returns 0.
 * Prints "... serving ROOT on http://ADDR:PORT" to stderr once listening
 * (port 0 picks a free one), unless o->quiet. */
PVECG_NODISCARD int pvecg_serve(const pvecg_options *o, pvecg_error *err);

#endif
