/* test-conf.c: lk_conf, letterkit.conf's format: sections, precedence within and between files, errors. */
#include <string.h>

#include "lk_conf.h"
#include "test.h"

static int any_command(const char *name)
{
	return strcmp(name, "check") == 0 || strcmp(name, "scan") == 0;
}

static const char *value(const struct lk_conf *c, const char *key)
{
	return c->set[lk_conf_key(key) - lk_conf_keys].value;
}

static void test_precedence(void)
{
	struct lk_conf c;
	char err[512];
	lk_conf_init(&c, "check");
	CHECK_INT(lk_conf_parse(&c, "/etc/a.conf",
				"# comment\n; comment\n\n[check]\n  strict = yes  \n[shared]\nstrict = no\n"
				"postage = first\n[scan]\npostage = economy\ndb = sigs\n",
				any_command, err, sizeof err), 0);
	CHECK_STR(value(&c, "strict"), "yes");     /* the command's section beats [shared] in one file */
	CHECK_STR(value(&c, "postage"), "first");  /* [scan] is not check's */
	CHECK(value(&c, "db") == NULL);
	CHECK_INT(c.set[lk_conf_key("strict") - lk_conf_keys].line, 5);
	CHECK_INT(lk_conf_parse(&c, "/home/u/b.conf", "[shared]\nstrict = off\ndb = sigs\n[check]\n"
				"overlay = /var/ov\n", any_command, err, sizeof err), 0);
	CHECK_STR(value(&c, "strict"), "off");       /* a later file beats an earlier file's section */
	CHECK_STR(value(&c, "db"), "/home/u/sigs");   /* relative to the file's folder */
	CHECK_STR(value(&c, "overlay"), "/var/ov");
	CHECK_STR(c.set[lk_conf_key("db") - lk_conf_keys].file, "/home/u/b.conf");
	lk_conf_free(&c);
	CHECK(value(&c, "db") == NULL);
}

/* Each bad text gives "PATH:LINE: ..." with `want` in it. */
static void bad(const char *text, const char *want)
{
	struct lk_conf c;
	char err[512] = "";
	lk_conf_init(&c, "check");
	CHECK_INT(lk_conf_parse(&c, "x.conf", text, any_command, err, sizeof err), -1);
	if (!strstr(err, want)) {
		fprintf(stderr, "FAIL bad(%s): '%s' lacks '%s'\n", text, err, want);
		test_failures++;
	}
	lk_conf_free(&c);
}

static void test_errors(void)
{
	bad("[shared]\nstrcit = yes\n", "x.conf:2: unknown key 'strcit'");
	bad("[sahred]\n", "x.conf:1: unknown section");
	bad("[Check]\n", "x.conf:1: unknown section");
	bad("strict = yes\n", "x.conf:1: key before any section");
	bad("[shared]\nkey = 1234\n", "x.conf:2: the API key never goes");
	bad("[scan]\nstrict = perhaps\n", "x.conf:2: strict must be yes or no");   /* another command's too */
	bad("[shared]\njobs = 2x\n", "x.conf:2: jobs must be a whole number");
	bad("[shared]\njobs = 99999999\n", "jobs must be a whole number");
	bad("[shared]\npostage = a\tb\n", "control character");
	bad("[shared]\npostage\n", "expected 'key = value'");
	bad("[shared]\npostage =  \n", "no value for 'postage'");
	bad("[shared\n", "a section is [name] alone");
}

static void test_bool(void)
{
	CHECK_INT(lk_conf_bool("yes"), 1);
	CHECK_INT(lk_conf_bool("on"), 1);
	CHECK_INT(lk_conf_bool("false"), 0);
	CHECK_INT(lk_conf_bool("0"), 0);
	CHECK_INT(lk_conf_bool("Yes"), -1);
	CHECK(lk_conf_key("settle-ms") != NULL);
	CHECK(lk_conf_key("nope") == NULL);
}

int main(void)
{
	test_precedence();
	test_errors();
	test_bool();
	return test_exit("test-conf");
}
