/*
 * watch_report.c: what watch makes of a filed letter's record: its verdict
 * and code, and the folder's daily report (passed/ and failed/ each get
 * report-YYYY-MM-DD.html, the same report as check --report, common/lk_report.c),
 * which grows as letters are filed. The day's report starts from the records
 * already filed that day (a restarted watch loses none of them); its pictures
 * are the PNGs beside it, loaded lazily, so a day of thousands stays light.
 * Written at most every REWRITE_SECONDS while letters come, and at the end.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lk_explain.h"
#include "lk_report.h"
#include "lk_text.h"
#include "pipeline.h"

#define REWRITE_SECONDS 2.0

struct watch_report {
	char *folder, *label;
	char day[16];             /* the day of `report`, "YYYY-MM-DD" (UTC) */
	struct lk_report *report;
	int dirty;
	double written;
};

const char *watch_record_verdict(json_t *rec, int *error, const char **detail)
{
	static const char *const keys[TALLY_STAGES] = {"check", "fix", "scan", "send"};
	*detail = NULL;
	*error = 0;
	if (json_object_get(rec, "error")) {
		*error = 1;
		*detail = json_string_value(json_object_get(rec, "error"));
		return "bad-record";
	}
	for (int s = 0; s < TALLY_STAGES; s++) {
		const char *code;
		json_t *obj = json_object_get(rec, keys[s]);
		int outcome = tally_stage_outcome(obj, s, &code);
		if (outcome == 1 || s == TALLY_FIX || (outcome == -2 && s == TALLY_SEND))
			continue;   /* watch runs no fix */
		*error = outcome != 0;
		if (outcome == -2)
			return s == TALLY_CHECK ? "check-error" : "scan-error";
		if (s == TALLY_SCAN && outcome == 0)
			*detail = json_string_value(json_object_get(obj, "virus"));
		else if (outcome < 0 || s == TALLY_SEND)
			*detail = json_string_value(json_object_get(obj, outcome < 0 && s != TALLY_SEND ? "error" : "message"));
		return code;
	}
	return NULL;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void day_of(time_t t, char *buf, size_t size)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%d", &tm);
}

struct watch_report *watch_report_new(const char *folder, const char *label)
{
	struct watch_report *wr = calloc(1, sizeof *wr);
	if (wr && (!(wr->folder = strdup(folder)) || !(wr->label = strdup(label)))) {
		free(wr->folder);
		free(wr);
		return NULL;
	}
	return wr;
}

/* One filed record into the report. `base` is the letter's file name in the folder. */
static void add_record(struct watch_report *wr, json_t *rec, const char *base)
{
	json_t *check = json_object_get(rec, "check"), *findings = json_object_get(check, "findings");
	json_t *pages = json_object_get(check, "invalid_pages");
	int error;
	const char *detail, *code = watch_record_verdict(rec, &error, &detail);
	struct lk_report_letter l = {.name = base, .href = base, .code = code,
				     .verdict = !code ? LK_REPORT_PASS : error ? LK_REPORT_ERROR : LK_REPORT_FAIL};
	l.error = error ? detail : NULL;
	l.address = json_string_value(json_object_get(check, "address"));
	l.postage_zone = json_string_value(json_object_get(check, "postage_zone"));
	char page_words[128] = "";
	size_t n_pages = json_is_array(pages) ? json_array_size(pages) : 0;
	for (size_t i = 0, used = 0; i < n_pages && used < sizeof page_words; i++)
		used += (size_t)snprintf(page_words + used, sizeof page_words - used, "%s%lld",
					 i ? ", " : n_pages > 1 ? " on pages " : " on page ",
					 (long long)json_integer_value(json_array_get(pages, i)));
	l.pages = page_words;
	/* the reasons: check's findings in people's words, a virus's name, send's message */
	enum { MAX_REASONS = 32 };
	const char *reasons[MAX_REASONS];
	int warning[MAX_REASONS] = {0};
	char words[MAX_REASONS][300], virus[300];
	size_t n = 0, i;
	json_t *f;
	json_array_foreach(json_is_array(findings) ? findings : NULL, i, f) {
		if (n == MAX_REASONS)
			break;
		const char *fcode = json_string_value(json_object_get(f, "code"));
		json_t *box = json_object_get(f, "box_mm");
		double mm[4];
		int has_box = json_is_array(box) && json_array_size(box) == 4;
		for (int k = 0; has_box && k < 4; k++)
			mm[k] = json_number_value(json_array_get(box, (size_t)k));
		const char *fdetail = json_string_value(json_object_get(f, "detail"));
		int page = (int)json_integer_value(json_object_get(f, "page"));
		if (has_box && fcode && (!strcmp(fcode, "content-outside-printable-area") ||
					 !strcmp(fcode, "letter-not-a4-portrait-oriented")))
			reasons[n] = lk_explain_finding(fcode, page, mm, words[n], sizeof words[n]);
		else
			reasons[n] = fdetail ? fdetail : fcode ? fcode : "";
		const char *sev = json_string_value(json_object_get(f, "severity"));
		warning[n++] = sev && !strcmp(sev, "warning");
	}
	if (code && detail && !error && n < MAX_REASONS) {
		snprintf(virus, sizeof virus, "%s%s", code && !strcmp(code, "virus-found") ? "virus: " : "", detail);
		reasons[n++] = virus;
	}
	l.reasons = reasons;
	l.warning = warning;
	l.n_reasons = n;
	/* the pictures watch filed beside it: STEM-page-N.png */
	struct lk_report_picture pics[10];
	char src[10][NAME_MAX + 32], captions[10][32];
	size_t stem = strlen(base);
	const char *dot = strrchr(base, '.');
	if (dot)
		stem = (size_t)(dot - base);
	for (size_t k = 0; k < n_pages && l.n_pictures < 10; k++) {
		long long page = json_integer_value(json_array_get(pages, k));
		char path[PATH_MAX];
		struct stat st;
		snprintf(src[l.n_pictures], sizeof src[0], "%.*s-page-%lld.png", (int)stem, base, page);
		if ((size_t)snprintf(path, sizeof path, "%s/%s", wr->folder, src[l.n_pictures]) >= sizeof path ||
		    stat(path, &st) != 0)
			continue;
		snprintf(captions[l.n_pictures], sizeof captions[0], "page %lld", page);
		pics[l.n_pictures] = (struct lk_report_picture){captions[l.n_pictures], NULL, 0, src[l.n_pictures]};
		l.n_pictures++;
	}
	l.pictures = pics;
	lk_report_add(wr->report, &l);
	wr->dirty = 1;
}

struct dated { char *name; time_t mtime; };

static int by_time(const void *a, const void *b)
{
	const struct dated *x = a, *y = b;
	return x->mtime < y->mtime ? -1 : x->mtime > y->mtime ? 1 : strcmp(x->name, y->name);
}

/* A new day's report, from the records filed in the folder that day (UTC), in the order they were filed. */
static void start_day(struct watch_report *wr, const char *day)
{
	char title[256];
	snprintf(title, sizeof title, "letterkit watch: %s, %s", wr->label, day);
	wr->report = lk_report_new(title);
	snprintf(wr->day, sizeof wr->day, "%s", day);
	DIR *d = wr->report ? opendir(wr->folder) : NULL;
	if (!d)
		return;
	struct dated *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char path[PATH_MAX], when[16];
		struct stat st;
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0 || e->d_name[0] == '.' ||
		    (size_t)snprintf(path, sizeof path, "%s/%s", wr->folder, e->d_name) >= sizeof path || stat(path, &st) != 0)
			continue;
		day_of(st.st_mtime, when, sizeof when);
		if (strcmp(when, day) != 0)
			continue;
		if (n == cap) {
			struct dated *more = realloc(v, (cap = cap ? 2 * cap : 64) * sizeof *more);
			if (!more)
				break;
			v = more;
		}
		if (!(v[n].name = strdup(e->d_name)))
			break;
		v[n++].mtime = st.st_mtime;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof *v, by_time);
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX];
		snprintf(path, sizeof path, "%s/%s", wr->folder, v[i].name);
		json_t *rec = json_load_file(path, 0, NULL);
		const char *file = json_string_value(json_object_get(rec, "file"));
		const char *base = file ? strrchr(file, '/') : NULL;
		if (rec && file)
			add_record(wr, rec, base ? base + 1 : file);
		json_decref(rec);
		free(v[i].name);
	}
	free(v);
}

void watch_report_filed(struct watch_report *wr, json_t *rec, const char *base)
{
	char today[16];
	day_of(time(NULL), today, sizeof today);
	if (wr->report && strcmp(today, wr->day) != 0) {
		watch_report_flush(wr, 1);   /* yesterday's, finished */
		lk_report_free(wr->report);
		wr->report = NULL;
	}
	if (!wr->report)
		start_day(wr, today);   /* its records include this letter's, just written */
	else
		add_record(wr, rec, base);
}

void watch_report_flush(struct watch_report *wr, int force)
{
	if (!wr || !wr->report || !wr->dirty || (!force && now_seconds() - wr->written < REWRITE_SECONDS))
		return;
	char path[PATH_MAX], err[512], shown[2048];
	snprintf(path, sizeof path, "%s/report-%s.html", wr->folder, wr->day);
	if (lk_report_write(wr->report, path, err, sizeof err) != 0)
		fprintf(stderr, "letterkit watch: cannot write %s: %s\n", lk_safe(path, shown, sizeof shown), err);
	wr->dirty = 0;
	wr->written = now_seconds();
}

void watch_report_free(struct watch_report *wr)
{
	if (!wr)
		return;
	lk_report_free(wr->report);
	free(wr->folder);
	free(wr->label);
	free(wr);
}
