/* Unit tests for diff: one small hand-made pair of OpenAPI documents per
 * change kind and classification rule, in both shapes of property strings
 * (inline x-proxmox-format, x-proxmox-property-string $ref) and indexed
 * families (patternProperties, explicit net0..netN $refs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvecg/diff.h"
#include "pvecg/jschema.h"
#include "pvecg/json.h"
#include "pvecg/util.h"

/* JSON written with ' for " so the cases stay readable. */
static cJSON *
parse_q(const char *text)
{
	char *s = pvecg_strdup(text), *p;
	cJSON *j;

	assert_non_null(s);
	for (p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	j = cJSON_Parse(s);
	free(s);
	assert_non_null(j);
	return j;
}

/* A document with the given paths and component schemas. */
static cJSON *
doc(const char *version, const char *paths_q, const char *schemas_q)
{
	cJSON *d = parse_q("{'openapi':'3.1.0','info':{'title':'t','x-proxmox-product':'pve'}}");
	cJSON *comp = cJSON_CreateObject();

	assert_non_null(
	    cJSON_AddStringToObject(cJSON_GetObjectItem(d, "info"), "version", version));
	cJSON_AddItemToObject(d, "paths", parse_q(paths_q));
	cJSON_AddItemToObject(comp, "schemas", parse_q(schemas_q ? schemas_q : "{}"));
	cJSON_AddItemToObject(d, "components", comp);
	return d;
}

static pvecg_diff *
run_docs(const char *op, const char *old_paths, const char *old_schemas, const char *new_paths,
    const char *new_schemas)
{
	cJSON *a = doc("1.0", old_paths ? old_paths : op, old_schemas);
	cJSON *b = doc("2.0", new_paths ? new_paths : op, new_schemas);
	pvecg_diff *d = NULL;
	pvecg_error err;

	pvecg_error_clear(&err);
	assert_int_equal(pvecg_diff_documents(&d, a, b, &err), 0);
	assert_non_null(d);
	cJSON_Delete(a);
	cJSON_Delete(b);
	return d;
}

/* POST /nodes/{node}/x with body Req and response data Resp. */
#define BODY_OP \
	"{'/nodes/{node}/x':{'post':{'operationId':'post_nodes_node_x'," \
	"'parameters':[{'name':'node','in':'path','required':true,'schema':{'type':'string'}}]," \
	"'requestBody':{'content':{'application/json':{'schema':{'$ref':'#/components/schemas/" \
	"Req'}}}}," \
	"'responses':{'200':{'content':{'application/json':{'schema':{'type':'object'," \
	"'properties':{'data':{'$ref':'#/components/schemas/Resp'}}}}}}}}}}"

static pvecg_diff *
run_schemas(const char *old_schemas, const char *new_schemas)
{
	return run_docs(BODY_OP, NULL, old_schemas, NULL, new_schemas);
}

static void
expect(const pvecg_diff *d, const char *area, const char *kind, const char *subject,
    pvecg_diff_severity sev)
{
	const pvecg_diff_change *c = pvecg_diff_find(d, area, kind, subject);

	if (c == NULL)
		fail_msg("no %s %s change for '%s' (%zu changes)", area, kind, subject, d->n);
	assert_string_equal(pvecg_diff_severity_name(c->severity), pvecg_diff_severity_name(sev));
}

#define RESP_OBJ "'Resp':{'type':'object','properties':{'id':{'type':'integer'}}}"

/* ------------------------------------------------------------------ */

static void
test_diff_identical_documents_have_no_changes(void **state)
{
	pvecg_diff *d = run_schemas(
	    "{'Req':{'type':'object','properties':{'a':{'type':'string'}}}," RESP_OBJ "}",
	    "{'Req':{'type':'object','properties':{'a':{'type':'string'}}}," RESP_OBJ "}");

	(void)state;
	assert_int_equal(d->n, 0);
	assert_int_equal(d->summary.operations_old, 1);
	assert_int_equal(d->summary.operations_new, 1);
	pvecg_diff_free(d);
}

static void
test_diff_operation_added_is_safe_removed_is_breaking(void **state)
{
	pvecg_diff *d = run_docs(NULL,
	    "{'/a':{'get':{'operationId':'get_a'}},'/b':{'delete':{'operationId':'delete_b'}}}",
	    NULL, "{'/a':{'get':{'operationId':'get_a'}},'/c':{'put':{'operationId':'put_c'}}}",
	    NULL);

	(void)state;
	assert_int_equal(d->n, 2);
	expect(d, "operation", "removed", "", PVECG_DIFF_BREAKING);
	expect(d, "operation", "added", "", PVECG_DIFF_SAFE);
	assert_string_equal(
	    pvecg_diff_find(d, "operation", "removed", NULL)->operation_id, "delete_b");
	assert_string_equal(pvecg_diff_find(d, "operation", "added", NULL)->method, "PUT");
	assert_int_equal(d->summary.operations_added, 1);
	assert_int_equal(d->summary.operations_removed, 1);
	assert_int_equal(d->summary.breaking, 1);
	pvecg_diff_free(d);
}

static void
test_diff_parameter_added_removed(void **state)
{
	pvecg_diff *d = run_schemas(
	    "{'Req':{'type':'object','properties':{'gone':{'type':'string'}}}," RESP_OBJ "}",
	    "{'Req':{'type':'object','required':['must'],'properties':{'opt':{'type':'string'},"
	    "'must':{'type':'string'}}}," RESP_OBJ "}");

	(void)state;
	assert_int_equal(d->n, 3);
	expect(d, "parameter", "removed", "gone", PVECG_DIFF_BREAKING);
	expect(d, "parameter", "added", "opt", PVECG_DIFF_SAFE);
	expect(d, "parameter", "added", "must", PVECG_DIFF_BREAKING);
	assert_int_equal(d->summary.parameters_added, 2);
	assert_int_equal(d->summary.parameters_removed, 1);
	assert_int_equal(d->summary.parameters_changed, 0);
	pvecg_diff_free(d);
}

static void
test_diff_query_parameter_required_and_optional(void **state)
{
	pvecg_diff *d = run_docs(NULL,
	    "{'/a':{'get':{'parameters':[{'name':'p','in':'query','schema':{'type':'string'}},"
	    "{'name':'q','in':'query','required':true,'schema':{'type':'string'}}]}}}",
	    NULL,
	    "{'/"
	    "a':{'get':{'parameters':[{'name':'p','in':'query','required':true,'schema':{'type':'"
	    "string'}},"
	    "{'name':'q','in':'query','schema':{'type':'string'}}]}}}",
	    NULL);

	(void)state;
	assert_int_equal(d->n, 2);
	expect(d, "parameter", "made-required", "p", PVECG_DIFF_BREAKING);
	expect(d, "parameter", "made-optional", "q", PVECG_DIFF_SAFE);
	assert_int_equal(d->summary.parameters_changed, 2);
	assert_int_equal(d->summary.operations_changed, 1);
	pvecg_diff_free(d);
}

static void
test_diff_parameter_types(void **state)
{
	pvecg_diff *d = run_schemas("{'Req':{'type':'object','properties':{'memory':{'type':'"
	                            "integer'},'ratio':{'type':'integer'},"
	                            "'cpu':{'type':'number'}}}," RESP_OBJ "}",
	    "{'Req':{'type':'object','properties':{'memory':{'type':'string'},'ratio':{'type':'"
	    "number'},"
	    "'cpu':{'type':'integer'}}}," RESP_OBJ "}");
	const pvecg_diff_change *c;

	(void)state;
	assert_int_equal(d->n, 3);
	expect(d, "parameter", "type-changed", "memory", PVECG_DIFF_BREAKING);
	expect(d, "parameter", "type-changed", "ratio", PVECG_DIFF_SAFE);
	expect(d, "parameter", "type-changed", "cpu", PVECG_DIFF_BREAKING);
	c = pvecg_diff_find(d, "parameter", "type-changed", "memory");
	assert_string_equal(c->old_value, "integer");
	assert_string_equal(c->new_value, "string");
	pvecg_diff_free(d);
}

static void
test_diff_response_types_use_declared_type(void **state)
{
	/* The wire form of the new side is wider, the declared type the same. */
	pvecg_diff *d = run_schemas(
	    "{'Req':{'type':'object'},'Resp':{'type':'object','properties':{'on':{'type':'boolean'}"
	    ","
	    "'n':{'type':'integer'},'x':{'type':'number'},'s':{'type':'string'}}}}",
	    "{'Req':{'type':'object'},'Resp':{'type':'object','properties':{"
	    "'on':{'type':['boolean','integer'],'x-proxmox-type':'boolean'},"
	    "'n':{'anyOf':[{'type':'integer'},{'type':'string'}],'x-proxmox-type':'number'},"
	    "'x':{'type':['integer','null']},'s':{'type':['string','null']}}}}");

	(void)state;
	assert_int_equal(d->n, 2);
	expect(d, "response", "type-changed", "data.n", PVECG_DIFF_BREAKING);
	expect(d, "response", "type-changed", "data.x", PVECG_DIFF_SAFE);
	assert_null(pvecg_diff_find(d, NULL, NULL, "data.on"));
	assert_null(pvecg_diff_find(d, NULL, NULL, "data.s"));
	pvecg_diff_free(d);
}

static void
test_diff_response_fields_and_nesting(void **state)
{
	pvecg_diff *d = run_schemas(
	    "{'Req':{'type':'object'},'Resp':{'type':'array','items':{'type':'object','required':['"
	    "id'],"
	    "'properties':{'id':{'type':'integer'},'gone':{'type':'string'},"
	    "'sub':{'type':'object','properties':{'deep':{'type':'string'}}}}}}}",
	    "{'Req':{'type':'object'},'Resp':{'type':'array','items':{'type':'object',"
	    "'properties':{'id':{'type':'integer'},'new':{'type':'string'},"
	    "'sub':{'type':'object','properties':{'deep':{'type':'integer'}}}}}}}");

	(void)state;
	assert_int_equal(d->n, 4);
	expect(d, "response", "removed", "data[].gone", PVECG_DIFF_BREAKING);
	expect(d, "response", "added", "data[].new", PVECG_DIFF_SAFE);
	expect(d, "response", "made-optional", "data[].id", PVECG_DIFF_POTENTIAL);
	expect(d, "response", "type-changed", "data[].sub.deep", PVECG_DIFF_BREAKING);
	pvecg_diff_free(d);
}

static void
test_diff_response_from_null_is_safe_to_null_breaking(void **state)
{
	pvecg_diff *d = run_docs(NULL,
	    "{'/a':{'get':{'responses':{'200':{'content':{'application/"
	    "json':{'schema':{'type':'object',"
	    "'properties':{'data':{'type':'null'}}}}}}}}},'/"
	    "b':{'get':{'responses':{'200':{'content':"
	    "{'application/"
	    "json':{'schema':{'type':'object','properties':{'data':{'type':'string'}}}}}}}}}}",
	    NULL,
	    "{'/a':{'get':{'responses':{'200':{'content':{'application/"
	    "json':{'schema':{'type':'object',"
	    "'properties':{'data':{'type':'string'}}}}}}}}},'/"
	    "b':{'get':{'responses':{'200':{'content':"
	    "{'application/"
	    "json':{'schema':{'type':'object','properties':{'data':{'type':'null'}}}}}}}}}}",
	    NULL);

	(void)state;
	assert_int_equal(d->n, 2);
	assert_string_equal(d->items[0].path, "/a");
	assert_int_equal(d->items[0].severity, PVECG_DIFF_SAFE);
	assert_string_equal(d->items[1].path, "/b");
	assert_int_equal(d->items[1].severity, PVECG_DIFF_BREAKING);
	pvecg_diff_free(d);
}

static void
test_diff_enum_values_both_directions(void **state)
{
	pvecg_diff *d = run_schemas(
	    "{'Req':{'type':'object','properties':{'mode':{'type':'string','enum':['a','b','c']},"
	    "'kind':{'type':'string'},'loose':{'type':'string','enum':['x']}}},"
	    "'Resp':{'type':'object','properties':{'state':{'type':'string','enum':['up','down']}}}"
	    "}",
	    "{'Req':{'type':'object','properties':{'mode':{'type':'string','enum':['a','d']},"
	    "'kind':{'type':'string','enum':['k']},'loose':{'type':'string'}}},"
	    "'Resp':{'type':'object','properties':{'state':{'type':'string','enum':['up','paused']}"
	    "}}}");
	const pvecg_diff_change *c;

	(void)state;
	assert_int_equal(d->n, 6);
	expect(d, "parameter", "enum-values-removed", "mode", PVECG_DIFF_BREAKING);
	expect(d, "parameter", "enum-values-added", "mode", PVECG_DIFF_SAFE);
	expect(d, "parameter", "enum-introduced", "kind", PVECG_DIFF_BREAKING);
	expect(d, "parameter", "enum-dropped", "loose", PVECG_DIFF_SAFE);
	expect(d, "response", "enum-values-added", "data.state", PVECG_DIFF_POTENTIAL);
	expect(d, "response", "enum-values-removed", "data.state", PVECG_DIFF_SAFE);
	c = pvecg_diff_find(d, "parameter", "enum-values-removed", "mode");
	assert_string_equal(c->old_value, "b, c");
	assert_null(c->new_value);
	c = pvecg_diff_find(d, "parameter", "enum-introduced", "kind");
	assert_null(c->old_value);
	assert_string_equal(c->new_value, "k");
	pvecg_diff_free(d);
}

static void
test_diff_bounds_pattern_format_default(void **state)
{
	pvecg_diff *d = run_schemas(
	    "{'Req':{'type':'object','properties':{"
	    "'vmid':{'type':'integer','minimum':100,'maximum':999},"
	    "'name':{'type':'string','maxLength':64,'minLength':2,'pattern':'^[a-z]+$','format':'"
	    "pve-node'},"
	    "'flag':{'type':'boolean','default':false},'count':{'type':'integer','default':1}}},"
	    "'Resp':{'type':'object','properties':{'used':{'type':'integer','maximum':10}}}}",
	    "{'Req':{'type':'object','properties':{"
	    "'vmid':{'type':'integer','minimum':1,'maximum':500},"
	    "'name':{'type':'string','maxLength':128,'minLength':3,'x-proxmox-pattern':'[a-z0-9]+',"
	    "'pattern':'^[a-z0-9]+$','format':'pve-configid'},"
	    "'flag':{'type':'boolean','default':0},'count':{'type':'integer','default':2}}},"
	    "'Resp':{'type':'object','properties':{'used':{'type':'integer'}}}}");
	const pvecg_diff_change *c;

	(void)state;
	expect(d, "parameter", "minimum-changed", "vmid", PVECG_DIFF_SAFE);
	expect(d, "parameter", "maximum-changed", "vmid", PVECG_DIFF_BREAKING);
	expect(d, "parameter", "maxLength-changed", "name", PVECG_DIFF_SAFE);
	expect(d, "parameter", "minLength-changed", "name", PVECG_DIFF_BREAKING);
	expect(d, "parameter", "pattern-changed", "name", PVECG_DIFF_POTENTIAL);
	expect(d, "parameter", "format-changed", "name", PVECG_DIFF_POTENTIAL);
	expect(d, "parameter", "default-changed", "count", PVECG_DIFF_POTENTIAL);
	expect(d, "response", "maximum-changed", "data.used", PVECG_DIFF_POTENTIAL);
	/* false and 0 are the same default in the two dialects */
	assert_null(pvecg_diff_find(d, NULL, "default-changed", "flag"));
	c = pvecg_diff_find(d, "parameter", "maximum-changed", "vmid");
	assert_string_equal(c->old_value, "999");
	assert_string_equal(c->new_value, "500");
	c = pvecg_diff_find(d, "parameter", "pattern-changed", "name");
	assert_string_equal(c->old_value, "^[a-z]+$");
	assert_string_equal(c->new_value, "[a-z0-9]+");
	assert_int_equal(d->n, 8);
	assert_int_equal(d->summary.parameters_changed, 3);
	pvecg_diff_free(d);
}

/* Property strings: the same keys inline (Proxmox dialect) and behind a $ref. */
#define NET_INLINE_OLD \
	"'net':{'type':'string','x-proxmox-format':{" \
	"'model':{'type':'string','enum':['virtio','e1000'],'default_key':1}," \
	"'bridge':{'type':'string','optional':1},'rate':{'type':'number','optional':1}," \
	"'tag':{'type':'integer','optional':1}}}"
#define NET_REF_SAME \
	"'net':{'type':'string','x-proxmox-property-string':{'$ref':'#/components/schemas/" \
	"PveNet'}}"
#define PVENET_SAME \
	"'PveNet':{'type':'object','required':['model'],'properties':{" \
	"'model':{'type':'string','enum':['virtio','e1000']},'bridge':{'type':'string'}," \
	"'rate':{'type':'number'},'tag':{'type':'integer'}}}"

static void
test_diff_property_string_keys_inline(void **state)
{
	pvecg_diff *d = run_schemas("{'Req':{'type':'object','properties':{" NET_INLINE_OLD
	                            "}}," RESP_OBJ "}",
	    "{'Req':{'type':'object','properties':{'net':{'type':'string','x-proxmox-format':{"
	    "'model':{'type':'string','enum':['virtio','e1000','vmxnet3'],'default_key':1},"
	    "'rate':{'type':'integer','optional':1},'tag':{'type':'integer','optional':1},"
	    "'mtu':{'type':'integer','optional':1},'queues':{'type':'integer'}}}}}," RESP_OBJ "}");

	(void)state;
	assert_int_equal(d->n, 5);
	expect(d, "property-string", "removed", "net:bridge", PVECG_DIFF_BREAKING);
	expect(d, "property-string", "added", "net:mtu", PVECG_DIFF_SAFE);
	expect(d, "property-string", "added", "net:queues", PVECG_DIFF_BREAKING);
	expect(d, "property-string", "type-changed", "net:rate", PVECG_DIFF_BREAKING);
	expect(d, "property-string", "enum-values-added", "net:model", PVECG_DIFF_SAFE);
	assert_int_equal(d->summary.parameters_changed, 1);
	pvecg_diff_free(d);
}

static void
test_diff_property_string_keys_ref(void **state)
{
	pvecg_diff *d = run_schemas("{'Req':{'type':'object','properties':{" NET_REF_SAME
	                            "}}," RESP_OBJ "," PVENET_SAME "}",
	    "{'Req':{'type':'object','properties':{" NET_REF_SAME "}}," RESP_OBJ ","
	    "'PveNet':{'type':'object','required':['model'],'properties':{"
	    "'model':{'type':'string','enum':['virtio']},'rate':{'type':'integer'},"
	    "'tag':{'type':'integer'},'mtu':{'type':'integer'}}}}");

	(void)state;
	assert_int_equal(d->n, 4);
	expect(d, "property-string", "removed", "net:bridge", PVECG_DIFF_BREAKING);
	expect(d, "property-string", "added", "net:mtu", PVECG_DIFF_SAFE);
	expect(d, "property-string", "type-changed", "net:rate", PVECG_DIFF_BREAKING);
	expect(d, "property-string", "enum-values-removed", "net:model", PVECG_DIFF_BREAKING);
	pvecg_diff_free(d);
}

static void
test_diff_property_string_inline_equals_ref(void **state)
{
	pvecg_diff *d = run_schemas("{'Req':{'type':'object','properties':{" NET_INLINE_OLD
	                            "}}," RESP_OBJ "}",
	    "{'Req':{'type':'object','properties':{" NET_REF_SAME "}}," RESP_OBJ "," PVENET_SAME
	    "}");

	(void)state;
	assert_int_equal(d->n, 0);
	pvecg_diff_free(d);
}

static void
test_diff_string_becomes_property_string(void **state)
{
	pvecg_diff *d = run_schemas("{'Req':{'type':'object','properties':{'memory':{'type':'"
	                            "integer'},'net':{'type':'string'}}}," RESP_OBJ "}",
	    "{'Req':{'type':'object','properties':{'memory':{'type':'string','x-proxmox-format':"
	    "{'current':{'type':'integer','default_key':1}}}," NET_REF_SAME "}}," RESP_OBJ
	    "," PVENET_SAME "}");

	(void)state;
	assert_int_equal(d->n, 3);
	expect(d, "parameter", "type-changed", "memory", PVECG_DIFF_BREAKING);
	expect(d, "property-string", "property-string-introduced", "memory", PVECG_DIFF_POTENTIAL);
	expect(d, "property-string", "property-string-introduced", "net", PVECG_DIFF_POTENTIAL);
	pvecg_diff_free(d);
}

/* Indexed families: a new maximum is one change, in both shapes. */
static void
test_diff_family_pattern_shape(void **state)
{
	pvecg_diff *d = run_schemas(
	    "{'Req':{'type':'object','patternProperties':{'^net\\\\d+$':{'type':'string',"
	    "'x-proxmox-index-max':31},'^unused\\\\d+$':{'type':'string'}}}," RESP_OBJ "}",
	    "{'Req':{'type':'object','patternProperties':{'^net\\\\d+$':{'type':'string',"
	    "'x-proxmox-index-max':15,'maxLength':64},'^mp\\\\d+$':{'type':'string'}}}," RESP_OBJ
	    "}");
	const pvecg_diff_change *c;

	(void)state;
	assert_int_equal(d->n, 4);
	c = pvecg_diff_find(d, "parameter", "index-max-changed", "net[n]");
	assert_non_null(c);
	assert_int_equal(c->severity, PVECG_DIFF_BREAKING);
	assert_string_equal(c->old_value, "31");
	assert_string_equal(c->new_value, "15");
	expect(d, "parameter", "maxLength-changed", "net[n]", PVECG_DIFF_BREAKING);
	expect(d, "parameter", "removed", "unused[n]", PVECG_DIFF_BREAKING);
	expect(d, "parameter", "added", "mp[n]", PVECG_DIFF_SAFE);
	pvecg_diff_free(d);
}

#define MEMBERS4 \
	"'net0':{'$ref':'#/components/schemas/Net'},'net1':{'$ref':'#/components/schemas/Net'}," \
	"'net2':{'$ref':'#/components/schemas/Net'},'net3':{'$ref':'#/components/schemas/Net'}"
#define MEMBERS6 \
	MEMBERS4 ",'net4':{'$ref':'#/components/schemas/Net'},'net5':{'$ref':'#/components/" \
	         "schemas/Net'}"

static void
test_diff_family_explicit_members(void **state)
{
	pvecg_diff *d = run_schemas("{'Req':{'type':'object','properties':{" MEMBERS4
	                            ",'efidisk0':{'$ref':'#/components/schemas/Efi'}}},"
	                            "'Net':{'type':'string'},'Efi':{'type':'string'}," RESP_OBJ "}",
	    "{'Req':{'type':'object','properties':{" MEMBERS6
	    ",'efidisk0':{'$ref':'#/components/schemas/Efi'}}},"
	    "'Net':{'type':'string','pattern':'^x'},'Efi':{'type':'string'}," RESP_OBJ "}");

	(void)state;
	/* one family change and one member-schema change, not 2 added members */
	assert_int_equal(d->n, 2);
	expect(d, "parameter", "index-max-changed", "net[n]", PVECG_DIFF_SAFE);
	expect(d, "parameter", "pattern-changed", "net[n]", PVECG_DIFF_POTENTIAL);
	assert_null(pvecg_diff_find(d, NULL, NULL, "net4"));
	assert_null(pvecg_diff_find(d, NULL, NULL, "efidisk[n]"));
	assert_int_equal(d->summary.parameters_changed, 1);
	pvecg_diff_free(d);
}

static void
test_diff_family_shapes_compare_equal(void **state)
{
	/* patternProperties (maximum unknown) vs the explicit members of one
	 * schema: the same family, and no maximum to compare. */
	pvecg_diff *d = run_schemas("{'Req':{'type':'object','patternProperties':{'^net\\\\d+$':{'"
	                            "type':'string'}}}," RESP_OBJ "}",
	    "{'Req':{'type':'object','properties':{" MEMBERS4 "}},'Net':{'type':'string'}," RESP_OBJ
	    "}");

	(void)state;
	assert_int_equal(d->n, 0);
	pvecg_diff_free(d);
}

static void
test_diff_family_inline_members(void **state)
{
	/* Members written out inline (no $ref) are grouped by x-proxmox-indexed. */
	pvecg_diff *d = run_schemas("{'Req':{'type':'object','patternProperties':{'^usb\\\\d+$':{'"
	                            "type':'string','x-proxmox-indexed':'usb[n]'}}}," RESP_OBJ "}",
	    "{'Req':{'type':'object','properties':{"
	    "'usb0':{'type':'string','maxLength':9,'x-proxmox-indexed':'usb[n]'},"
	    "'usb1':{'type':'string','maxLength':9,'x-proxmox-indexed':'usb[n]'},"
	    "'usb2':{'type':'string','maxLength':9,'x-proxmox-indexed':'usb[n]'}}}," RESP_OBJ "}");

	(void)state;
	assert_int_equal(d->n, 1);
	expect(d, "parameter", "maxLength-changed", "usb[n]", PVECG_DIFF_BREAKING);
	pvecg_diff_free(d);
}

static void
test_diff_response_family(void **state)
{
	pvecg_diff *d = run_schemas(
	    "{'Req':{'type':'object'},'Resp':{'type':'object','properties':{" MEMBERS6
	    "}},'Net':{'type':'string'}}",
	    "{'Req':{'type':'object'},'Resp':{'type':'object','properties':{" MEMBERS4
	    "}},'Net':{'type':'string'}}");

	(void)state;
	assert_int_equal(d->n, 1);
	expect(d, "response", "index-max-changed", "data.net[n]", PVECG_DIFF_SAFE);
	pvecg_diff_free(d);
}

static void
test_diff_operation_attributes(void **state)
{
	pvecg_diff *d = run_docs(NULL,
	    "{'/a':{'get':{'x-proxmox-allowtoken':true,'x-proxmox-protected':true,"
	    "'x-proxmox-permissions':{'check':['perm','/',['Sys.Audit']],'description':'old "
	    "words'}},"
	    "'post':{'x-proxmox-allowtoken':false,'x-proxmox-proxyto':'node',"
	    "'x-proxmox-permissions':{'user':'all','description':'x'}}}}",
	    NULL,
	    "{'/a':{'get':{'x-proxmox-allowtoken':false,"
	    "'x-proxmox-permissions':{'check':['perm','/',['Sys.Modify']],'description':'new "
	    "words'}},"
	    "'post':{'x-proxmox-allowtoken':1,'x-proxmox-permissions':{'user':'all','description':'"
	    "y'}}}}",
	    NULL);
	const pvecg_diff_change *c;

	(void)state;
	assert_int_equal(d->n, 5);
	c = d->items;
	assert_string_equal(c[0].method, "GET");
	assert_string_equal(c[0].kind, "allowtoken-changed");
	assert_int_equal(c[0].severity, PVECG_DIFF_BREAKING);
	assert_string_equal(c[1].kind, "protected-changed");
	assert_int_equal(c[1].severity, PVECG_DIFF_SAFE);
	assert_string_equal(c[2].kind, "permissions-changed");
	assert_int_equal(c[2].severity, PVECG_DIFF_POTENTIAL);
	assert_string_equal(c[2].old_value, "{\"check\":[\"perm\",\"/\",[\"Sys.Audit\"]]}");
	assert_string_equal(c[3].method, "POST");
	assert_string_equal(c[3].kind, "allowtoken-changed");
	assert_int_equal(c[3].severity, PVECG_DIFF_SAFE);
	assert_string_equal(c[4].kind, "proxyto-changed");
	assert_string_equal(c[4].old_value, "node");
	assert_null(c[4].new_value);
	pvecg_diff_free(d);
}

static void
test_diff_parameter_location_changed(void **state)
{
	pvecg_diff *d = run_docs(NULL,
	    "{'/a':{'put':{'parameters':[{'name':'p','in':'query','schema':{'type':'string'}}]}}}",
	    NULL,
	    "{'/a':{'put':{'requestBody':{'content':{'application/x-www-form-urlencoded':{'schema':"
	    "{'type':'object','properties':{'p':{'type':'string'}}}}}}}}}",
	    NULL);

	(void)state;
	assert_int_equal(d->n, 1);
	expect(d, "parameter", "location-changed", "p", PVECG_DIFF_BREAKING);
	assert_string_equal(d->items[0].old_value, "query");
	assert_string_equal(d->items[0].new_value, "body");
	pvecg_diff_free(d);
}

static void
test_diff_sorted_by_group_then_path(void **state)
{
	pvecg_diff *d = run_docs(NULL, "{}", NULL,
	    "{'/':{'get':{}},'/nodes/{node}':{'get':{}},'/access/b':{'get':{}},'/"
	    "access':{'post':{},"
	    "'get':{}}}",
	    NULL);

	(void)state;
	assert_int_equal(d->n, 5);
	assert_string_equal(d->items[0].group, "access");
	assert_string_equal(d->items[0].path, "/access");
	assert_string_equal(d->items[0].method, "GET");
	assert_string_equal(d->items[1].method, "POST");
	assert_string_equal(d->items[2].path, "/access/b");
	assert_string_equal(d->items[3].group, "nodes");
	assert_string_equal(d->items[4].group, "root");
	pvecg_diff_free(d);
}

static void
test_diff_markdown_and_json_output(void **state)
{
	pvecg_diff *d = run_docs(NULL,
	    "{'/"
	    "a':{'get':{'operationId':'get_a','parameters':[{'name':'p','in':'query','schema':{'"
	    "type':'string'}}]}},"
	    "'/b':{'get':{'operationId':'get_b'}}}",
	    NULL,
	    "{'/"
	    "a':{'get':{'operationId':'get_a','parameters':[{'name':'p','in':'query','schema':{'"
	    "type':'integer'}}]}},"
	    "'/c':{'get':{'operationId':'get_c'}}}",
	    NULL);
	pvecg_buf md = PVECG_BUF_INIT, md2 = PVECG_BUF_INIT, js = PVECG_BUF_INIT,
	          br = PVECG_BUF_INIT;

	(void)state;
	assert_int_equal(pvecg_diff_markdown(&md, d, false), 0);
	assert_int_equal(pvecg_diff_markdown(&md2, d, false), 0);
	assert_string_equal(md.data, md2.data);
	assert_non_null(strstr(md.data, "# Proxmox VE API changes: 1.0 → 2.0\n"));
	assert_non_null(strstr(md.data,
	    "| Operations added | 1 |\n| Operations removed | 1 |\n"
	    "| Operations changed | 1 |\n"));
	assert_non_null(strstr(md.data,
	    "## a\n\n### `GET /a` (`get_a`)\n\n"
	    "- **breaking**: parameter `p` type `string` → `integer`\n"));
	assert_non_null(
	    strstr(md.data, "## b\n\nRemoved operations:\n\n- **breaking**: `GET /b` (`get_b`)\n"));
	assert_non_null(
	    strstr(md.data, "## c\n\nAdded operations:\n\n- safe: `GET /c` (`get_c`)\n"));
	assert_int_equal(md.data[md.len - 1], '\n');
	assert_int_not_equal(md.data[md.len - 2], '\n');
	assert_int_equal(pvecg_diff_markdown(&br, d, true), 0);
	assert_null(strstr(br.data, "## c\n"));
	assert_non_null(strstr(br.data, "## b\n"));
	assert_int_equal(pvecg_diff_json(&js, d, false), 0);
	assert_non_null(strstr(js.data, "\"kind\": \"type-changed\""));
	pvecg_buf_free(&md);
	pvecg_buf_free(&md2);
	pvecg_buf_free(&js);
	pvecg_buf_free(&br);
	pvecg_diff_free(d);
}

static void
fail_line(void *ctx, const char *path, const char *message)
{
	(void)ctx;
	print_error("%s: %s\n", path, message);
}

static void
test_diff_json_validates_against_schema(void **state)
{
	const char *src = getenv("PVECG_SOURCE_DIR");
	char path[4096];
	cJSON *schema = NULL, *inst;
	pvecg_diff *d = run_schemas(
	    "{'Req':{'type':'object','properties':{" NET_INLINE_OLD ",'gone':{'type':'string'}}},"
	    "'Resp':{'type':'object','properties':{'a':{'type':'integer'}}}}",
	    "{'Req':{'type':'object','properties':{" NET_REF_SAME "}},'Resp':{'type':'object'},"
	    "'PveNet':{'type':'object','properties':{'model':{'type':'integer'}}}}");
	pvecg_buf js = PVECG_BUF_INIT;
	pvecg_error err;
	size_t nfail = 99;

	(void)state;
	if (src == NULL)
		skip();
	assert_int_equal(pvecg_path(path, sizeof(path), "%s/schemas/diff.schema.json", src), 0);
	pvecg_error_clear(&err);
	assert_int_equal(pvecg_json_read_file(&schema, path, 0, &err), 0);
	assert_int_equal(pvecg_diff_json(&js, d, false), 0);
	inst = cJSON_Parse(js.data);
	assert_non_null(inst);
	assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(inst, "changes")) >= 6);
	assert_int_equal(pvecg_jschema_validate(&nfail, schema, inst, 0, fail_line, NULL, &err), 0);
	assert_int_equal(nfail, 0);
	/* and the schema does reject a wrong document */
	cJSON_ReplaceItemInObject(inst, "diff_version", cJSON_CreateNumber(2));
	assert_int_equal(pvecg_jschema_validate(&nfail, schema, inst, 0, NULL, NULL, &err), 0);
	assert_int_equal(nfail, 1);
	cJSON_Delete(inst);
	cJSON_Delete(schema);
	pvecg_buf_free(&js);
	pvecg_diff_free(d);
}

static void
test_diff_ref_cycle_terminates(void **state)
{
	pvecg_diff *d = run_schemas("{'Req':{'type':'object'},'Resp':{'type':'object','properties':"
	                            "{'self':{'$ref':'#/components/schemas/Resp'}}}}",
	    "{'Req':{'type':'object'},'Resp':{'type':'object','properties':{'self':{'$ref':'#/"
	    "components/schemas/Resp'},"
	    "'x':{'type':'string'}}}}");

	(void)state;
	/* data.x, data.self.x, ... down to the depth cap, each once */
	assert_true(d->n >= 2 && d->n <= 16);
	expect(d, "response", "added", "data.x", PVECG_DIFF_SAFE);
	expect(d, "response", "added", "data.self.x", PVECG_DIFF_SAFE);
	pvecg_diff_free(d);
}

/* Each schema refers to the next 8 times: 8^12 comparisons without a cap. */
static void
test_diff_hostile_refs_are_bounded(void **state)
{
	pvecg_buf q = PVECG_BUF_INIT;
	cJSON *a, *b;
	pvecg_diff *d = NULL;
	pvecg_error err;
	int i, k;

	(void)state;
	assert_int_equal(pvecg_buf_puts(&q,
	                     "{'Req':{'type':'object'},'Resp':{'$ref':'#/components/schemas/S0'}"),
	    0);
	for (i = 0; i < 14; i++) {
		assert_int_equal(
		    pvecg_buf_printf(&q, ",'S%d':{'type':'object','properties':{", i), 0);
		for (k = 0; k < 8; k++)
			assert_int_equal(
			    pvecg_buf_printf(&q, "%s'p%c':{'$ref':'#/components/schemas/S%d'}",
			        k ? "," : "", 'a' + k, i + 1),
			    0);
		assert_int_equal(pvecg_buf_puts(&q, "}}"), 0);
	}
	assert_int_equal(pvecg_buf_puts(&q, ",'S14':{'type':'string'}}"), 0);
	a = doc("1", BODY_OP, q.data);
	b = doc("2", BODY_OP, q.data);
	pvecg_error_clear(&err);
	assert_int_equal(pvecg_diff_documents(&d, a, b, &err), PVECG_ELIMIT);
	assert_null(d);
	assert_non_null(strstr(err.message, "too deeply or too widely"));
	cJSON_Delete(a);
	cJSON_Delete(b);
	pvecg_buf_free(&q);
}

static void
test_diff_wrong_shapes_do_not_crash(void **state)
{
	pvecg_diff *d = run_docs(NULL,
	    "{'/a':{'get':5,'post':{'parameters':'x','requestBody':{'content':{'application/json':"
	    "{'schema':{'properties':[1,2],'patternProperties':[3],'required':7}}}}}},"
	    "'/"
	    "b':{'put':{'parameters':[5,{'name':3},{'name':'p','schema':{'enum':'x','minimum':'1',"
	    "'x-proxmox-format':[1],'x-proxmox-property-string':{'$ref':'#/"
	    "nowhere'},'items':[]}}]}}}",
	    NULL,
	    "{'/a':{'get':{},'post':{'parameters':{},'requestBody':{'content':{'application/json':"
	    "{'schema':{'properties':{'q':{'$ref':'#/components/schemas/Missing'}},"
	    "'patternProperties':{'^q\\\\d+$':[]},'required':['q', 1]}}}}}},"
	    "'/"
	    "b':{'put':{'parameters':[{'name':'p','schema':{'enum':[{'a':1}],'x-proxmox-type':['"
	    "integer',3],"
	    "'items':{'$ref':'#/components/schemas/Missing'}}}]}}}",
	    NULL);

	(void)state;
	expect(d, "operation", "added", "", PVECG_DIFF_SAFE);
	expect(d, "parameter", "added", "q", PVECG_DIFF_BREAKING);
	expect(d, "parameter", "enum-introduced", "p", PVECG_DIFF_BREAKING);
	pvecg_diff_free(d);
}

static void
test_diff_refuses_two_products(void **state)
{
	cJSON *a = doc("9.1", "{}", NULL), *b = doc("4", "{}", NULL);
	pvecg_diff *d = NULL;
	pvecg_error err;

	(void)state;
	cJSON_ReplaceItemInObject(
	    cJSON_GetObjectItem(b, "info"), "x-proxmox-product", cJSON_CreateString("pbs"));
	pvecg_error_clear(&err);
	assert_int_equal(pvecg_diff_documents(&d, a, b, &err), PVECG_EINPUT);
	assert_null(d);
	assert_string_equal(
	    err.message, "OLD is pve and NEW is pbs: compare versions of one product");
	cJSON_Delete(a);
	cJSON_Delete(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff_identical_documents_have_no_changes),
		cmocka_unit_test(test_diff_operation_added_is_safe_removed_is_breaking),
		cmocka_unit_test(test_diff_parameter_added_removed),
		cmocka_unit_test(test_diff_query_parameter_required_and_optional),
		cmocka_unit_test(test_diff_parameter_types),
		cmocka_unit_test(test_diff_response_types_use_declared_type),
		cmocka_unit_test(test_diff_response_fields_and_nesting),
		cmocka_unit_test(test_diff_response_from_null_is_safe_to_null_breaking),
		cmocka_unit_test(test_diff_enum_values_both_directions),
		cmocka_unit_test(test_diff_bounds_pattern_format_default),
		cmocka_unit_test(test_diff_property_string_keys_inline),
		cmocka_unit_test(test_diff_property_string_keys_ref),
		cmocka_unit_test(test_diff_property_string_inline_equals_ref),
		cmocka_unit_test(test_diff_string_becomes_property_string),
		cmocka_unit_test(test_diff_family_pattern_shape),
		cmocka_unit_test(test_diff_family_explicit_members),
		cmocka_unit_test(test_diff_family_shapes_compare_equal),
		cmocka_unit_test(test_diff_family_inline_members),
		cmocka_unit_test(test_diff_response_family),
		cmocka_unit_test(test_diff_operation_attributes),
		cmocka_unit_test(test_diff_parameter_location_changed),
		cmocka_unit_test(test_diff_sorted_by_group_then_path),
		cmocka_unit_test(test_diff_markdown_and_json_output),
		cmocka_unit_test(test_diff_json_validates_against_schema),
		cmocka_unit_test(test_diff_ref_cycle_terminates),
		cmocka_unit_test(test_diff_hostile_refs_are_bounded),
		cmocka_unit_test(test_diff_wrong_shapes_do_not_crash),
		cmocka_unit_test(test_diff_refuses_two_products),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
