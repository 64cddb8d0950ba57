/* lk_stop.c: stopping a batch between letters on SIGINT or SIGTERM. */
#include "lk_stop.h"

#include <signal.h>
#include <stddef.h>

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

void lk_stop_catch(void)
{
	struct sigaction sa = {0};
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int lk_stop_signal(void)
{
	return stop_signal;
}

const char *lk_stop_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : "SIGTERM";
}
