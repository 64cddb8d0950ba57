/* lk_stop.h: stopping a batch between letters on SIGINT or SIGTERM. */
#ifndef LK_STOP_H
#define LK_STOP_H

/**
 * For a command's front end: SIGINT and SIGTERM from now on only note that
 * the batch should stop, so the letter in progress is finished (its files
 * written whole, its ledger row committed) and no temporary file is left.
 * The handlers are installed without SA_RESTART: a blocking read returns
 * EINTR, so a command waiting for input stops too. Child processes forked
 * later inherit them.
 */
void lk_stop_catch(void);

/**
 * As lk_stop_catch, with two choices for commands that supervise other
 * processes: with `restart`, interrupted system calls are restarted
 * (SA_RESTART: the reads go on, and the children, told to stop, end them);
 * `then` (may be NULL) runs in the handler after the signal is noted, and
 * may only do what a signal handler may (kill(2) the children, say).
 */
void lk_stop_catch_then(int restart, void (*then)(int sig));

/** The signal that asked the batch to stop (SIGINT or SIGTERM), or 0. */
int lk_stop_signal(void);

/** "SIGINT" or "SIGTERM", for messages. */
const char *lk_stop_name(int sig);

#endif
