/*
 * markup.h: Notify's letter template markup, parsed once per template.
 *
 * The body is parsed into blocks (paragraphs, headings, bullet and numbered
 * list items, page breaks) whose inline spans are literal text, bold
 * switches, line breaks, ((placeholders)) and ((conditional??text)). Row
 * values are put in at layout time as plain text, so data never turns into
 * markup: a name holding "**" prints as "**".
 */
#ifndef COMPOSE_MARKUP_H
#define COMPOSE_MARKUP_H

#include <stddef.h>

enum span_kind {
	SPAN_TEXT,    /* literal text */
	SPAN_BOLD,    /* switches bold on or off */
	SPAN_BREAK,   /* a line break inside the block */
	SPAN_FIELD,   /* ((name)): the row's value */
	SPAN_COND,    /* ((name??text)): text when the value is yes/true */
};

struct span {
	enum span_kind kind;
	char *text;   /* SPAN_TEXT and SPAN_COND */
	char *name;   /* SPAN_FIELD and SPAN_COND: as written */
	char *key;    /* the name as matched against columns (address_column_key: as Notify matches them) */
};

enum block_kind { BLOCK_PARAGRAPH, BLOCK_HEADING, BLOCK_BULLET, BLOCK_NUMBER, BLOCK_PAGE_BREAK };

struct block {
	enum block_kind kind;
	int number;           /* BLOCK_NUMBER: its number in the list */
	size_t line;          /* 1-based line in the template file */
	struct span *spans;
	size_t nspans, cap;
};

struct markup {
	struct block *blocks;
	size_t nblocks, cap;
};

/**
 * Parses `len` bytes of markup; `first_line` is the file line of its first
 * line and `name` the file, for messages. Returns a new markup, or NULL with
 * "FILE:LINE: ..." in err (an unclosed "((", an empty placeholder name,
 * invalid UTF-8). Free with compose_markup_free().
 */
struct markup *compose_markup_parse(const char *text, size_t len, const char *name, size_t first_line,
			    char *err, size_t errlen);
void compose_markup_free(struct markup *m);

#endif
