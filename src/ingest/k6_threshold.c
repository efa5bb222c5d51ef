/* k6 threshold expressions ("p(95)<500", "rate < 0.01", "count>100") evaluated against a
 * series' statistics, for runs whose source carries the expressions but not the results. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/k6_metric.h"
#include "perfcmp/error.h"
#include "perfcmp/stats.h"

enum op { OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE };

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* "<=" before "<", "===" before "==": the longest operator wins, as in k6's parser. */
static const char *parse_op(const char *p, enum op *op)
{
	static const struct {
		const char *s;
		enum op op;
	} ops[] = {{"<=", OP_LE}, {">=", OP_GE}, {"===", OP_EQ}, {"==", OP_EQ},
		   {"!=", OP_NE}, {"<", OP_LT},  {">", OP_GT}};
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(*ops); i++) {
		size_t n = strlen(ops[i].s);
		if (strncmp(p, ops[i].s, n) == 0) {
			*op = ops[i].op;
			return p + n;
		}
	}
	return NULL;
}

/* The aggregation method at p into `agg` ("p(95)", "med", ...); returns the end or NULL. */
static const char *parse_agg(const char *p, char agg[24])
{
	const char *s = p;

	while (islower((unsigned char)*p))
		p++;
	if (p == s)
		return NULL;
	if (*p == '(') {
		const char *close = strchr(p, ')');
		if (!close)
			return NULL;
		p = close + 1;
	}
	if ((size_t)(p - s) >= 24)
		return NULL;
	memcpy(agg, s, (size_t)(p - s));
	agg[p - s] = '\0';
	return p;
}

static int compare(double a, enum op op, double b)
{
	switch (op) {
	case OP_LT: return a < b;
	case OP_LE: return a <= b;
	case OP_GT: return a > b;
	case OP_GE: return a >= b;
	case OP_EQ: return a == b;
	case OP_NE: return a != b;
	}
	return 0;
}

/* The statistic `agg` of s, from its stats or (p(N)) from the sorted values. */
static int agg_value(const pc_series *s, const char *agg, const double *sorted, size_t n,
		     double *out)
{
	char name[24];

	if (strcmp(agg, "med") == 0)
		strcpy(name, "p50");
	else if (pc_stat_name_norm(agg, name))
		return PC_EINPUT;
	if (pc_series_get_stat(s, name, out) == 0)
		return 0;
	if (agg[0] == 'p' && agg[1] == '(' && sorted && n) {
		double q = strtod(agg + 2, NULL) / 100;
		if (q >= 0 && q <= 1) {
			*out = pc_quantile_sorted(sorted, n, q);
			return 0;
		}
	}
	return PC_EINPUT;
}

int pc_k6_threshold_eval(const pc_series *s, const char *expr, const double *sorted, size_t n,
			 int *ok)
{
	const char *p = skip_ws(expr);
	char agg[24], *end;
	enum op op;
	double want, have;

	if (!(p = parse_agg(p, agg)) || !(p = parse_op(skip_ws(p), &op)))
		goto bad;
	p = skip_ws(p);
	want = strtod(p, &end);
	if (end == p || *skip_ws(end) != '\0' || !isfinite(want))
		goto bad;
	if (agg_value(s, agg, sorted, n, &have))
		return pc_error_set(PC_EINPUT, "threshold \"%.80s\": %s has no statistic \"%s\"", expr,
				    s->metric, agg);
	*ok = compare(have, op, want);
	return 0;
bad:
	return pc_error_set(PC_EINPUT, "threshold \"%.80s\" is not k6 threshold syntax", expr);
}
