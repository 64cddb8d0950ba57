/* test-pool.c: lk_pool, the ordered worker pool: jobs come back in submission order. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "lk_pool.h"
#include "test.h"

struct job {
	int n;
	int worker;
	int ran;
};

static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static int seen_worker[8];

/* Later jobs sleep less, so that workers finish out of order. */
static void run(void *p, int worker, void *arg)
{
	struct job *j = p;
	int *delays = arg;
	if (*delays) {
		struct timespec ts = {0, (long)((j->n * 7919) % 5) * 1000000L};
		nanosleep(&ts, NULL);
	}
	j->worker = worker;
	j->ran++;
	pthread_mutex_lock(&seen_lock);
	if (worker >= 0 && worker < 8)
		seen_worker[worker] = 1;
	pthread_mutex_unlock(&seen_lock);
}

/* n jobs through a pool of `workers` and `depth`: every job once, in order. */
static void ordered(int workers, size_t depth, int n)
{
	int delays = 1;
	struct lk_pool *p = lk_pool_new(workers, depth, run, &delays);
	CHECK(p != NULL);
	if (!p)
		return;
	struct job *jobs = calloc((size_t)n, sizeof *jobs);
	int next_out = 0, submitted = 0;
	while (submitted < n) {
		if (lk_pool_full(p)) {
			CHECK_INT(lk_pool_submit(p, &jobs[submitted]), -1);
			struct job *j = lk_pool_take(p);
			CHECK(j == &jobs[next_out]);
			CHECK_INT(j->ran, 1);
			next_out++;
			continue;
		}
		jobs[submitted].n = submitted;
		CHECK_INT(lk_pool_submit(p, &jobs[submitted]), 0);
		submitted++;
	}
	struct job *j;
	while ((j = lk_pool_take(p))) {
		CHECK(j == &jobs[next_out]);
		CHECK_INT(j->ran, 1);
		CHECK(j->worker >= 0 && j->worker < workers);
		next_out++;
	}
	CHECK_INT(next_out, n);
	CHECK(lk_pool_take(p) == NULL);
	lk_pool_free(p);
	free(jobs);
}

int main(void)
{
	ordered(1, 1, 10);     /* no threads: each job runs as it is submitted */
	ordered(1, 4, 10);
	ordered(3, 6, 200);
	ordered(2, 1, 20);     /* one in flight at a time */
	CHECK(seen_worker[0] && seen_worker[1] && seen_worker[2]);
	CHECK(lk_pool_new(0, 4, run, NULL) == NULL);
	CHECK(lk_pool_new(2, 0, run, NULL) == NULL);
	int one = lk_online_cores(64);
	CHECK(one >= 1 && one <= 64);
	CHECK_INT(lk_online_cores(1), 1);
	lk_pool_free(NULL);
	return test_exit("test-pool");
}
