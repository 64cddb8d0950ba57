/* settings.c: the engine limits and scan options letterkit uses. */
#include "settings.h"

#include <stdio.h>
#include <string.h>

int scan_settings_apply(struct cl_engine *engine, const struct scan_config *cfg, char *err,
			size_t errlen)
{
	const struct {
		enum cl_engine_field field;
		long long value;
		const char *name;
	} limits[] = {
		{CL_ENGINE_MAX_FILESIZE,
		 (long long)(cfg->max_filesize ? cfg->max_filesize : SCAN_MAX_FILESIZE),
		 "max file size"},
		{CL_ENGINE_MAX_SCANSIZE, (long long)SCAN_MAX_SCANSIZE, "max scan size"},
		{CL_ENGINE_MAX_RECURSION, SCAN_MAX_RECURSION, "max recursion"},
		{CL_ENGINE_MAX_FILES, SCAN_MAX_FILES, "max files"},
		{CL_ENGINE_MAX_SCANTIME, SCAN_MAX_SCANTIME_MS, "max scan time"},
	};
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
		cl_error_t rc = cl_engine_set_num(engine, limits[i].field, limits[i].value);
		if (rc != CL_SUCCESS) {
			snprintf(err, errlen, "cannot set the ClamAV %s: %s", limits[i].name,
				 cl_strerror(rc));
			return -1;
		}
	}
	if (cfg->no_cache) {
		cl_error_t rc = cl_engine_set_num(engine, CL_ENGINE_DISABLE_CACHE, 1);
		if (rc != CL_SUCCESS) {
			snprintf(err, errlen, "cannot disable the ClamAV cache: %s", cl_strerror(rc));
			return -1;
		}
	}
	return 0;
}

void scan_settings_options(struct cl_scan_options *opts)
{
	memset(opts, 0, sizeof *opts);
	/*
	 * Heuristic alerts need both the general switch and their own bit.
	 * "Structured" (credit card and SSN) heuristics stay off: they fire on
	 * ordinary letters full of numbers.
	 */
	opts->general = CL_SCAN_GENERAL_HEURISTICS;
	/*
	 * Every parser: a PDF can embed any file (an executable, an archive,
	 * an Office document) and it must be opened to be scanned. The image
	 * fuzzy hash is left out: it only serves image-hash signatures and
	 * makes an image-heavy letter four times slower.
	 */
	opts->parse = ~(unsigned int)0 & ~(unsigned int)CL_SCAN_PARSE_IMAGE_FUZZY_HASH;
	/* Report what cannot be scanned instead of passing it as clean. */
	opts->heuristic = CL_SCAN_HEURISTIC_ENCRYPTED_DOC | CL_SCAN_HEURISTIC_EXCEEDS_MAX;
}
