/* json.h: a pdfcheck_report as JSON (front-end helper; the library stays JSON-free). */
#ifndef PDFCHECK_JSON_H
#define PDFCHECK_JSON_H

#include <stdio.h>

#include <jansson.h>

#include "pdfcheck.h"

/**
 * The report as a new JSON object: valid, message, invalid_pages,
 * page_count, findings [{code, severity, page, box_mm, detail}], address,
 * postage_zone. The caller owns the reference.
 */
json_t *pdfcheck_report_json(const struct pdfcheck_report *rep);

/**
 * Adds "debug": {"pixels_rendered": N} to o, the report's JSON (check
 * --debug): how much was rendered to reach the verdict.
 */
void pdfcheck_report_json_debug(json_t *o, const struct pdfcheck_report *rep);

/**
 * Writes one NDJSON line: the members of `rec` (exact, as lk_ndjson_write
 * writes them) followed by `own`, check's JSON with its numbers rounded:
 * under `key` (a plain ASCII name not in rec) or, when key is NULL, its
 * members at the top level. Flushes. Returns 0, or -1 (errno says why).
 */
int check_json_write(FILE *out, json_t *rec, const char *key, const json_t *own);

#endif
