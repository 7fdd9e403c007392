/* mock_state: the mock's cluster (objects by concrete path, tasks, users
 * and API tokens), its seed, its atomic persistence, tickets and CSRF
 * tokens. Callers hold m->lock around everything but init. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "mock_int.h"
#include "pvecg/buf.h"
#include "pvecg/json.h"
#include "pvecg/product.h"
#include "pvecg/util.h"

#define MOCK_TICKET_LIFETIME 7200
#define MOCK_STATE_MAX ((size_t)64 << 20)

/* The built-in cluster: one node, one storage, a VM and a container. */
static const char default_seed[] =
    "{\"users\":{\"root@pam\":\"proxmox\"},"
    "\"tokens\":{\"root@pam!mock\":\"00000000-0000-4000-8000-000000000000\"},"
    "\"objects\":{"
    "\"/nodes/pve\":{},"
    "\"/storage/local\":{\"type\":\"dir\",\"path\":\"/var/lib/vz\","
    "\"content\":\"iso,vztmpl,backup,images,rootdir\"},"
    "\"/nodes/pve/qemu/100\":{\"name\":\"alpha\",\"memory\":\"2048\",\"cores\":2,\"sockets\":1,"
    "\"ostype\":\"l26\",\"net0\":\"virtio=BC:24:11:00:00:64,bridge=vmbr0\","
    "\"scsi0\":\"local:100/vm-100-disk-0.qcow2,size=32G\",\"_status\":\"running\"},"
    "\"/nodes/pve/lxc/101\":{\"hostname\":\"beta\",\"memory\":512,\"ostype\":\"debian\","
    "\"rootfs\":\"local:101/vm-101-disk-0.raw,size=8G\",\"_status\":\"stopped\"}}}";

cJSON *
mock_entry_new(pvecg_mock *m, const char *path, const char *id_param, const char *id, cJSON *conf)
{
	cJSON *e = cJSON_CreateObject(), *run = mock_run_defaults(id_param);

	if (e == NULL || run == NULL || conf == NULL) {
		cJSON_Delete(e);
		cJSON_Delete(run);
		cJSON_Delete(conf);
		return NULL;
	}
	cJSON_AddItemToObject(e, "conf", conf);
	cJSON_AddItemToObject(e, "run", run);
	cJSON_AddItemToObject(e, "sub", cJSON_CreateObject());
	cJSON_AddStringToObject(e, "id", id);
	cJSON_AddStringToObject(e, "idp", id_param);
	cJSON_AddNumberToObject(e, "ctime", (double)time(NULL));
	cJSON_DeleteItemFromObjectCaseSensitive(m->objects, path);
	if (!cJSON_AddItemToObject(m->objects, path, e)) {
		cJSON_Delete(e);
		return NULL;
	}
	return e;
}

/* The entry and everything below it. */
void
mock_entry_remove(pvecg_mock *m, const char *path)
{
	size_t n = strlen(path);
	cJSON *e = m->objects ? m->objects->child : NULL, *next;

	for (; e != NULL; e = next) {
		next = e->next;
		if (strcmp(e->string, path) == 0 ||
		    (strncmp(e->string, path, n) == 0 && e->string[n] == '/'))
			cJSON_Delete(cJSON_DetachItemViaPointer(m->objects, e));
	}
}

/* strict: every path must be an item of the API (a seed file); the
 * built-in seed skips what the served API does not have (PBS has no VMs). */
PVECG_NODISCARD static int
seed_objects(pvecg_mock *m, const cJSON *objects, const char *where, bool strict, pvecg_error *err)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, objects) {
		cJSON *vals = NULL, *conf, *status;
		bool other;
		const mock_route *r = mock_route_match(&m->api, "GET", o->string, &vals, &other);
		const char *last;

		if (r == NULL || r->parent_param == NULL || !cJSON_IsObject(o)) {
			cJSON_Delete(vals);
			if (!strict)
				continue;
			return pvecg_error_set(err, PVECG_EINPUT, where,
			    "objects: '%s' is not an item path of this API (e.g. "
			    "/nodes/pve/qemu/100) or not an object",
			    o->string);
		}
		last = pvecg_json_str(vals, r->parent_param);
		conf = cJSON_Duplicate(o, 1);
		status = cJSON_DetachItemFromObjectCaseSensitive(conf, "_status");
		cJSON *e = mock_entry_new(m, o->string, r->parent_param, last ? last : "", conf);
		cJSON_Delete(vals);
		if (e == NULL) {
			cJSON_Delete(status);
			return pvecg_error_set(err, PVECG_ENOMEM, where, "out of memory");
		}
		if (cJSON_IsString(status))
			cJSON_ReplaceItemInObjectCaseSensitive(
			    pvecg_json_get(e, "run"), "status", status);
		else
			cJSON_Delete(status);
	}
	return 0;
}

static cJSON *
take_object(cJSON *doc, const char *key)
{
	cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(doc, key);

	if (v == NULL)
		return cJSON_CreateObject();
	if (!cJSON_IsObject(v)) {
		cJSON_Delete(v);
		return NULL;
	}
	return v;
}

PVECG_NODISCARD static int
load_seed(pvecg_mock *m, cJSON *doc, const char *where, bool strict, pvecg_error *err)
{
	const cJSON *objects = pvecg_json_get(doc, "objects");

	if (!cJSON_IsObject(doc) || !cJSON_IsObject(objects))
		return pvecg_error_set(
		    err, PVECG_EINPUT, where, "a seed is an object with an \"objects\" object");
	m->users = take_object(doc, "users");
	m->tokens = take_object(doc, "tokens");
	if (m->users == NULL || m->tokens == NULL)
		return pvecg_error_set(
		    err, PVECG_EINPUT, where, "\"users\" and \"tokens\" must be objects");
	return seed_objects(m, objects, where, strict, err);
}

PVECG_NODISCARD static int
load_state(pvecg_mock *m, cJSON *doc, const char *where, pvecg_error *err)
{
	const cJSON *seq = pvecg_json_get(doc, "task_seq");
	const char *secret = pvecg_json_str(doc, "secret");

	m->objects = take_object(doc, "objects");
	m->tasks = take_object(doc, "tasks");
	m->users = take_object(doc, "users");
	m->tokens = take_object(doc, "tokens");
	if (m->objects == NULL || m->tasks == NULL || m->users == NULL || m->tokens == NULL ||
	    secret == NULL || strlen(secret) != 64)
		return pvecg_error_set(err, PVECG_EINPUT, where, "not a mock state file");
	memcpy(m->secret, secret, 65);
	m->task_seq = cJSON_IsNumber(seq) ? (unsigned long)seq->valuedouble : 0;
	return 0;
}

PVECG_NODISCARD static int
new_secret(pvecg_mock *m, pvecg_error *err)
{
	unsigned char raw[32];
	int i;

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return pvecg_error_set(
		    err, PVECG_EINTERNAL, "mock", "no random bytes for the ticket secret");
	for (i = 0; i < 32; i++)
		snprintf(m->secret + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

int
mock_state_init(pvecg_mock *m, const char *seed_file, const char *state_file, pvecg_error *err)
{
	cJSON *doc = NULL;
	int rc;

	if (state_file != NULL && (m->state_file = pvecg_strdup(state_file)) == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, "mock", "out of memory");
	if (state_file != NULL && access(state_file, F_OK) == 0) {
		if ((rc = pvecg_json_read_file(&doc, state_file, MOCK_STATE_MAX, err)) != 0)
			return rc;
		rc = load_state(m, doc, state_file, err);
		cJSON_Delete(doc);
		return rc;
	}
	if ((rc = new_secret(m, err)) != 0)
		return rc;
	m->objects = cJSON_CreateObject();
	m->tasks = cJSON_CreateObject();
	if (m->objects == NULL || m->tasks == NULL)
		return pvecg_error_set(err, PVECG_ENOMEM, "mock", "out of memory");
	if (seed_file != NULL) {
		if ((rc = pvecg_json_read_file(&doc, seed_file, MOCK_STATE_MAX, err)) != 0)
			return rc;
	} else if ((doc = cJSON_Parse(default_seed)) == NULL) {
		return pvecg_error_set(err, PVECG_ENOMEM, "mock", "out of memory");
	}
	rc = load_seed(m, doc, seed_file ? seed_file : "built-in seed", seed_file != NULL, err);
	cJSON_Delete(doc);
	if (rc == 0 && state_file != NULL && mock_state_save(m) != 0)
		rc = pvecg_error_set(
		    err, PVECG_EIO, state_file, "cannot write the state: %s", strerror(errno));
	return rc;
}

PVECG_NODISCARD static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Writes FILE.tmp, fsyncs it, renames it over FILE. */
int
mock_state_save(pvecg_mock *m)
{
	cJSON *doc;
	pvecg_buf text = PVECG_BUF_INIT;
	char tmp[4096];
	int fd = -1, rc = -1;

	if (m->state_file == NULL)
		return 0;
	if ((doc = cJSON_CreateObject()) == NULL)
		return -1;
	cJSON_AddNumberToObject(doc, "mock_state", 1);
	cJSON_AddStringToObject(doc, "secret", m->secret);
	cJSON_AddNumberToObject(doc, "task_seq", (double)m->task_seq);
	cJSON_AddItemReferenceToObject(doc, "objects", m->objects);
	cJSON_AddItemReferenceToObject(doc, "tasks", m->tasks);
	cJSON_AddItemReferenceToObject(doc, "users", m->users);
	cJSON_AddItemReferenceToObject(doc, "tokens", m->tokens);
	if (pvecg_json_write(&text, doc) != 0 ||
	    pvecg_path(tmp, sizeof(tmp), "%s.tmp", m->state_file) != 0)
		goto out;
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		goto out;
	if (write_all(fd, text.data, text.len) != 0 || fsync(fd) != 0) {
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) != 0 || rename(tmp, m->state_file) != 0) {
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(doc);
	pvecg_buf_free(&text);
	return rc;
}

const char *
mock_task_new(pvecg_mock *m, const char *node, const char *type, const char *id, const char *user)
{
	char upid[512];
	unsigned long now = (unsigned long)time(NULL);
	unsigned long pid = 10000 + (++m->task_seq % 50000);
	cJSON *t = cJSON_CreateObject();

	/* PBS and PDM (Rust) have a task counter between pstart and starttime */
	if (pvecg_product_is_rust(m->api.product))
		snprintf(upid, sizeof(upid), "UPID:%s:%08lX:%08lX:%08lX:%08lX:%s:%s:%s:", node, pid,
		    pid * 100 + m->task_seq, m->task_seq, now, type, id ? id : "", user);
	else
		snprintf(upid, sizeof(upid), "UPID:%s:%08lX:%08lX:%08lX:%s:%s:%s:", node, pid,
		    pid * 100 + m->task_seq, now, type, id ? id : "", user);
	if (t == NULL)
		return NULL;
	cJSON_AddStringToObject(t, "upid", upid);
	cJSON_AddStringToObject(t, "node", node);
	cJSON_AddStringToObject(t, "type", type);
	cJSON_AddStringToObject(t, "id", id ? id : "");
	cJSON_AddStringToObject(t, "user", user);
	cJSON_AddNumberToObject(t, "pid", (double)pid);
	cJSON_AddNumberToObject(t, "pstart", (double)(pid * 100 + m->task_seq));
	cJSON_AddNumberToObject(t, "starttime", (double)now);
	cJSON_AddNumberToObject(t, "reads", 0);
	if (!cJSON_AddItemToObject(m->tasks, upid, t)) {
		cJSON_Delete(t);
		return NULL;
	}
	return pvecg_json_get(t, "upid")->valuestring;
}

/* ---- auth ---- */

/* Out of memory fails closed: "!" is never a signature a ticket holds. */
static void
sign(char out[65], const pvecg_mock *m, const char *what, const char *user, const char *hextime)
{
	pvecg_buf b = PVECG_BUF_INIT;

	if (pvecg_buf_printf(&b, "%s|%s|%s|%s", m->secret, what, user, hextime) != 0)
		snprintf(out, 65, "!");
	else
		pvecg_sha256_hex(out, b.data, b.len);
	pvecg_buf_free(&b);
}

int
mock_ticket_new(pvecg_mock *m, const char *user, char *ticket, size_t tcap, char *csrf, size_t ccap)
{
	char hex[16], sig[65], csig[65];

	snprintf(hex, sizeof(hex), "%08lX", (unsigned long)time(NULL));
	sign(sig, m, "ticket", user, hex);
	sign(csig, m, "csrf", user, hex);
	if ((size_t)snprintf(ticket, tcap, "PVE:%s:%s::%s", user, hex, sig) >= tcap)
		return -1;
	return (size_t)snprintf(csrf, ccap, "%s:%.43s", hex, csig) >= ccap ? -1 : 0;
}

static bool
fresh(const char *hex)
{
	char *end;
	unsigned long t = strtoul(hex, &end, 16);
	unsigned long now = (unsigned long)time(NULL);

	return *end == '\0' && strlen(hex) == 8 && t <= now + 300 && now - t < MOCK_TICKET_LIFETIME;
}

/* "PVE:user:HEXTIME::SIG" -> user, when the signature and age are right. */
static bool
ticket_user(const pvecg_mock *m, const char *ticket, char *user, size_t ucap, char *hex)
{
	const char *u, *h, *s;
	char sig[65];

	if (strncmp(ticket, "PVE:", 4) != 0)
		return false;
	u = ticket + 4;
	if ((h = strchr(u, ':')) == NULL || (size_t)(h - u) >= ucap || h == u)
		return false;
	snprintf(user, ucap, "%.*s", (int)(h - u), u);
	h++;
	if ((s = strstr(h, "::")) == NULL || s - h != 8)
		return false;
	memcpy(hex, h, 8);
	hex[8] = '\0';
	if (!fresh(hex))
		return false;
	sign(sig, m, "ticket", user, hex);
	return strcmp(s + 2, sig) == 0;
}

bool
mock_password_ok(pvecg_mock *m, const char *user, const char *password)
{
	const char *want = pvecg_json_str(m->users, user);
	char tuser[256], hex[9];

	if (want != NULL && strcmp(want, password) == 0)
		return true;
	/* a valid ticket of the same user renews it, as in Proxmox */
	return ticket_user(m, password, tuser, sizeof(tuser), hex) && strcmp(tuser, user) == 0;
}

static unsigned
token_auth(pvecg_mock *m, const char *h, char *user, size_t ucap, char *msg, size_t mcap)
{
	const char *v = h + strlen("PVEAPIToken");
	const char *eq, *bang;
	char id[512];
	const char *want;

	if (*v != '=' && *v != ' ' && *v != ':')
		goto bad;
	v++;
	if ((eq = strrchr(v, '=')) == NULL || (bang = strchr(v, '!')) == NULL || bang > eq ||
	    (size_t)(eq - v) >= sizeof(id))
		goto bad;
	snprintf(id, sizeof(id), "%.*s", (int)(eq - v), v);
	want = pvecg_json_str(m->tokens, id);
	if (want == NULL || strcmp(want, eq + 1) != 0)
		goto bad;
	snprintf(user, ucap, "%.*s", (int)(bang - v), v);
	return 0;
bad:
	snprintf(msg, mcap, "authentication failure");
	return 401;
}

unsigned
mock_auth(
    pvecg_mock *m, const pvecg_mock_request *rq, char *user, size_t ucap, char *msg, size_t mcap)
{
	char hex[9], csig[65], want[64];

	if (m->no_auth) {
		snprintf(user, ucap, "root@pam");
		return 0;
	}
	if (rq->authorization != NULL && strncmp(rq->authorization, "PVEAPIToken", 11) == 0)
		return token_auth(m, rq->authorization, user, ucap, msg, mcap);
	if (rq->ticket == NULL || rq->ticket[0] == '\0') {
		snprintf(msg, mcap, "No ticket");
		return 401;
	}
	if (!ticket_user(m, rq->ticket, user, ucap, hex)) {
		snprintf(msg, mcap, "authentication failure");
		return 401;
	}
	if (strcmp(rq->method, "GET") == 0)
		return 0;
	sign(csig, m, "csrf", user, hex);
	snprintf(want, sizeof(want), "%s:%.43s", hex, csig);
	if (rq->csrf == NULL || strcmp(rq->csrf, want) != 0) {
		snprintf(msg, mcap, "Permission check failed (invalid csrf token)");
		return 401;
	}
	return 0;
}
