/*
 * lk_text.h: text from letters and file names, made safe for where it goes.
 *
 * A file name or the text of a PDF is anybody's bytes. On a terminal its
 * control characters would act (ESC ] 0 ; ... BEL sets the window title,
 * ESC [ 2 J clears the screen), so human output shows them escaped. In JSON
 * and XML, which must be UTF-8, a name that is not UTF-8 is carried
 * losslessly beside a readable form (see lk_json_set_path).
 */
#ifndef LK_TEXT_H
#define LK_TEXT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

struct lk_buf;

/*
 * The escaped form, for people: printable UTF-8 as itself; TAB, LF and CR
 * as \t \n \r; other C0 controls, DEL and the C1 controls (U+0080-U+009F)
 * as \xHH (C1 as \u0080-\u009f); a byte that is not part of UTF-8 as \xHH;
 * a backslash stays a single backslash (the form is for reading, not for
 * parsing back). `keep_newlines` leaves LF as a line break, for multi-line
 * text such as an address printed one line under the other.
 */
void lk_put_safe(FILE *out, const char *s, int keep_newlines);
void lk_buf_put_safe(struct lk_buf *b, const char *s, int keep_newlines);

/**
 * The escaped form of s in buf (cut with "..." when it does not fit), for
 * printf: `char nb[1024]; printf("FAIL %s\n", lk_safe(name, nb, sizeof nb));`
 * Returns buf.
 */
const char *lk_safe(const char *s, char *buf, size_t size);

/*
 * A path in JSON. When the path is UTF-8, obj[key] is the path. When it is
 * not (Linux names are bytes), obj[key] is a readable form, each byte that
 * is not part of UTF-8 replaced by U+FFFD, and obj[key "_base64"] holds the
 * exact bytes in standard base64, so nothing is lost and every output stays
 * valid JSON. lk_json_get_path() reads either back: the exact bytes when
 * KEY_base64 is there. Returns 0, or -1 when out of memory.
 */
int lk_json_set_path(json_t *obj, const char *key, const char *path);

/**
 * The path of obj[key] as lk_json_set_path wrote it (or any string a user
 * wrote). Returns NULL when obj has no such string. When the exact bytes
 * came from KEY_base64, they are in a new string in *owned (free it);
 * otherwise *owned is NULL and the result points into obj.
 */
const char *lk_json_get_path(const json_t *obj, const char *key, char **owned);

/** s with every byte that is not part of UTF-8 replaced by U+FFFD, in a new string (NULL when out of memory). */
char *lk_utf8_readable(const char *s);

#endif
