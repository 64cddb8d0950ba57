/* json.h: a pdfcheck_report as JSON (front-end helper; the library stays JSON-free). */
#ifndef PDFCHECK_JSON_H
#define PDFCHECK_JSON_H

#include <jansson.h>

#include "pdfcheck.h"

/**
 * The report as a new JSON object: valid, message, invalid_pages,
 * page_count, findings [{code, severity, page, box_mm, detail}], address,
 * postage_zone. The caller owns the reference.
 */
json_t *pdfcheck_report_json(const struct pdfcheck_report *rep);

#endif
