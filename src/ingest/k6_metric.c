/* k6 metric names and kinds shared by the summary and points parsers: splitting a submetric key
 * "name{k:v,...}" into metric and canonical tags (k6's ParseMetricName rules), and units. */
#include <stdlib.h>
#include <string.h>

#include "ingest/k6_metric.h"
#include "perfcmp/error.h"
#include "perfcmp/strutil.h"

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
	if (*n >= 2 && ((**s == '"' && (*s)[*n - 1] == '"') || (**s == '\'' && (*s)[*n - 1] == '\''))) {
		(*s)++;
		*n -= 2;
	}
}

int pc_k6_split_name(const char *key, char **metric, char **tags)
{
	const char *brace = strchr(key, '{');
	size_t klen = strlen(key), nparts = 0, ntags, i;
	char **keys = NULL, **vals = NULL;
	const char *p, *end;
	int rc = PC_ENOMEM;

	*metric = *tags = NULL;
	while (klen && key[klen - 1] == ' ')
		klen--;
	if (!brace) {
		if (!(*metric = pc_strndup(key, klen)) || !(*tags = pc_strdup("{}")))
			goto done;
		return 0;
	}
	if (key[klen - 1] != '}') {
		rc = pc_error_set(PC_EINPUT, "malformed submetric name \"%.80s\"", key);
		goto done;
	}
	if (!(*metric = pc_strndup(key, (size_t)(brace - key))))
		goto done;
	p = brace + 1;
	end = key + klen - 1;
	for (const char *q = p; q <= end; q++)
		if (q == end || *q == ',')
			nparts++;
	keys = calloc(nparts, sizeof(*keys));
	vals = calloc(nparts, sizeof(*vals));
	if (!keys || !vals)
		goto done;
	for (i = 0; i < nparts; i++) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *pe = comma ? comma : end;
		const char *colon = memchr(p, ':', (size_t)(pe - p));
		const char *k = p, *v = colon ? colon + 1 : pe;
		size_t kn = (size_t)((colon ? colon : pe) - p), vn = (size_t)(pe - v);
		trim(&k, &kn);
		trim(&v, &vn);
		if (!(keys[i] = pc_strndup(k, kn)) || !(vals[i] = pc_strndup(v, vn)))
			goto done;
		p = pe + 1;
	}
	/* "name{}" has one empty part: no tags */
	ntags = nparts == 1 && keys[0][0] == '\0' && vals[0][0] == '\0' ? 0 : nparts;
	if (!(*tags = pc_tags_canon((const char *const *)keys, (const char *const *)vals, ntags)))
		goto done;
	rc = 0;
done:
	for (i = 0; keys && i < nparts; i++)
		free(keys[i]);
	for (i = 0; vals && i < nparts; i++)
		free(vals[i]);
	free(keys);
	free(vals);
	if (rc) {
		free(*metric);
		free(*tags);
		*metric = *tags = NULL;
	}
	return rc;
}

/* Built-in k6 metrics whose values are milliseconds (contains "time"). */
static const char *const time_metrics[] = {
	"http_req_duration", "http_req_blocked", "http_req_connecting", "http_req_tls_handshaking",
	"http_req_sending", "http_req_waiting", "http_req_receiving", "iteration_duration",
	"group_duration", "ws_connecting", "ws_session_duration", "ws_ping", "grpc_req_duration",
};

const char *pc_k6_unit(const char *metric, const char *contains, pc_kind kind)
{
	size_t i;

	if (contains && strcmp(contains, "time") == 0)
		return "ms";
	if (contains && strcmp(contains, "data") == 0)
		return "bytes";
	if (!contains) {
		for (i = 0; i < sizeof(time_metrics) / sizeof(*time_metrics); i++)
			if (strcmp(metric, time_metrics[i]) == 0)
				return "ms";
		if (strcmp(metric, "data_sent") == 0 || strcmp(metric, "data_received") == 0)
			return "bytes";
	}
	if (kind == PC_KIND_RATE)
		return "ratio";
	if (kind == PC_KIND_COUNTER)
		return "count";
	return "";
}
