/*
 * json.c: sandbox-json, a test helper that reads one JSON document on stdin and prints
 *   sandbox-json PATH     the value at PATH (keys and array indexes joined by '.'):
 *                         strings as they are, null as nothing, anything else as compact JSON
 *   sandbox-json --errors Notify's errors as "error: message" joined by '|'
 *   sandbox-json --length PATH   the number of elements of the array or object at PATH
 * Exit 1 when PATH is absent, 2 when stdin is not JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static json_t *walk(json_t *j, char *path)
{
	for (char *part = path; j && part && *part;) {
		char *dot = strchr(part, '.');
		if (dot)
			*dot = '\0';
		char *end;
		long idx = strtol(part, &end, 10);
		j = json_is_array(j) && !*end ? json_array_get(j, (size_t)idx) : json_object_get(j, part);
		part = dot ? dot + 1 : NULL;
	}
	return j;
}

int main(int argc, char **argv)
{
	json_t *doc = json_loadf(stdin, JSON_DECODE_ANY, NULL);
	int rc = 0;
	if (!doc || argc < 2)
		return 2;
	if (strcmp(argv[1], "--errors") == 0) {
		size_t i;
		json_t *e;
		json_array_foreach(json_object_get(doc, "errors"), i, e)
			printf("%s%s: %s", i ? "|" : "", json_string_value(json_object_get(e, "error")),
			       json_string_value(json_object_get(e, "message")));
		putchar('\n');
	} else if (strcmp(argv[1], "--length") == 0 && argc == 3) {
		json_t *v = walk(doc, argv[2]);
		rc = !v;
		printf("%zu\n", json_is_array(v) ? json_array_size(v) : json_object_size(v));
	} else {
		json_t *v = walk(doc, argv[1]);
		rc = !v;
		if (json_is_string(v)) {
			puts(json_string_value(v));
		} else if (v && !json_is_null(v)) {
			char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
			puts(s ? s : "");
			free(s);
		} else {
			putchar('\n');
		}
	}
	json_decref(doc);
	return rc;
}
