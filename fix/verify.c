/*
 * verify.c: a fixed letter keeps what the original had: its pages, its text
 * (as MuPDF extracts it, but for a removed NOTIFY tag), its images and its
 * links, and page 1's address where Notify reads it. Whitespace is left out of the comparison: the words and their
 * order are what a reader and Notify's address reading see.
 */
#include <string.h>

#include "internal.h"
#include "spec.h"

struct page_facts {
	fz_buffer *text;   /* the page's text without whitespace */
	int images, links;
};

static void facts(fz_context *ctx, fz_document *doc, int i, struct page_facts *f)
{
	fz_page *page = fz_load_page(ctx, doc, i);
	fz_stext_page *st = NULL;
	fz_link *links = NULL;
	fz_var(st);
	fz_var(links);
	fz_try(ctx) {
		fz_stext_options o = {FZ_STEXT_PRESERVE_IMAGES};
		st = fz_new_stext_page_from_page(ctx, page, &o);
		f->text = fz_new_buffer(ctx, 1024);
		for (fz_stext_block *b = st->first_block; b; b = b->next) {
			if (b->type == FZ_STEXT_BLOCK_IMAGE) {
				f->images++;
				continue;
			}
			for (fz_stext_line *l = b->u.t.first_line; l; l = l->next)
				for (fz_stext_char *c = l->first_char; c; c = c->next)
					if (c->c > ' ' && c->c != 0xa0)
						fz_append_rune(ctx, f->text, c->c);
		}
		links = fz_load_links(ctx, page);
		for (fz_link *k = links; k; k = k->next)
			f->links++;
	}
	fz_always(ctx) {
		fz_drop_link(ctx, links);
		fz_drop_stext_page(ctx, st);
		fz_drop_page(ctx, page);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* The text with its first n NOTIFY words taken out (the tags removed). */
static void drop_tags(fz_context *ctx, fz_buffer *text, int n)
{
	unsigned char *data;
	size_t len = fz_buffer_storage(ctx, text, &data);
	size_t k = strlen(SPEC_NOTIFY_TAG);
	for (size_t i = 0; n > 0 && i + k <= len;) {
		if (memcmp(data + i, SPEC_NOTIFY_TAG, k) == 0) {
			memmove(data + i, data + i + k, len - i - k);
			len -= k;
			n--;
		} else {
			i++;
		}
	}
	text->len = len;
}

/* 0 when page 1's address words (text and boxes) are the same in both. */
static int same_address(fz_context *ctx, fz_document *before, fz_document *after, char *why, size_t whylen)
{
	fz_page *pa = NULL, *pb = NULL;
	fz_buffer *wa = NULL, *wb = NULL;
	int rc = 0;
	fz_var(rc);
	fz_var(pa);
	fz_var(pb);
	fz_var(wa);
	fz_var(wb);
	fz_try(ctx) {
		pa = fz_load_page(ctx, before, 0);
		pb = fz_load_page(ctx, after, 0);
		wa = address_words(ctx, pa);
		wb = address_words(ctx, pb);
		unsigned char *da, *db;
		size_t la = fz_buffer_storage(ctx, wa, &da), lb = fz_buffer_storage(ctx, wb, &db);
		if (la != lb || memcmp(da, db, la) != 0) {
			snprintf(why, whylen, "page 1: the address as Notify reads it (its words or where they are) "
					      "differs from the original's");
			rc = -1;
		}
	}
	fz_always(ctx) {
		fz_drop_buffer(ctx, wa);
		fz_drop_buffer(ctx, wb);
		fz_drop_page(ctx, pa);
		fz_drop_page(ctx, pb);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
	return rc;
}

int verify_kept(fz_context *ctx, fz_document *before, fz_document *after, const int *removed, int address,
		char *why, size_t whylen)
{
	int n = fz_count_pages(ctx, before);
	if (fz_count_pages(ctx, after) != n) {
		snprintf(why, whylen, "the fixed letter has %d pages, not %d", fz_count_pages(ctx, after), n);
		return -1;
	}
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		struct page_facts a = {0}, b = {0};
		fz_try(ctx) {
			facts(ctx, before, i, &a);
			facts(ctx, after, i, &b);
			drop_tags(ctx, a.text, removed[i]);
			unsigned char *ta, *tb;
			size_t la = fz_buffer_storage(ctx, a.text, &ta), lb = fz_buffer_storage(ctx, b.text, &tb);
			if (la != lb || memcmp(ta, tb, la) != 0) {
				snprintf(why, whylen, "page %d: the fixed page's text differs from the original's", i + 1);
				rc = -1;
			} else if (a.images != b.images) {
				snprintf(why, whylen, "page %d: %d images, not %d", i + 1, b.images, a.images);
				rc = -1;
			} else if (a.links != b.links) {
				snprintf(why, whylen, "page %d: %d links, not %d", i + 1, b.links, a.links);
				rc = -1;
			}
		}
		fz_always(ctx) {
			fz_drop_buffer(ctx, a.text);
			fz_drop_buffer(ctx, b.text);
		}
		fz_catch(ctx)
			fz_rethrow(ctx);
	}
	if (rc == 0 && address && n > 0)
		rc = same_address(ctx, before, after, why, whylen);
	return rc;
}
