/*
 * scan.c: the scan context: one ClamAV engine, or one clamd client, per
 * process, and the scan of one file with it.
 */
#include "scan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <clamav.h>

#include "clamd.h"
#include "settings.h"

struct scan_ctx {
	struct cl_engine *engine;      /* in process; NULL with clamd */
	struct scan_clamd *clamd;      /* with clamd; NULL in process */
	struct cl_scan_options opts;
	unsigned int signatures;
	char *db_dir;
};

/*
 * libclamav prints "LibClamAV Error: ..." on stderr unless a process-wide
 * callback takes its messages. We keep the last error to put in our own
 * message (a library never prints) and drop warnings, which libclamav
 * gives for every odd but harmless PDF.
 */
static char last_error[512];

static void on_message(enum cl_msg severity, const char *fullmsg, const char *msg, void *context)
{
	(void)fullmsg;
	(void)context;
	if (severity != CL_MSG_ERROR || !msg)
		return;
	snprintf(last_error, sizeof last_error, "%s", msg);
	size_t n = strlen(last_error);
	while (n && (last_error[n - 1] == '\n' || last_error[n - 1] == ' '))
		last_error[--n] = '\0';
}

/* cl_init must run once per process, before any engine is made. */
static int init_clamav(char *err, size_t errlen)
{
	static int done;
	static cl_error_t rc;
	if (!done) {
		cl_set_clcb_msg(on_message);
		rc = cl_init(CL_INIT_DEFAULT);
		done = 1;
	}
	if (rc != CL_SUCCESS) {
		snprintf(err, errlen, "cannot initialise libclamav: %s", cl_strerror(rc));
		return -1;
	}
	return 0;
}

/*
 * libclamav reports some detections, such as a file over the size limit,
 * only through this callback and leaves the returned name NULL; keep the
 * first name of the scan.
 */
static void on_virus_found(int fd, const char *virname, void *context)
{
	struct scan_result *res = context;
	(void)fd;
	if (res && virname && !res->virus[0])
		snprintf(res->virus, sizeof res->virus, "%s", virname);
}

/* Loads and compiles the signatures; -1 on a system error, -2 when none load. */
static int load_engine(struct scan_ctx *sc, const struct scan_config *cfg, char *err, size_t errlen)
{
	const char *dir = cfg->db_dir ? cfg->db_dir : cl_retdbdir();
	sc->db_dir = strdup(dir);
	if (!sc->db_dir) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (init_clamav(err, errlen) != 0)
		return -1;
	sc->engine = cl_engine_new();
	if (!sc->engine) {
		snprintf(err, errlen, "cannot make a ClamAV engine (out of memory)");
		return -1;
	}
	if (scan_settings_apply(sc->engine, cfg, err, errlen) != 0)
		return -1;
	last_error[0] = '\0';
	cl_error_t rc = cl_load(dir, sc->engine, &sc->signatures, CL_DB_STDOPT);
	/*
	 * A failed load leaves an engine that still compiles and then finds
	 * nothing, so any failure, or a load of zero signatures, is fatal.
	 */
	if (rc != CL_SUCCESS || sc->signatures == 0) {
		snprintf(err, errlen, "no ClamAV signatures loaded from %s: %s", dir,
			 rc != CL_SUCCESS ? (last_error[0] ? last_error : cl_strerror(rc))
					  : "no signatures in it");
		return SCAN_ENOSIGS;
	}
	rc = cl_engine_compile(sc->engine);
	if (rc != CL_SUCCESS) {
		snprintf(err, errlen, "cannot compile the ClamAV signatures from %s: %s", dir,
			 last_error[0] ? last_error : cl_strerror(rc));
		return -1;
	}
	cl_engine_set_clcb_virus_found(sc->engine, on_virus_found);
	scan_settings_options(&sc->opts);
	return 0;
}

int scan_ctx_new(struct scan_ctx **out, const struct scan_config *cfg, char *err, size_t errlen)
{
	int rc;
	struct scan_ctx *sc = calloc(1, sizeof *sc);
	*out = NULL;
	if (!sc) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (cfg->clamd)
		rc = scan_clamd_new(&sc->clamd, cfg->clamd, err, errlen);
	else
		rc = load_engine(sc, cfg, err, errlen);
	if (rc != 0)
		goto out;
	*out = sc;
	sc = NULL;
out:
	scan_ctx_free(sc);
	return rc;
}

void scan_ctx_free(struct scan_ctx *sc)
{
	if (!sc)
		return;
	if (sc->engine)
		cl_engine_free(sc->engine);
	scan_clamd_free(sc->clamd);
	free(sc->db_dir);
	free(sc);
}

const char *scan_engine_version(const struct scan_ctx *sc)
{
	return sc->clamd ? scan_clamd_version(sc->clamd) : cl_retver();
}

long scan_signatures(const struct scan_ctx *sc)
{
	return sc->clamd ? -1 : (long)sc->signatures;
}

const char *scan_db_dir(const struct scan_ctx *sc)
{
	return sc->db_dir;
}

/* Opens `path` for reading if it is a regular file; the fd, or -1. */
static int open_regular(const char *path, char *err, size_t errlen)
{
	/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
	int fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "cannot stat: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		close(fd);
		return -1;
	}
	return fd;
}

/* Turns libclamav's answer into a verdict (0) or an error (-1). */
static int verdict(cl_error_t rc, const char *virname, struct scan_result *res, char *err,
		   size_t errlen)
{
	if (rc == CL_CLEAN) {
		res->clean = 1;
		res->virus[0] = '\0';
		return 0;
	}
	if (rc == CL_VIRUS) {
		if (virname)
			snprintf(res->virus, sizeof res->virus, "%s", virname);
		else if (!res->virus[0])
			snprintf(res->virus, sizeof res->virus, "unknown");
		return 0;
	}
	snprintf(err, errlen, "libclamav: %s%s%s", cl_strerror(rc), last_error[0] ? ": " : "",
		 last_error);
	return -1;
}

static int scan_in_process(struct scan_ctx *sc, int fd, const char *path, struct scan_result *res,
			   char *err, size_t errlen)
{
	const char *virname = NULL;
	unsigned long scanned = 0;
	last_error[0] = '\0';
	cl_error_t rc = cl_scandesc_callback(fd, path, &virname, &scanned, sc->engine, &sc->opts,
					     res);
	return verdict(rc, virname, res, err, errlen);
}

int scan_file(struct scan_ctx *sc, const char *path, struct scan_result *res, char *err,
	      size_t errlen)
{
	memset(res, 0, sizeof *res);
	int fd = open_regular(path, err, errlen);
	if (fd < 0)
		return -1;
	int rc = sc->clamd ? scan_clamd_fd(sc->clamd, fd, res, err, errlen)
			   : scan_in_process(sc, fd, path, res, err, errlen);
	close(fd);
	return rc;
}

int scan_buffer(struct scan_ctx *sc, const char *name, const void *data, size_t len,
		struct scan_result *res, char *err, size_t errlen)
{
	memset(res, 0, sizeof *res);
	if (sc->clamd)
		return scan_clamd_buffer(sc->clamd, data, len, res, err, errlen);
	cl_fmap_t *map = cl_fmap_open_memory(data, len);
	if (!map) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	const char *virname = NULL;
	unsigned long scanned = 0;
	last_error[0] = '\0';
	cl_error_t rc = cl_scanmap_callback(map, name, &virname, &scanned, sc->engine, &sc->opts,
					    res);
	int ret = verdict(rc, virname, res, err, errlen);
	cl_fmap_close(map);
	return ret;
}
