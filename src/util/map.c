/* Open-addressing hash table keyed by byte strings; see perfcmp/map.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "perfcmp/error.h"
#include "perfcmp/map.h"

struct slot {
	char *key; /* NULL = empty */
	size_t len;
	uint64_t hash;
	void *value;
};

struct pc_map {
	struct slot *slots;
	size_t cap; /* a power of two */
	size_t count;
};

pc_map *pc_map_new(void)
{
	pc_map *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->cap = 16;
	m->slots = calloc(m->cap, sizeof(*m->slots));
	if (!m->slots) {
		free(m);
		return NULL;
	}
	return m;
}

void pc_map_free(pc_map *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

static struct slot *find(const pc_map *m, const void *key, size_t len, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	for (;;) {
		struct slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
			return s;
		i = (i + 1) & (m->cap - 1);
	}
}

void *pc_map_get(const pc_map *m, const void *key, size_t len)
{
	struct slot *s = find(m, key, len, XXH3_64bits(key, len));

	return s->key ? s->value : NULL;
}

static int grow(pc_map *m)
{
	struct slot *old = m->slots, *ns;
	size_t oldcap = m->cap, i;

	ns = calloc(oldcap * 2, sizeof(*ns));
	if (!ns)
		return pc_error_set(PC_ENOMEM, "out of memory");
	m->slots = ns;
	m->cap = oldcap * 2;
	for (i = 0; i < oldcap; i++) {
		if (old[i].key) {
			struct slot *s = find(m, old[i].key, old[i].len, old[i].hash);
			*s = old[i];
		}
	}
	free(old);
	return 0;
}

int pc_map_put(pc_map *m, const void *key, size_t len, void *value)
{
	uint64_t h = XXH3_64bits(key, len);
	struct slot *s = find(m, key, len, h);

	if (s->key) {
		s->value = value;
		return 0;
	}
	if ((m->count + 1) * 4 > m->cap * 3) {
		int rc = grow(m);
		if (rc)
			return rc;
		s = find(m, key, len, h);
	}
	s->key = malloc(len + 1);
	if (!s->key)
		return pc_error_set(PC_ENOMEM, "out of memory");
	memcpy(s->key, key, len);
	s->key[len] = '\0';
	s->len = len;
	s->hash = h;
	s->value = value;
	m->count++;
	return 0;
}

size_t pc_map_count(const pc_map *m)
{
	return m->count;
}
