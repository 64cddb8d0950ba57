/* lk_summary.c: the line that ends a batch. */
#include "lk_summary.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lk_text.h"

void lk_summary_pass(struct lk_summary *s)
{
	s->letters++;
	s->passed++;
}

void lk_summary_error(struct lk_summary *s)
{
	s->letters++;
	s->errors++;
}

/* The entry for `code`, made when new; NULL when out of memory. */
static struct lk_summary_code *entry(struct lk_summary *s, const char *code)
{
	for (size_t i = 0; i < s->n_codes; i++)
		if (strcmp(s->codes[i].code, code) == 0)
			return &s->codes[i];
	if (s->n_codes == s->cap_codes) {
		size_t cap = s->cap_codes ? 2 * s->cap_codes : 8;
		struct lk_summary_code *more = realloc(s->codes, cap * sizeof *more);
		if (!more)
			return NULL;
		s->codes = more;
		s->cap_codes = cap;
	}
	char *copy = strdup(code);
	if (!copy)
		return NULL;
	s->codes[s->n_codes] = (struct lk_summary_code){copy, 0};
	return &s->codes[s->n_codes++];
}

void lk_summary_fail(struct lk_summary *s, const char *code)
{
	s->letters++;
	s->failed++;
	struct lk_summary_code *e = entry(s, code ? code : "unknown");
	if (!e) {
		s->oom = 1;
		return;
	}
	e->count++;
	/* Kept most first: the entry moves up past those it now outnumbers. */
	for (size_t i = (size_t)(e - s->codes); i > 0 && s->codes[i - 1].count < s->codes[i].count; i--) {
		struct lk_summary_code t = s->codes[i - 1];
		s->codes[i - 1] = s->codes[i];
		s->codes[i] = t;
	}
}

/* Appends to buf at *n, keeping room for "..." when it does not fit. */
static void put(char *buf, size_t size, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void put(char *buf, size_t size, size_t *n, const char *fmt, ...)
{
	if (*n >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(buf + *n, size - *n, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= size - *n) {
		*n = size;
		if (size > 4)
			memcpy(buf + size - 4, "...", 4);
		return;
	}
	*n += (size_t)k;
}

const char *lk_summary_line(const struct lk_summary *s, const struct lk_summary_words *w,
			    char *buf, size_t size)
{
	size_t n = 0;
	if (size == 0)
		return buf;
	buf[0] = '\0';
	const char *noun = s->letters == 1 ? "letter" : "letters";
	if (s->letters == 0) {
		put(buf, size, &n, "no letters");
		return buf;
	}
	if (s->failed == 0 && s->errors == 0) {
		if (s->letters == 1)
			put(buf, size, &n, "the letter %s", w->passed);
		else
			put(buf, size, &n, "all %ld letters %s", s->letters, w->passed);
		return buf;
	}
	if (s->failed) {
		put(buf, size, &n, "%ld of %ld %s %s:", s->failed, s->letters, noun, w->failed);
		long shown = 0;
		for (size_t i = 0; i < s->n_codes; i++) {
			char safe[256];
			put(buf, size, &n, "%s %ld %s", i ? "," : "", s->codes[i].count,
			    lk_safe(s->codes[i].code, safe, sizeof safe));
			shown += s->codes[i].count;
		}
		if (shown < s->failed)
			put(buf, size, &n, "%s %ld other", shown ? "," : "", s->failed - shown);
	}
	if (s->errors && s->failed)
		put(buf, size, &n, "; %ld %s", s->errors, w->errors);
	else if (s->errors)
		put(buf, size, &n, "%ld of %ld %s %s", s->errors, s->letters, noun, w->errors);
	return buf;
}

void lk_summary_print(FILE *out, const char *prog, const struct lk_summary *s,
		      const struct lk_summary_words *w)
{
	char line[1024];
	fprintf(out, "%s: %s\n", prog, lk_summary_line(s, w, line, sizeof line));
}

void lk_summary_free(struct lk_summary *s)
{
	for (size_t i = 0; i < s->n_codes; i++)
		free(s->codes[i].code);
	free(s->codes);
	memset(s, 0, sizeof *s);
}
