/*
 * watch.c: `letterkit watch INBOX`, a hot folder. A PDF dropped into INBOX
 * is checked and scanned once it is fully written (inotify: closed after
 * writing, or moved in), then moved to INBOX/passed or INBOX/failed with
 * its record (NAME.json) and, when it failed a page rule, pictures of the
 * failing pages beside it; with --send, letters that passed are uploaded.
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
 * inotify's queue is bounded (fs.inotify.max_queued_events): a burst larger
 * than it loses events, and the kernel says so with IN_Q_OVERFLOW; the folder
 * is then swept again, and again while letters in it are still settling.
 */
#include <dirent.h>
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
#include "lk_file.h"
#include "lk_ndjson.h"
#include "lk_opt.h"
#include "lk_notify.h"
#include "lk_stop.h"
#include "lk_out.h"
#include "lk_text.h"
#include "pipeline.h"

/* A file changed this recently may still be being written (sweeps only). */
#define SETTLE_SECONDS 2

/*
 * The longest name a letter is filed under. Beside it go NAME.json, written
 * as NAME.json.tmp-PID-XXXXXX (lk_out), after a "-N" free_name may add: all
 * must fit in NAME_MAX. Longer names are shortened (shorten_name).
 */
#define FILED_NAME_MAX (NAME_MAX - 40)

/* One answer of the stages, bounded: a record is a few kilobytes. */
#define WATCH_MAX_RECORD (1024 * 1024)

/* Room for a path with every byte escaped (lk_safe). */
#define SHOWN_MAX (4 * PATH_MAX)

struct watch {
	const char *inbox;
	char passed[PATH_MAX], failed[PATH_MAX];
	struct chain chain;
	FILE *to_chain, *from_chain;
	struct lk_ndjson_reader *answers;   /* the last stage's records, on from_chain */
	int once, quiet, verbose;
	size_t done, n_passed, n_failed;
};

/* SIGINT and SIGTERM (lk_stop.h) stop the watch between letters. */
#define stopping (lk_stop_signal() != 0)

static const struct lk_cmd cmd = {"watch",
	"usage: letterkit watch [OPTIONS] INBOX\n"
	      "\n"
	      "A hot folder: every PDF written or moved into INBOX is checked and scanned once\n"
	      "it is complete, then moved to INBOX/passed or INBOX/failed, with its record\n"
	      "(NAME.json) and pictures of its failing pages beside it. With --send, letters\n"
	      "that passed are uploaded first. Safe to stop and restart: nothing is lost,\n"
	      "done twice for good, or sent twice.\n"
	      "\n"
	      "options:\n"
	      "  --once              do the PDFs in INBOX now, then exit (for cron, tests)\n"
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

/* dir/name, or dir/name-N when that name is taken. Returns -1 when too long. */
static int free_name(const char *dir, const char *name, char *out, size_t size)
{
	if ((size_t)snprintf(out, size, "%s/%s", dir, name) >= size)
		return -1;
	for (int i = 2; access(out, F_OK) == 0 && i < 10000; i++)
		if ((size_t)snprintf(out, size, "%s/%s-%d", dir, name, i) >= size)
			return -1;
	return 0;
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
		fprintf(stderr, "letterkit watch: the stages stopped (cannot give them %s)\n", shown);
		return -1;
	}
	json_t *out = answer(w, shown);
	if (!out)
		return -1;
	int ok = json_is_true(json_object_get(json_object_get(out, "check"), "valid")) &&
		 json_is_true(json_object_get(json_object_get(out, "scan"), "clean"));
	json_t *send = json_object_get(out, "send");
	if (send) {
		const char *state = json_string_value(json_object_get(send, "state"));
		ok = ok && state && (strcmp(state, "sent") == 0 || strcmp(state, "already-sent") == 0);
	}
	const char *dest = ok ? w->passed : w->failed;
	char filed[FILED_NAME_MAX + 1], target[PATH_MAX], report[PATH_MAX + 8];
	int shortened = shorten_name(name, filed);
	if (free_name(dest, filed, target, sizeof target) != 0) {
		json_decref(out);
		fprintf(stderr, "letterkit watch: %s: the path in %s is too long; it stays in the inbox\n", shown,
			lk_safe(dest, err, sizeof err));
		return LK_EXIT_ERROR;
	}
	snprintf(report, sizeof report, "%s.json", target);
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
	json_decref(out);
	if (rc != 0 || rename(path, target) != 0) {
		if (rc == 0)
			snprintf(err, sizeof err, "%s", strerror(errno));
		fprintf(stderr, "letterkit watch: cannot file %s: %s; it stays in the inbox\n", shown, err);
		if (rc == 0)
			unlink(report);   /* no record of a letter that was not filed */
		return LK_EXIT_ERROR;
	}
	w->done++;
	if (ok)
		w->n_passed++;
	else
		w->n_failed++;
	if (!w->quiet) {
		char shown_target[SHOWN_MAX];
		printf("%s %s -> %s%s\n", ok ? "PASS" : "FAIL", lk_safe(name, shown, sizeof shown),
		       lk_safe(target, shown_target, sizeof shown_target), shortened ? " (name shortened)" : "");
	}
	fflush(stdout);
	return ok ? LK_EXIT_OK : LK_EXIT_FAIL;
}

/*
 * The PDFs in INBOX now, in the order the folder lists them; with settle,
 * skips those changed in the last SETTLE_SECONDS, counted in *settling (a
 * later sweep takes them). One letter's trouble never ends the sweep.
 * Returns the worst status of the letters, or -1 when the stages stopped
 * or INBOX cannot be read.
 */
static int sweep(struct watch *w, int settle, size_t *settling)
{
	char shown[SHOWN_MAX];
	DIR *d = opendir(w->inbox);
	if (!d) {
		fprintf(stderr, "letterkit watch: %s: %s\n", lk_safe(w->inbox, shown, sizeof shown), strerror(errno));
		return -1;
	}
	int status = LK_EXIT_OK;
	struct dirent *e;
	time_t now = time(NULL);
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
		if (!is_letter(e->d_name))
			continue;
		char path[PATH_MAX];
		struct stat st;
		if (settle && (size_t)snprintf(path, sizeof path, "%s/%s", w->inbox, e->d_name) < sizeof path &&
		    stat(path, &st) == 0 && now - st.st_mtime < SETTLE_SECONDS) {
			(*settling)++;   /* still being written, perhaps */
			continue;
		}
		int r = handle(w, e->d_name);
		if (r < 0) {
			status = -1;
			break;
		}
		status = lk_exit_worse(status, r);
	}
	closedir(d);
	return status;
}

/*
 * A sweep after inotify lost events (or at start-up): again every
 * SETTLE_SECONDS while letters were left settling, for their events may
 * have been lost too. Returns as sweep(); *again is when to sweep next
 * (0: no need).
 */
static int sweep_again(struct watch *w, time_t *again)
{
	size_t settling = 0;
	int r = sweep(w, 1, &settling);
	*again = settling ? time(NULL) + SETTLE_SECONDS : 0;
	if (settling && w->verbose) {
		char shown[SHOWN_MAX];
		printf("%zu letters in %s may still be being written: sweeping again in %d s\n", settling,
		       lk_safe(w->inbox, shown, sizeof shown), SETTLE_SECONDS);
	}
	fflush(stdout);
	return r;
}

/* Letters as inotify reports them, until a stop signal. Returns as sweep(). */
static int watch_events(struct watch *w, int fd, time_t again)
{
	int status = LK_EXIT_OK;
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	char shown[SHOWN_MAX];
	while (!stopping) {
		int overflowed = 0;
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t n = poll(&p, 1, 1000) > 0 ? read(fd, buf, sizeof buf) : 0;
		for (char *q = buf; q < buf + n && !stopping;) {
			struct inotify_event *ev = (struct inotify_event *)q;
			q += sizeof *ev + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				overflowed = 1;   /* events were lost: which files, nobody knows */
			} else if (ev->mask & IN_IGNORED) {
				fprintf(stderr, "letterkit watch: %s is gone (removed or unmounted)\n",
					lk_safe(w->inbox, shown, sizeof shown));
				return -1;
			} else if (ev->len && is_letter(ev->name)) {
				int r = handle(w, ev->name);
				if (r < 0)
					return -1;
				status = lk_exit_worse(status, r);
			}
		}
		if (overflowed && w->verbose)
			printf("more files came at once than inotify could hold: sweeping %s again\n",
			       lk_safe(w->inbox, shown, sizeof shown));
		if (!stopping && (overflowed || (again && time(NULL) >= again))) {
			int r = sweep_again(w, &again);
			if (r < 0)
				return -1;
			status = lk_exit_worse(status, r);
		}
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
	enum { O_ONCE = 256, O_INTL, O_ATTACH, O_DB, O_SEND, O_POSTAGE, O_LEDGER, O_BASE_URL, O_KEY_FILE };
	static const struct option options[] = {
		{"once", no_argument, NULL, O_ONCE}, {"international", no_argument, NULL, O_INTL},
		{"attachment", no_argument, NULL, O_ATTACH}, {"db", required_argument, NULL, O_DB},
		{"send", no_argument, NULL, O_SEND}, {"postage", required_argument, NULL, O_POSTAGE},
		{"ledger", required_argument, NULL, O_LEDGER}, {"base-url", required_argument, NULL, O_BASE_URL},
		{"key-file", required_argument, NULL, O_KEY_FILE}, {"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		LK_OPT_COMMON,
	};
	struct watch w = {0};
	char shown[SHOWN_MAX], shown_passed[SHOWN_MAX], shown_failed[SHOWN_MAX];
	const char *db = NULL, *postage = NULL, *ledger = NULL, *base_url = NULL, *key_file = NULL;
	int international = 0, attachment = 0, send = 0, c, parsed;
	while ((c = lk_opt_next(&cmd, argc, argv, "qv", options, &parsed)) != -1) {
		switch (c) {
		case LK_OPT_EXIT: return parsed;
		case O_ONCE: w.once = 1; break;
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
	if (fd >= 0 && inotify_add_watch(fd, w.inbox, IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
		fprintf(stderr, "letterkit watch: %s: %s\n", lk_safe(w.inbox, shown, sizeof shown), strerror(errno));
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
	/* Live, the letters left settling at start-up may have been closed before
	 * the watch began: no event will come for them, so they are swept again. */
	time_t again = 0;
	size_t settling = 0;
	status = w.once ? sweep(&w, 0, &settling) : sweep_again(&w, &again);
	if (!w.once && status >= 0)
		status = lk_exit_worse(status, watch_events(&w, fd, again));
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
	if (fd >= 0)
		close(fd);
	if (lk_stop_signal())   /* a normal stop (a service's), so the status stays the letters' */
		fprintf(stderr, "letterkit watch: stopped by %s; every letter taken was filed, the rest wait in %s\n",
			lk_stop_name(lk_stop_signal()), lk_safe(w.inbox, shown, sizeof shown));
	if (!w.quiet)
		printf("%zu letters: %zu passed, %zu failed\n", w.done, w.n_passed, w.n_failed);
	return status;
}
