/* verdict.c: a scan verdict as the "scan" object of a letterkit record. */
#include "scan.h"

json_t *scan_verdict_json(const struct scan_ctx *sc, const struct scan_result *res,
			  const char *error)
{
	if (error)
		return json_pack("{s:b, s:n, s:s}", "clean", 0, "virus", "error", error);
	long sigs = scan_signatures(sc);
	json_t *virus = res->clean ? json_null() : json_string(res->virus);
	json_t *count = sigs < 0 ? json_null() : json_integer(sigs);
	/* "o" steals both references, also when json_pack fails. */
	return json_pack("{s:b, s:o, s:s, s:o}", "clean", res->clean ? 1 : 0, "virus", virus,
			 "engine", scan_engine_version(sc), "signatures", count);
}
