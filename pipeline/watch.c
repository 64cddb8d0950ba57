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

#include "lk_buf.h"
#include "lk_exit.h"
#include "lk_file.h"
#include "lk_opt.h"
#include "pipeline.h"

/* A file changed this recently may still be being written (start-up only). */
#define SETTLE_SECONDS 2

struct watch {
	const char *inbox;
	char passed[PATH_MAX], failed[PATH_MAX];
	struct chain chain;
	FILE *to_chain, *from_chain;
	int once, quiet;
	size_t done, n_passed, n_failed;
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static void versions(FILE *out)
{
	fprintf(out, "jansson %s\n", jansson_version_str());
}

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
	      "  -h, --help          print this help and exit\n"
	      "      --version       print the version and exit\n"
	      "\n"
	      "exit status (--once, or when stopped): 0 every letter passed, 1 some failed,\n"
	      "2 usage or system error.\n",
	versions};

static int is_letter(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 4 && strcasecmp(name + n - 4, ".pdf") == 0;
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

/* One letter through the chain; then its record beside it, then the move. */
static int handle_one(struct watch *w, const char *name)
{
	char path[PATH_MAX], err[512];
	snprintf(path, sizeof path, "%s/%s", w->inbox, name);
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return LK_EXIT_OK;   /* gone already, or not a file */
	json_t *rec = json_pack("{s:s}", "file", path);
	if (!rec || json_dumpf(rec, w->to_chain, JSON_COMPACT) != 0 || fputc('\n', w->to_chain) == EOF ||
	    fflush(w->to_chain) != 0) {
		json_decref(rec);
		fprintf(stderr, "letterkit watch: the stages stopped\n");
		return -1;
	}
	json_decref(rec);
	json_error_t jerr;
	json_t *out = json_loadf(w->from_chain, JSON_DISABLE_EOF_CHECK, &jerr);
	if (!out) {
		fprintf(stderr, "letterkit watch: no answer from the stages for %s: %s\n", path, jerr.text);
		return -1;
	}
	int ok = json_is_true(json_object_get(json_object_get(out, "check"), "valid")) &&
		 json_is_true(json_object_get(json_object_get(out, "scan"), "clean"));
	json_t *send = json_object_get(out, "send");
	if (send) {
		const char *state = json_string_value(json_object_get(send, "state"));
		ok = ok && state && (strcmp(state, "sent") == 0 || strcmp(state, "already-sent") == 0);
	}
	const char *dest = ok ? w->passed : w->failed;
	char target[PATH_MAX], report[PATH_MAX + 8];
	if (free_name(dest, name, target, sizeof target) != 0) {
		json_decref(out);
		fprintf(stderr, "letterkit watch: %s: the name is too long\n", path);
		return LK_EXIT_ERROR;
	}
	snprintf(report, sizeof report, "%s.json", target);
	json_object_set_new(out, "file", json_string(target));
	char *text = json_dumps(out, JSON_INDENT(2));
	int rc = text ? lk_write_atomic(report, text, strlen(text), err, sizeof err) : -1;
	free(text);
	json_decref(out);
	if (rc != 0 || rename(path, target) != 0) {
		fprintf(stderr, "letterkit watch: cannot file %s: %s\n", path, rc ? err : strerror(errno));
		return LK_EXIT_ERROR;
	}
	w->done++;
	if (ok)
		w->n_passed++;
	else
		w->n_failed++;
	if (!w->quiet)
		printf("%s %s -> %s\n", ok ? "PASS" : "FAIL", name, target);
	fflush(stdout);
	return ok ? LK_EXIT_OK : LK_EXIT_FAIL;
}

/* The PDFs already in INBOX, oldest first by name; skips ones still settling. */
static int sweep(struct watch *w, int settle)
{
	DIR *d = opendir(w->inbox);
	if (!d) {
		fprintf(stderr, "letterkit watch: %s: %s\n", w->inbox, strerror(errno));
		return LK_EXIT_ERROR;
	}
	int status = LK_EXIT_OK;
	struct dirent *e;
	time_t now = time(NULL);
	while (!stopping && (e = readdir(d))) {
		if (!is_letter(e->d_name))
			continue;
		char path[PATH_MAX];
		struct stat st;
		snprintf(path, sizeof path, "%s/%s", w->inbox, e->d_name);
		if (settle && stat(path, &st) == 0 && now - st.st_mtime < SETTLE_SECONDS)
			continue;   /* inotify will report it when its writer closes it */
		int r = handle(w, e->d_name);
		if (r < 0) {
			status = LK_EXIT_ERROR;
			break;
		}
		status = lk_exit_worse(status, r);
	}
	closedir(d);
	return status;
}

static int watch_events(struct watch *w, int fd)
{
	int status = LK_EXIT_OK;
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	while (!stopping) {
		struct pollfd p = {fd, POLLIN, 0};
		if (poll(&p, 1, 1000) <= 0)
			continue;
		ssize_t n = read(fd, buf, sizeof buf);
		if (n <= 0)
			continue;
		for (char *q = buf; q < buf + n && !stopping;) {
			struct inotify_event *ev = (struct inotify_event *)q;
			q += sizeof *ev + ev->len;
			if (ev->len && is_letter(ev->name)) {
				int r = handle(w, ev->name);
				if (r < 0)
					return LK_EXIT_ERROR;
				status = lk_exit_worse(status, r);
			}
		}
	}
	return status;
}

static int make_dir(const char *path)
{
	if (mkdir(path, 0755) == 0 || errno == EEXIST)
		return 0;
	fprintf(stderr, "letterkit watch: cannot make %s: %s\n", path, strerror(errno));
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
		LK_OPT_COMMON,
	};
	struct watch w = {0};
	const char *db = NULL, *postage = NULL, *ledger = NULL, *base_url = NULL, *key_file = NULL;
	int international = 0, attachment = 0, send = 0, c, parsed;
	while ((c = lk_opt_next(&cmd, argc, argv, "q", options, &parsed)) != -1) {
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
		fprintf(stderr, "letterkit watch: %s: %s\n", w.inbox, strerror(errno));
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
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (chain_start(&w.chain, 1, err, sizeof err) != 0) {
		fprintf(stderr, "letterkit watch: cannot start the stages: %s\n", err);
		goto out;
	}
	w.to_chain = fdopen(w.chain.input_fd, "w");
	w.from_chain = fdopen(w.chain.output_fd, "r");
	if (!w.to_chain || !w.from_chain) {
		fprintf(stderr, "letterkit watch: %s\n", strerror(errno));
		goto out;
	}
	if (!w.quiet && !w.once)
		printf("watching %s (passed: %s, failed: %s); Ctrl-C to stop\n", w.inbox, w.passed, w.failed);
	fflush(stdout);
	status = sweep(&w, !w.once);
	if (!w.once && status < LK_EXIT_ERROR)
		status = lk_exit_worse(status, watch_events(&w, fd));
out:
	if (w.to_chain)
		fclose(w.to_chain);   /* end of input: the stages finish and end */
	else if (w.chain.input_fd >= 0)
		close(w.chain.input_fd);
	if (w.from_chain)
		fclose(w.from_chain);
	else if (w.chain.output_fd > 0)
		close(w.chain.output_fd);
	if (w.chain.n)
		chain_wait(&w.chain);
	if (fd >= 0)
		close(fd);
	if (!w.quiet)
		printf("%zu letters: %zu passed, %zu failed\n", w.done, w.n_passed, w.n_failed);
	return status;
}
