/*
 * replay.c: main() for the harnesses when libFuzzer is not linked in (gcc
 * builds, CI). Runs every file named on the command line, and every file in
 * every directory named, through LLVMFuzzerTestOneInput once, in sorted
 * order, and says how many it ran. A harness that finds a bug abort()s, so
 * the exit status is the verdict.
 */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "lk_file.h"

/* No harness needs more: libFuzzer is run with -max_len at or below it. */
#define REPLAY_MAX_INPUT (8u * 1024 * 1024)

__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static int run_file(const char *path, size_t *count)
{
	char err[512];
	unsigned char *data, *exact;
	size_t len;
	if (lk_read_file(path, REPLAY_MAX_INPUT, &data, &len, err, sizeof err) < 0) {
		fprintf(stderr, "replay: %s\n", err);
		return -1;
	}
	/* An allocation of exactly len bytes, as libFuzzer gives, so that ASan
	 * sees a read one byte past the input (lk_read_file adds a NUL). */
	exact = malloc(len ? len : 1);
	if (!exact)
		abort();
	if (len)
		memcpy(exact, data, len);
	free(data);
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	(*count)++;
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int run_dir(const char *dir, size_t *count)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, by_name), rc = 0;
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		if (names[i]->d_name[0] != '.' && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    run_file(path, count) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int rc = 0;
	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			rc = 2;
		} else if ((S_ISDIR(st.st_mode) ? run_dir(argv[i], &count) : run_file(argv[i], &count)) < 0) {
			rc = 2;
		}
	}
	printf("replay: %zu inputs ran without a finding\n", count);
	return rc;
}
