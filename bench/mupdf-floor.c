/*
 * mupdf-floor: the least any MuPDF-based checker must do with a batch of
 * PDFs, for bench/check: one context for the batch, and for each file: open
 * it, load every page and run it through a device that does nothing (no
 * rendering, no text extraction, no checks). Prints the files and pages read.
 * usage: mupdf-floor FILE...
 */
#include <stdio.h>

#include <mupdf/fitz.h>

int main(int argc, char **argv)
{
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	if (!ctx) {
		fprintf(stderr, "mupdf-floor: cannot make a MuPDF context\n");
		return 2;
	}
	fz_register_document_handlers(ctx);
	long files = 0, pages = 0, failed = 0;
	for (int i = 1; i < argc; i++) {
		fz_document *doc = NULL;
		fz_page *page = NULL;
		fz_device *dev = NULL;
		fz_var(doc);
		fz_var(page);
		fz_var(dev);
		fz_try(ctx) {
			doc = fz_open_document(ctx, argv[i]);
			int n = fz_count_pages(ctx, doc);
			/* A device with no callbacks: the interpreter runs, nothing is drawn. */
			dev = fz_new_device_of_size(ctx, sizeof *dev);
			for (int p = 0; p < n; p++) {
				page = fz_load_page(ctx, doc, p);
				fz_run_page(ctx, page, dev, fz_identity, NULL);
				fz_drop_page(ctx, page);
				page = NULL;
				pages++;
			}
			fz_close_device(ctx, dev);
			files++;
		}
		fz_always(ctx) {
			fz_drop_device(ctx, dev);
			fz_drop_page(ctx, page);
			fz_drop_document(ctx, doc);
		}
		fz_catch(ctx)
			failed++;
	}
	fz_drop_context(ctx);
	printf("%ld files, %ld pages, %ld unreadable\n", files, pages, failed);
	return 0;
}
