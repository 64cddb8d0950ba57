/* cli.h: what the two files of `letterkit address`'s front end share (private). */
#ifndef ADDRESS_CLI_H
#define ADDRESS_CLI_H

#include <jansson.h>

#include "address.h"
#include "lk_opt.h"

/* The command, for messages in the shared format (cli.c). */
extern const struct lk_cmd address_cli_command;

/* The exit status for one verdict: 0 valid, 1 not. */
int address_cli_status(const struct address_result *r);

/* Adds the verdict's members (valid, error, ...) to obj. 0, or -1 when out of memory. */
int address_cli_add_fields(json_t *obj, const struct address_result *r);

/*
 * batch.c: check every record of an NDJSON stream or every row of a CSV file
 * at path ("-": standard input); results on standard output, problems on
 * standard error. Return the worst exit status.
 */
int address_cli_ndjson(const char *path, int international);
int address_cli_csv(const char *path, int international);

#endif
