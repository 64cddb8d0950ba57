/* lk_exec.c: finding the other letterkit programs a stage runs. */
#include "lk_exec.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void lk_exec_self_dir(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	char *slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
}

/* Fills out with DIR/NAME when that file is executable. */
static int try_dir(const char *dir, size_t dirlen, const char *name, char *out, size_t size)
{
	if (dirlen == 0)
		return 0;
	int n = snprintf(out, size, "%.*s/%s", (int)dirlen, dir, name);
	return n > 0 && (size_t)n < size && access(out, X_OK) == 0;
}

int lk_exec_find(const char *name, char *out, size_t size)
{
	const char *dir = getenv("LETTERKIT_EXEC_DIR");
	if (dir && try_dir(dir, strlen(dir), name, out, size))
		return 0;
	const char *path = getenv("LETTERKIT_EXEC_PATH");
	for (const char *p = path ? path : ""; *p;) {
		size_t len = strcspn(p, ":");
		if (try_dir(p, len, name, out, size))
			return 0;
		p += len + (p[len] == ':');
	}
	char self[PATH_MAX];
	lk_exec_self_dir(self, sizeof self);
	return try_dir(self, strlen(self), name, out, size) ? 0 : -1;
}
