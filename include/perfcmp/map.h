/* pc_map: a hash table from byte strings to pointers (open addressing, XXH3 hashing). The map
 * copies keys; it never owns or frees the values. */
#ifndef PERFCMP_MAP_H
#define PERFCMP_MAP_H

#include <stddef.h>

typedef struct pc_map pc_map;

pc_map *pc_map_new(void); /* NULL on allocation failure */
void pc_map_free(pc_map *m);
/* The value stored under key, or NULL. */
void *pc_map_get(const pc_map *m, const void *key, size_t len);
/* Store (or replace) the value under key. 0 or PC_ENOMEM. */
int pc_map_put(pc_map *m, const void *key, size_t len, void *value);
size_t pc_map_count(const pc_map *m);

#endif
