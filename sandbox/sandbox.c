/* sandbox.c: the server's life: configure, start, stop. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/* Base64 of a 2 MiB file (Notify's largest letter) plus room for the JSON around it. */
#define DEFAULT_MAX_BODY ((2u * 1024 * 1024 + 2) / 3 * 4 + 16 * 1024)

void sandbox_config_init(struct sandbox_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->listen_addr = "127.0.0.1";
	cfg->port = 6011;	/* the port Notify's API uses in development */
	cfg->scan_delay_ms = 500;
	cfg->check_delay_ms = 500;
	cfg->receive_delay_ms = 2000;
	cfg->rate_limit = 3000;
	cfg->rate_interval_s = 60;
	cfg->daily_limit = 250000;
	cfg->max_body = DEFAULT_MAX_BODY;
	cfg->connection_timeout_s = 30;
	cfg->max_connections = 1000;
	cfg->max_connections_per_ip = 256;
	cfg->workers = 2;
	cfg->control = 1;
	cfg->seed = 1;
	cfg->faults.fail_status = 500;
}

struct sandbox *sandbox_new(const struct sandbox_config *cfg, char *err, size_t errlen)
{
	err[0] = '\0';
	if (!cfg->scan_exe || !cfg->check_exe) {
		snprintf(err, errlen, "the paths of letterkit-scan and letterkit-check are needed");
		return NULL;
	}
	if (cfg->workers < 1 || cfg->rate_limit < 1 || cfg->rate_interval_s < 1 || cfg->daily_limit < 0) {
		snprintf(err, errlen, "workers, rate limit and interval must be at least 1");
		return NULL;
	}
	struct sandbox *sb = calloc(1, sizeof *sb);
	if (!sb) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	sb->cfg = *cfg;
	sb->faults = cfg->faults;
	sb->rng = cfg->seed;
	pthread_mutex_init(&sb->lock, NULL);
	pthread_mutex_init(&sb->qlock, NULL);
	pthread_cond_init(&sb->qcond, NULL);
	if (store_open(sb, err, errlen) < 0 || keys_setup(sb, err, errlen) < 0) {
		sandbox_free(sb);
		return NULL;
	}
	return sb;
}

int sandbox_start(struct sandbox *sb, char *err, size_t errlen)
{
	/* Listen first: letters kept in the state may need base_url in their answers. */
	if (server_start(sb, err, errlen) < 0)
		return -1;
	if (process_start(sb, err, errlen) < 0) {
		server_stop(sb);
		return -1;
	}
	sb->started = 1;
	return 0;
}

const char *sandbox_base_url(const struct sandbox *sb)
{
	return sb->base_url;
}

const struct sandbox_key *sandbox_keys(const struct sandbox *sb, size_t *n)
{
	*n = sb->n_keys;
	return sb->keys;
}

int sandbox_keys_generated(const struct sandbox *sb)
{
	return sb->keys_generated;
}

void sandbox_stop(struct sandbox *sb)
{
	if (!sb->started)
		return;
	server_stop(sb);
	process_stop(sb);
	sb->started = 0;
}

/* Removes the temporary letters directory and the PDFs in it. */
static void remove_temp_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		char path[4400];
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(dir);
}

void sandbox_free(struct sandbox *sb)
{
	if (!sb)
		return;
	sandbox_stop(sb);
	if (sb->letters_dir_is_temp)
		remove_temp_dir(sb->letters_dir);
	store_close(&sb->store);
	free(sb->jobs);
	free(sb->keys);
	free(sb->buckets);
	pthread_mutex_destroy(&sb->lock);
	pthread_mutex_destroy(&sb->qlock);
	pthread_cond_destroy(&sb->qcond);
	free(sb);
}
