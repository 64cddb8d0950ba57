/*
 * fz_copy.h: a MuPDF buffer's bytes copied into malloc'd memory, for the
 * PNG pictures check (overlay.c) and fix (fix/picture.c) hand to callers
 * that free them with free(). For MuPDF code only: it throws, so call it
 * inside fz_try.
 */
#ifndef PDFCHECK_FZ_COPY_H
#define PDFCHECK_FZ_COPY_H

#include <stdlib.h>
#include <string.h>

#include <mupdf/fitz.h>

static inline unsigned char *fz_copy_to_malloc(fz_context *ctx, fz_buffer *buf, size_t *len)
{
	unsigned char *data;
	size_t n = fz_buffer_storage(ctx, buf, &data);
	unsigned char *copy = malloc(n ? n : 1);
	if (!copy)
		fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory");
	memcpy(copy, data, n);
	*len = n;
	return copy;
}

#endif
