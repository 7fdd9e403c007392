/* Unit tests of the indexed-member maxima table (src/indexed.c), the
 * typetext reader (src/openapi_typetext.c) and the component names and
 * deduplication of src/openapi_propstr.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvecg/openapi.h"
#include "pvecg/propstr.h"

static int
max_of(const char *guest, const char *family, const char *version)
{
	int max = -1;

	if (pvecg_indexed_lookup(&max, "pve", guest, family, version) != 0)
		return -1;
	return max;
}

static void
test_maxima_follow_the_version(void **state)
{
	(void)state;
	assert_int_equal(max_of("qemu", "net", "9.1"), 31);
	assert_int_equal(max_of("qemu", "scsi", "8.4"), 30);
	assert_int_equal(max_of("qemu", "scsi", "3.4"), 13);
	assert_int_equal(max_of("qemu", "usb", "7.0"), 4);
	assert_int_equal(max_of("qemu", "usb", "7.1"), 13);
	assert_int_equal(max_of("qemu", "unused", "4.4"), 7);
	assert_int_equal(max_of("qemu", "unused", "5.0"), 255);
	assert_int_equal(max_of("lxc", "net", "6.4"), 9);
	assert_int_equal(max_of("lxc", "net", "9.1"), 31);
	assert_int_equal(max_of("lxc", "mp", "latest"), 255);
	assert_int_equal(max_of("cluster", "link", "9.1"), 7);
	assert_int_equal(max_of("config", "acmedomain", "8.4"), 5);
	/* virtiofs appeared in 8.4: nothing before */
	assert_int_equal(max_of("qemu", "virtiofs", "8.3"), -1);
	assert_int_equal(max_of("qemu", "virtiofs", "8.4"), 9);
	assert_int_equal(max_of("qemu", "nosuch", "9.1"), -1);
	assert_int_equal(max_of("lxc", "ide", "9.1"), -1);
}

static void
test_every_row_names_its_source(void **state)
{
	size_t n, i;
	const pvecg_indexed_max *t = pvecg_indexed_table(&n);

	(void)state;
	assert_true(n >= 20);
	for (i = 0; i < n; i++) {
		assert_true(strlen(t[i].source) > 10);
		assert_true(t[i].max_index >= 0 && t[i].max_index <= 255);
		assert_true(strcmp(t[i].product, "pve") == 0 || strcmp(t[i].product, "pmg") == 0);
	}
}

static void
test_typetext_gives_keys_default_key_and_booleans(void **state)
{
	cJSON *f = NULL;
	char *text;

	(void)state;
	assert_int_equal(pvecg_propstr_from_typetext(&f,
	                     "[[host=]<HOSTPCIID[;HOSTPCIID2...]>] [,device-id=<hex id>] "
	                     "[,pcie=<1|0>] [,x-vga=<1|0>]"),
	    0);
	text = cJSON_PrintUnformatted(f);
	assert_string_equal(text,
	    "{\"host\":{\"type\":\"string\",\"optional\":1,\"default_key\":1},"
	    "\"device-id\":{\"type\":\"string\",\"optional\":1},"
	    "\"pcie\":{\"type\":\"boolean\",\"optional\":1},"
	    "\"x-vga\":{\"type\":\"boolean\",\"optional\":1}}");
	free(text);
	cJSON_Delete(f);
	assert_int_equal(pvecg_propstr_from_typetext(
	                     &f, "[type=]<tdx-type> ,attestation=<1|0> [,vsock-cid=<integer>]"),
	    0);
	text = cJSON_PrintUnformatted(f);
	assert_string_equal(text,
	    "{\"type\":{\"type\":\"string\",\"default_key\":1},"
	    "\"attestation\":{\"type\":\"boolean\"},"
	    "\"vsock-cid\":{\"type\":\"integer\",\"optional\":1}}");
	free(text);
	cJSON_Delete(f);
	assert_int_equal(
	    pvecg_propstr_from_typetext(&f, "[[order=]\\d+] [,up=\\d+] [,down=\\d+] "), 0);
	assert_string_equal(
	    cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "up"), "type")),
	    "integer");
	assert_non_null(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "order"), "default_key"));
	cJSON_Delete(f);
}

static void
test_typetext_that_is_no_property_string_is_refused(void **state)
{
	cJSON *f = (cJSON *)&f;

	(void)state;
	assert_int_equal(pvecg_propstr_from_typetext(&f, "<string>"), PVECG_EINPUT);
	assert_null(f);
	assert_int_equal(pvecg_propstr_from_typetext(&f, "[,a=<x>]"), PVECG_EINPUT);
	assert_int_equal(pvecg_propstr_from_typetext(&f, "a=<x> [,a=<y>]"), PVECG_EINPUT);
	assert_int_equal(pvecg_propstr_from_typetext(&f, ""), PVECG_EINPUT);
}

static void
test_context_is_the_first_literal_segment(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(
	    pvecg_propstr_context(out, sizeof(out), "/nodes/{node}/qemu/{vmid}/config"), 0);
	assert_string_equal(out, "qemu");
	assert_int_equal(pvecg_propstr_context(out, sizeof(out), "/cluster/ha/resources"), 0);
	assert_string_equal(out, "cluster");
	assert_int_equal(pvecg_propstr_context(out, sizeof(out), "/nodes/{node}"), 0);
	assert_string_equal(out, "");
	assert_int_equal(pvecg_propstr_context(out, 3, "/storage"), PVECG_EINPUT);
}

/* Two different scsi formats (create and config) and one net format used
 * twice: two long names, one shared component. */
static const char *const two_scsi =
    "{\"capture_version\":1,\"product\":\"pve\",\"endpoints\":["
    "{\"path\":\"/nodes/{node}/qemu\",\"methods\":{\"POST\":{\"parameters\":{\"properties\":{"
    "\"scsi[n]\":{\"type\":\"string\",\"optional\":1,\"format\":{\"file\":{\"type\":\"string\","
    "\"default_key\":1},"
    "\"import-from\":{\"type\":\"string\",\"optional\":1}}},"
    "\"net[n]\":{\"type\":\"string\",\"optional\":1,\"format\":{\"model\":{\"type\":\"string\","
    "\"default_key\":1}}}"
    "}},\"returns\":{\"type\":\"null\"}}}},"
    "{\"path\":\"/nodes/{node}/qemu/{vmid}/"
    "config\",\"methods\":{\"GET\":{\"parameters\":{\"properties\":{}},"
    "\"returns\":{\"type\":\"object\",\"properties\":{"
    "\"scsi[n]\":{\"type\":\"string\",\"optional\":1,\"format\":{\"file\":{\"type\":\"string\","
    "\"default_key\":1}}},"
    "\"net[n]\":{\"type\":\"string\",\"optional\":1,\"format\":{\"model\":{\"type\":\"string\","
    "\"default_key\":1}}}"
    "}}}}}]}";

static void
test_names_are_long_only_where_contents_clash(void **state)
{
	cJSON *cap = cJSON_Parse(two_scsi), *doc = NULL, *schemas;
	pvecg_error err;

	(void)state;
	assert_non_null(cap);
	assert_int_equal(pvecg_openapi_build(&doc, cap, "9.1", &err), 0);
	schemas = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "components"), "schemas");
	assert_non_null(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(schemas, "PveQemuScsi"), "properties"),
	    "import-from"));
	assert_null(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(schemas, "PveQemuConfigScsi"), "properties"),
	    "import-from"));
	assert_non_null(cJSON_GetObjectItem(schemas, "PveQemuNet"));
	assert_null(cJSON_GetObjectItem(schemas, "PveQemuConfigNet"));
	assert_null(cJSON_GetObjectItem(schemas, "PveQemuNet2"));
	/* members: scsi0..scsi30 of the request point at the create format */
	assert_string_equal(
	    cJSON_GetStringValue(cJSON_GetObjectItem(
	        cJSON_GetObjectItem(
	            cJSON_GetObjectItem(schemas, "PveQemuScsiMember"), "x-proxmox-property-string"),
	        "$ref")),
	    "#/components/schemas/PveQemuScsi");
	assert_non_null(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(
	        cJSON_GetObjectItem(schemas, "GetNodesNodeQemuVmidConfigResponse"), "properties"),
	    "scsi30"));
	assert_null(cJSON_GetObjectItem(
	    cJSON_GetObjectItem(
	        cJSON_GetObjectItem(schemas, "GetNodesNodeQemuVmidConfigResponse"), "properties"),
	    "scsi31"));
	cJSON_Delete(doc);
	cJSON_Delete(cap);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_maxima_follow_the_version),
		cmocka_unit_test(test_every_row_names_its_source),
		cmocka_unit_test(test_typetext_gives_keys_default_key_and_booleans),
		cmocka_unit_test(test_typetext_that_is_no_property_string_is_refused),
		cmocka_unit_test(test_context_is_the_first_literal_segment),
		cmocka_unit_test(test_names_are_long_only_where_contents_clash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
