/*
 * settings.c: the letter settings file.
 *
 * A settings file starts with a "[letter]" line, then "key = value" lines
 * ('#' starts a comment line), then optionally a "[body]" line after which
 * the rest of the file is the body in Notify's markup. Keys: body (a markup
 * file, instead of a [body] section), logo, font, bold_font, font_size,
 * language (english or welsh), page_numbers (yes or no) and sender (one line
 * of the sender's block; repeat it for each line). A file that does not
 * start with "[letter]" is a bare body with default settings.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose-imp.h"
#include "lk_file.h"

#define MAX_TEMPLATE_BYTES (4u * 1024 * 1024)
#define DEFAULT_FONT "LiberationSans-Regular.ttf"
#define DEFAULT_BOLD "LiberationSans-Bold.ttf"

struct reader {
	const char *path;
	const char *dir;         /* the settings file's folder, with a trailing '/' or "" */
	size_t dir_len;
	char *font, *bold_font;  /* resolved paths */
	char *body_path;
	size_t line;
	char *err;
	size_t errlen;
};

/* A path from the settings file, relative to the file's own folder. */
static char *resolve(const struct reader *r, const char *value)
{
	if (value[0] == '/')
		return strdup(value);
	size_t n = strlen(value);
	char *out = malloc(r->dir_len + n + 1);
	if (!out)
		return NULL;
	memcpy(out, r->dir, r->dir_len);
	memcpy(out + r->dir_len, value, n + 1);
	return out;
}

static int bad(struct reader *r, const char *what, const char *value)
{
	snprintf(r->err, r->errlen, "%s:%zu: %s '%s'", r->path, r->line, what, value);
	return -1;
}

static int set_path(struct reader *r, char **slot, const char *value)
{
	free(*slot);
	*slot = resolve(r, value);
	return *slot ? 0 : bad(r, "out of memory for", value);
}

static int yes_no(const char *v)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true"))
		return 1;
	if (!strcmp(v, "no") || !strcmp(v, "false"))
		return 0;
	return -1;
}

static int set_key(struct compose_ctx *ctx, struct reader *r, const char *key, const char *value)
{
	if (!strcmp(key, "body"))
		return set_path(r, &r->body_path, value);
	if (!strcmp(key, "font"))
		return set_path(r, &r->font, value);
	if (!strcmp(key, "bold_font"))
		return set_path(r, &r->bold_font, value);
	if (!strcmp(key, "logo")) {
		char *path = resolve(r, value);
		if (!path)
			return bad(r, "out of memory for", value);
		char why[400];
		int rc = compose_logo_load(ctx, path, why, sizeof why);
		free(path);
		if (rc < 0)
			snprintf(r->err, r->errlen, "%s:%zu: logo: %s", r->path, r->line, why);
		return rc;
	}
	if (!strcmp(key, "font_size")) {
		char *end;
		errno = 0;
		double v = strtod(value, &end);
		if (errno || end == value || *end || !(v >= 8 && v <= 16))
			return bad(r, "font_size must be a number of points from 8 to 16, not", value);
		ctx->font_size = v;
		return 0;
	}
	if (!strcmp(key, "language")) {
		if (!strcmp(value, "english"))
			ctx->lang = COMPOSE_ENGLISH;
		else if (!strcmp(value, "welsh"))
			ctx->lang = COMPOSE_WELSH;
		else
			return bad(r, "language must be english or welsh, not", value);
		return 0;
	}
	if (!strcmp(key, "page_numbers")) {
		int v = yes_no(value);
		if (v < 0)
			return bad(r, "page_numbers must be yes or no, not", value);
		ctx->page_numbers = v;
		return 0;
	}
	if (!strcmp(key, "sender")) {
		if (ctx->nsender == COMPOSE_MAX_SENDER_LINES)
			return bad(r, "too many sender lines (16 at most) at", value);
		if (!(ctx->sender[ctx->nsender] = strdup(value)))
			return bad(r, "out of memory for", value);
		ctx->nsender++;
		return 0;
	}
	return bad(r, "unknown setting", key);
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/*
 * The settings lines of `text`; on a "[body]" line, *body is set to the
 * text after it and *body_line to its line number.
 */
static int parse_settings(struct compose_ctx *ctx, struct reader *r, char *text,
			  char **body, size_t *body_line)
{
	char *line = text;
	r->line = 0;
	*body = NULL;
	while (line) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		r->line++;
		char *s = trim(line);
		line = next;
		if (r->line == 1 || *s == '\0' || *s == '#')
			continue;
		if (!strcmp(s, "[body]")) {
			*body = next ? next : s + strlen(s);
			*body_line = r->line + 1;
			return 0;
		}
		char *eq = strchr(s, '=');
		if (!eq)
			return bad(r, "expected 'key = value' or '[body]', not", s);
		*eq = '\0';
		if (set_key(ctx, r, trim(s), trim(eq + 1)) < 0)
			return -1;
	}
	return 0;
}

static int load_body(struct compose_ctx *ctx, struct reader *r, const char *text, size_t len,
		     const char *name, size_t first_line)
{
	ctx->body = compose_markup_parse(text, len, name, first_line, r->err, r->errlen);
	return ctx->body ? 0 : -1;
}

static int load_fonts(struct compose_ctx *ctx, struct reader *r, const char *font_dir)
{
	char path[4096];
	if (!r->font) {
		snprintf(path, sizeof path, "%s/%s", font_dir, DEFAULT_FONT);
		if (!(r->font = strdup(path)))
			goto oom;
		if (!r->bold_font) {
			snprintf(path, sizeof path, "%s/%s", font_dir, DEFAULT_BOLD);
			if (!(r->bold_font = strdup(path)))
				goto oom;
		}
	}
	if (!(ctx->regular = compose_font_load(r->font, r->err, r->errlen)))
		return -1;
	/* Without a bold face, bold text is set in the regular one. */
	const char *bold = r->bold_font ? r->bold_font : r->font;
	ctx->bold_is_regular = !strcmp(bold, r->font);
	ctx->bold = compose_font_load(bold, r->err, r->errlen);
	return ctx->bold ? 0 : -1;
oom:
	snprintf(r->err, r->errlen, "%s: out of memory", r->path);
	return -1;
}

int compose_settings_load(struct compose_ctx *ctx, const char *path, const char *font_dir, char *err,
		  size_t errlen)
{
	unsigned char *data = NULL, *body_data = NULL;
	size_t len = 0, body_len = 0;
	struct reader r = {.path = path, .err = err, .errlen = errlen};
	int rc = -1;
	char *dir = strdup(path);
	if (!dir) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	char *slash = strrchr(dir, '/');
	slash ? (void)(slash[1] = '\0') : (void)(dir[0] = '\0');
	r.dir = dir;
	r.dir_len = strlen(dir);
	if (lk_read_file(path, MAX_TEMPLATE_BYTES, &data, &len, err, errlen) < 0)
		goto out;
	if (memchr(data, '\0', len)) {
		snprintf(err, errlen, "%s: a template is text; this file holds NUL bytes", path);
		goto out;
	}
	const char *first = (const char *)data;
	if (!strncmp(first, "\xEF\xBB\xBF", 3))
		first += 3;
	size_t first_len = strcspn(first, "\r\n");
	if (first_len == 8 && !strncmp(first, "[letter]", 8)) {
		char *body = NULL;
		size_t body_line = 0;
		if (parse_settings(ctx, &r, (char *)first, &body, &body_line) < 0)
			goto out;
		if (body && r.body_path) {
			snprintf(err, errlen, "%s: give the body either as 'body = FILE' or after [body], not both",
				 path);
			goto out;
		}
		if (r.body_path) {
			if (lk_read_file(r.body_path, MAX_TEMPLATE_BYTES, &body_data, &body_len, err, errlen) < 0 ||
			    load_body(ctx, &r, (char *)body_data, body_len, r.body_path, 1) < 0)
				goto out;
		} else if (body) {
			if (load_body(ctx, &r, body, strlen(body), path, body_line) < 0)
				goto out;
		} else {
			snprintf(err, errlen, "%s: no body: add 'body = FILE' or a [body] section", path);
			goto out;
		}
	} else if (load_body(ctx, &r, first, len - (size_t)(first - (const char *)data), path, 1) < 0) {
		goto out;
	}
	if (load_fonts(ctx, &r, font_dir) < 0)
		goto out;
	rc = 0;
out:
	free(dir);
	free(data);
	free(body_data);
	free(r.font);
	free(r.bold_font);
	free(r.body_path);
	return rc;
}
