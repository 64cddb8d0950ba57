// poppler_raster.cc: pdftoppm's raster of a piece of a page (poppler_raster.h).
// Set up as pdftoppm 22.12 sets up its SplashOutputDev, so that the pixels are
// the ones Notify's validator looks at; checked against pdftoppm -x -y -W -H
// by tests/pdfcheck/edge-oracle.py.
#include <cstring>
#include <memory>
#include <mutex>

#include <GlobalParams.h>
#include <PDFDoc.h>
#include <SplashOutputDev.h>
#include <Stream.h>
#include <splash/SplashBitmap.h>

#include "poppler_raster.h"

static std::once_flag params_once;

struct stopper {
	int (*stop)(void *);
	void *arg;
};

static bool should_stop(void *data)
{
	const stopper *s = static_cast<const stopper *>(data);
	return s->stop && s->stop(s->arg);
}

extern "C" int poppler_render_area(const unsigned char *pdf, size_t len, int page_no, int x, int y, int w,
				   int h, unsigned char *rgb, int (*stop)(void *), void *stop_arg)
{
	try {
		std::call_once(params_once, [] {
			globalParams = std::make_unique<GlobalParams>();
			globalParams->setErrQuiet(true);   // a library does not print
		});
		// The stream borrows the bytes; PDFDoc owns the stream.
		auto *stream = new MemStream(reinterpret_cast<const char *>(pdf), 0, len, Object(objNull));
		PDFDoc doc(stream);
		if (!doc.isOk() || page_no < 1 || page_no > doc.getNumPages())
			return -1;
		SplashColor paper = {255, 255, 255};
		SplashOutputDev out(splashModeRGB8, 4, false, paper);
		out.setFontAntialias(true);
		out.setVectorAntialias(true);
		out.setFreeTypeHinting(false, false);
		out.startDoc(&doc);
		// As pdftoppm: rotate 0 (the page's /Rotate applies), useMediaBox, no crop, not printing.
		stopper s = {stop, stop_arg};
		doc.displayPageSlice(&out, page_no, 200, 200, 0, true, false, false, x, y, w, h, should_stop, &s);
		if (should_stop(&s))
			return -1;
		SplashBitmap *bitmap = out.getBitmap();
		if (!bitmap || bitmap->getWidth() != w || bitmap->getHeight() != h)
			return -1;
		for (int row = 0; row < h; row++)
			std::memcpy(rgb + static_cast<size_t>(row) * w * 3,
				    bitmap->getDataPtr() + static_cast<size_t>(row) * bitmap->getRowSize(),
				    static_cast<size_t>(w) * 3);
		return 0;
	} catch (...) {
		return -1;
	}
}
