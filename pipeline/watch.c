/*
 * watch.c: `letterkit watch INBOX`, a hot folder. A PDF dropped into INBOX
 * is checked and scanned once it is fully written (inotify: closed after
 * writing, or moved in, and then unchanged for --settle-ms), then moved to
 * INBOX/passed or INBOX/failed as NAME.pdf (NAME-2.pdf when taken) with its
 * record NAME.json and, when it failed a page rule, pictures of the failing
 * pages NAME-page-N.png beside it; with --send, letters that passed are
 * uploaded.
 *
 * One chain of stage processes (check | scan [| send]) lives as long as
 * the watch, so the virus engine loads once; each file is one NDJSON record
 * in and one out. Restart-safe: a letter leaves INBOX only after its record
 * is written, so a crash leaves it in INBOX to be done again (check and
 * scan change nothing; send's ledger never sends a letter twice), and files
 * already in INBOX at start-up are done first.
 *
 * No one file stops the folder: a name that is not UTF-8 goes to the stages
 * and into its record losslessly (lk_json_set_path), a name too long to
 * have its record beside it is filed under a shortened one, an answer the
 * stages garbled files the letter as failed, and a letter that cannot be
 * filed stays in INBOX with a message while the others go on. Only the
 * stages ending stops the watch. Names are printed escaped (lk_safe).
 *
 * Settling: a scanner or a network copy may close a file and open it again
 * to write more, so a close is not the end. A closed letter waits in the
 * pending list until it has been closed, with no writer holding it open, and
 * unchanged (size and mtime) for the settle time; then it is taken.
 *
 * inotify's queue is bounded (fs.inotify.max_queued_events): a burst larger
 * than it loses events, and the kernel says so with IN_Q_OVERFLOW; the folder
 * is then swept again, every letter in it put in the pending list.
 */
#include <dirent.h>
#include <search.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lk_exit.h"
#include "lk_explain.h"
#include "lk_file.h"
#include "lk_ndjson.h"
#include "lk_opt.h"
#include "lk_notify.h"
#include "lk_stop.h"
#include "lk_out.h"
#include "lk_text.h"
#include "pipeline.h"

/* How long a closed letter must stay unchanged before it is taken (--settle-ms). */
#define DEFAULT_SETTLE_MS 2000
/* Names of other files said once each (not PDFs, folders), at most this many remembered. */
#define MAX_SAID 4096

/*
 * The longest name a letter is filed under. Beside it go STEM.json, written
 * as STEM.json.tmp-PID-XXXXXX (lk_out), and STEM-page-N.png, after a "-N"
 * free_stem may add: all must fit in NAME_MAX. Longer names are shortened
 * (shorten_name).
 */
#define FILED_NAME_MAX (NAME_MAX - 40)

/* One answer of the stages, bounded: a record is a few kilobytes. */
#define WATCH_MAX_RECORD (1024 * 1024)

/* Room for a path with every byte escaped (lk_safe). */
#define SHOWN_MAX (4 * PATH_MAX)

/* A letter closed and waiting to settle. */
struct pending {
	char *name;
	off_t size;
	struct timespec mtime;
	double last;      /* monotonic time of its last change seen */
	int writers;      /* opened since its last close (IN_OPEN without its close) */
};

struct watch {
	const char *inbox;
	long settle_ms;
	struct pending **pending;  /* in the order they came */
	size_t n_pending, cap_pending;
	void *by_name;             /* the same, by name (tsearch): a burst of thousands stays quick */
	char **said;      /* other files already said (not a PDF, a folder) */
	size_t n_said;
	char passed[PATH_MAX], failed[PATH_MAX];
	struct chain chain;
	FILE *to_chain, *from_chain;
	struct lk_ndjson_reader *answers;   /* the last stage's records, on from_chain */
	int once, quiet, verbose;
	int stages_ended;
	struct watch_report *reports[2];   /* the daily reports of passed/ and failed/ */  /* the stages stopped answering while letters were to be done */
	size_t done, n_passed, n_failed;
};

/* SIGINT and SIGTERM (lk_stop.h) stop the watch between letters. */
#define stopping (lk_stop_signal() != 0)

static const struct lk_cmd cmd = {"watch",
	"usage: letterkit watch [OPTIONS] INBOX\n"
	      "\n"
	      "A hot folder: every PDF written or moved into INBOX is checked and scanned once\n"
	      "it is complete, then moved to INBOX/passed or INBOX/failed, with its record\n"
	      "(NAME.json), pictures of its failing pages (NAME-page-N.png) and the day's\n"
	      "report (report-YYYY-MM-DD.html) beside it. With --send, letters\n"
	      "that passed are uploaded first. Safe to stop and restart: nothing is lost,\n"
	      "done twice for good, or sent twice.\n"
	      "\n"
	      "options:\n"
	      "  --once              do the PDFs in INBOX now, then exit (for cron, tests)\n"
	      "  --settle-ms MS      take a letter once it has been closed and unchanged for\n"
	      "                      MS milliseconds (default 2000)\n"
	      "  --international     international addresses are allowed\n"
	      "  --attachment        the letters are attachments\n"
	      "  --db DIR            ClamAV signatures for scan\n"
	      "  --send              upload the letters that pass (API key from $NOTIFY_API_KEY\n"
	      "                      or --key-file); --postage, --ledger, --base-url,\n"
	      "                      --key-file as for letterkit send\n"
	      "  -q, --quiet         print nothing but errors\n"
	      "  -v, --verbose       also say when the folder is swept again\n"
	      "  -h, --help          print this help and exit\n"
	      "      --version       print the version and exit\n"
	      "\n"
	      "exit status (--once, or when stopped): 0 every letter passed, 1 some failed,\n"
	      "2 usage or system error.\n",
	NULL};

static int is_letter(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 4 && strcasecmp(name + n - 4, ".pdf") == 0;
}

/*
 * name, or when longer than FILED_NAME_MAX its start (cut where a UTF-8
 * character begins), "~" and its last 4 bytes (".pdf"), in out
 * (FILED_NAME_MAX + 1 bytes). Returns 1 when shortened.
 */
static int shorten_name(const char *name, char *out)
{
	size_t n = strlen(name);
	if (n <= FILED_NAME_MAX) {
		memcpy(out, name, n + 1);
		return 0;
	}
	size_t keep = FILED_NAME_MAX - 5;
	while (keep > 0 && ((unsigned char)name[keep] & 0xC0) == 0x80)
		keep--;
	memcpy(out, name, keep);
	out[keep] = '~';
	memcpy(out + keep + 1, name + n - 4, 5);
	return 1;
}

/*
 * Where a letter called `name` is filed in dir: dir/STEM.EXT, its record
 * dir/STEM.json, with STEM the name without its extension, or STEM-N when
 * either is taken ("letter-2.pdf", "letter-2.json"). stem gets STEM.
 * Returns -1 when too long.
 */
static int free_stem(const char *dir, const char *name, char *target, size_t size, char *stem, size_t stem_size,
		     char *record, size_t record_size)
{
	const char *dot = strrchr(name, '.');
	size_t base = dot && dot != name ? (size_t)(dot - name) : strlen(name);
	const char *ext = name + base;
	for (int i = 1; i < 10000; i++) {
		int n = i == 1 ? snprintf(stem, stem_size, "%.*s", (int)base, name)
			       : snprintf(stem, stem_size, "%.*s-%d", (int)base, name, i);
		if (n < 0 || (size_t)n >= stem_size ||
		    (size_t)snprintf(target, size, "%s/%s%s", dir, stem, ext) >= size ||
		    (size_t)snprintf(record, record_size, "%s/%s.json", dir, stem) >= record_size)
			return -1;
		if (access(target, F_OK) != 0 && access(record, F_OK) != 0)
			return 0;
	}
	return -1;
}

/*
 * check --overlay drew the failing pages into failed/ as ORIGSTEM-HASH-page-N.png
 * (the hash of the letter's path in the inbox); they follow the letter's filed
 * name: STEM-page-N.png. The pages are the check's "invalid_pages".
 */
static void rename_pictures(struct watch *w, const char *name, const char *stem, json_t *rec)
{
	json_t *pages = json_object_get(json_object_get(rec, "check"), "invalid_pages");
	if (!json_is_array(pages) || json_array_size(pages) == 0)
		return;
	size_t orig = strlen(name);
	if (orig > 4 && strcasecmp(name + orig - 4, ".pdf") == 0)
		orig -= 4;
	DIR *d = opendir(w->failed);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		/* ORIGSTEM-XXXXXXXX-page-N.png */
		const char *n = e->d_name;
		if (strncmp(n, name, orig) != 0 || n[orig] != '-' || strlen(n) < orig + 10 ||
		    strspn(n + orig + 1, "0123456789abcdef") != 8 || strncmp(n + orig + 9, "-page-", 6) != 0)
			continue;
		char *end;
		long page = strtol(n + orig + 15, &end, 10);
		if (strcmp(end, ".png") != 0)
			continue;
		size_t i;
		json_t *v;
		json_array_foreach(pages, i, v) {
			if (json_integer_value(v) != page)
				continue;
			char from[PATH_MAX], to[PATH_MAX];
			if ((size_t)snprintf(from, sizeof from, "%s/%s", w->failed, n) < sizeof from &&
			    (size_t)snprintf(to, sizeof to, "%s/%s-page-%ld.png", w->failed, stem, page) < sizeof to)
				rename(from, to);
		}
	}
	closedir(d);
}

static int handle_one(struct watch *w, const char *name);

/*
 * One letter, with SIGINT and SIGTERM held back until it is filed: stopping
 * in the middle would drop the stages' answer (a read interrupted) and leave
 * a letter sent but not filed. The signal is taken between letters.
 */
static int handle(struct watch *w, const char *name)
{
	sigset_t stop, old;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, &old);
	int r = handle_one(w, name);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r;
}

/*
 * The stages' answer for one letter: their record, or, when what came back
 * is not a record (a line too long, not JSON), a record saying so, with
 * which the letter is filed as failed. NULL when the stages ended.
 */
static json_t *answer(struct watch *w, const char *shown)
{
	json_t *out = NULL;
	char why[512], safe[600];
	int got = lk_ndjson_next(w->answers, &out, why, sizeof why);
	if (got > 0)
		return out;
	if (got == 0) {
		w->stages_ended = 1;
		fprintf(stderr, "letterkit watch: the stages stopped before answering for %s\n", shown);
		return NULL;
	}
	lk_safe(why, safe, sizeof safe);
	fprintf(stderr, "letterkit watch: %s: the stages' answer was not a record (%s); filed as failed\n", shown,
		safe);
	return json_pack("{s:s}", "error", why);
}

/* One letter through the chain; then its record beside it, then the move. */
static int handle_one(struct watch *w, const char *name)
{
	char path[PATH_MAX], err[512], shown[SHOWN_MAX];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", w->inbox, name) >= sizeof path) {
		fprintf(stderr, "letterkit watch: %s: the path of %s is too long; it stays in the inbox\n",
			lk_safe(w->inbox, err, sizeof err), lk_safe(name, shown, sizeof shown));
		return LK_EXIT_ERROR;
	}
	lk_safe(path, shown, sizeof shown);
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return LK_EXIT_OK;   /* gone already (filed by a sweep), or not a file */
	json_t *rec = json_object();
	int sent = rec && lk_json_set_path(rec, "file", path) == 0 && lk_ndjson_write(w->to_chain, rec) == 0;
	json_decref(rec);
	if (!sent) {
		w->stages_ended = 1;
		fprintf(stderr, "letterkit watch: the stages stopped (cannot give them %s)\n", shown);
		return -1;
	}
	json_t *out = answer(w, shown);
	if (!out)
		return -1;
	int error;
	const char *detail, *code = watch_record_verdict(out, &error, &detail);
	int ok = code == NULL;
	const char *dest = ok ? w->passed : w->failed;
	char filed[FILED_NAME_MAX + 1], target[PATH_MAX], report[PATH_MAX + 8], stem[NAME_MAX + 1];
	int shortened = shorten_name(name, filed);
	if (free_stem(dest, filed, target, sizeof target, stem, sizeof stem, report, sizeof report) != 0) {
		json_decref(out);
		fprintf(stderr, "letterkit watch: %s: the path in %s is too long; it stays in the inbox\n", shown,
			lk_safe(dest, err, sizeof err));
		return LK_EXIT_ERROR;
	}
	/* The record names where the letter is now; the stages' "file" (and its
	 * _base64 twin, which a UTF-8 target would otherwise leave stale) go. */
	json_object_del(out, "file_base64");
	int named = lk_json_set_path(out, "file", target) == 0 &&
		    (!shortened || lk_json_set_path(out, "shortened_from", name) == 0);
	char *text = named ? json_dumps(out, JSON_INDENT(2)) : NULL;
	if (!text)
		snprintf(err, sizeof err, "out of memory");
	int rc = text ? lk_write_atomic(report, text, strlen(text), err, sizeof err) : -1;
	free(text);
	if (rc != 0 || rename(path, target) != 0) {
		if (rc == 0)
			snprintf(err, sizeof err, "%s", strerror(errno));
		fprintf(stderr, "letterkit watch: cannot file %s: %s; it stays in the inbox\n", shown, err);
		if (rc == 0)
			unlink(report);   /* no record of a letter that was not filed */
		json_decref(out);
		return LK_EXIT_ERROR;
	}
	if (!ok)
		rename_pictures(w, name, stem, out);
	const char *base = strrchr(target, '/');
	watch_report_filed(w->reports[!ok], out, base ? base + 1 : target);
	watch_report_flush(w->reports[!ok], 0);
	w->done++;
	if (ok)
		w->n_passed++;
	else
		w->n_failed++;
	if (!w->quiet) {
		/* FAIL letter.pdf: CODE: what it means (the detail); filed as failed/letter-2.pdf */
		char shown_target[SHOWN_MAX], shown_code[256], shown_detail[1024];
		const char *why = code ? lk_explain_short(code) : NULL;
		printf("%s %s", ok ? "PASS" : "FAIL", lk_safe(name, shown, sizeof shown));
		if (code)
			printf(": %s: %s", lk_safe(code, shown_code, sizeof shown_code), why ? why : "did not pass");
		if (detail && *detail)
			printf(" (%s)", lk_safe(detail, shown_detail, sizeof shown_detail));
		printf("; filed as %s%s\n", lk_safe(target, shown_target, sizeof shown_target),
		       shortened ? " (name shortened)" : "");
	}
	fflush(stdout);
	json_decref(out);
	return ok ? LK_EXIT_OK : LK_EXIT_FAIL;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Says once per name what is done with a file that is not a letter: other files are left alone. */
static void say_other(struct watch *w, const char *name, int is_dir)
{
	if (name[0] == '.' || (is_dir && (!strcmp(name, "passed") || !strcmp(name, "failed"))))
		return;
	for (size_t i = 0; i < w->n_said; i++)
		if (!strcmp(w->said[i], name))
			return;
	if (w->n_said < MAX_SAID) {
		char **more = realloc(w->said, (w->n_said + 1) * sizeof *more);
		if (more && (more[w->n_said] = strdup(name))) {
			w->said = more;
			w->n_said++;
		} else if (more) {
			w->said = more;
		}
	}
	char shown[SHOWN_MAX], shown_inbox[SHOWN_MAX];
	lk_safe(name, shown, sizeof shown);
	lk_safe(w->inbox, shown_inbox, sizeof shown_inbox);
	if (is_dir)
		fprintf(stderr, "letterkit watch: %s/%s is a folder: watch takes only the PDFs in %s itself, not in its "
			"folders; move the letters up into %s\n", shown_inbox, shown, shown_inbox, shown_inbox);
	else
		fprintf(stderr, "letterkit watch: %s/%s is not a PDF (its name does not end in .pdf): it is left "
			"where it is\n", shown_inbox, shown);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct pending *)a)->name, ((const struct pending *)b)->name);
}

static struct pending *find_pending(struct watch *w, const char *name)
{
	struct pending key = {.name = (char *)name};
	void *found = tfind(&key, &w->by_name, by_name);
	return found ? *(struct pending **)found : NULL;
}

/*
 * A letter closed (or moved in, or found by a sweep): put in the pending
 * list, or its clock restarted. `age` is how long ago it last changed, as
 * far as is known (0 for an event now). -1 when out of memory.
 */
static int note_closed(struct watch *w, const char *name, double age)
{
	struct pending *p = find_pending(w, name);
	if (!p) {
		if (w->n_pending == w->cap_pending) {
			size_t cap = w->cap_pending ? 2 * w->cap_pending : 16;
			struct pending **more = realloc(w->pending, cap * sizeof *more);
			if (!more)
				return -1;
			w->pending = more;
			w->cap_pending = cap;
		}
		if (!(p = calloc(1, sizeof *p)) || !(p->name = strdup(name)) || !tsearch(p, &w->by_name, by_name)) {
			if (p)
				free(p->name);
			free(p);
			return -1;
		}
		w->pending[w->n_pending++] = p;
	}
	char path[PATH_MAX];
	struct stat st;
	if ((size_t)snprintf(path, sizeof path, "%s/%s", w->inbox, name) < sizeof path && stat(path, &st) == 0) {
		p->size = st.st_size;
		p->mtime = st.st_mtim;
	}
	p->last = now_seconds() - age;
	return 0;
}

/* Forgets the i-th pending letter; the last takes its place. Returns its name, which the caller frees. */
static char *drop_pending(struct watch *w, size_t i)
{
	struct pending *p = w->pending[i];
	char *name = p->name;
	tdelete(p, &w->by_name, by_name);
	free(p);
	w->pending[i] = w->pending[--w->n_pending];
	return name;
}

/*
 * Takes the pending letters that have settled: closed, no writer, unchanged
 * for settle_ms. One that changed after all starts again; one that is gone
 * is forgotten. Returns the worst status of those taken, or -1 when the
 * stages stopped. *next gets the seconds until the next one may settle.
 */
static int take_settled(struct watch *w, double *next)
{
	int status = LK_EXIT_OK;
	double settle = w->settle_ms / 1000.0;
	*next = 1.0;
	for (size_t i = 0; i < w->n_pending && !stopping;) {
		struct pending *p = w->pending[i];
		double wait = p->last + settle - now_seconds();
		if (p->writers > 0 || wait > 0) {
			if (p->writers == 0 && wait < *next)
				*next = wait;
			i++;
			continue;
		}
		char path[PATH_MAX];
		struct stat st;
		if ((size_t)snprintf(path, sizeof path, "%s/%s", w->inbox, p->name) >= sizeof path || stat(path, &st) != 0 ||
		    !S_ISREG(st.st_mode)) {
			free(drop_pending(w, i));   /* gone (moved away, deleted): nothing to take */
			continue;
		}
		if (st.st_size != p->size || st.st_mtim.tv_sec != p->mtime.tv_sec ||
		    st.st_mtim.tv_nsec != p->mtime.tv_nsec) {
			/* written since it was closed: it is not done yet */
			p->size = st.st_size;
			p->mtime = st.st_mtim;
			p->last = now_seconds();
			if (settle < *next)
				*next = settle;
			i++;
			continue;
		}
		char *name = drop_pending(w, i);
		int r = handle(w, name);
		free(name);
		if (r < 0)
			return -1;
		status = lk_exit_worse(status, r);
	}
	if (*next < 0.01)
		*next = 0.01;
	return status;
}

/*
 * The files in INBOX now, in the order the folder lists them. Once (--once):
 * every letter is taken at once. Otherwise each goes into the pending list,
 * with its age from its mtime, so a letter that has long been there is taken
 * at once and one still being written waits. Other files and folders are
 * said once each. Returns the worst status of the letters taken, or -1 when
 * the stages stopped or INBOX cannot be read.
 */
static int sweep(struct watch *w)
{
	char shown[SHOWN_MAX];
	DIR *d = opendir(w->inbox);
	if (!d) {
		fprintf(stderr, "letterkit watch: %s: %s\n", lk_safe(w->inbox, shown, sizeof shown), strerror(errno));
		return -1;
	}
	int status = LK_EXIT_OK;
	struct dirent *e;
	struct timespec wall;
	clock_gettime(CLOCK_REALTIME, &wall);
	while (!stopping) {
		errno = 0;
		if (!(e = readdir(d))) {
			if (errno) {
				fprintf(stderr, "letterkit watch: reading %s: %s\n", lk_safe(w->inbox, shown, sizeof shown),
					strerror(errno));
				status = -1;
			}
			break;
		}
		char path[PATH_MAX];
		struct stat st;
		if (e->d_name[0] == '.' || (size_t)snprintf(path, sizeof path, "%s/%s", w->inbox, e->d_name) >= sizeof path ||
		    stat(path, &st) != 0)
			continue;
		if (!S_ISREG(st.st_mode) || !is_letter(e->d_name)) {
			say_other(w, e->d_name, S_ISDIR(st.st_mode));
			continue;
		}
		if (w->once) {
			int r = handle(w, e->d_name);
			if (r < 0) {
				status = -1;
				break;
			}
			status = lk_exit_worse(status, r);
			continue;
		}
		double age = (double)(wall.tv_sec - st.st_mtim.tv_sec) + (wall.tv_nsec - st.st_mtim.tv_nsec) / 1e9;
		if (note_closed(w, e->d_name, age < 0 ? 0 : age) != 0) {
			fprintf(stderr, "letterkit watch: out of memory\n");
			status = -1;
			break;
		}
	}
	closedir(d);
	return status;
}

/* Letters as inotify reports them, until a stop signal. Returns as sweep(). */
static int watch_events(struct watch *w, int fd)
{
	int status = LK_EXIT_OK;
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	char shown[SHOWN_MAX];
	double next = 0;
	while (!stopping) {
		int overflowed = 0;
		watch_report_flush(w->reports[0], 0);   /* letters filed in the last seconds */
		watch_report_flush(w->reports[1], 0);
		int r = take_settled(w, &next);
		if (r < 0)
			return -1;
		status = lk_exit_worse(status, r);
		if (stopping)
			break;
		struct pollfd p = {fd, POLLIN, 0};
		int timeout = w->n_pending ? (int)(next * 1000) + 1 : 1000;
		ssize_t n = poll(&p, 1, timeout) > 0 ? read(fd, buf, sizeof buf) : 0;
		for (char *q = buf; q < buf + n && !stopping;) {
			struct inotify_event *ev = (struct inotify_event *)q;
			q += sizeof *ev + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				overflowed = 1;   /* events were lost: which files, nobody knows */
			} else if (ev->mask & IN_IGNORED) {
				fprintf(stderr, "letterkit watch: %s is gone (removed or unmounted)\n",
					lk_safe(w->inbox, shown, sizeof shown));
				return -1;
			} else if (!ev->len) {
				continue;
			} else if (ev->mask & IN_ISDIR) {
				if (ev->mask & (IN_CREATE | IN_MOVED_TO))
					say_other(w, ev->name, 1);
			} else if (!is_letter(ev->name)) {
				if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO))
					say_other(w, ev->name, 0);
			} else if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) {
				struct pending *pd = find_pending(w, ev->name);
				if (pd && pd->writers > 0 && (ev->mask & IN_CLOSE_WRITE))
					pd->writers--;
				if (note_closed(w, ev->name, 0) != 0) {
					fprintf(stderr, "letterkit watch: out of memory\n");
					return -1;
				}
			} else {
				/* a closed letter opened again or written to: it is not done */
				struct pending *pd = find_pending(w, ev->name);
				if (pd && (ev->mask & IN_OPEN))
					pd->writers++;
				else if (pd && (ev->mask & IN_CLOSE_NOWRITE) && pd->writers > 0)
					pd->writers--;
				else if (pd && (ev->mask & IN_MODIFY))
					pd->last = now_seconds();
			}
		}
		if (overflowed && w->verbose)
			printf("more files came at once than inotify could hold: sweeping %s again\n",
			       lk_safe(w->inbox, shown, sizeof shown));
		if (overflowed && sweep(w) < 0)
			return -1;
	}
	return status;
}

static int make_dir(const char *path)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return 0;
	int e = errno;
	char shown[SHOWN_MAX];
	fprintf(stderr, "letterkit watch: cannot make %s: %s\n", lk_safe(path, shown, sizeof shown), strerror(e));
	return -1;
}

int pipeline_watch_main(int argc, char **argv)
{
	enum { O_ONCE = 256, O_SETTLE, O_INTL, O_ATTACH, O_DB, O_SEND, O_POSTAGE, O_LEDGER, O_BASE_URL, O_KEY_FILE };
	static const struct option options[] = {
		{"once", no_argument, NULL, O_ONCE}, {"settle-ms", required_argument, NULL, O_SETTLE},
		{"international", no_argument, NULL, O_INTL},
		{"attachment", no_argument, NULL, O_ATTACH}, {"db", required_argument, NULL, O_DB},
		{"send", no_argument, NULL, O_SEND}, {"postage", required_argument, NULL, O_POSTAGE},
		{"ledger", required_argument, NULL, O_LEDGER}, {"base-url", required_argument, NULL, O_BASE_URL},
		{"key-file", required_argument, NULL, O_KEY_FILE}, {"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		LK_OPT_COMMON,
	};
	struct watch w = {.settle_ms = DEFAULT_SETTLE_MS};
	char shown[SHOWN_MAX], shown_passed[SHOWN_MAX], shown_failed[SHOWN_MAX];
	const char *db = NULL, *postage = NULL, *ledger = NULL, *base_url = NULL, *key_file = NULL;
	int international = 0, attachment = 0, send = 0, c, parsed;
	while ((c = lk_opt_next(&cmd, argc, argv, "qv", options, &parsed)) != -1) {
		switch (c) {
		case LK_OPT_EXIT: return parsed;
		case O_ONCE: w.once = 1; break;
		case O_SETTLE:
			if (lk_opt_long(&cmd, "--settle-ms", optarg, 0, 600000, &w.settle_ms) != 0)
				return LK_EXIT_ERROR;
			break;
		case O_INTL: international = 1; break;
		case O_ATTACH: attachment = 1; break;
		case O_DB: db = optarg; break;
		case O_SEND: send = 1; break;
		case O_POSTAGE: postage = optarg; break;
		case O_LEDGER: ledger = optarg; break;
		case O_BASE_URL: base_url = optarg; break;
		case O_KEY_FILE: key_file = optarg; break;
		case 'q': w.quiet = 1; break;
		case 'v': w.verbose = 1; break;
		}
	}
	if (optind != argc - 1)
		return lk_opt_error(&cmd, "name one INBOX folder", NULL);
	w.inbox = argv[optind];
	struct stat inbox_st;
	if (stat(w.inbox, &inbox_st) != 0 || !S_ISDIR(inbox_st.st_mode)) {
		int e = errno;
		lk_safe(w.inbox, shown, sizeof shown);
		if (stat(w.inbox, &inbox_st) != 0 && e == ENOENT)
			fprintf(stderr, "letterkit watch: the inbox %s does not exist: make the folder (mkdir -p %s) "
				"or check its name\n", shown, shown);
		else if (stat(w.inbox, &inbox_st) == 0)
			fprintf(stderr, "letterkit watch: the inbox %s is not a folder\n", shown);
		else
			fprintf(stderr, "letterkit watch: the inbox %s: %s\n", shown, strerror(e));
		return LK_EXIT_ERROR;
	}
	snprintf(w.passed, sizeof w.passed, "%s/passed", w.inbox);
	snprintf(w.failed, sizeof w.failed, "%s/failed", w.inbox);
	if (make_dir(w.passed) != 0 || make_dir(w.failed) != 0)
		return LK_EXIT_ERROR;
	int fd = -1;
	if (!w.once && (fd = inotify_init()) < 0) {
		fprintf(stderr, "letterkit watch: inotify: %s\n", strerror(errno));
		return LK_EXIT_ERROR;
	}
	/* Watch before the first sweep, so that no file slips between them. */
	if (fd >= 0 && inotify_add_watch(fd, w.inbox, IN_CLOSE_WRITE | IN_MOVED_TO | IN_OPEN | IN_CLOSE_NOWRITE |
						  IN_MODIFY | IN_CREATE) < 0) {
		fprintf(stderr, "letterkit watch: %s: %s\n", lk_safe(w.inbox, shown, sizeof shown), strerror(errno));
		close(fd);
		return LK_EXIT_ERROR;
	}

	if (!(w.reports[0] = watch_report_new(w.passed, "passed")) || !(w.reports[1] = watch_report_new(w.failed, "failed"))) {
		fprintf(stderr, "letterkit watch: out of memory\n");
		watch_report_free(w.reports[0]);
		if (fd >= 0)
			close(fd);
		return LK_EXIT_ERROR;
	}
	struct stage *s = chain_add(&w.chain, "check");
	stage_arg(s, "--overlay");
	stage_arg(s, w.failed);
	if (international)
		stage_arg(s, "--international");
	if (attachment)
		stage_arg(s, "--attachment");
	stage_arg(s, "-");
	s = chain_add(&w.chain, "scan");
	if (db) {
		stage_arg(s, "--db");
		stage_arg(s, db);
	}
	stage_arg(s, "-");
	if (send) {
		s = chain_add(&w.chain, "send");
		const char *flags[][2] = {{"--postage", postage}, {"--ledger", ledger}, {"--base-url", base_url},
					  {"--key-file", key_file}};
		for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
			if (flags[i][1]) {
				stage_arg(s, flags[i][0]);
				stage_arg(s, flags[i][1]);
			}
		}   /* with no FILE, send reads records on stdin */
	}
	char err[512];
	int status = LK_EXIT_ERROR;
	lk_stop_catch();
	signal(SIGPIPE, SIG_IGN);
	if (chain_start(&w.chain, 1, err, sizeof err) != 0) {
		fprintf(stderr, "letterkit watch: cannot start the stages: %s\n", err);
		goto out;
	}
	w.to_chain = fdopen(w.chain.input_fd, "w");
	w.from_chain = fdopen(w.chain.output_fd, "r");
	w.answers = w.from_chain ? lk_ndjson_reader_new(w.from_chain, "the stages' output", WATCH_MAX_RECORD,
							 NULL, 0) : NULL;
	if (!w.to_chain || !w.from_chain || !w.answers) {
		fprintf(stderr, "letterkit watch: %s\n", strerror(errno));
		goto out;
	}
	if (!w.quiet && !w.once)
		printf("watching %s (passed: %s, failed: %s); Ctrl-C to stop\n", lk_safe(w.inbox, shown, sizeof shown),
		       lk_safe(w.passed, shown_passed, sizeof shown_passed),
		       lk_safe(w.failed, shown_failed, sizeof shown_failed));
	fflush(stdout);
	lk_notify("READY=1");   /* a Type=notify service: the folder is watched, the stages run */
	/* Live, the letters already there go into the pending list: those long
	 * unchanged are taken at once, the others once they settle. */
	status = sweep(&w);
	if (!w.once && status >= 0)
		status = lk_exit_worse(status, watch_events(&w, fd));
	if (status < 0)
		status = LK_EXIT_ERROR;
out:
	if (lk_stop_signal())
		lk_notify("STOPPING=1");
	if (w.to_chain)
		fclose(w.to_chain);   /* end of input: the stages finish and end */
	else if (w.chain.input_fd >= 0)
		close(w.chain.input_fd);
	lk_ndjson_reader_free(w.answers);
	if (w.from_chain)
		fclose(w.from_chain);
	else if (w.chain.output_fd > 0)
		close(w.chain.output_fd);
	if (w.chain.n)
		chain_wait(&w.chain);
	/* A stage that ended by itself (scan without signatures, say) stopped the
	 * watch: say which, after its own message, and where the letters are.
	 * The last stage that stopped is named: its end breaks the pipe of the
	 * stages before it (check then fails to write to a dead scan), never
	 * the other way round. */
	for (int i = w.chain.n - 1; i >= 0 && w.stages_ended; i--) {
		if (w.chain.stages[i].status != 0 && w.chain.stages[i].status != LK_EXIT_FAIL) {
			fprintf(stderr, "letterkit watch: %s stopped (exit status %d; its message is above): no letter "
				"can be filed until that is fixed; the letters wait in %s\n", w.chain.stages[i].name,
				w.chain.stages[i].status, lk_safe(w.inbox, shown, sizeof shown));
			status = LK_EXIT_ERROR;
			break;
		}
	}
	for (int i = 0; i < 2; i++) {
		watch_report_flush(w.reports[i], 1);
		watch_report_free(w.reports[i]);
	}
	while (w.n_pending)
		free(drop_pending(&w, 0));
	free(w.pending);
	for (size_t i = 0; i < w.n_said; i++)
		free(w.said[i]);
	free(w.said);
	if (fd >= 0)
		close(fd);
	if (lk_stop_signal())   /* a normal stop (a service's), so the status stays the letters' */
		fprintf(stderr, "letterkit watch: stopped by %s; every letter taken was filed, the rest wait in %s\n",
			lk_stop_name(lk_stop_signal()), lk_safe(w.inbox, shown, sizeof shown));
	if (!w.quiet)
		printf("%zu letters: %zu passed, %zu failed\n", w.done, w.n_passed, w.n_failed);
	return status;
}
