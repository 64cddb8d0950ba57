/*
 * limits.c: per-file limits on memory and time, so that a hostile or
 * broken file (a decompression bomb, a huge image, a page that takes
 * minutes to interpret) ends in a finding instead of an out-of-memory kill
 * or a hung batch.
 *
 * Memory: every byte MuPDF allocates goes through a counting allocator;
 * past the cap it returns NULL, MuPDF first empties its caches and then
 * throws FZ_ERROR_MEMORY, and the check reports resource-limit-exceeded.
 * Time: a POSIX timer, whose expiry runs in its own thread, raises the
 * cookie's abort flag, which MuPDF's interpreter polls between operators;
 * the checker then stops at the next page boundary.
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

/* Keeps the size in front of each block; 16 bytes keeps max_align_t alignment. */
#define HEADER 16

static void *counted_malloc(void *user, size_t size)
{
	struct limits *l = user;
	if (size > l->cap - l->used || size > SIZE_MAX - HEADER) {
		l->memory_hit = 1;
		return NULL;
	}
	unsigned char *p = malloc(size + HEADER);
	if (!p)
		return NULL;
	memcpy(p, &size, sizeof size);
	l->used += size;
	return p + HEADER;
}

static void counted_free(void *user, void *ptr)
{
	struct limits *l = user;
	if (!ptr)
		return;
	unsigned char *p = (unsigned char *)ptr - HEADER;
	size_t size;
	memcpy(&size, p, sizeof size);
	l->used -= size;
	free(p);
}

static void *counted_realloc(void *user, void *ptr, size_t size)
{
	struct limits *l = user;
	if (!ptr)
		return counted_malloc(user, size);
	if (size == 0) {
		counted_free(user, ptr);
		return NULL;
	}
	unsigned char *p = (unsigned char *)ptr - HEADER;
	size_t old;
	memcpy(&old, p, sizeof old);
	if (size > old && (size - old > l->cap - l->used || size > SIZE_MAX - HEADER)) {
		l->memory_hit = 1;
		return NULL;
	}
	unsigned char *q = realloc(p, size + HEADER);
	if (!q)
		return NULL;
	memcpy(q, &size, sizeof size);
	l->used = l->used - old + size;
	return q + HEADER;
}

void limits_allocator(struct limits *l, fz_alloc_context *alloc)
{
	l->cap = SIZE_MAX;
	alloc->user = l;
	alloc->malloc = counted_malloc;
	alloc->realloc = counted_realloc;
	alloc->free = counted_free;
}

static void expire(union sigval v)
{
	struct limits *l = v.sival_ptr;
	l->timed_out = 1;
	l->cookie.abort = 1;
}

int limits_timer_init(struct limits *l)
{
	struct sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_THREAD;
	ev.sigev_notify_function = expire;
	ev.sigev_value.sival_ptr = l;
	if (timer_create(CLOCK_MONOTONIC, &ev, &l->timer) != 0)
		return -1;
	l->has_timer = 1;
	return 0;
}

void limits_timer_free(struct limits *l)
{
	if (l->has_timer)
		timer_delete(l->timer);
	l->has_timer = 0;
}

void limits_start(struct limits *l, const struct pdfcheck_options *opt)
{
	/* MuPDF's own caches stay within the store limit, far below any cap;
	 * the cap counts what this file adds on top of them. */
	l->cap = opt->max_memory ? l->used + opt->max_memory : SIZE_MAX;
	l->memory_hit = 0;
	l->timed_out = 0;
	memset(&l->cookie, 0, sizeof l->cookie);
	if (l->has_timer && opt->max_seconds > 0) {
		struct itimerspec when = {0};
		when.it_value.tv_sec = (time_t)opt->max_seconds;
		when.it_value.tv_nsec = (long)((opt->max_seconds - (double)when.it_value.tv_sec) * 1e9);
		timer_settime(l->timer, 0, &when, NULL);
	}
}

void limits_stop(struct limits *l)
{
	struct itimerspec off = {0};
	if (l->has_timer)
		timer_settime(l->timer, 0, &off, NULL);
	l->cap = SIZE_MAX;
}

void limits_check(fz_context *ctx, struct limits *l)
{
	if (l->cookie.abort)
		fz_throw(ctx, FZ_ERROR_ABORT, "time limit reached");
}
