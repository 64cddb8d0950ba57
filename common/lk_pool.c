/* lk_pool.c: an ordered pool of worker threads (pthreads). */
#include "lk_pool.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

enum slot_state { QUEUED, RUNNING, DONE };

struct slot {
	void *job;
	enum slot_state state;
};

struct lk_pool {
	lk_pool_run run;
	void *arg;
	int workers;
	pthread_t *threads;
	int started;            /* threads running */
	pthread_mutex_t lock;
	pthread_cond_t queued;  /* a job was queued, or the pool is stopping */
	pthread_cond_t done;    /* a job has run */
	struct slot *slots;     /* a ring of `depth` slots, in submission order */
	size_t depth;
	size_t head;            /* the oldest job in flight */
	size_t count;           /* jobs in flight */
	size_t next;            /* jobs from head already handed to a worker */
	int stopping;
};

struct worker_start {
	struct lk_pool *pool;
	int index;
};

static void *worker(void *p)
{
	struct worker_start *start = p;
	struct lk_pool *pool = start->pool;
	int index = start->index;
	free(start);
	pthread_mutex_lock(&pool->lock);
	for (;;) {
		while (pool->next == pool->count && !pool->stopping)
			pthread_cond_wait(&pool->queued, &pool->lock);
		if (pool->next == pool->count)
			break;   /* stopping, and nothing left to run */
		struct slot *s = &pool->slots[(pool->head + pool->next++) % pool->depth];
		s->state = RUNNING;
		pthread_mutex_unlock(&pool->lock);
		pool->run(s->job, index, pool->arg);
		pthread_mutex_lock(&pool->lock);
		s->state = DONE;
		pthread_cond_broadcast(&pool->done);
	}
	pthread_mutex_unlock(&pool->lock);
	return NULL;
}

struct lk_pool *lk_pool_new(int workers, size_t depth, lk_pool_run run, void *arg)
{
	if (workers < 1 || depth < 1) {
		errno = EINVAL;
		return NULL;
	}
	struct lk_pool *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->run = run;
	p->arg = arg;
	p->workers = workers;
	p->depth = depth;
	p->slots = calloc(depth, sizeof *p->slots);
	p->threads = workers > 1 ? calloc((size_t)workers, sizeof *p->threads) : NULL;
	if (!p->slots || (workers > 1 && !p->threads)) {
		free(p->slots);
		free(p->threads);
		free(p);
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->queued, NULL);
	pthread_cond_init(&p->done, NULL);
	if (workers == 1)
		return p;
	/* The threads inherit a mask with every signal blocked. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int err = 0;
	for (int i = 0; i < workers; i++) {
		struct worker_start *start = malloc(sizeof *start);
		if (!start) {
			err = ENOMEM;
			break;
		}
		*start = (struct worker_start){p, i};
		if ((err = pthread_create(&p->threads[i], NULL, worker, start)) != 0) {
			free(start);
			break;
		}
		p->started++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		lk_pool_free(p);
		errno = err;
		return NULL;
	}
	return p;
}

int lk_pool_full(const struct lk_pool *p)
{
	return p->count == p->depth;   /* only the submitting thread changes count */
}

int lk_pool_submit(struct lk_pool *p, void *job)
{
	if (p->workers == 1) {
		if (p->count == p->depth)
			return -1;
		p->run(job, 0, p->arg);
		p->slots[(p->head + p->count++) % p->depth] = (struct slot){job, DONE};
		p->next = p->count;
		return 0;
	}
	pthread_mutex_lock(&p->lock);
	if (p->count == p->depth) {
		pthread_mutex_unlock(&p->lock);
		return -1;
	}
	p->slots[(p->head + p->count++) % p->depth] = (struct slot){job, QUEUED};
	pthread_cond_signal(&p->queued);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

void *lk_pool_take(struct lk_pool *p)
{
	pthread_mutex_lock(&p->lock);
	if (p->count == 0) {
		pthread_mutex_unlock(&p->lock);
		return NULL;
	}
	struct slot *s = &p->slots[p->head];
	while (s->state != DONE)
		pthread_cond_wait(&p->done, &p->lock);
	void *job = s->job;
	p->head = (p->head + 1) % p->depth;
	p->count--;
	p->next--;
	pthread_mutex_unlock(&p->lock);
	return job;
}

void lk_pool_free(struct lk_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = 1;
	pthread_cond_broadcast(&p->queued);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < p->started; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->queued);
	pthread_cond_destroy(&p->done);
	pthread_mutex_destroy(&p->lock);
	free(p->threads);
	free(p->slots);
	free(p);
}

int lk_online_cores(int max)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > max ? max : (int)n;
}
