/* json.c: a pdfcheck_report as JSON, the form `check --json` and the NDJSON pipes use. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "lk_ndjson.h"

/*
 * Millimetres to 0.1 mm, a tenth of what a printer can place. The library
 * keeps full precision; only the JSON is rounded. (+ 0.0 turns -0.0 into 0.0.)
 */
static json_t *mm(double v)
{
	return json_real(round(v * 10.0) / 10.0 + 0.0);
}

static json_t *findings_json(const struct pdfcheck_report *rep)
{
	json_t *list = json_array();
	for (size_t i = 0; i < rep->n_findings; i++) {
		const struct pdfcheck_finding *f = &rep->findings[i];
		json_t *o = json_object();
		json_object_set_new(o, "code", json_string(f->code));
		json_object_set_new(o, "severity",
				    json_string(f->severity == PDFCHECK_SEVERITY_ERROR ? "error" : "warning"));
		json_object_set_new(o, "page", f->page ? json_integer(f->page) : json_null());
		json_object_set_new(o, "box_mm", f->has_box
			? json_pack("[oooo]", mm(f->box_mm[0]), mm(f->box_mm[1]), mm(f->box_mm[2]), mm(f->box_mm[3]))
			: json_null());
		json_object_set_new(o, "detail", json_string(f->detail));
		json_array_append_new(list, o);
	}
	return list;
}

json_t *pdfcheck_report_json(const struct pdfcheck_report *rep)
{
	json_t *o = json_object();
	json_object_set_new(o, "valid", json_boolean(rep->valid));
	json_object_set_new(o, "message", rep->message ? json_string(rep->message) : json_null());
	json_t *pages = json_null();
	if (rep->invalid_pages) {
		pages = json_array();
		for (int i = 0; i < rep->n_invalid_pages; i++)
			json_array_append_new(pages, json_integer(rep->invalid_pages[i]));
	}
	json_object_set_new(o, "invalid_pages", pages);
	json_object_set_new(o, "page_count", rep->page_count >= 0 ? json_integer(rep->page_count) : json_null());
	json_object_set_new(o, "findings", findings_json(rep));
	json_object_set_new(o, "address", rep->address ? json_string(rep->address) : json_null());
	json_object_set_new(o, "postage_zone", rep->postage_zone ? json_string(rep->postage_zone) : json_null());
	return o;
}

void pdfcheck_report_json_debug(json_t *o, const struct pdfcheck_report *rep)
{
	json_object_set_new(o, "debug", json_pack("{s:I}", "pixels_rendered", (json_int_t)rep->pixels_rendered));
}

/*
 * jansson writes a real with 17 significant digits (20.3 as
 * 20.300000000000001), which the NDJSON pipes need so that other stages'
 * values pass through to the last bit (lk_ndjson.h). check's own numbers
 * are rounded to 0.1 mm, and 15 digits print them as they are: so `own`
 * is written with 15, and `rec` exactly as lk_ndjson_write would.
 */
#define OWN_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

int check_json_write(FILE *out, json_t *rec, const char *key, const json_t *own)
{
	char *base = json_dumps(rec, LK_NDJSON_DUMP_FLAGS);
	char *mine = json_dumps(own, OWN_FLAGS);
	int rc = -1;
	if (base && mine) {
		size_t nb = strlen(base), nm = strlen(mine);
		int base_empty = nb == 2, mine_empty = !key && nm == 2;
		/* base without its '}', then own's members (or own under key), then '}' */
		fwrite(base, 1, nb - 1, out);
		if (!base_empty && !mine_empty)
			putc(',', out);
		if (key) {
			fprintf(out, "\"%s\":", key);
			fputs(mine, out);
		} else {
			fwrite(mine + 1, 1, nm - 2, out);
		}
		fputs("}\n", out);
		rc = fflush(out) == 0 && !ferror(out) ? 0 : -1;
	}
	free(base);
	free(mine);
	return rc;
}
