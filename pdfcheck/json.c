/* json.c: a pdfcheck_report as JSON, the form `check --json` and the NDJSON pipes use. */
#include <math.h>

#include "json.h"

static json_t *mm(double v)
{
	return json_real(round(v * 100.0) / 100.0);
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
