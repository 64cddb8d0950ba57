/* cli.c: `letterkit sandbox`, the front end of the sandbox server. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>

#include <jansson.h>
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lk_config.h"
#include "lk_exec.h"
#include "lk_exit.h"
#include "lk_file.h"
#include "lk_notify.h"
#include "lk_opt.h"
#include "lk_out.h"
#include "lk_secret.h"
#include "sandbox.h"

int sandbox_main(int argc, char **argv);

#define MAX_KEYS 32

static void versions(FILE *out);

static const struct lk_cmd cmd = {"sandbox",
	"usage: letterkit sandbox [OPTIONS]\n"
	"\n"
	"Runs a local server that speaks the letter part of GOV.UK Notify's v2 API.\n"
	"The first line printed is 'listening URL'; generated keys follow ('key TYPE KEY').\n"
	"\n"
	"  --port N              port to listen on (default 6011; 0: any free port)\n"
	"  --listen ADDR         numeric address to listen on (default 127.0.0.1; warns unless loopback)\n"
	"  --state DIR           keep keys and letters in DIR across restarts (SQLite)\n"
	"  --key TYPE=KEY        accept this key (TYPE live, team or test; repeatable). Prefer --key-file\n"
	"  --key-file FILE       read TYPE=KEY lines from FILE (must not be group/world readable)\n"
	"  --keys-out FILE       write generated keys to FILE (mode 0600) instead of printing them\n"
	"  --clamav-db DIR       signature database for letterkit-scan (default: letterkit's test database)\n"
	"  --scan-delay MS       wait before the virus scan (default 500)\n"
	"  --check-delay MS      wait between scan and check (default 500)\n"
	"  --receive-delay MS    wait from accepted to received (default 2000)\n"
	"  --workers N           letters scanned and checked at once (default 2)\n"
	"  --rate-limit N[/S]    letter POSTs per key per S seconds (default 3000/60)\n"
	"  --daily-limit N       letters per day sent with live keys (default 250000)\n"
	"  --max-body BYTES      larger request bodies get 413 (default: a 2 MiB letter's)\n"
	"  --connection-timeout S  close connections idle for S seconds (1-3600, default 30)\n"
	"  --max-connections N   connections open at once (1-10000, default 1000)\n"
	"  --max-connections-per-ip N  from one address (1-10000, default 256)\n"
	"  --fail-rate P         answer a fraction P (0-1) of /v2 requests with --fail-status\n"
	"  --fail-status CODE    500 (default), 429 or 503\n"
	"  --slow-ms MS          delay every /v2 answer by MS milliseconds\n"
	"  --drop-after-body P   accept a fraction P of letter POSTs, then close without answering\n"
	"  --seed N              seed for --fail-rate and --drop-after-body (default 1)\n"
	"  --no-control          turn off /_sandbox/counters and /_sandbox/faults\n"
	"  --quiet               no log lines on stderr\n"
	"  --help                show this help\n"
	"  --version             print the versions of letterkit and its libraries and exit\n"
	"\n"
	"Environment: LETTERKIT_SANDBOX_KEYS (TYPE=KEY words, like --key), LETTERKIT_CLAMAV_DB,\n"
	"LETTERKIT_EXEC_DIR and LETTERKIT_EXEC_PATH (where letterkit-scan and letterkit-check are).\n"
	"SIGINT or SIGTERM stops the server cleanly. Exit status: 0 stopped cleanly, 2 error.\n",
	versions};

static void versions(FILE *out)
{
	fprintf(out, "libmicrohttpd %s\nSQLite %s\n%s\njansson %s\n", MHD_get_version(),
		sqlite3_libversion(), OpenSSL_version(OPENSSL_VERSION), jansson_version_str());
}

enum {
	OPT_PORT = 256, OPT_LISTEN, OPT_STATE, OPT_KEY, OPT_KEY_FILE, OPT_KEYS_OUT, OPT_CLAMAV_DB,
	OPT_SCAN_DELAY, OPT_CHECK_DELAY, OPT_RECEIVE_DELAY, OPT_WORKERS, OPT_RATE_LIMIT, OPT_DAILY_LIMIT,
	OPT_MAX_BODY, OPT_CONN_TIMEOUT, OPT_MAX_CONNS, OPT_MAX_CONNS_IP, OPT_FAIL_RATE, OPT_FAIL_STATUS, OPT_SLOW_MS, OPT_DROP, OPT_SEED, OPT_NO_CONTROL,
	OPT_QUIET,
};

static const struct option options[] = {
	{"port", required_argument, NULL, OPT_PORT},
	{"listen", required_argument, NULL, OPT_LISTEN},
	{"state", required_argument, NULL, OPT_STATE},
	{"key", required_argument, NULL, OPT_KEY},
	{"key-file", required_argument, NULL, OPT_KEY_FILE},
	{"keys-out", required_argument, NULL, OPT_KEYS_OUT},
	{"clamav-db", required_argument, NULL, OPT_CLAMAV_DB},
	{"scan-delay", required_argument, NULL, OPT_SCAN_DELAY},
	{"check-delay", required_argument, NULL, OPT_CHECK_DELAY},
	{"receive-delay", required_argument, NULL, OPT_RECEIVE_DELAY},
	{"workers", required_argument, NULL, OPT_WORKERS},
	{"rate-limit", required_argument, NULL, OPT_RATE_LIMIT},
	{"daily-limit", required_argument, NULL, OPT_DAILY_LIMIT},
	{"max-body", required_argument, NULL, OPT_MAX_BODY},
	{"connection-timeout", required_argument, NULL, OPT_CONN_TIMEOUT},
	{"max-connections", required_argument, NULL, OPT_MAX_CONNS},
	{"max-connections-per-ip", required_argument, NULL, OPT_MAX_CONNS_IP},
	{"fail-rate", required_argument, NULL, OPT_FAIL_RATE},
	{"fail-status", required_argument, NULL, OPT_FAIL_STATUS},
	{"slow-ms", required_argument, NULL, OPT_SLOW_MS},
	{"drop-after-body", required_argument, NULL, OPT_DROP},
	{"seed", required_argument, NULL, OPT_SEED},
	{"no-control", no_argument, NULL, OPT_NO_CONTROL},
	{"quiet", no_argument, NULL, OPT_QUIET},
	LK_OPT_COMMON,
};

/* "--NAME" of option `opt`, for messages. */
static const char *opt_name(int opt, char *buf, size_t size)
{
	return lk_opt_name(options, opt, buf, size);
}

struct keyring {
	struct sandbox_key keys[MAX_KEYS];
	size_t n;
};

static int add_key(struct keyring *kr, const char *spec, const char *where)
{
	char err[300];
	if (kr->n == MAX_KEYS) {
		fprintf(stderr, "letterkit sandbox: %s: more than %d keys\n", where, MAX_KEYS);
		return -1;
	}
	if (sandbox_key_parse(spec, &kr->keys[kr->n], err, sizeof err) < 0) {
		fprintf(stderr, "letterkit sandbox: %s: %s\n", where, err);
		return -1;
	}
	kr->n++;
	return 0;
}

/* TYPE=KEY words separated by white space (a key file, or the environment). */
static int add_key_words(struct keyring *kr, char *text, const char *name)
{
	size_t line = 1;
	for (char *p = text; *p;) {
		if (*p == '#') {
			p += strcspn(p, "\n");
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == ',') {
			line += *p == '\n';
			p++;
			continue;
		}
		size_t n = strcspn(p, " \t\r\n,");
		char save = p[n], where[4200];
		p[n] = '\0';
		snprintf(where, sizeof where, "%s:%zu", name, line);
		int rc = add_key(kr, p, where);
		p[n] = save;
		if (rc < 0)
			return -1;
		p += n;
	}
	return 0;
}

/* Keys files hold secrets: read once, checked on the descriptor read, wiped after use. */
#define KEY_FILE_MAX (1u << 20)

static int read_key_file(struct keyring *kr, const char *path)
{
	char err[4200];
	size_t len;
	char *data = malloc(KEY_FILE_MAX + 1);
	if (!data) {
		fprintf(stderr, "letterkit sandbox: --key-file %s: out of memory\n", path);
		return -1;
	}
	if (lk_secret_read(path, data, KEY_FILE_MAX, &len, err, sizeof err) < 0) {
		fprintf(stderr, "letterkit sandbox: --key-file %s\n", err);
		free(data);
		return -1;
	}
	int rc = add_key_words(kr, data, path);
	lk_secret_wipe(data, len);
	free(data);
	return rc;
}

/* As the driver finds stages (lk_exec.h); says where it looked when it fails. */
static int find_exe(const char *name, char *out, size_t size)
{
	if (lk_exec_find(name, out, size) == 0)
		return 0;
	char self[PATH_MAX];
	lk_exec_self_dir(self, sizeof self);
	fprintf(stderr, "letterkit sandbox: %s not found (looked in $LETTERKIT_EXEC_DIR, "
		"$LETTERKIT_EXEC_PATH and %s); the sandbox runs it for every letter\n", name, self);
	return -1;
}

/* letterkit's own test signatures: installed, or in the source tree beside a build. */
static const char *default_clamav_db(char *buf, size_t size)
{
	const char *env = getenv("LETTERKIT_CLAMAV_DB");
	if (env && env[0])
		return env;
	char self[PATH_MAX];
	lk_exec_self_dir(self, sizeof self);
	const char *dirs[][2] = {{self, "/../share/letterkit/clamav"}, {LK_DATA_ABS, "/clamav"},
				 {self, "/../specimens/clamav"}};
	struct stat st;
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		snprintf(buf, size, "%s%s", dirs[i][0], dirs[i][1]);
		if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
			return buf;
	}
	return NULL;
}

static int is_loopback(const char *addr)
{
	return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0;
}

static void log_line(void *ctx, const char *msg)
{
	if (ctx)
		return;	/* --quiet */
	char when[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%H:%M:%S", &tm);
	fprintf(stderr, "letterkit sandbox %s: %s\n", when, msg);
}

/*
 * The folder `path` goes in, made when missing (as every command makes its
 * output folders), before the server starts: a path that cannot be used is
 * refused before "listening" is printed, not after. 0, or -1 said.
 */
static int make_parent(const char *opt, const char *path)
{
	char err[4200];
	if (lk_make_parent(path, err, sizeof err) == 0)
		return 0;
	/* err begins "DIR: "; the message names the option's own path instead. */
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;
	const char *why = n && strncmp(err, path, n) == 0 && err[n] == ':' ? err + n + 2 : err;
	fprintf(stderr, "letterkit sandbox: %s %s: %s\n", opt, path, why);
	return -1;
}

/*
 * The keys file, opened (mode 0600 from its first byte) before the server
 * starts so that an unusable path is refused first, and written whole or
 * not at all once the keys are known.
 */
static struct lk_out *open_keys(const char *path)
{
	char err[4200];
	if (make_parent("--keys-out", path) != 0)
		return NULL;
	struct lk_out *o = lk_out_open(path, 0600, LK_OUT_CLEAN_STALE, err, sizeof err);
	if (!o)
		fprintf(stderr, "letterkit sandbox: --keys-out %s\n", err);
	return o;
}

static int write_keys(struct lk_out *o, const struct sandbox_key *keys, size_t n)
{
	char err[4200];
	for (size_t i = 0; i < n; i++)
		fprintf(lk_out_stream(o), "%s=%s\n", sandbox_key_type_name(keys[i].type), keys[i].text);
	if (lk_out_commit(o, err, sizeof err) == 0)
		return 0;
	fprintf(stderr, "letterkit sandbox: --keys-out %s\n", err);
	return -1;
}

int sandbox_main(int argc, char **argv)
{
	struct sandbox_config cfg;
	static struct keyring kr;
	const char *keys_out = NULL;
	char scan[PATH_MAX], check[PATH_MAX], db[PATH_MAX], err[4200];
	int quiet = 0, rc = LK_EXIT_ERROR, opt, status;
	long v;
	struct sandbox *sb = NULL;
	struct lk_out *keys_file = NULL;

	sandbox_config_init(&cfg);
	kr.n = 0;
	const char *env_keys = getenv("LETTERKIT_SANDBOX_KEYS");
	if (env_keys) {
		char *copy = strdup(env_keys);
		int bad = !copy || add_key_words(&kr, copy, "LETTERKIT_SANDBOX_KEYS") < 0;
		free(copy);
		if (bad)
			return LK_EXIT_ERROR;
	}
	optind = 1;
	while ((opt = lk_opt_next(&cmd, argc, argv, "", options, &status)) != -1) {
		char oname[64];
		opt_name(opt, oname, sizeof oname);
		switch (opt) {
		case LK_OPT_EXIT:
			return status;
		case OPT_PORT:
			if (lk_opt_long(&cmd, oname, optarg, 0, 65535, &v) < 0)
				return LK_EXIT_ERROR;
			cfg.port = (int)v;
			break;
		case OPT_LISTEN:
			cfg.listen_addr = optarg;
			break;
		case OPT_STATE:
			cfg.state_dir = optarg;
			break;
		case OPT_KEY:
			if (add_key(&kr, optarg, "--key") < 0)
				return LK_EXIT_ERROR;
			break;
		case OPT_KEY_FILE:
			if (read_key_file(&kr, optarg) < 0)
				return LK_EXIT_ERROR;
			break;
		case OPT_KEYS_OUT:
			keys_out = optarg;
			break;
		case OPT_CLAMAV_DB:
			cfg.clamav_db = optarg;
			break;
		case OPT_SCAN_DELAY:
		case OPT_CHECK_DELAY:
		case OPT_RECEIVE_DELAY:
			if (lk_opt_long(&cmd, oname, optarg, 0, 3600000, &v) < 0)
				return LK_EXIT_ERROR;
			*(opt == OPT_SCAN_DELAY ? &cfg.scan_delay_ms :
			  opt == OPT_CHECK_DELAY ? &cfg.check_delay_ms : &cfg.receive_delay_ms) = v;
			break;
		case OPT_WORKERS:
			if (lk_opt_long(&cmd, oname, optarg, 1, 64, &v) < 0)
				return LK_EXIT_ERROR;
			cfg.workers = (int)v;
			break;
		case OPT_RATE_LIMIT:
			if (lk_opt_rate(&cmd, oname, optarg, 100000000, cfg.rate_interval_s, &cfg.rate_limit,
					&cfg.rate_interval_s) < 0)
				return LK_EXIT_ERROR;
			break;
		case OPT_DAILY_LIMIT:
			if (lk_opt_long(&cmd, oname, optarg, 0, 1000000000, &cfg.daily_limit) < 0)
				return LK_EXIT_ERROR;
			break;
		case OPT_MAX_BODY:
			if (lk_opt_long(&cmd, oname, optarg, 1024, 1L << 30, &v) < 0)
				return LK_EXIT_ERROR;
			cfg.max_body = (size_t)v;
			break;
		case OPT_CONN_TIMEOUT:
		case OPT_MAX_CONNS:
		case OPT_MAX_CONNS_IP:
			if (lk_opt_long(&cmd, oname, optarg, 1, opt == OPT_CONN_TIMEOUT ? 3600 : 10000, &v) < 0)
				return LK_EXIT_ERROR;
			*(opt == OPT_CONN_TIMEOUT ? &cfg.connection_timeout_s :
			  opt == OPT_MAX_CONNS ? &cfg.max_connections : &cfg.max_connections_per_ip) = (unsigned)v;
			break;
		case OPT_FAIL_RATE:
			if (lk_opt_double(&cmd, oname, optarg, 0, 1, &cfg.faults.fail_rate) < 0)
				return LK_EXIT_ERROR;
			break;
		case OPT_FAIL_STATUS:
			if (lk_opt_long(&cmd, oname, optarg, 429, 503, &v) < 0)
				return LK_EXIT_ERROR;
			if (v != 429 && v != 500 && v != 503)
				return lk_opt_error(&cmd, "--fail-status must be 429, 500 or 503, not", optarg);
			cfg.faults.fail_status = (int)v;
			break;
		case OPT_SLOW_MS:
			if (lk_opt_long(&cmd, oname, optarg, 0, 600000, &cfg.faults.slow_ms) < 0)
				return LK_EXIT_ERROR;
			break;
		case OPT_DROP:
			if (lk_opt_double(&cmd, oname, optarg, 0, 1, &cfg.faults.drop_rate) < 0)
				return LK_EXIT_ERROR;
			break;
		case OPT_SEED:
			if (lk_opt_long(&cmd, oname, optarg, 0, LONG_MAX, &v) < 0)
				return LK_EXIT_ERROR;
			cfg.seed = (unsigned long)v;
			break;
		case OPT_NO_CONTROL:
			cfg.control = 0;
			break;
		case OPT_QUIET:
			quiet = 1;
			break;
		}
	}
	if (optind < argc)
		return lk_opt_error(&cmd, "unexpected argument", argv[optind]);

	if (!is_loopback(cfg.listen_addr))
		fprintf(stderr, "letterkit sandbox: warning: listening on %s, not loopback: other machines "
			"may reach this test server, whose keys were printed\n", cfg.listen_addr);
	if (find_exe("letterkit-scan", scan, sizeof scan) < 0 || find_exe("letterkit-check", check, sizeof check) < 0)
		return LK_EXIT_ERROR;
	cfg.scan_exe = scan;
	cfg.check_exe = check;
	if (!cfg.clamav_db)
		cfg.clamav_db = default_clamav_db(db, sizeof db);
	if (!cfg.clamav_db && !quiet)
		fprintf(stderr, "letterkit sandbox: warning: no letterkit test signature database found; "
			"letterkit-scan uses its own default (--clamav-db DIR to choose)\n");
	cfg.keys = kr.keys;
	cfg.n_keys = kr.n;
	cfg.log = log_line;
	cfg.log_ctx = quiet ? &quiet : NULL;

	/* Every thread inherits this mask, so only sigwait() below sees the signals. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (keys_out && !(keys_file = open_keys(keys_out)))
		goto out;
	if (cfg.state_dir && make_parent("--state", cfg.state_dir) != 0)
		goto out;
	sb = sandbox_new(&cfg, err, sizeof err);
	if (!sb) {
		fprintf(stderr, "letterkit sandbox: %s\n", err);
		goto out;
	}
	if (sandbox_start(sb, err, sizeof err) < 0) {
		fprintf(stderr, "letterkit sandbox: %s\n", err);
		goto out;
	}
	printf("listening %s\n", sandbox_base_url(sb));
	size_t n;
	const struct sandbox_key *keys = sandbox_keys(sb, &n);
	if (keys_file) {
		int bad = write_keys(keys_file, keys, n) < 0;
		keys_file = NULL;   /* committed or gone */
		if (bad)
			goto out;
	} else if (sandbox_keys_generated(sb)) {
		/* Shown once, as Notify shows a new key once; with --state they are kept, not shown again. */
		for (size_t i = 0; i < n; i++)
			printf("key %s %s\n", sandbox_key_type_name(keys[i].type), keys[i].text);
	}
	fflush(stdout);
	lk_notify("READY=1");   /* a Type=notify service: it serves from here */
	int sig = 0;
	sigwait(&stop, &sig);
	lk_notify("STOPPING=1");
	if (!quiet)
		fprintf(stderr, "letterkit sandbox: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	sandbox_stop(sb);
	rc = LK_EXIT_OK;
out:
	lk_out_abort(keys_file);
	sandbox_free(sb);
	return rc;
}
