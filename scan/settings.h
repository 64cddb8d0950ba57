/*
 * settings.h: the engine limits and scan options letterkit uses (private).
 *
 * Shared by the scan library and bench/scan's direct libclamav loop, so that
 * the benchmark measures exactly the scan the command makes.
 */
#ifndef LETTERKIT_SCAN_SETTINGS_H
#define LETTERKIT_SCAN_SETTINGS_H

#include <stddef.h>

#include <clamav.h>

#include "scan.h"

/**
 * Sets the limits of scan.h, or cfg's max_filesize, and turns the
 * clean-result cache off when cfg says so, on an engine not yet compiled.
 * Returns 0, or -1 with a message in err.
 */
int scan_settings_apply(struct cl_engine *engine, const struct scan_config *cfg, char *err,
			size_t errlen);

/** Fills the options every scan uses. */
void scan_settings_options(struct cl_scan_options *opts);

#endif
