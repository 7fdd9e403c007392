/* options: the command line parsed into one read-only pvecg_options struct
 * (commands, jobs, network and serve settings) and the usage text. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvecg/cred_options.h"
#include "pvecg/options.h"
#include "pvecg/product.h"
#include "pvecg/urlguard.h"
#include "pvecg/util.h"

#define PUBLIC_VIEWER "https://pve.proxmox.com/pve-docs/api-viewer/"
#define MAX_JOBS 64
#define MAX_RESOLVE 32

enum {
	OPT_SOURCE = 256,
	OPT_TAG,
	OPT_PRODUCT,
	OPT_OUTPUT,
	OPT_WORKERS,
	OPT_TIMINGS,
	OPT_CHECK,
	OPT_ALSO_LATEST,
	OPT_LATEST_MODE,
	OPT_TIMEOUT,
	OPT_CONNECT_TIMEOUT,
	OPT_MAX_SIZE,
	OPT_CACERT,
	OPT_INSECURE,
	OPT_TOKEN,
	OPT_ALLOW_HTTP,
	OPT_ALLOW_PRIVATE,
	OPT_ALLOW_ANY,
	OPT_RESOLVE,
	OPT_FOLLOW,
	OPT_JS_TIMEOUT,
	OPT_JS_MEMORY,
	OPT_LABEL,
	OPT_JSON,
	OPT_LISTEN,
	OPT_TLS_CERT,
	OPT_TLS_KEY,
	OPT_RATE_GEN,
	OPT_RATE_READ,
	OPT_MAX_BODY,
	OPT_THREADS,
	OPT_SCHEMAS,
	OPT_TOKEN_ORIGIN,
	OPT_PIN,
	OPT_LOGIN_FILE,
	OPT_FORMAT,
	OPT_BREAKING_ONLY,
	OPT_FAIL_ON,
	OPT_TRUST_PROXY,
	OPT_ACCESS_LOG,
	OPT_STATE,
	OPT_SEED,
	OPT_NO_AUTH
};

static const struct option long_opts[] = { { "source", required_argument, NULL, OPT_SOURCE },
	{ "version-tag", required_argument, NULL, OPT_TAG },
	{ "product", required_argument, NULL, OPT_PRODUCT },
	{ "output-dir", required_argument, NULL, OPT_OUTPUT },
	{ "workers", required_argument, NULL, OPT_WORKERS }, { "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' }, { "timings", no_argument, NULL, OPT_TIMINGS },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "also-latest", no_argument, NULL, OPT_ALSO_LATEST },
	{ "latest-mode", required_argument, NULL, OPT_LATEST_MODE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
	{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
	{ "cacert", required_argument, NULL, OPT_CACERT },
	{ "insecure", no_argument, NULL, OPT_INSECURE },
	{ "api-token", required_argument, NULL, OPT_TOKEN },
	{ "api-token-origin", required_argument, NULL, OPT_TOKEN_ORIGIN },
	{ "login-file", required_argument, NULL, OPT_LOGIN_FILE },
	{ "pinned-pubkey", required_argument, NULL, OPT_PIN },
	{ "allow-http", no_argument, NULL, OPT_ALLOW_HTTP },
	{ "allow-private-network", no_argument, NULL, OPT_ALLOW_PRIVATE },
	{ "allow-any-domain", no_argument, NULL, OPT_ALLOW_ANY },
	{ "resolve", required_argument, NULL, OPT_RESOLVE },
	{ "follow-redirects", no_argument, NULL, OPT_FOLLOW },
	{ "js-timeout", required_argument, NULL, OPT_JS_TIMEOUT },
	{ "js-memory", required_argument, NULL, OPT_JS_MEMORY },
	{ "source-label", required_argument, NULL, OPT_LABEL },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "schemas", required_argument, NULL, OPT_SCHEMAS },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "tls-cert", required_argument, NULL, OPT_TLS_CERT },
	{ "tls-key", required_argument, NULL, OPT_TLS_KEY },
	{ "rate-generate", required_argument, NULL, OPT_RATE_GEN },
	{ "rate-read", required_argument, NULL, OPT_RATE_READ },
	{ "max-body", required_argument, NULL, OPT_MAX_BODY },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "breaking-only", no_argument, NULL, OPT_BREAKING_ONLY },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "trust-proxy", required_argument, NULL, OPT_TRUST_PROXY },
	{ "access-log", required_argument, NULL, OPT_ACCESS_LOG },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "no-auth", no_argument, NULL, OPT_NO_AUTH }, { "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' }, { NULL, 0, NULL, 0 } };

void
pvecg_options_usage(FILE *fp)
{
	fputs("Usage: proxmox-sdk-codegen [generate] [options]\n"
	      "       proxmox-sdk-codegen verify [ROOT]\n"
	      "       proxmox-sdk-codegen versions [ROOT] [--json]\n"
	      "       proxmox-sdk-codegen serve [options]\n"
	      "       proxmox-sdk-codegen diff OLD NEW [--format md|json] [--breaking-only]\n"
	      "                           [--fail-on breaking|potential]\n"
	      "       proxmox-sdk-codegen mock [ROOT] [options]\n"
	      "\n"
	      "Turns the Proxmox API Viewer (PVE, PBS, PMG, PDM) into raw_capture.json,\n"
	      "openapi.json (OpenAPI 3.1), C models, model_index.json and route_metadata.json\n"
	      "under OUTPUT-DIR/TAG/, written atomically.\n"
	      "\n"
	      "Input (repeat --source to regenerate several versions in one call; the\n"
	      "--version-tag, --product, --source-label and --also-latest after a --source\n"
	      "belong to it):\n"
	      "  --source SRC          host URL (https://pve1.lan:8006: that product's API\n"
	      "                        viewer there; without a port the product's default),\n"
	      "                        viewer URL (https://host:8006/pve-docs/api-viewer/,\n"
	      "                        with or without index.html), a script URL, a local\n"
	      "                        index.html or script file, file://..., or a\n"
	      "                        raw_capture.json to rebuild without the network.\n"
	      "                        Anything starting with \"scheme:\" is a URL.\n"
	      "                        Default: $PROXMOX_URL (mapped the same way), else\n"
	      "                        " PUBLIC_VIEWER "\n"
	      "  --version-tag TAG     output subdirectory, [A-Za-z0-9][A-Za-z0-9._-]*\n"
	      "                        (default: the release the host reports when\n"
	      "                        credentials for it are given, else latest)\n"
	      "  --product P           pve|pbs|pmg|pdm (default: detected; a host URL tries\n"
	      "                        the viewers of pve, pbs, pmg, pdm in this order)\n"
	      "  --source-label TEXT   record TEXT as source_url instead of the location\n"
	      "\n"
	      "Output:\n"
	      "  --output-dir DIR      default generated/<product-dir> (pve -> proxmox)\n"
	      "  --also-latest         also point DIR/latest at this version\n"
	      "  --latest-mode MODE    link (relative symlink, default) or copy\n"
	      "  --check               regenerate in memory, compare with DIR/TAG, list the\n"
	      "                        files that differ; exit 1 on drift; writes nothing\n"
	      "  --workers N           inputs (--source) processed in parallel worker\n"
	      "                        processes, and threads writing files (default: cores);\n"
	      "                        each run also overlaps its own stages on two threads\n"
	      "  --timings             per-stage wall time and peak memory on stderr\n"
	      "  -q, --quiet           print errors only\n"
	      "  -v, --verbose         print each stage\n"
	      "\n"
	      "Network (https only, proxmox.com only, public addresses only, by default):\n"
	      "  --allow-http          allow http:// URLs\n"
	      "  --allow-private-network  allow loopback/private/link-local addresses\n"
	      "  --allow-any-domain    allow hosts outside proxmox.com\n"
	      "  --resolve H:P:ADDR    pin HOST:PORT to ADDR (as curl; still checked)\n"
	      "  --follow-redirects    follow up to 5 redirects, each re-checked\n"
	      "  --cacert FILE         trust the CA certificates in FILE (PEM)\n"
	      "  --insecure            do not verify TLS certificates (dangerous)\n"
	      "  --api-token TOKEN     USER@REALM!TOKENID=SECRET for viewers behind a\n"
	      "                        login (default $PROXMOX_API_TOKEN); sent as the\n"
	      "                        product's header (PVEAPIToken=, PBSAPIToken=, ...)\n"
	      "                        only to the token's origin\n"
	      "  --api-token-origin URL  the one scheme://host:port that gets the token or\n"
	      "                        ticket (default: the origin of --source; serve:\n"
	      "                        $PROXMOX_URL, else no origin gets credentials)\n"
	      "  --login-file FILE     ticket login: user=, realm=, password=, totp= lines\n"
	      "                        (mode 600; default $PROXMOX_USER, $PROXMOX_REALM,\n"
	      "                        $PROXMOX_PASSWORD, $PROXMOX_TOTP)\n"
	      "  --pinned-pubkey PIN   sha256//BASE64 of the server's public key; replaces\n"
	      "                        the CA check unless --cacert is given too\n"
	      "  --timeout S           total transfer time cap (default 60)\n"
	      "  --connect-timeout S   connect time cap (default 10)\n"
	      "  --max-size BYTES      download cap, suffix K/M/G allowed (default 64M)\n"
	      "\n"
	      "Script sandbox:\n"
	      "  --js-timeout S        wall time for the viewer scripts (default 10)\n"
	      "  --js-memory BYTES     memory for the viewer scripts (default 512M)\n"
	      "\n"
	      "verify/versions:\n"
	      "  ROOT                  generated/ (default), a product or a version dir\n"
	      "  --json                machine-readable versions listing\n"
	      "  --schemas DIR         JSON Schemas of the artifacts (default: the copies\n"
	      "                        built into the program)\n"
	      "\n"
	      "serve (API key from $CODEGEN_API_KEY; network flags above apply):\n"
	      "  --listen ADDR:PORT    default 127.0.0.1:8080\n"
	      "  --tls-cert F --tls-key F  serve HTTPS\n"
	      "  --output-dir ROOT     artifact root (default generated)\n"
	      "  --rate-generate N     generations per hour per client (default 1)\n"
	      "  --rate-read N         openapi/models downloads per hour per client (default 5)\n"
	      "  --max-body BYTES      request body cap (default 16K)\n"
	      "  --threads N           connection threads (default 4)\n"
	      "  --trust-proxy ADDR    take the client from X-Forwarded-For, but only on\n"
	      "                        connections from the proxy at this IP address\n"
	      "  --access-log FILE     one line per request appended to FILE (default:\n"
	      "                        stderr, none with --quiet)\n"
	      "\n"
	      "diff (API changes from OLD to NEW, classified for clients; see README):\n"
	      "  OLD NEW               version directories, openapi.json or raw_capture.json\n"
	      "                        files, or TAGs under --output-dir (default\n"
	      "                        generated/proxmox)\n"
	      "  --format md|json      Markdown changelog (default) or JSON\n"
	      "  --breaking-only       list only breaking changes\n"
	      "  --fail-on LEVEL       exit 3 when a change is breaking (LEVEL breaking),\n"
	      "                        or breaking or potentially breaking (potential)\n"
	      "\n"
	      "mock (a stateful Proxmox API from ROOT/<product-dir>/TAG/route_metadata.json;\n"
	      "ROOT default generated, or a version directory; --listen, --tls-cert,\n"
	      "--tls-key and --threads as for serve):\n"
	      "  --product P           pve|pbs|pmg|pdm (default pve)\n"
	      "  --version-tag TAG     version to serve (default latest; --version TAG too)\n"
	      "  --seed FILE           initial cluster (JSON; default: node pve, storage\n"
	      "                        local, VM 100, container 101)\n"
	      "  --state FILE          keep the state in FILE across restarts (atomic)\n"
	      "  --no-auth             accept requests without ticket or API token\n"
	      "\n"
	      "  -h, --help            this text\n"
	      "  -V, --version         program version\n"
	      "\n"
	      "Exit status: 0 success, 1 failed run (or drift with --check/verify), 2 bad usage,\n"
	      "3 diff found changes at the --fail-on level.\n",
	    fp);
}

PVECG_NODISCARD static int
usage_error(pvecg_error *err, const char *what, const char *fmt, const char *arg)
{
	return pvecg_error_set(err, PVECG_EUSAGE, what, fmt, arg ? arg : "");
}

/* Whole decimal number with an optional K/M/G suffix. */
static int
parse_size(size_t *out, const char *s, const char *opt, pvecg_error *err)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || errno != 0 || s[0] == '-')
		return usage_error(err, opt, "expected a size in bytes, got '%s'", s);
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	if (shift)
		end++;
	if (*end != '\0' || v == 0 || v > (SIZE_MAX >> shift))
		return usage_error(err, opt, "expected a positive size in bytes, got '%s'", s);
	*out = (size_t)v << shift;
	return 0;
}

PVECG_NODISCARD static int
parse_num(double *out, const char *s, double min, double max, const char *opt, pvecg_error *err)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || errno != 0 || !(v >= min && v <= max))
		return pvecg_error_set(err, PVECG_EUSAGE, opt,
		    "expected a number from %g to %g, got '%s'", min, max, s);
	*out = v;
	return 0;
}

static pvecg_job *
current_job(pvecg_options *o, int new_source, pvecg_error *err)
{
	if (o->n_jobs == 0 || (new_source && o->jobs[o->n_jobs - 1].source != NULL)) {
		if (o->n_jobs == MAX_JOBS) {
			pvecg_error_set(err, PVECG_EUSAGE, "--source",
			    "at most %d sources in one call", MAX_JOBS);
			return NULL;
		}
		memset(&o->jobs[o->n_jobs], 0, sizeof(o->jobs[0]));
		o->n_jobs++;
	}
	return &o->jobs[o->n_jobs - 1];
}

PVECG_NODISCARD static int
set_job_field(pvecg_options *o, int opt, const char *arg, pvecg_error *err)
{
	pvecg_job *j = current_job(o, opt == OPT_SOURCE, err);

	if (j == NULL)
		return PVECG_EUSAGE;
	if (opt == OPT_SOURCE) {
		if (arg[0] == '\0')
			return usage_error(err, "--source", "empty source%s", "");
		j->source = arg;
	} else if (opt == OPT_PRODUCT) {
		if (j->product != NULL)
			return usage_error(
			    err, "--product", "given twice for one --source ('%s')", arg);
		if (pvecg_product_find(arg) == NULL) {
			char names[64];

			pvecg_product_list(names, sizeof(names));
			return pvecg_error_set(err, PVECG_EUSAGE, "--product",
			    "expected one of %s, got '%s'", names, arg);
		}
		j->product = arg;
	} else if (opt == OPT_LABEL) {
		j->source_label = arg;
	} else if (opt == OPT_ALSO_LATEST) {
		j->also_latest = true;
	} else {
		if (j->version_tag != NULL)
			return usage_error(
			    err, "--version-tag", "given twice for one --source ('%s')", arg);
		j->version_tag = pvecg_strdup(arg);
		if (j->version_tag == NULL)
			return pvecg_error_set(err, PVECG_ENOMEM, "--version-tag", "out of memory");
		return pvecg_urlguard_check_tag(j->version_tag, err) == 0 ? 0 : PVECG_EUSAGE;
	}
	return 0;
}

PVECG_NODISCARD static int
set_network(pvecg_options *o, int opt, const char *arg, pvecg_error *err)
{
	double d = 0;
	int rc = 0;

	switch (opt) {
	case OPT_TIMEOUT:
		rc = parse_num(&d, arg, 1, 86400, "--timeout", err);
		o->fetch.timeout_s = (long)d;
		break;
	case OPT_CONNECT_TIMEOUT:
		rc = parse_num(&d, arg, 1, 3600, "--connect-timeout", err);
		o->fetch.connect_timeout_s = (long)d;
		break;
	case OPT_MAX_SIZE: rc = parse_size(&o->fetch.max_size, arg, "--max-size", err); break;
	case OPT_CACERT: o->fetch.cacert = arg; break;
	case OPT_INSECURE: o->fetch.insecure = true; break;
	case OPT_TOKEN: o->fetch.api_token = arg; break;
	case OPT_TOKEN_ORIGIN: return pvecg_cred_option_origin(&o->token_origin, arg, err);
	case OPT_PIN: return pvecg_cred_option_pin(&o->fetch.pinned_pubkey, arg, err);
	case OPT_LOGIN_FILE: o->login_file = arg; break;
	case OPT_ALLOW_HTTP: o->fetch.allow_http = true; break;
	case OPT_ALLOW_PRIVATE: o->fetch.allow_private_network = true; break;
	case OPT_ALLOW_ANY: o->fetch.allow_any_domain = true; break;
	case OPT_FOLLOW: o->fetch.follow_redirects = true; break;
	case OPT_RESOLVE:
		if (o->fetch.n_resolve == MAX_RESOLVE)
			return usage_error(err, "--resolve", "at most 32 pins%s", "");
		if (strchr(arg, ':') == NULL)
			return usage_error(
			    err, "--resolve", "expected HOST:PORT:ADDR, got '%s'", arg);
		((const char **)o->fetch.resolve)[o->fetch.n_resolve++] = arg;
		break;
	default: return 1; /* not a network option */
	}
	return rc;
}

PVECG_NODISCARD static int
set_serve(pvecg_options *o, int opt, const char *arg, pvecg_error *err)
{
	double d = 0;
	int rc = 0;

	switch (opt) {
	case OPT_LISTEN: o->listen = arg; break;
	case OPT_TLS_CERT: o->tls_cert = arg; break;
	case OPT_TLS_KEY: o->tls_key = arg; break;
	case OPT_RATE_GEN:
		rc = parse_num(&o->rate_generate, arg, 0.001, 1e9, "--rate-generate", err);
		break;
	case OPT_RATE_READ:
		rc = parse_num(&o->rate_read, arg, 0.001, 1e9, "--rate-read", err);
		break;
	case OPT_MAX_BODY: rc = parse_size(&o->max_body, arg, "--max-body", err); break;
	case OPT_THREADS:
		rc = parse_num(&d, arg, 1, 256, "--threads", err);
		o->max_threads = (int)d;
		break;
	case OPT_TRUST_PROXY: o->trust_proxy = arg; break;
	case OPT_ACCESS_LOG: o->access_log = arg; break;
	case OPT_STATE: o->mock_state = arg; break;
	case OPT_SEED: o->mock_seed = arg; break;
	case OPT_NO_AUTH: o->no_auth = true; break;
	default: return 1;
	}
	return rc;
}

static int
set_diff(pvecg_options *o, int opt, const char *arg, pvecg_error *err)
{
	switch (opt) {
	case OPT_FORMAT:
		if (strcmp(arg, "md") != 0 && strcmp(arg, "json") != 0)
			return usage_error(err, "--format", "expected md or json, got '%s'", arg);
		o->json = strcmp(arg, "json") == 0;
		return 0;
	case OPT_BREAKING_ONLY: o->breaking_only = true; return 0;
	case OPT_FAIL_ON:
		if (strcmp(arg, "breaking") != 0 && strcmp(arg, "potential") != 0)
			return usage_error(
			    err, "--fail-on", "expected breaking or potential, got '%s'", arg);
		o->fail_on = strcmp(arg, "breaking") == 0 ? 2 : 1;
		return 0;
	default: return 1;
	}
}

PVECG_NODISCARD static int
set_option(pvecg_options *o, int opt, const char *arg, pvecg_error *err)
{
	double d = 0;
	int rc;

	if ((rc = set_network(o, opt, arg, err)) != 1)
		return rc;
	if ((rc = set_serve(o, opt, arg, err)) != 1)
		return rc;
	if ((rc = set_diff(o, opt, arg, err)) != 1)
		return rc;
	switch (opt) {
	case OPT_SOURCE:
	case OPT_TAG:
	case OPT_PRODUCT:
	case OPT_LABEL:
	case OPT_ALSO_LATEST: return set_job_field(o, opt, arg, err);
	case OPT_OUTPUT: o->output_dir = arg; return 0;
	case OPT_WORKERS:
		rc = parse_num(&d, arg, 1, 256, "--workers", err);
		o->workers = (int)d;
		return rc;
	case 'q': o->quiet = true; return 0;
	case 'v': o->verbose = true; return 0;
	case OPT_TIMINGS: o->timings = true; return 0;
	case OPT_CHECK: o->check = true; return 0;
	case OPT_LATEST_MODE:
		if (strcmp(arg, "link") != 0 && strcmp(arg, "copy") != 0)
			return usage_error(
			    err, "--latest-mode", "expected link or copy, got '%s'", arg);
		o->latest_copy = strcmp(arg, "copy") == 0;
		return 0;
	case OPT_JS_TIMEOUT:
		return parse_num(&o->js.timeout_s, arg, 0.1, 3600, "--js-timeout", err);
	case OPT_JS_MEMORY: return parse_size(&o->js.memory, arg, "--js-memory", err);
	case OPT_JSON: o->json = true; return 0;
	case OPT_SCHEMAS: o->schemas_dir = arg; return 0;
	case 'h': o->command = PVECG_CMD_HELP; return 0;
	case 'V': o->command = PVECG_CMD_VERSION; return 0;
	default: return usage_error(err, "usage", "unknown option (see --help)%s", "");
	}
}

/* $PROXMOX_URL may name a node ("https://pve1:8006"); it is mapped to the
 * viewer like any host URL given to --source. */
static char *
default_source(void)
{
	const char *env = getenv("PROXMOX_URL");

	return pvecg_strdup(env == NULL || env[0] == '\0' ? PUBLIC_VIEWER : env);
}

PVECG_NODISCARD static int
finish_jobs(pvecg_options *o, pvecg_error *err)
{
	size_t i;

	if (o->n_jobs == 0 && current_job(o, 0, err) == NULL)
		return PVECG_EUSAGE;
	if (o->n_jobs > 1 && o->output_dir != NULL && o->jobs[0].version_tag != NULL) {
		for (i = 1; i < o->n_jobs; i++)
			if (o->jobs[i].version_tag &&
			    strcmp(o->jobs[i].version_tag, o->jobs[0].version_tag) == 0)
				return usage_error(err, "--version-tag",
				    "'%s' given for two sources", o->jobs[i].version_tag);
	}
	for (i = 0; i < o->n_jobs; i++) {
		pvecg_job *j = &o->jobs[i];

		if (j->source == NULL) {
			o->default_source = default_source();
			if (o->default_source == NULL)
				return pvecg_error_set(
				    err, PVECG_ENOMEM, "--source", "out of memory");
			j->source = o->default_source;
		}
	}
	return 0;
}

static void
set_defaults(pvecg_options *o)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	memset(o, 0, sizeof(*o));
	pvecg_fetch_policy_init(&o->fetch);
	pvecg_jsrun_limits_init(&o->js);
	o->workers = cores > 0 ? (int)(cores > 64 ? 64 : cores) : 1;
	o->listen = "127.0.0.1:8080";
	o->schemas_dir = NULL; /* the schemas built into the binary */
	o->rate_generate = 1;
	o->rate_read = 5;
	o->max_body = 16384;
	o->max_threads = 4;
	o->fail_on = -1;
	o->fetch.api_token = getenv("PROXMOX_API_TOKEN");
	if (o->fetch.api_token != NULL && o->fetch.api_token[0] == '\0')
		o->fetch.api_token = NULL;
}

static int
parse_command(pvecg_options *o, int argc, char **argv, pvecg_error *err)
{
	const char *cmd;

	if (argc < 2 || argv[1][0] == '-')
		return 1;
	cmd = argv[1];
	if (strcmp(cmd, "generate") == 0)
		o->command = PVECG_CMD_GENERATE;
	else if (strcmp(cmd, "verify") == 0)
		o->command = PVECG_CMD_VERIFY;
	else if (strcmp(cmd, "versions") == 0)
		o->command = PVECG_CMD_VERSIONS;
	else if (strcmp(cmd, "serve") == 0)
		o->command = PVECG_CMD_SERVE;
	else if (strcmp(cmd, "diff") == 0)
		o->command = PVECG_CMD_DIFF;
	else if (strcmp(cmd, "mock") == 0)
		o->command = PVECG_CMD_MOCK;
	else if (strcmp(cmd, "help") == 0)
		o->command = PVECG_CMD_HELP;
	else
		return usage_error(err, "usage", "unknown command '%s' (see --help)", cmd);
	return 2;
}

int
pvecg_options_parse(pvecg_options *o, int argc, char **argv, pvecg_error *err)
{
	int first, c, rc;

	set_defaults(o);
	o->jobs = calloc(MAX_JOBS, sizeof(*o->jobs));
	o->fetch.resolve = calloc(MAX_RESOLVE, sizeof(char *));
	if (o->jobs == NULL || o->fetch.resolve == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, "options", "out of memory");
	first = parse_command(o, argc, argv, err);
	if (first < 0)
		return first;
	optind = first;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qvhV", long_opts, NULL)) != -1) {
		if (c == '?')
			return usage_error(
			    err, argv[optind - 1], "unknown option (see --help)%s", "");
		if (c == ':')
			return usage_error(err, argv[optind - 1], "missing argument%s", "");
		/* mock: `--version TAG` names the version to serve */
		if (c == 'V' && o->command == PVECG_CMD_MOCK && optind < argc &&
		    argv[optind][0] != '-')
			rc = set_option(o, OPT_TAG, argv[optind++], err);
		else
			rc = set_option(o, c, optarg, err);
		if (rc != 0)
			return rc;
	}
	if (optind < argc &&
	    (o->command == PVECG_CMD_VERIFY || o->command == PVECG_CMD_VERSIONS ||
	        o->command == PVECG_CMD_MOCK))
		o->root = argv[optind++];
	if (o->command == PVECG_CMD_DIFF) {
		if (argc - optind != 2)
			return usage_error(err, "diff", "expected OLD and NEW%s", "");
		o->diff_old = argv[optind++];
		o->diff_new = argv[optind++];
	}
	if (optind < argc)
		return usage_error(err, argv[optind], "unexpected argument%s", "");
	if (o->command == PVECG_CMD_SERVE && o->token_origin == NULL)
		return pvecg_cred_serve_origin(&o->token_origin, err);
	if (o->command != PVECG_CMD_GENERATE)
		return 0;
	return finish_jobs(o, err);
}

void
pvecg_options_free(pvecg_options *o)
{
	size_t i;

	for (i = 0; o->jobs != NULL && i < o->n_jobs; i++)
		free(o->jobs[i].version_tag);
	free(o->jobs);
	free((void *)o->fetch.resolve);
	free(o->default_source);
	memset(o, 0, sizeof(*o));
}

void
pvecg_options_generate_config(pvecg_generate_config *c, const pvecg_options *o)
{
	memset(c, 0, sizeof(*c));
	c->fetch = o->fetch;
	c->js = o->js;
	c->output_dir = o->output_dir;
	c->token_origin = o->token_origin;
	c->login_file = o->login_file;
	c->check = o->check;
	c->latest_copy = o->latest_copy;
	c->workers = o->workers;
	c->log = stderr;
	c->quiet = o->quiet;
	c->verbose = o->verbose;
}
