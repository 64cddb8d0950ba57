/* junit.c: JUnit XML for CI, one test case per letter: a failure carries
 * Notify's code, the pages and every finding. */
#include <stdlib.h>

#include "lk_buf.h"
#include "lk_file.h"
#include "outputs.h"

struct junit {
	struct lk_buf cases;
	int tests, failures, errors;
	double seconds;
};

struct junit *junit_new(void)
{
	return calloc(1, sizeof(struct junit));
}

void junit_add(struct junit *j, const struct letter *l)
{
	struct lk_buf *b = &j->cases;
	j->tests++;
	j->seconds += l->seconds;
	lk_buf_puts(b, "    <testcase classname=\"letterkit.check\" name=\"");
	lk_buf_put_xml(b, l->name);
	lk_buf_printf(b, "\" time=\"%.3f\"", l->seconds);
	const struct pdfcheck_report *rep = l->rep;
	if (!rep) {
		j->errors++;
		lk_buf_puts(b, ">\n      <error message=\"");
		lk_buf_put_xml(b, l->error ? l->error : "could not be checked");
		lk_buf_puts(b, "\"/>\n    </testcase>\n");
		return;
	}
	if (rep->valid) {
		lk_buf_puts(b, "/>\n");
		return;
	}
	j->failures++;
	char pages[256];
	describe_pages(rep, pages, sizeof pages);
	lk_buf_puts(b, ">\n      <failure type=\"");
	lk_buf_put_xml(b, rep->message);
	lk_buf_puts(b, "\" message=\"");
	lk_buf_put_xml(b, rep->message);
	lk_buf_put_xml(b, pages);
	lk_buf_puts(b, "\">");
	for (size_t i = 0; i < rep->n_findings; i++) {
		lk_buf_put_xml(b, rep->findings[i].detail);
		lk_buf_puts(b, "\n");
	}
	lk_buf_puts(b, "</failure>\n    </testcase>\n");
}

int junit_write(struct junit *j, const char *path, char *err, size_t errlen)
{
	struct lk_buf doc = {0};
	lk_buf_printf(&doc, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<testsuites name=\"letterkit check\" tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"%.3f\">\n"
		      "  <testsuite name=\"letterkit check\" tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"%.3f\">\n",
		      j->tests, j->failures, j->errors, j->seconds, j->tests, j->failures, j->errors, j->seconds);
	if (j->cases.len)
		lk_buf_append(&doc, j->cases.data, j->cases.len);
	lk_buf_puts(&doc, "  </testsuite>\n</testsuites>\n");
	int rc;
	if (doc.oom || j->cases.oom) {
		snprintf(err, errlen, "%s: out of memory", path);
		rc = -1;
	} else {
		rc = lk_write_atomic(path, doc.data, doc.len, err, errlen);
	}
	lk_buf_free(&doc);
	return rc;
}

void junit_free(struct junit *j)
{
	if (!j)
		return;
	lk_buf_free(&j->cases);
	free(j);
}
