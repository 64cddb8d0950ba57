/*
 * cli.c: `letterkit fix`, the front end of the fix library. Reads letters
 * through lk_input, fixes each (fix.h), writes a fixed letter atomically
 * only when it passes check, and writes one NDJSON record per letter with
 * a "fix" object; with --overlay, before/after pictures of each changed
 * page, and with --report the HTML report of the batch (the one report,
 * common/lk_report.c, filled through check's pdfcheck/html.c). Exit 0
 * every letter passes after fixing, 1 some letter still fails, 2 usage or
 * system error.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../pdfcheck/json.h"
#include "../pdfcheck/outputs.h"
#include "fix.h"
#include "lk_exit.h"
#include "lk_file.h"
#include "lk_fixups.h"
#include "lk_input.h"
#include "lk_opt.h"
#include "lk_out.h"
#include "lk_report.h"
#include "lk_stop.h"
#include "lk_summary.h"
#include "lk_text.h"
#include "lk_tty.h"

#define MAX_PDF_BYTES (256u << 20)
#define OVERLAY_DPI 60

struct cli {
	struct fix_ctx *fc;
	struct fix_options opt;
	const char *out_path;      /* -o */
	const char *out_dir;       /* --output-dir */
	const char *overlay_dir;
	const char *report_path;   /* --report */
	struct html_report *html;
	int trust_check;           /* a record check passed goes through as it came */
	struct lk_summary summary;
	char **written;            /* the paths written in this batch (--output-dir) */
	size_t n_written;
};

static void versions(FILE *out)
{
	fprintf(out, "MuPDF %s\n", pdfcheck_mupdf_version());
}

static const struct lk_cmd cmd = {"fix",
	"usage: letterkit fix [OPTIONS] (-o OUT | --output-dir DIR) [FILE...]\n"
	"\n"
	"Makes failing letters pass Notify's letter specification, in the ways a careful\n"
	"person would accept, and proves it: a fixed letter is written (atomically) only\n"
	"when it then passes every rule of 'letterkit check' and keeps its text, images\n"
	"and links; otherwise the original is left alone and the record says why.\n"
	"A folder FILE is recursed for its PDFs. With no FILE, or '-', reads standard\n"
	"input: NDJSON records with a \"file\" field (from 'letterkit check'), or one PDF.\n"
	"Writes one NDJSON record per letter with a \"fix\" object; a written letter's\n"
	"\"file\" is the copy written.\n"
	"\n"
	"fixups (all on but rotate-landscape):\n"
	"  notify-tag        the word NOTIFY in the tag box of a later page removed\n"
	"  a4                pages of another size placed on A4 portrait (scaled down\n"
	"                    only if they must be)\n"
	"  rotate-landscape  landscape pages turned onto portrait A4 (opt-in)\n"
	"  scale-to-fit      a page whose marks reach outside its allowed regions scaled\n"
	"                    as little as needed; on page 1 the address stays exactly\n"
	"                    where Notify reads it, the rest is scaled around it\n"
	"  shrink            a file over 2 MiB rewritten: unused objects dropped,\n"
	"                    streams recompressed, and when still over, images above\n"
	"                    300 dpi downsampled to 300 dpi\n"
	"\n"
	"options:\n"
	"  -o OUT            the letter, fixed or passing as it was (one input only)\n"
	"  --output-dir DIR  every letter that passes, fixed or as it was, in DIR (made\n"
	"                    when missing), under its name\n"
	"  --only NAMES      only these fixups (comma-separated), e.g. scale-to-fit,a4\n"
	"  --min-scale N     the smallest scale a page may be given (default 0.9)\n"
	"  --overlay DIR     before/after pictures of each changed page, side by side,\n"
	"                    in DIR: NAME-page-N.png\n"
	"  --report FILE     a self-contained HTML report of the batch: each letter with\n"
	"                    what was done page by page, its verdict after fixing, and\n"
	"                    the before/after pictures of each changed page\n"
	"  --trust-check     a record whose check verdict (from 'letterkit check' in the\n"
	"                    same pipe) says the letter passed is written back as it\n"
	"                    came: not checked again, not copied (letterkit run --fix)\n"
	"  --attachment      a letter attachment: every page is a later page\n"
	"  --international   international addresses are allowed\n"
	"  -h, --help        print this help and exit\n"
	"      --version     print the version of letterkit and of MuPDF and exit\n"
	"\n"
	"exit status: 0 every letter passes after fixing, 1 some letter still fails\n"
	"(not written), 2 usage or system error.\n",
	versions};

static int parse_options(struct cli *cli, int argc, char **argv)
{
	enum { OPT_ONLY = 256, OPT_OUTPUT_DIR, OPT_OVERLAY, OPT_MIN_SCALE, OPT_ATTACHMENT, OPT_INTERNATIONAL,
	       OPT_TRUST_CHECK, OPT_REPORT };
	static const struct option options[] = {
		{"only", required_argument, NULL, OPT_ONLY},
		{"output-dir", required_argument, NULL, OPT_OUTPUT_DIR},
		{"overlay", required_argument, NULL, OPT_OVERLAY},
		{"report", required_argument, NULL, OPT_REPORT},
		{"min-scale", required_argument, NULL, OPT_MIN_SCALE},
		{"attachment", no_argument, NULL, OPT_ATTACHMENT},
		{"international", no_argument, NULL, OPT_INTERNATIONAL},
		{"trust-check", no_argument, NULL, OPT_TRUST_CHECK},
		{"output", required_argument, NULL, 'o'},
		LK_OPT_COMMON,
	};
	cli->opt.fixups = FIX_DEFAULT;
	cli->opt.min_scale = FIX_DEFAULT_MIN_SCALE;
	cli->opt.check.max_seconds = 10;
	cli->opt.check.max_memory = (size_t)512 << 20;
	int c, status;
	while ((c = lk_opt_next(&cmd, argc, argv, "o:", options, &status)) != -1) {
		switch (c) {
		case LK_OPT_EXIT: return status;
		case OPT_ONLY:
			if (lk_fixups_parse(&cmd, "--only", optarg, &cli->opt.fixups) != 0)
				return LK_EXIT_ERROR;
			break;
		case OPT_OUTPUT_DIR: cli->out_dir = optarg; break;
		case 'o': cli->out_path = optarg; break;
		case OPT_OVERLAY: cli->overlay_dir = optarg; break;
		case OPT_REPORT: cli->report_path = optarg; break;
		case OPT_MIN_SCALE:
			if (lk_fix_min_scale_parse(&cmd, "--min-scale", optarg, &cli->opt.min_scale) != 0)
				return LK_EXIT_ERROR;
			break;
		case OPT_ATTACHMENT: cli->opt.check.attachment = 1; break;
		case OPT_INTERNATIONAL: cli->opt.check.international = 1; break;
		case OPT_TRUST_CHECK: cli->trust_check = 1; break;
		}
	}
	if (!cli->out_path == !cli->out_dir)
		return lk_opt_error(&cmd, "give one of -o OUT and --output-dir DIR, not", cli->out_path ? "both" : "neither");
	if (cli->out_path && argc - optind != 1)
		return lk_opt_error(&cmd, "-o takes one input letter; for several use --output-dir, not", cli->out_path);
	return LK_OPT_GO_ON;
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

static int taken(const struct cli *cli, const char *path)
{
	for (size_t i = 0; i < cli->n_written; i++)
		if (strcmp(cli->written[i], path) == 0)
			return 1;
	return 0;
}

/*
 * Where the copy of `name` goes: DIR/NAME, or DIR/STEM-2.pdf (-3...) when
 * an earlier letter of the batch had the same name (two folders' x.pdf),
 * so that no letter of a batch overwrites another. Remembered.
 */
static int output_path(struct cli *cli, const char *name, char *out, size_t size)
{
	if (cli->out_path)
		return snprintf(out, size, "%s", cli->out_path) < (int)size ? 0 : -1;
	const char *base = strcmp(name, "-") == 0 ? "stdin.pdf" : base_name(name);
	size_t stem = strlen(base);
	const char *ext = "";
	if (stem > 4 && strcasecmp(base + stem - 4, ".pdf") == 0) {
		ext = base + stem - 4;
		stem -= 4;
	}
	int n = snprintf(out, size, "%s/%s", cli->out_dir, base);
	for (int k = 2; n >= 0 && (size_t)n < size && taken(cli, out); k++)
		n = snprintf(out, size, "%s/%.*s-%d%s", cli->out_dir, (int)stem, base, k, ext);
	if (n < 0 || (size_t)n >= size)
		return -1;
	char **grown = realloc(cli->written, (cli->n_written + 1) * sizeof *grown);
	if (!grown || !(grown[cli->n_written] = strdup(out))) {
		if (grown)
			cli->written = grown;
		return -1;
	}
	cli->written = grown;
	cli->n_written++;
	return 0;
}

/* The before/after pictures of a fixed letter: one per changed page. */
struct pictures {
	struct lk_report_picture v[PDFCHECK_MAX_PAGES];
	int page[PDFCHECK_MAX_PAGES];
	char caption[PDFCHECK_MAX_PAGES][64];
	size_t n;
};

static void pictures_free(struct pictures *p)
{
	for (size_t i = 0; i < p->n; i++)
		free((void *)p->v[i].png);
	p->n = 0;
}

/* Each changed page before (left) and after (right), as check pictures it, side by side. */
static int make_pictures(struct cli *cli, const char *name, const unsigned char *pdf, size_t len,
			 const struct fix_result *res, struct pictures *out)
{
	struct pdfcheck_ctx *pc = fix_check_ctx(cli->fc);
	out->n = 0;
	for (int i = 0; i < res->page_count && i < PDFCHECK_MAX_PAGES; i++) {
		if (!res->pages[i].n_did)
			continue;
		unsigned char *a = NULL, *b = NULL, *both = NULL;
		size_t la, lb, lboth;
		int rc = -1;
		if (pdfcheck_overlay_png(pc, pdf, len, i + 1, &cli->opt.check, &res->before, OVERLAY_DPI, &a, &la) != 0 ||
		    pdfcheck_overlay_png(pc, res->pdf, res->len, i + 1, &cli->opt.check, &res->after, OVERLAY_DPI,
					 &b, &lb) != 0)
			lk_say(NULL, "letterkit fix", "%s: %s", name, pdfcheck_error(pc));
		else if (fix_side_by_side(cli->fc, a, la, b, lb, &both, &lboth) != 0)
			lk_say(NULL, "letterkit fix", "%s: %s", name, fix_error(cli->fc));
		else
			rc = 0;
		free(a);
		free(b);
		if (rc != 0)
			return -1;
		size_t k = out->n++;
		out->page[k] = i + 1;
		snprintf(out->caption[k], sizeof out->caption[k], "page %d: before (left) and after (right)", i + 1);
		out->v[k] = (struct lk_report_picture){out->caption[k], both, lboth, NULL};
	}
	return 0;
}

/* The pictures into --overlay DIR as NAME-page-N.png. */
static int write_pictures(struct cli *cli, const char *name, const struct pictures *pics)
{
	const char *base = strcmp(name, "-") == 0 ? "stdin" : base_name(name);
	size_t stem = strlen(base);
	if (stem > 4 && strcmp(base + stem - 4, ".pdf") == 0)
		stem -= 4;
	for (size_t i = 0; i < pics->n; i++) {
		char path[PATH_MAX], err[PATH_MAX + 256];
		if (snprintf(path, sizeof path, "%s/%.*s-page-%d.png", cli->overlay_dir, (int)stem, base,
			     pics->page[i]) >= (int)sizeof path) {
			lk_say(NULL, "letterkit fix", "%s: the picture's name would be too long", name);
			return -1;
		}
		if (lk_write_atomic(path, pics->v[i].png, pics->v[i].png_len, err, sizeof err) != 0) {
			lk_say(NULL, "letterkit fix", "%s", err);
			return -1;
		}
	}
	return 0;
}

/* A letter fix could not look at, in the report. */
static void report_error(struct cli *cli, const char *name, const char *error)
{
	if (!cli->html)
		return;
	struct letter l = {.name = name ? name : "-", .error = error};
	html_report_add(cli->html, &l, NULL);
}

#define REPORT_NOTES (PDFCHECK_MAX_PAGES + FIX_MAX_NOTES + 1)

/*
 * A letter in the report: check's verdict on it as it was (its findings and
 * failing pages when it still fails), then what fix did page by page or why
 * not, and for a fixed letter its before/after pictures.
 */
static void report_letter(struct cli *cli, const char *name, const unsigned char *pdf, size_t len,
			  const struct fix_result *res, const char *written, const struct pictures *pics)
{
	if (!cli->html)
		return;
	char notes[REPORT_NOTES][FIX_MAX_NOTES * (FIX_NOTE_LEN + 2) + 32];
	const char *list[REPORT_NOTES];
	size_t n = 0;
	for (int i = 0; i < res->page_count && i < PDFCHECK_MAX_PAGES && n < REPORT_NOTES; i++) {
		const struct fix_page *p = &res->pages[i];
		if (!p->n_did && !p->refused[0])
			continue;
		size_t used = (size_t)snprintf(notes[n], sizeof notes[n], "page %d: ", i + 1);
		for (int k = 0; k < p->n_did && used < sizeof notes[n]; k++)
			used += (size_t)snprintf(notes[n] + used, sizeof notes[n] - used, "%s%s", k ? "; " : "", p->did[k]);
		if (p->refused[0] && used < sizeof notes[n])
			snprintf(notes[n] + used, sizeof notes[n] - used, "%snot fixed: %s", p->n_did ? "; " : "", p->refused);
		list[n] = notes[n];
		n++;
	}
	for (int i = 0; i < res->n_notes && n < REPORT_NOTES; i++)
		list[n++] = res->notes[i];
	int fixed = written && written[0] && res->pdf;
	if (fixed && n < REPORT_NOTES) {
		snprintf(notes[n], sizeof notes[n], "written as %s", written);
		list[n] = notes[n];
		n++;
	}
	struct letter l = {.name = name, .pdf = pdf, .len = len, .rep = &res->before};
	struct html_fix fx = {.fixed = fixed, .notes = list, .n_notes = n,
			      .pictures = pics->v, .n_pictures = pics->n};
	html_report_add(cli->html, &l, &fx);
}

static json_t *strings(const char (*list)[FIX_NOTE_LEN], int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, json_string(list[i]));
	return a;
}

/* The "fix" object of a letter. */
static json_t *fix_json(const struct fix_result *res, const char *from, const char *written)
{
	json_t *o = json_object(), *pages = json_array();
	for (int i = 0; i < res->page_count && i < PDFCHECK_MAX_PAGES; i++) {
		const struct fix_page *p = &res->pages[i];
		if (!p->n_did && !p->refused[0])
			continue;
		json_t *po = json_pack("{s:i,s:o}", "page", i + 1, "did", strings(p->did, p->n_did));
		if (p->refused[0])
			json_object_set_new(po, "refused", json_string(p->refused));
		json_array_append_new(pages, po);
	}
	json_object_set_new(o, "valid", json_boolean(res->passes));
	json_object_set_new(o, "changed", json_boolean(written && res->pdf));
	if (written) {
		lk_json_set_path(o, "from", from);
		lk_json_set_path(o, "written", written);
	}
	json_object_set_new(o, "pages", pages);
	json_object_set_new(o, "notes", strings(res->notes, res->n_notes));
	json_object_set_new(o, "size_before", json_integer((json_int_t)res->size_before));
	json_object_set_new(o, "size_after",
			    json_integer((json_int_t)(written && res->pdf ? res->size_after : res->size_before)));
	json_object_set_new(o, "check", pdfcheck_report_json(res->checked_after && res->passes ? &res->after
											      : &res->before));
	if (res->checked_after && !res->passes)
		json_object_set_new(o, "check_after_fixing", pdfcheck_report_json(&res->after));
	return o;
}

/* Fixes one letter in memory; fills *own with its "fix" object and *written with its new path. */
static int fix_one(struct cli *cli, const char *name, const unsigned char *pdf, size_t len, json_t **own,
		   char *written, size_t wsize)
{
	struct fix_result res = {0};
	written[0] = '\0';
	if (fix_buffer(cli->fc, pdf, len, name, &cli->opt, &res) != 0) {
		lk_say(NULL, "letterkit fix", "%s: %s", name, fix_error(cli->fc));
		report_error(cli, name, fix_error(cli->fc));
		*own = json_pack("{s:s}", "error", fix_error(cli->fc));
		lk_summary_error(&cli->summary);
		fix_result_clear(&res);
		return LK_EXIT_ERROR;
	}
	int status = res.passes ? LK_EXIT_OK : LK_EXIT_FAIL;
	/* A letter that passed as it was is copied too, so that the output
	 * holds every letter ready to send and the next stage reads them there. */
	if (res.passes) {
		char err[PATH_MAX + 256];
		const unsigned char *out = res.pdf ? res.pdf : pdf;
		size_t out_len = res.pdf ? res.len : len;
		int named = output_path(cli, name, written, wsize) == 0;
		if (!named)
			snprintf(err, sizeof err, "%s: the output name would be too long (or out of memory)", name);
		if (!named || lk_write_atomic(written, out, out_len, err, sizeof err) != 0) {
			lk_say(NULL, "letterkit fix", "%s", err);
			written[0] = '\0';
			status = LK_EXIT_ERROR;
		}
	}
	struct pictures pics = {.n = 0};
	if (written[0] && res.pdf && (cli->overlay_dir || cli->html) &&
	    (make_pictures(cli, name, pdf, len, &res, &pics) != 0 ||
	     (cli->overlay_dir && write_pictures(cli, name, &pics) != 0)))
		status = LK_EXIT_ERROR;
	report_letter(cli, name, pdf, len, &res, written, &pics);
	pictures_free(&pics);
	*own = fix_json(&res, name, written[0] ? written : NULL);
	if (status == LK_EXIT_OK)
		lk_summary_pass(&cli->summary);
	else if (status == LK_EXIT_FAIL)
		lk_summary_fail(&cli->summary, res.before.message ? res.before.message : "not fixed");
	else
		lk_summary_error(&cli->summary);
	fix_result_clear(&res);
	return status;
}

/* check's verdict in a record: its "check" object's, or at the top level from check --json: 1 passed, 0 failed, -1 none. */
static int record_check_valid(const json_t *rec)
{
	json_t *check = json_object_get(rec, "check");
	json_t *valid = json_object_get(json_is_object(check) ? check : rec, "valid");
	return json_is_boolean(valid) ? json_is_true(valid) : -1;
}

static int fix_letter(struct cli *cli, const struct lk_letter *l)
{
	if (cli->trust_check && l->record && record_check_valid(l->record) == 1) {
		/* check passed it: nothing to fix, and its file stays where it is */
		lk_summary_pass(&cli->summary);
		if (cli->html)
			html_report_add_passed(cli->html, l->path ? l->path : "-");
		return lk_input_write_record(&cmd, l->record) == 0 ? LK_EXIT_OK : LK_EXIT_ERROR;
	}
	json_t *own = NULL;
	char written[PATH_MAX] = "";
	int status;
	const char *name = l->path;
	if (!l->path) {
		own = json_pack("{s:s}", "error", l->error);
		report_error(cli, NULL, l->error);
		lk_summary_error(&cli->summary);
		status = LK_EXIT_ERROR;
	} else if (!l->record && (l->data || l->error)) {
		if (l->error) {
			own = json_pack("{s:s}", "error", l->error);
			report_error(cli, "-", l->error);
			lk_summary_error(&cli->summary);
			status = LK_EXIT_ERROR;
		} else {
			status = fix_one(cli, "-", l->data, l->len, &own, written, sizeof written);
		}
	} else {
		unsigned char *pdf = NULL;
		size_t len = 0;
		char err[PATH_MAX + 256];
		if (lk_read_file(l->path, MAX_PDF_BYTES, &pdf, &len, err, sizeof err) != 0) {
			lk_say(NULL, "letterkit fix", "%s", err);
			own = json_pack("{s:s}", "error", err);
			report_error(cli, l->path, err);
			lk_summary_error(&cli->summary);
			status = LK_EXIT_ERROR;
		} else {
			status = fix_one(cli, l->path, pdf, len, &own, written, sizeof written);
		}
		free(pdf);
	}
	json_t *rec = l->record ? json_incref(l->record) : json_object();
	if (!l->record && name)
		lk_json_set_path(rec, "file", name);
	if (written[0]) {
		/* The next stage reads the copy. */
		json_object_del(rec, "file_base64");
		lk_json_set_path(rec, "file", written);
	}
	if (json_is_true(json_object_get(own, "changed")) ||
	    (json_is_true(json_object_get(own, "valid")) && record_check_valid(rec) == 0)) {
		/* check's verdict on the original (under "check", or at the top
		 * level from check --json) no longer holds; "fix" has the new one
		 * (send, after fix in a pipe, skips a letter whose check failed). */
		static const char *const stale[] = {"check", "valid", "message", "invalid_pages", "page_count",
						    "findings", "address", "postage_zone"};
		for (size_t i = 0; i < sizeof stale / sizeof stale[0]; i++)
			json_object_del(rec, stale[i]);
	}
	json_object_del(rec, "fix");
	json_object_set_new(rec, "fix", own);
	if (lk_input_write_record(&cmd, rec) != 0)
		status = LK_EXIT_ERROR;
	json_decref(rec);
	return status;
}

/* An output made ready before the first letter: a folder made, or a file's
 * folder made and the file writable there; else said, naming the option. */
static int prepare(const char *option, const char *path, int folder)
{
	char err[PATH_MAX + 256];
	if ((folder ? lk_make_folder(path, err, sizeof err) : lk_out_ready(path, err, sizeof err)) == 0)
		return 0;
	lk_say(NULL, "letterkit fix", "%s: %s", option, err);
	return -1;
}

int fix_main(int argc, char **argv)
{
	struct cli cli = {0};
	int rc = parse_options(&cli, argc, argv);
	if (rc != LK_OPT_GO_ON)
		return rc;
	struct lk_input *in = lk_input_new(&cmd, argc - optind, argv + optind, 1, MAX_PDF_BYTES);
	if (!in)
		return LK_EXIT_ERROR;
	char err[PATH_MAX + 256];
	if ((cli.out_dir && prepare("--output-dir", cli.out_dir, 1) != 0) ||
	    (cli.overlay_dir && prepare("--overlay", cli.overlay_dir, 1) != 0) ||
	    (cli.out_path && prepare("-o", cli.out_path, 0) != 0) ||
	    (cli.report_path && prepare("--report", cli.report_path, 0) != 0)) {
		lk_input_free(in);
		return LK_EXIT_ERROR;
	}
	lk_stop_catch();
	cli.fc = fix_ctx_new(err, sizeof err);
	if (cli.fc && cli.report_path &&
	    !(cli.html = html_report_new(fix_check_ctx(cli.fc), &cli.opt.check, "letterkit fix")))
		snprintf(err, sizeof err, "out of memory");
	if (!cli.fc || (cli.report_path && !cli.html)) {
		lk_say(NULL, "letterkit fix", "%s", err);
		lk_input_free(in);
		fix_ctx_free(cli.fc);
		return LK_EXIT_ERROR;
	}
	int status = LK_EXIT_OK;
	struct lk_letter l;
	while (lk_input_next(in, &l)) {
		status = lk_exit_worse(status, fix_letter(&cli, &l));
		json_decref(l.record);
	}
	if (lk_stop_signal()) {
		/* a report of part of the batch would pass for the whole: none is written */
		lk_say(NULL, "letterkit fix", "stopped by %s before the end of the batch%s", lk_stop_name(lk_stop_signal()),
		       cli.html ? "; no report written" : "");
		status = LK_EXIT_ERROR;
	} else if (cli.html && html_report_write(cli.html, cli.report_path, err, sizeof err) != 0) {
		lk_say(NULL, "letterkit fix", "%s", err);
		status = LK_EXIT_ERROR;
	}
	if (!lk_stop_signal() && !lk_input_records(in)) {
		static const struct lk_summary_words words = {"passed", "still failed", "could not be fixed"};
		lk_summary_print(stderr, "letterkit fix", &cli.summary, &words);
	}
	if (lk_output_finish(&cmd) != 0)
		status = LK_EXIT_ERROR;
	lk_input_free(in);
	lk_summary_free(&cli.summary);
	for (size_t i = 0; i < cli.n_written; i++)
		free(cli.written[i]);
	free(cli.written);
	html_report_free(cli.html);
	fix_ctx_free(cli.fc);
	return status;
}
