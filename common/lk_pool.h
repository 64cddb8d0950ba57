/*
 * lk_pool.h: an ordered pool of worker threads, for a stage whose letters
 * are independent but whose outputs must keep the input's order.
 *
 * The caller submits jobs in input order and takes them back in that same
 * order, each once a worker has run it; at most `depth` jobs are in flight,
 * so memory stays bounded however long the batch. Workers run with every
 * signal blocked: SIGINT and SIGTERM reach the submitting thread, whose
 * blocking reads they interrupt (lk_stop.h). With one worker there is no
 * thread: lk_pool_submit runs the job at once, in the caller's thread.
 *
 * The run function gets the worker's number (0 .. workers - 1), so that each
 * worker can use its own state (a MuPDF context, for instance) without locks.
 */
#ifndef LK_POOL_H
#define LK_POOL_H

#include <stddef.h>

struct lk_pool;

typedef void (*lk_pool_run)(void *job, int worker, void *arg);

/**
 * A pool of `workers` (1 or more) running `run(job, worker, arg)`, with at
 * most `depth` (1 or more) jobs in flight. NULL when threads or memory
 * cannot be had (errno says why).
 */
struct lk_pool *lk_pool_new(int workers, size_t depth, lk_pool_run run, void *arg);

/** 1 when `depth` jobs are in flight: take one before submitting another. */
int lk_pool_full(const struct lk_pool *p);

/** Queues `job` (never NULL) after the others. Returns -1 when the pool is full. */
int lk_pool_submit(struct lk_pool *p, void *job);

/** The oldest job in flight, once it has run (waits for it); NULL when none is in flight. */
void *lk_pool_take(struct lk_pool *p);

/** Stops the workers; jobs still in flight are run first, and not returned. */
void lk_pool_free(struct lk_pool *p);

/** The number of online cores, from 1 to `max`: the default number of workers. */
int lk_online_cores(int max);

#endif
