/* test-text.c: lk_utf8, lk_text (escapes for people, paths in JSON) and lk_buf's limit. */
#include <stdlib.h>

#include "lk_buf.h"
#include "lk_text.h"
#include "lk_utf8.h"
#include "test.h"

static void test_utf8(void)
{
	uint32_t cp[16];
	CHECK_INT(lk_utf8_decode("a\xC3\xA9\xE2\x80\x99\xF0\x9F\x98\x80", 10, cp), 4);
	CHECK_INT(cp[1], 0xE9);
	CHECK_INT(cp[2], 0x2019);
	CHECK_INT(cp[3], 0x1F600);
	CHECK_INT(lk_utf8_decode("\xC0\xAF", 2, cp), -1);       /* overlong */
	CHECK_INT(lk_utf8_decode("\xED\xA0\x80", 3, cp), -1);   /* surrogate */
	CHECK_INT(lk_utf8_decode("\xF4\x90\x80\x80", 4, cp), -1); /* above U+10FFFF */
	CHECK_INT(lk_utf8_decode("\xE2\x80", 2, cp), -1);       /* truncated */
	CHECK(lk_utf8_valid("Ty\xC5\xB7", 4));
	CHECK(!lk_utf8_valid("x\xFE", 2));
	char out[4];
	CHECK_INT(lk_utf8_put(0x1F600, out), 4);
	CHECK(memcmp(out, "\xF0\x9F\x98\x80", 4) == 0);
}

static void test_safe(void)
{
	char buf[64];
	CHECK_STR(lk_safe("plain Ty\xC5\xB7.pdf", buf, sizeof buf), "plain Ty\xC5\xB7.pdf");
	CHECK_STR(lk_safe("\x1b]0;pwned\x07\x1b[2J", buf, sizeof buf), "\\x1b]0;pwned\\x07\\x1b[2J");
	CHECK_STR(lk_safe("x\xFE.pdf", buf, sizeof buf), "x\\xfe.pdf");
	CHECK_STR(lk_safe("a\nb\tc\x7f", buf, sizeof buf), "a\\nb\\tc\\x7f");
	CHECK_STR(lk_safe("\xC2\x9B" "c", buf, sizeof buf), "\\u009bc");   /* C1 CSI */
	char small[8];
	CHECK_STR(lk_safe("abcdefghijkl", small, sizeof small), "abcd...");
	struct lk_buf b = {0};
	lk_buf_put_safe(&b, "Line 1\nLine\x1b 2", 1);
	CHECK_STR(b.data, "Line 1\nLine\\x1b 2");
	lk_buf_free(&b);
}

static void test_json_path(void)
{
	json_t *o = json_object();
	CHECK_INT(lk_json_set_path(o, "file", "plain.pdf"), 0);
	CHECK(json_object_get(o, "file_base64") == NULL);
	CHECK_INT(lk_json_set_path(o, "file", "x\xFE.pdf"), 0);
	CHECK_STR(json_string_value(json_object_get(o, "file")), "x\xEF\xBF\xBD.pdf");
	CHECK_STR(json_string_value(json_object_get(o, "file_base64")), "eP4ucGRm");
	char *dump = json_dumps(o, JSON_COMPACT);
	CHECK(dump != NULL);   /* valid UTF-8, so jansson writes it */
	json_t *back = json_loads(dump, 0, NULL);
	char *owned;
	CHECK_STR(lk_json_get_path(back, "file", &owned), "x\xFE.pdf");
	free(owned);
	json_object_del(back, "file_base64");
	CHECK_STR(lk_json_get_path(back, "file", &owned), "x\xEF\xBF\xBD.pdf");
	CHECK(owned == NULL);
	CHECK_INT(lk_json_set_path(o, "file", "plain.pdf"), 0);   /* the old exact bytes go */
	CHECK(json_object_get(o, "file_base64") == NULL);
	json_object_set_new(back, "file_base64", json_string("not base64!"));
	CHECK_STR(lk_json_get_path(back, "file", &owned), "x\xEF\xBF\xBD.pdf");
	CHECK(lk_json_get_path(back, "nothing", &owned) == NULL);
	free(dump);
	json_decref(back);
	json_decref(o);

	struct lk_buf x = {0};
	lk_buf_put_xml(&x, "<a\xFE&\xC5\xB7>");
	CHECK_STR(x.data, "&lt;a\xEF\xBF\xBD&amp;\xC5\xB7&gt;");
	lk_buf_free(&x);
}

static void test_buf_limit(void)
{
	struct lk_buf b = {.limit = 8};
	lk_buf_puts(&b, "12345");
	CHECK(!lk_buf_failed(&b));
	lk_buf_puts(&b, "6789");   /* would make 9 bytes */
	CHECK(lk_buf_failed(&b));
	CHECK_INT(b.len, 5);
	lk_buf_free(&b);
	CHECK_INT(b.limit, 8);
}

int main(void)
{
	test_utf8();
	test_safe();
	test_json_path();
	test_buf_limit();
	return test_exit("test-text");
}
