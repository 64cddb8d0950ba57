/*
 * lk_out.h: output files, written whole or not at all.
 *
 * Every file a command makes (a letter, a picture, a report, --results, a
 * key file) is written to a temporary file beside it, which is renamed over
 * the target only when complete: a reader never sees half a file, and a
 * failure (a full disk, a stop signal) leaves the target as it was and no
 * temporary file behind. The temporary file has its final mode from the
 * moment it exists, so a key file is never readable by others, not even
 * for an instant. By default the file and then its folder are fsynced, so
 * the new file survives a power cut once the call returns.
 *
 * Temporary names are TARGET.tmp-PID-XXXXXX. A process killed with SIGKILL
 * cannot remove its own; LK_OUT_CLEAN_STALE removes those of processes
 * that no longer exist when the next writer of the same target starts.
 */
#ifndef LK_OUT_H
#define LK_OUT_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

enum lk_out_flags {
	/* Skip both fsyncs: readers still never see a partial file, but after a
	 * power cut it may be missing until the caller has run lk_sync_folder()
	 * on its folder. For the many files of one batch (compose's letters),
	 * where a sync per file would cost more than the work. */
	LK_OUT_LAZY = 1,
	/* Before writing, remove TARGET.tmp-PID-* left by dead processes. */
	LK_OUT_CLEAN_STALE = 2,
};

struct lk_out;

/**
 * Starts writing `path` (mode e.g. 0644 or 0600, applied exactly, whatever
 * the umask). Returns the writer, or NULL with a message naming the file in
 * err (the folder is missing or not writable...).
 */
struct lk_out *lk_out_open(const char *path, mode_t mode, int flags, char *err, size_t errlen);

/** The stream to write to (fully buffered). Do not close it. */
FILE *lk_out_stream(struct lk_out *o);

/**
 * Finishes: flushes, fsyncs, renames over the target, fsyncs the folder,
 * frees o. Returns 0, or -1 with a message (e.g. "No space left on device")
 * in err, in which case the target is untouched and the temporary file gone.
 */
int lk_out_commit(struct lk_out *o, char *err, size_t errlen);

/** Gives up: removes the temporary file, frees o. The target is untouched. NULL is allowed. */
void lk_out_abort(struct lk_out *o);

/**
 * The whole file in one call: lk_out_open, one write, lk_out_commit.
 * lk_write_atomic() is lk_write_file(path, data, len, 0644, 0, ...).
 */
int lk_write_file(const char *path, const void *data, size_t len, mode_t mode, int flags,
		  char *err, size_t errlen);
int lk_write_atomic(const char *path, const void *data, size_t len, char *err, size_t errlen);

/**
 * Makes what was written under `folder` durable: syncs the file system
 * that holds it (syncfs, not the whole machine's sync()) and the folder.
 * Returns 0, or -1 with a message in err.
 */
int lk_sync_folder(const char *folder, char *err, size_t errlen);

/**
 * Makes `folder` (and its parents) when missing, as `mkdir -p` does, mode
 * 0755. Returns 0, or -1 with a message naming it in err (a file is in the
 * way, permission denied...).
 */
int lk_make_folder(const char *folder, char *err, size_t errlen);

/**
 * Makes the folder that the file `path` goes in (and its parents) when
 * missing, so that an output named in a folder that does not exist yet can
 * be written, as every command's output options promise. Returns 0, or -1
 * with a message in err.
 */
int lk_make_parent(const char *path, char *err, size_t errlen);

/**
 * Readies `path` for an output written later (a report after the batch, a
 * picture fetched later): its folder is made when missing (lk_make_parent),
 * a folder at `path` itself is refused, and a writer is opened there and
 * given up, so that a path that cannot be written is refused before the
 * work, not after it. The target is untouched. Returns 0, or -1 with a
 * message naming the path in err.
 */
int lk_out_ready(const char *path, char *err, size_t errlen);

#endif
