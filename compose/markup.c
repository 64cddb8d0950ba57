/* markup.c: parses Notify's letter markup into blocks of spans. */
#include "markup.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "font.h"

/* Placeholder names longer than this are surely a mistake. */
#define MAX_NAME 128

static void free_spans(struct span *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].text);
		free(s[i].name);
		free(s[i].key);
	}
	free(s);
}

void compose_markup_free(struct markup *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nblocks; i++)
		free_spans(m->blocks[i].spans, m->blocks[i].nspans);
	free(m->blocks);
	free(m);
}

struct parser {
	struct markup *m;
	struct block *cur;   /* the open block, or NULL */
	const char *name;
	size_t line;
	int number;          /* the last number of a numbered list run */
	char *err;
	size_t errlen;
};

static int oom(struct parser *p)
{
	snprintf(p->err, p->errlen, "%s:%zu: out of memory", p->name, p->line);
	return -1;
}

/*
 * Makes room for one more item in *items (n used, *cap allocated), doubling:
 * a line of 100,000 "**" must not cost a realloc per span.
 */
static int room(void **items, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 8;
	void *bigger = realloc(*items, c * size);
	if (!bigger)
		return -1;
	*items = bigger;
	*cap = c;
	return 0;
}

static struct span *add_span(struct parser *p, enum span_kind kind)
{
	struct block *b = p->cur;
	if (room((void **)&b->spans, b->nspans, &b->cap, sizeof *b->spans) < 0)
		return NULL;
	struct span *s = &b->spans[b->nspans++];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	return s;
}

static int add_text(struct parser *p, const char *s, size_t n)
{
	if (n == 0)
		return 0;
	struct span *sp = add_span(p, SPAN_TEXT);
	if (!sp || !(sp->text = strndup(s, n)))
		return oom(p);
	return 0;
}

static int open_block(struct parser *p, enum block_kind kind)
{
	struct markup *m = p->m;
	if (room((void **)&m->blocks, m->nblocks, &m->cap, sizeof *m->blocks) < 0)
		return oom(p);
	p->cur = &m->blocks[m->nblocks++];
	memset(p->cur, 0, sizeof *p->cur);
	p->cur->kind = kind;
	p->cur->line = p->line;
	return 0;
}

/* ((name)) or ((name??text)), the inside of the brackets in s[0..n). */
static int add_placeholder(struct parser *p, const char *s, size_t n)
{
	const char *q = NULL;
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == '?' && s[i + 1] == '?') {
			q = s + i;
			break;
		}
	size_t name_len = q ? (size_t)(q - s) : n;
	while (name_len && s[name_len - 1] == ' ')
		name_len--;
	while (name_len && *s == ' ')
		s++, name_len--, n--;
	if (name_len == 0 || name_len > MAX_NAME) {
		snprintf(p->err, p->errlen, "%s:%zu: a placeholder needs a name of 1 to %d characters",
			 p->name, p->line, MAX_NAME);
		return -1;
	}
	struct span *sp = add_span(p, q ? SPAN_COND : SPAN_FIELD);
	if (!sp || !(sp->name = strndup(s, name_len)) || !(sp->key = malloc(name_len + 1)))
		return oom(p);
	address_column_key(sp->name, sp->key, name_len + 1);
	if (q && !(sp->text = strndup(q + 2, (size_t)(s + n - q - 2))))
		return oom(p);
	return 0;
}

/* The inline spans of one line of a block. */
static int parse_inline(struct parser *p, const char *s, size_t n)
{
	size_t start = 0, i = 0;
	while (i < n) {
		if (i + 1 < n && s[i] == '*' && s[i + 1] == '*') {
			if (add_text(p, s + start, i - start) < 0 || !add_span(p, SPAN_BOLD))
				return oom(p);
			i += 2;
			start = i;
		} else if (i + 1 < n && s[i] == '(' && s[i + 1] == '(') {
			size_t j = i + 2;
			while (j + 1 < n && !(s[j] == ')' && s[j + 1] == ')'))
				j++;
			if (j + 1 >= n) {
				snprintf(p->err, p->errlen,
					 "%s:%zu: unclosed \"((\": a placeholder must end with \"))\" on the same line",
					 p->name, p->line);
				return -1;
			}
			if (add_text(p, s + start, i - start) < 0 || add_placeholder(p, s + i + 2, j - i - 2) < 0)
				return -1;
			i = j + 2;
			start = i;
		} else {
			i++;
		}
	}
	return add_text(p, s + start, n - start);
}

static int is_page_break(const char *s, size_t n)
{
	return n == 3 && memcmp(s, "***", 3) == 0;
}

/* One line with its ends trimmed: starts a block, continues one, or ends one. */
static int parse_line(struct parser *p, const char *s, size_t n)
{
	if (n == 0) {
		p->cur = NULL;
		return 0;
	}
	if (is_page_break(s, n)) {
		p->number = 0;
		int rc = open_block(p, BLOCK_PAGE_BREAK);
		p->cur = NULL;
		return rc;
	}
	size_t skip = 0;
	enum block_kind kind = BLOCK_PARAGRAPH;
	int number = 0;
	if (s[0] == '#') {
		while (skip < n && s[skip] == '#')
			skip++;
		kind = BLOCK_HEADING;
	} else if ((s[0] == '*' || s[0] == '-') && n > 1 && s[1] == ' ') {
		skip = 1;
		kind = BLOCK_BULLET;
	} else if (isdigit((unsigned char)s[0])) {
		size_t d = 0;
		while (d < n && d < 4 && isdigit((unsigned char)s[d]))
			d++;
		if (d < n - 1 && (s[d] == '.' || s[d] == ')') && s[d + 1] == ' ') {
			kind = BLOCK_NUMBER;
			skip = d + 1;
			number = ++p->number;
		}
	}
	if (kind != BLOCK_NUMBER && kind != BLOCK_PARAGRAPH)
		p->number = 0;
	if (kind == BLOCK_PARAGRAPH && p->cur && p->cur->kind != BLOCK_HEADING) {
		/* A line inside a paragraph or list item continues it on a new line. */
		if (p->cur->kind == BLOCK_PARAGRAPH && !add_span(p, SPAN_BREAK))
			return oom(p);
		if (p->cur->kind != BLOCK_PARAGRAPH && add_text(p, " ", 1) < 0)
			return -1;
		return parse_inline(p, s, n);
	}
	if (kind == BLOCK_PARAGRAPH)
		p->number = 0;
	if (open_block(p, kind) < 0)
		return -1;
	p->cur->number = number;
	while (skip < n && s[skip] == ' ')
		skip++;
	int rc = parse_inline(p, s + skip, n - skip);
	if (kind == BLOCK_HEADING)
		p->cur = NULL;  /* a heading is one line */
	return rc;
}

struct markup *compose_markup_parse(const char *text, size_t len, const char *name, size_t first_line,
			    char *err, size_t errlen)
{
	struct parser p = {.name = name, .line = first_line, .err = err, .errlen = errlen};
	p.m = calloc(1, sizeof *p.m);
	if (!p.m) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	size_t i = 0;
	while (i < len) {
		size_t e = i;
		while (e < len && text[e] != '\n')
			e++;
		size_t a = i, b = e;
		if (b > a && text[b - 1] == '\r')
			b--;
		for (size_t k = a; k < b;) {
			uint32_t cp;
			size_t step = lk_utf8_next((const unsigned char *)text + k, b - k, &cp);
			if (step == 0) {
				snprintf(err, errlen, "%s:%zu: not valid UTF-8", name, p.line);
				goto fail;
			}
			k += step;
		}
		while (a < b && (text[a] == ' ' || text[a] == '\t'))
			a++;
		while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t'))
			b--;
		if (parse_line(&p, text + a, b - a) < 0)
			goto fail;
		i = e + 1;
		p.line++;
	}
	return p.m;
fail:
	compose_markup_free(p.m);
	return NULL;
}
