/*
 * lk_opt_conf.h: inside lk_opt, the configuration files' settings turned into
 * options delivered before the command line's. Not for commands (lk_opt.h).
 */
#ifndef LK_OPT_CONF_H
#define LK_OPT_CONF_H

#include <getopt.h>

#include "lk_opt.h"

/**
 * Reads the files for cmd (finding --config FILE in argv with a first pass
 * of getopt_long over the same tables) and queues the settings for the
 * options in longopts. Returns 0, or reports and returns LK_EXIT_ERROR.
 */
int lk_opt_conf_begin(const struct lk_cmd *cmd, int argc, char **argv, const char *shorts,
		      const struct option *longopts);

/**
 * The next queued setting: its option's value (optarg set, NULL for a flag)
 * or -1 when there are none left. Until the next call, lk_opt_conf_origin()
 * is "FILE:LINE" of the setting, for messages; NULL after the last.
 */
int lk_opt_conf_next(void);
const char *lk_opt_conf_origin(void);

/** Forgets the queue (the values stay, for the command's optarg pointers). */
void lk_opt_conf_end(void);

#endif
