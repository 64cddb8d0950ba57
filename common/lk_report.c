/* lk_report.c: the HTML report of a batch (see lk_report.h). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lk_buf.h"
#include "lk_explain.h"
#include "lk_report.h"

/* One code of the summary: its count and links to its letters. */
struct code_row {
	char *code;
	enum lk_report_verdict verdict;
	long count;
	struct lk_buf links;
};

struct lk_report {
	char *title;
	long letters, passed, failed, errors, fixed;   /* passed: as they were; fixed: after letterkit fix */
	struct code_row *codes;
	size_t n_codes, cap_codes;
	struct lk_buf failing, fixed_letters, passing;   /* the letters, in this order in the document */
	int oom;
};

struct lk_report *lk_report_new(const char *title)
{
	struct lk_report *r = calloc(1, sizeof *r);
	if (r && !(r->title = strdup(title))) {
		free(r);
		return NULL;
	}
	return r;
}

long lk_report_letters(const struct lk_report *r)
{
	return r->letters;
}

static struct code_row *code_row(struct lk_report *r, const char *code, enum lk_report_verdict v)
{
	for (size_t i = 0; i < r->n_codes; i++)
		if (r->codes[i].verdict == v && !strcmp(r->codes[i].code, code))
			return &r->codes[i];
	if (r->n_codes == r->cap_codes) {
		size_t cap = r->cap_codes ? 2 * r->cap_codes : 8;
		struct code_row *more = realloc(r->codes, cap * sizeof *more);
		if (!more)
			return NULL;
		r->codes = more;
		r->cap_codes = cap;
	}
	struct code_row *c = &r->codes[r->n_codes];
	memset(c, 0, sizeof *c);
	if (!(c->code = strdup(code)))
		return NULL;
	c->verdict = v;
	r->n_codes++;
	return c;
}

/* open, text escaped, close. */
static void put_in(struct lk_buf *b, const char *open, const char *text, const char *close)
{
	lk_buf_puts(b, open);
	lk_buf_put_xml(b, text);
	lk_buf_puts(b, close);
}

/* A code as an HTML id: letters, digits and '-' kept, anything else '_'. */
static void put_id(struct lk_buf *b, const char *prefix, const char *code)
{
	lk_buf_puts(b, prefix);
	for (const char *p = code; *p; p++) {
		char c = *p;
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
		lk_buf_append(b, ok ? p : "_", 1);
	}
}

/* A file name that breaks only after a separator: <wbr> after / - _ . and no other break. */
static void put_name(struct lk_buf *b, const char *name)
{
	char one[2] = {0, 0};
	for (const char *p = name; *p; p++) {
		one[0] = *p;
		lk_buf_put_xml(b, one);
		if (strchr("/-_.", *p) && p[1])
			lk_buf_puts(b, "<wbr>");
	}
}

/* A link to a file beside the report: every byte but A-Z a-z 0-9 - . _ ~ / percent-encoded. */
static void put_href(struct lk_buf *b, const char *href)
{
	for (const unsigned char *p = (const unsigned char *)href; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			lk_buf_append(b, p, 1);
		else
			lk_buf_printf(b, "%%%02X", *p);
	}
}

/* The letter's name, a link to it when it has one. */
static void put_file(struct lk_buf *b, const struct lk_report_letter *l)
{
	if (l->href) {
		lk_buf_puts(b, "<a href=\"");
		put_href(b, l->href);
		lk_buf_puts(b, "\">");
	}
	put_name(b, l->name);
	if (l->href)
		lk_buf_puts(b, "</a>");
}

static void put_picture(struct lk_buf *b, long number, size_t i, const struct lk_report_picture *p)
{
	/* A checkbox and its label enlarge the picture on a click, without a script. */
	lk_buf_printf(b, "<figure><input type=checkbox class=zoom id=z%ld-%zu><label for=z%ld-%zu>"
			 "<img loading=lazy alt=\"", number, i, number, i);
	lk_buf_put_xml(b, p->caption);
	lk_buf_puts(b, "\" src=\"");
	if (p->png) {
		lk_buf_puts(b, "data:image/png;base64,");
		lk_buf_put_base64(b, p->png, p->png_len);
	} else {
		put_href(b, p->src ? p->src : "");
	}
	lk_buf_puts(b, "\"></label><figcaption>");
	lk_buf_put_xml(b, p->caption);
	lk_buf_puts(b, " (click to enlarge)</figcaption></figure>");
}

/* A letter's reasons, the address as read and its pictures. */
static void put_details(struct lk_buf *b, long number, const struct lk_report_letter *l)
{
	if (l->n_reasons) {
		lk_buf_puts(b, "<ul>");
		for (size_t i = 0; i < l->n_reasons; i++) {
			lk_buf_puts(b, l->warning && l->warning[i] ? "<li class=warning>warning: " : "<li>");
			lk_buf_put_xml(b, l->reasons[i]);
		}
		lk_buf_puts(b, "</ul>");
	}
	if (l->address) {
		put_in(b, "<div class=address><span>The address as read: the lines Notify would print</span><pre>", l->address, "</pre>");
		if (l->postage_zone) {
			put_in(b, "<span>postage zone: ", l->postage_zone, "</span>");
		}
		lk_buf_puts(b, "</div>");
	}
	if (l->n_pictures) {
		lk_buf_puts(b, "<div class=pictures>");
		for (size_t i = 0; i < l->n_pictures; i++)
			put_picture(b, number, i, &l->pictures[i]);
		lk_buf_puts(b, "</div>");
	}
}

/* A fixed letter: why it did not pass as it was, what fix did, its before/after pictures. */
static void add_fixed(struct lk_report *r, long number, const struct lk_report_letter *l)
{
	struct lk_buf *b = &r->fixed_letters;
	r->fixed++;
	lk_buf_printf(b, "<article class=\"letter fixed\" id=letter-%ld><h3><b>FIXED</b> <span class=file>", number);
	put_file(b, l);
	lk_buf_puts(b, "</span></h3><p class=why>did not pass as it was");
	if (l->code) {
		put_in(b, ": <code>", l->code, "</code>");
		lk_buf_put_xml(b, l->pages ? l->pages : "");
		const char *why = lk_explain_short(l->code);
		if (why)
			put_in(b, " (", why, ")");
	}
	lk_buf_puts(b, "; it passes as letterkit fix changed it:</p>");
	put_details(b, number, l);
	lk_buf_puts(b, "</article>\n");
}

void lk_report_add(struct lk_report *r, const struct lk_report_letter *l)
{
	long number = ++r->letters;
	if (l->verdict == LK_REPORT_FIXED) {
		add_fixed(r, number, l);
		return;
	}
	if (l->verdict == LK_REPORT_PASS) {
		r->passed++;
		struct lk_buf *b = &r->passing;
		lk_buf_printf(b, "<div class=\"letter pass\" id=letter-%ld><b>PASS</b> <span class=file>", number);
		put_file(b, l);
		lk_buf_puts(b, "</span>");
		if (l->postage_zone) {
			put_in(b, " <span class=note>", l->postage_zone, "</span>");
		}
		lk_buf_puts(b, "</div>\n");
		return;
	}
	const char *code = l->code ? l->code : l->verdict == LK_REPORT_ERROR ? "could-not-be-checked" : "did-not-pass";
	if (l->verdict == LK_REPORT_ERROR)
		r->errors++;
	else
		r->failed++;
	struct code_row *c = code_row(r, code, l->verdict);
	if (!c) {
		r->oom = 1;
		return;
	}
	c->count++;
	lk_buf_printf(&c->links, "<li><a href=\"#letter-%ld\">", number);
	put_name(&c->links, l->name);
	lk_buf_puts(&c->links, "</a>");

	struct lk_buf *b = &r->failing;
	const char *word = l->verdict == LK_REPORT_ERROR ? "ERROR" : "FAIL";
	lk_buf_printf(b, "<article class=\"letter %s\" id=letter-%ld><h3><b>%s</b> <span class=file>",
		      l->verdict == LK_REPORT_ERROR ? "error" : "fail", number, word);
	put_file(b, l);
	lk_buf_puts(b, "</span></h3>");
	lk_buf_puts(b, "<p class=why><a class=code href=\"");
	put_id(b, "#explain-", code);
	lk_buf_puts(b, "\"><code>");
	lk_buf_put_xml(b, code);
	lk_buf_puts(b, "</code></a>");
	lk_buf_put_xml(b, l->pages ? l->pages : "");
	const char *why = lk_explain_short(code);
	if (why) {
		lk_buf_puts(b, ": ");
		lk_buf_put_xml(b, why);
	}
	lk_buf_puts(b, "</p>");
	if (l->error) {
		put_in(b, "<p>", l->error, "</p>");
	}
	put_details(b, number, l);
	lk_buf_puts(b, "</article>\n");
}

static const char style[] =
	"body{font:16px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:70em;padding:0 1em;color:#0b0c0c}"
	"h1{font-size:1.7em;margin:0 0 .3em}h2{font-size:1.3em;margin:1.5em 0 .5em}h3{font-size:1.05em;margin:0 0 .3em}"
	"table{border-collapse:collapse}th,td{border-bottom:1px solid #b1b4b6;padding:.4em .6em;text-align:left;"
	"vertical-align:top}td.n{text-align:right}table.summary code{white-space:nowrap}tr.fail code,tr.error code{color:#d4351c}tr.pass code{color:#00703c}"
	".file{font-family:ui-monospace,monospace;word-break:keep-all;overflow-wrap:normal}"
	".letter{border-left:5px solid #d4351c;padding:.6em 1em;margin:0 0 1em;background:#fff}"
	".letter.pass{border-left-color:#00703c;padding:.15em 1em;margin:0}.letter.pass b{color:#00703c}"
	".letter.fail b,.letter.error b{color:#d4351c}.letter:target{outline:3px solid #ffdd00}"
	".letter.fixed{border-left-color:#1d70b8}.letter.fixed b{color:#1d70b8}.letter.fixed figure img{width:600px}"
	"ul{margin:.3em 0;padding-left:1.3em}li.warning{color:#594d00}.why{margin:.2em 0}"
	".address{margin:.5em 0;background:#f3f2f1;padding:.4em .6em;display:inline-block}"
	".address span{font-size:.85em;color:#505a5f;display:block}.address pre{margin:.2em 0;font:inherit}"
	".pictures{display:flex;flex-wrap:wrap;gap:.8em}figure{margin:0}"
	"figure img{border:1px solid #b1b4b6;width:340px;max-width:100%;cursor:zoom-in;display:block}"
	".zoom{display:none}.zoom:checked+label img{width:min(100%,900px);cursor:zoom-out}"
	".zoom:checked+label{flex-basis:100%}figure:has(.zoom:checked){flex-basis:100%}"
	"figcaption{font-size:.85em;color:#505a5f}.note{color:#505a5f}"
	".explain{margin:.3em 0 .6em;max-width:48em}"
	"#only-failures:checked~main .pass,#only-failures:checked~main .fixed{display:none}.controls{margin:1em 0;padding:.5em;background:#f3f2f1}"
	"@media print{.controls,#only-failures{display:none}.letter{break-inside:avoid}"
	"figure img{width:60mm}.letter.fixed figure img{width:120mm}a{color:inherit;text-decoration:none}body{margin:0;max-width:none}}";

/* Text with lines broken at 76 columns as paragraphs: a blank line ends one. */
static void put_paragraphs(struct lk_buf *b, const char *text)
{
	lk_buf_puts(b, "<p class=explain>");
	char one[2] = {0, 0};
	for (const char *p = text; *p; p++) {
		if (p[0] == '\n' && p[1] == '\n') {
			lk_buf_puts(b, "</p><p class=explain>");
			p++;
		} else if (p[0] == '\n') {
			if (p[1])
				lk_buf_puts(b, " ");
		} else {
			one[0] = *p;
			lk_buf_put_xml(b, one);
		}
	}
	lk_buf_puts(b, "</p>");
}

static int by_rank(const void *a, const void *b)
{
	const struct code_row *x = a, *y = b;
	if (x->verdict != y->verdict)   /* failures, then errors */
		return x->verdict == LK_REPORT_FAIL ? -1 : 1;
	return x->count < y->count ? 1 : x->count > y->count ? -1 : strcmp(x->code, y->code);
}

int lk_report_write(const struct lk_report *r, const char *path, char *err, size_t errlen)
{
	struct lk_buf doc = {0};
	char when[64];
	time_t now = time(NULL);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime(&now));
	lk_buf_puts(&doc, "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
			  "<meta name=viewport content=\"width=device-width,initial-scale=1\"><title>");
	lk_buf_put_xml(&doc, r->title);
	lk_buf_printf(&doc, ": %ld letters</title><style>%s</style></head><body>\n<h1>", r->letters, style);
	lk_buf_put_xml(&doc, r->title);
	lk_buf_printf(&doc, "</h1>\n<p>%ld letters checked against GOV.UK Notify's letter specification "
			    "(as of %s): <b>%ld passed</b>", r->letters, when, r->passed + r->fixed);
	if (r->fixed)
		lk_buf_printf(&doc, " (%ld of them once fixed)", r->fixed);
	lk_buf_printf(&doc, ", <b>%ld failed</b>, %ld could not be checked.</p>\n", r->failed, r->errors);
	/* the summary: failures by count, then errors, `valid` last */
	struct code_row *rows = r->n_codes ? malloc(r->n_codes * sizeof *rows) : NULL;
	if (r->n_codes && !rows)
		doc.oom = 1;
	if (rows) {
		memcpy(rows, r->codes, r->n_codes * sizeof *rows);
		qsort(rows, r->n_codes, sizeof *rows, by_rank);
	}
	lk_buf_puts(&doc, "<table class=summary id=summary><tr><th>why<th class=n>letters<th>what it means</tr>\n");
	for (size_t i = 0; rows && i < r->n_codes; i++) {
		const char *why = lk_explain_short(rows[i].code);
		lk_buf_printf(&doc, "<tr class=%s><td><a href=\"", rows[i].verdict == LK_REPORT_FAIL ? "fail" : "error");
		put_id(&doc, "#code-", rows[i].code);
		lk_buf_puts(&doc, "\"><code>");
		lk_buf_put_xml(&doc, rows[i].code);
		lk_buf_printf(&doc, "</code></a><td class=n>%ld<td>", rows[i].count);
		lk_buf_put_xml(&doc, why ? why : "");
		lk_buf_puts(&doc, " <a href=\"");
		put_id(&doc, "#explain-", rows[i].code);
		lk_buf_puts(&doc, "\">how to fix it</a></tr>\n");
	}
	if (r->fixed)
		lk_buf_printf(&doc, "<tr class=pass><td><a href=\"#fixed\"><code>fixed</code></a><td class=n>%ld<td>"
				    "did not pass as it was; letterkit fix made it pass</tr>\n", r->fixed);
	if (r->passed)
		lk_buf_printf(&doc, "<tr class=pass><td><a href=\"#passed\"><code>valid</code></a><td class=n>%ld<td>"
				    "the letter meets Notify's letter specification</tr>\n", r->passed);
	lk_buf_puts(&doc, "</table>\n");
	lk_buf_puts(&doc, "<input type=checkbox id=only-failures><label class=controls for=only-failures>"
			  "Show failures only (hide the letters that passed)</label>\n<main>\n");
	if (r->failing.len) {
		lk_buf_puts(&doc, "<h2 id=failures>Letters that did not pass</h2>\n");
		lk_buf_append(&doc, r->failing.data, r->failing.len);
	}
	if (r->fixed_letters.len) {
		lk_buf_puts(&doc, "<h2 id=fixed class=fixed>Letters fixed</h2>\n");
		lk_buf_append(&doc, r->fixed_letters.data, r->fixed_letters.len);
	}
	if (r->passing.len) {
		lk_buf_puts(&doc, "<h2 id=passed class=pass>Letters that passed</h2>\n");
		lk_buf_append(&doc, r->passing.data, r->passing.len);
	}
	lk_buf_puts(&doc, "</main>\n");
	if (rows && r->n_codes)
		lk_buf_puts(&doc, "<h2 id=codes>Why letters did not pass, and how to fix them</h2>\n");
	/* per code: its letters, then its explanation */
	for (size_t i = 0; rows && i < r->n_codes; i++) {
		const struct lk_explanation *e = lk_explain(rows[i].code);
		lk_buf_puts(&doc, "<section class=code id=\"");
		put_id(&doc, "code-", rows[i].code);
		lk_buf_puts(&doc, "\"><h2><code>");
		lk_buf_put_xml(&doc, rows[i].code);
		lk_buf_printf(&doc, "</code>: %ld letter%s</h2><ul class=links>", rows[i].count, rows[i].count == 1 ? "" : "s");
		lk_buf_append(&doc, rows[i].links.data ? rows[i].links.data : "", rows[i].links.len);
		doc.oom |= rows[i].links.oom;
		lk_buf_puts(&doc, "</ul><div id=\"");
		put_id(&doc, "explain-", rows[i].code);
		lk_buf_puts(&doc, "\"><h3>What it means and how to fix it</h3>");
		put_paragraphs(&doc, e ? e->long_text : "letterkit has no explanation of this code.");
		lk_buf_puts(&doc, "</div></section>\n");
	}
	free(rows);
	lk_buf_puts(&doc, "<p class=note>In the pictures, red is where Notify allows nothing to be printed, "
			  "blue the marks that are there, green the address window and the address read from it. "
			  "'letterkit explain CODE' prints each explanation.");
	if (r->fixed)
		lk_buf_puts(&doc, " A fixed letter's pictures show each page letterkit fix changed, before (left) "
				  "and after (right).");
	lk_buf_puts(&doc, "</p>\n</body></html>\n");
	/* never a file with letters missing */
	doc.oom |= r->oom || r->failing.oom || r->fixed_letters.oom || r->passing.oom;
	int rc = lk_buf_write_atomic(&doc, path, err, errlen);
	lk_buf_free(&doc);
	return rc;
}

void lk_report_free(struct lk_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_codes; i++) {
		free(r->codes[i].code);
		lk_buf_free(&r->codes[i].links);
	}
	free(r->codes);
	lk_buf_free(&r->failing);
	lk_buf_free(&r->fixed_letters);
	lk_buf_free(&r->passing);
	free(r->title);
	free(r);
}
