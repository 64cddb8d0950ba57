/*
 * lk_exec.h: finding the other letterkit programs a stage runs (the sandbox
 * runs letterkit-scan and letterkit-check; `letterkit run` runs every stage).
 *
 * The order matches the driver's: $LETTERKIT_EXEC_DIR (which the driver sets
 * to the directory it found the stage in), then each directory of
 * $LETTERKIT_EXEC_PATH, then the directory of the running executable.
 * libc only, so that any program can use it.
 */
#ifndef LK_EXEC_H
#define LK_EXEC_H

#include <stddef.h>

/** The directory of the running executable into buf ("" when /proc is unavailable). */
void lk_exec_self_dir(char *buf, size_t size);

/**
 * Finds the executable file `name` (e.g. "letterkit-scan") as above and
 * writes its path into out. Returns 0, or -1 when it is nowhere.
 */
int lk_exec_find(const char *name, char *out, size_t size);

#endif
