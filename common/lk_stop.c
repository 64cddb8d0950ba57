/* lk_stop.c: stopping a batch between letters on SIGINT or SIGTERM. */
#include "lk_stop.h"

#include <signal.h>
#include <stddef.h>

static volatile sig_atomic_t stop_signal;
static void (*stop_then)(int sig);

static void on_signal(int sig)
{
	stop_signal = sig;
	if (stop_then)
		stop_then(sig);
}

void lk_stop_catch_then(int restart, void (*then)(int sig))
{
	struct sigaction sa = {0};
	stop_then = then;
	sa.sa_handler = on_signal;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void lk_stop_catch(void)
{
	lk_stop_catch_then(0, NULL);
}

int lk_stop_signal(void)
{
	return stop_signal;
}

const char *lk_stop_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : "SIGTERM";
}
