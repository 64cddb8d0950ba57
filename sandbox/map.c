/* map.c: a string -> size_t hash map with open addressing (ids, references). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct entry {
	char *key;
	size_t value;
};

struct map {
	struct entry *slots;
	size_t cap, n;		/* cap is a power of two */
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

struct map *map_new(void)
{
	struct map *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->cap = 64;
	m->slots = calloc(m->cap, sizeof *m->slots);
	if (!m->slots) {
		free(m);
		return NULL;
	}
	return m;
}

void map_free(struct map *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

static struct entry *find(const struct map *m, const char *key)
{
	size_t i = (size_t)hash(key) & (m->cap - 1);
	while (m->slots[i].key && strcmp(m->slots[i].key, key) != 0)
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static int grow(struct map *m)
{
	struct map bigger = {calloc(m->cap * 2, sizeof *m->slots), m->cap * 2, m->n};
	if (!bigger.slots)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			*find(&bigger, m->slots[i].key) = m->slots[i];
	free(m->slots);
	*m = bigger;
	return 0;
}

size_t *map_slot(struct map *m, const char *key)
{
	/* Keep the load under 1/2 so probes stay short. */
	if ((m->n + 1) * 2 > m->cap && grow(m) < 0)
		return NULL;
	struct entry *e = find(m, key);
	if (!e->key) {
		e->key = strdup(key);
		if (!e->key)
			return NULL;
		e->value = 0;
		m->n++;
	}
	return &e->value;
}

size_t *map_lookup(const struct map *m, const char *key)
{
	struct entry *e = find(m, key);
	return e->key ? &e->value : NULL;
}
