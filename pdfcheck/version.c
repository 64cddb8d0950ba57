/* version.c: the version of MuPDF this library was built with, for --version. */
#include <mupdf/fitz.h>

#include "pdfcheck.h"

const char *pdfcheck_mupdf_version(void)
{
	return FZ_VERSION;
}
