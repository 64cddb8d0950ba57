/*
 * lk_fixups.h: the names of `letterkit fix`'s fixups and its --only and
 * --min-scale options, read the same way by fix and by run (which passes
 * them on as --fix-only and --fix-min-scale, and refuses a bad one before
 * any letter runs).
 */
#ifndef LK_FIXUPS_H
#define LK_FIXUPS_H

#include "lk_opt.h"

/* The fixups, NULL-terminated, in the order of fix.h's FIX_* bits. */
#define LK_N_FIXUPS 5
extern const char *const lk_fixup_names[LK_N_FIXUPS + 1];

/* The smallest --min-scale allowed (the largest is 1: fix only shrinks). */
#define LK_FIX_MIN_SCALE_LOWEST 0.1

/**
 * Comma-separated fixup names (ARG of OPT, e.g. "--only") into their bits
 * (1 << index in lk_fixup_names). 0, or -1 after saying what is wrong.
 */
int lk_fixups_parse(const struct lk_cmd *cmd, const char *opt, const char *arg, unsigned *bits);

/** A --min-scale value: 0 with it in *out, or -1 after saying what is allowed. */
int lk_fix_min_scale_parse(const struct lk_cmd *cmd, const char *opt, const char *arg, double *out);

#endif
