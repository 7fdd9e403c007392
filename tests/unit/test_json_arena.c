/* json_arena: trees in per-document arenas (parsed, or built while an
 * arena is entered); cJSON's other allocations still go to malloc/free
 * (ASan catches a node freed the wrong way). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pvecg/json_arena.h"

static void
test_json_arena_parses_values_and_long_strings(void **state)
{
	static const char z[] = "a\xc0\x80\x62"; /* "a\u0000b": NUL held as C0 80 */
	size_t big = 200000;                     /* larger than one block */
	char *text = malloc(big + 64);
	pvecg_json_arena *a = NULL;
	const cJSON *arr, *s;
	cJSON *doc = NULL;
	size_t n;

	(void)state;
	assert_non_null(text);
	n = (size_t)sprintf(
	    text, "{\"n\": 42, \"z\": \"a\\u0000b\", \"arr\": [true, null], \"s\": \"");
	memset(text + n, 'x', big);
	memcpy(text + n + big, "\"}", 3);
	assert_int_equal(pvecg_json_arena_parse(&doc, &a, text, n + big + 2), 0);
	free(text);
	assert_non_null(a);
	assert_non_null(doc);
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(doc, "n")->valueint, 42);
	assert_memory_equal(cJSON_GetObjectItemCaseSensitive(doc, "z")->valuestring, z, sizeof(z));
	arr = cJSON_GetObjectItemCaseSensitive(doc, "arr");
	assert_int_equal(cJSON_GetArraySize(arr), 2);
	assert_true(cJSON_IsTrue(cJSON_GetArrayItem(arr, 0)));
	assert_true(cJSON_IsNull(cJSON_GetArrayItem(arr, 1)));
	s = cJSON_GetObjectItemCaseSensitive(doc, "s");
	assert_int_equal(strlen(s->valuestring), big);
	assert_int_equal(s->valuestring[big - 1], 'x');
	pvecg_json_arena_free(a);
}

static void
test_json_arena_broken_text_gives_no_tree(void **state)
{
	static const char text[] = "{\"a\": [1, 2, {\"b\": \"c\"}], \"d\": tru";
	pvecg_json_arena *a = NULL;
	cJSON *doc = (cJSON *)1;

	(void)state;
	/* cJSON frees the half-built tree through the hooks: into the arena. */
	assert_int_equal(pvecg_json_arena_parse(&doc, &a, text, sizeof(text) - 1), 0);
	assert_null(doc);
	assert_non_null(a);
	pvecg_json_arena_free(a);
	pvecg_json_arena_free(NULL);
}

static void
test_json_arena_leaves_other_trees_to_malloc(void **state)
{
	static const char text[] = "{\"k\": [\"v\", 1]}";
	pvecg_json_arena *a = NULL, *b = NULL;
	cJSON *doc = NULL, *doc2 = NULL, *own;

	(void)state;
	assert_int_equal(pvecg_json_arena_parse(&doc, &a, text, sizeof(text) - 1), 0);
	/* Built outside a parse: malloc'd, freed by cJSON_Delete while the
	 * arena lives (ASan and LeakSanitizer check both ways). */
	own = cJSON_Parse("{\"x\": \"y\"}");
	assert_non_null(own);
	assert_non_null(cJSON_AddStringToObject(own, "k2", "v2"));
	assert_int_equal(pvecg_json_arena_parse(&doc2, &b, text, sizeof(text) - 1), 0);
	assert_string_equal(
	    cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc2, "k"), 0)->valuestring, "v");
	/* Deleting an arena tree on its own thread frees nothing twice. */
	cJSON_Delete(doc);
	pvecg_json_arena_free(a);
	cJSON_Delete(own);
	pvecg_json_arena_free(b);
}

/* A tree built while an arena is entered spans many blocks; nodes made
 * after leaving it come from malloc. cJSON_Delete of the mixed tree frees
 * exactly the malloc'd part (whatever the blocks' addresses), the arena
 * the rest; ASan and LeakSanitizer check both. */
static void
test_json_arena_entered_tree_across_blocks(void **state)
{
	pvecg_json_arena *a = NULL, *saved;
	cJSON *doc, *arr, *own;
	char key[32];
	int i;

	(void)state;
	assert_int_equal(pvecg_json_arena_new(&a), 0);
	saved = pvecg_json_arena_enter(a);
	assert_null(saved);
	doc = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(doc, "items");
	assert_non_null(arr);
	for (i = 0; i < 20000; i++) { /* ~4 MB: dozens of blocks */
		snprintf(key, sizeof(key), "member-%d", i);
		assert_non_null(cJSON_AddStringToObject(doc, key, "a value of some length"));
		cJSON_AddItemToArray(arr, cJSON_CreateNumber(i));
	}
	/* replaced while inside: the old value is dropped with the arena */
	assert_true(cJSON_ReplaceItemInObjectCaseSensitive(doc, "member-7", cJSON_CreateTrue()));
	assert_ptr_equal(pvecg_json_arena_enter(saved), a);
	own = cJSON_CreateString("from malloc");
	assert_non_null(own);
	cJSON_AddItemToObject(doc, "own", own);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "member-7")));
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(doc, "member-19999")->valuestring,
	    "a value of some length");
	assert_int_equal(cJSON_GetArrayItem(arr, 12345)->valueint, 12345);
	cJSON_Delete(doc);
	pvecg_json_arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_arena_parses_values_and_long_strings),
		cmocka_unit_test(test_json_arena_broken_text_gives_no_tree),
		cmocka_unit_test(test_json_arena_leaves_other_trees_to_malloc),
		cmocka_unit_test(test_json_arena_entered_tree_across_blocks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
