/*
 * scan-direct.c: the baseline for bench/scan: libclamav called directly in
 * a loop, with the engine limits and scan options letterkit-scan uses and
 * the clean-result cache off. Built by meson, not installed.
 *
 *   scan-direct DB_DIR FILE...
 *
 * Prints "load_ms=N files=N found=N errors=N scan_s=S files_per_s=R".
 */
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include <clamav.h>

#include "settings.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct cl_engine *engine = NULL;
	struct cl_scan_options opts;
	unsigned int sigs = 0;
	int found = 0, errors = 0, rc = 2;
	char err[256];
	struct scan_config cfg = {.no_cache = 1};

	if (argc < 3) {
		fprintf(stderr, "usage: scan-direct DB_DIR FILE...\n");
		return 2;
	}
	double t0 = now();
	if (cl_init(CL_INIT_DEFAULT) != CL_SUCCESS || !(engine = cl_engine_new())) {
		fprintf(stderr, "scan-direct: cannot initialise libclamav\n");
		goto out;
	}
	if (scan_settings_apply(engine, &cfg, err, sizeof err) != 0) {
		fprintf(stderr, "scan-direct: %s\n", err);
		goto out;
	}
	if (cl_load(argv[1], engine, &sigs, CL_DB_STDOPT) != CL_SUCCESS || sigs == 0 ||
	    cl_engine_compile(engine) != CL_SUCCESS) {
		fprintf(stderr, "scan-direct: cannot load signatures from %s\n", argv[1]);
		goto out;
	}
	scan_settings_options(&opts);
	double t1 = now();
	for (int i = 2; i < argc; i++) {
		const char *virname = NULL;
		unsigned long scanned = 0;
		int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			errors++;
			continue;
		}
		cl_error_t r = cl_scandesc(fd, argv[i], &virname, &scanned, engine, &opts);
		close(fd);
		found += r == CL_VIRUS;
		errors += r != CL_VIRUS && r != CL_CLEAN;
	}
	double t2 = now();
	int n = argc - 2;
	printf("load_ms=%.1f files=%d found=%d errors=%d scan_s=%.3f files_per_s=%.1f\n",
	       (t1 - t0) * 1e3, n, found, errors, t2 - t1, n / (t2 - t1));
	rc = 0;
out:
	if (engine)
		cl_engine_free(engine);
	return rc;
}
