/* keys.c: the API keys the sandbox accepts: given, kept in the state, or generated. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const type_names[SANDBOX_KEY_TYPES] = {"live", "team", "test"};

const char *sandbox_key_type_name(enum sandbox_key_type t)
{
	return (unsigned)t < SANDBOX_KEY_TYPES ? type_names[t] : "?";
}

int sandbox_key_type_parse(const char *s, enum sandbox_key_type *t)
{
	for (int i = 0; i < SANDBOX_KEY_TYPES; i++) {
		if (strcmp(s, type_names[i]) == 0) {
			*t = (enum sandbox_key_type)i;
			return 0;
		}
	}
	return -1;
}

int sandbox_key_parse(const char *spec, struct sandbox_key *key, char *err, size_t errlen)
{
	const char *eq = strchr(spec, '=');
	char type[8];
	if (!eq || (size_t)(eq - spec) >= sizeof type) {
		snprintf(err, errlen, "key must be TYPE=KEY with TYPE live, team or test");
		return -1;
	}
	memcpy(type, spec, (size_t)(eq - spec));
	type[eq - spec] = '\0';
	if (sandbox_key_type_parse(type, &key->type) < 0) {
		snprintf(err, errlen, "key type '%s' is not live, team or test", type);
		return -1;
	}
	if (strlen(eq + 1) > SANDBOX_KEY_MAX) {
		snprintf(err, errlen, "%s key is longer than %d characters", type, SANDBOX_KEY_MAX);
		return -1;
	}
	char why[256];
	if (lk_api_key_parse(eq + 1, &key->parts, why, sizeof why) < 0) {
		snprintf(err, errlen, "%s key: %s", type, why);
		return -1;
	}
	memcpy(key->text, eq + 1, strlen(eq + 1) + 1);
	return 0;
}

int key_generate(enum sandbox_key_type t, const char *service_id, struct sandbox_key *k)
{
	char secret[LK_UUID_LEN + 1];
	if (uuid_v4(secret) < 0)
		return -1;
	k->type = t;
	snprintf(k->text, sizeof k->text, "sandbox_%s-%s-%s", type_names[t], service_id, secret);
	char err[128];
	return lk_api_key_parse(k->text, &k->parts, err, sizeof err);
}

static int add_key(struct sandbox *sb, const struct sandbox_key *k)
{
	for (size_t i = 0; i < sb->n_keys; i++)
		if (strcmp(sb->keys[i].text, k->text) == 0)
			return 0;
	struct sandbox_key *more = realloc(sb->keys, (sb->n_keys + 1) * sizeof *more);
	if (!more)
		return -1;
	sb->keys = more;
	sb->keys[sb->n_keys++] = *k;
	return 1;
}

int keys_setup(struct sandbox *sb, char *err, size_t errlen)
{
	if (sb->store.db && db_load_keys(sb, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < sb->cfg.n_keys; i++) {
		int added = add_key(sb, &sb->cfg.keys[i]);
		if (added < 0 || (added && sb->store.db && db_save_key(sb, &sb->cfg.keys[i], err, errlen) < 0))
			goto fail;
	}
	if (sb->n_keys == 0) {
		/* One service, as Notify gives one: a live, a team and a test key. */
		char service_id[LK_UUID_LEN + 1];
		if (uuid_v4(service_id) < 0) {
			snprintf(err, errlen, "no randomness available to make keys");
			return -1;
		}
		for (int t = 0; t < SANDBOX_KEY_TYPES; t++) {
			struct sandbox_key k;
			if (key_generate((enum sandbox_key_type)t, service_id, &k) < 0 || add_key(sb, &k) < 0 ||
			    (sb->store.db && db_save_key(sb, &k, err, errlen) < 0))
				goto fail;
		}
		sb->keys_generated = 1;
	}
	sb->buckets = calloc(sb->n_keys, sizeof *sb->buckets);
	if (!sb->buckets)
		goto fail;
	for (size_t i = 0; i < sb->n_keys; i++)
		sb->buckets[i].tokens = (double)sb->cfg.rate_limit;
	return 0;
fail:
	if (!err[0])
		snprintf(err, errlen, "out of memory setting up keys");
	return -1;
}
