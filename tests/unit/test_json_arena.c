/* json_arena: parse trees in per-document arenas; cJSON's other allocations
 * still go to malloc/free (ASan catches a node freed the wrong way). */
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_arena_parses_values_and_long_strings),
		cmocka_unit_test(test_json_arena_broken_text_gives_no_tree),
		cmocka_unit_test(test_json_arena_leaves_other_trees_to_malloc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
