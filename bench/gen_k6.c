/* bench/gen_k6.c: a deterministic, seeded k6 `--out json` stream for `make bench`.
 * Usage: gen_k6 REQUESTS SEED > points.ndjson
 * The shape follows the corpus (../shared/samples/k6, k6 v0.49.0): Metric lines before each
 * metric's first point, Point lines with k6's key order and tag sets, 20 endpoints in 3
 * scenarios, log-normal latencies, 404s and some 5xx, lines out of time order by up to one
 * flush (200 ms), as k6 writes them. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct endpoint {
	const char *name, *method, *group, *scenario;
	double base_ms, sigma, err5xx;
	int status;
};

static const struct endpoint eps[] = {
	{"items-list", "GET", "::catalog", "browse", 20, 0.35, 0.002, 200},
	{"item-detail", "GET", "::catalog::item details", "browse", 12, 0.30, 0.002, 200},
	{"item-reviews", "GET", "::catalog::item details", "browse", 18, 0.40, 0.002, 200},
	{"search", "GET", "::catalog", "browse", 35, 0.50, 0.004, 200},
	{"fast", "GET", "::misc", "browse", 4, 0.30, 0.0, 200},
	{"flaky", "GET", "::misc", "browse", 15, 0.30, 0.05, 200},
	{"missing", "GET", "::misc", "browse", 2, 0.30, 0.0, 404},
	{"slow", "GET", "::misc", "browse", 80, 0.30, 0.001, 200},
	{"health", "GET", "", "browse", 1, 0.30, 0.0, 200},
	{"login", "POST", "::checkout::login", "checkout", 25, 0.30, 0.05, 200},
	{"cart", "GET", "::checkout", "checkout", 14, 0.35, 0.002, 200},
	{"cart-add", "POST", "::checkout", "checkout", 22, 0.40, 0.003, 201},
	{"cart-remove", "DELETE", "::checkout", "checkout", 16, 0.35, 0.003, 204},
	{"pay", "POST", "::checkout::pay", "checkout", 60, 0.45, 0.01, 200},
	{"receipt", "GET", "::checkout::pay", "checkout", 9, 0.30, 0.001, 200},
	{"profile", "GET", "::account", "api", 11, 0.30, 0.002, 200},
	{"profile-update", "PUT", "::account", "api", 28, 0.40, 0.005, 200},
	{"orders", "GET", "::account", "api", 40, 0.55, 0.004, 200},
	{"order-detail", "GET", "::account", "api", 17, 0.35, 0.002, 200},
	{"notifications", "GET", "::account", "api", 7, 0.30, 0.002, 200},
};
#define NEP (sizeof(eps) / sizeof(*eps))

static const char *const metrics[][3] = {
	/* name, type, contains */
	{"http_reqs", "counter", "default"},
	{"http_req_duration", "trend", "time"},
	{"http_req_blocked", "trend", "time"},
	{"http_req_connecting", "trend", "time"},
	{"http_req_tls_handshaking", "trend", "time"},
	{"http_req_sending", "trend", "time"},
	{"http_req_waiting", "trend", "time"},
	{"http_req_receiving", "trend", "time"},
	{"http_req_failed", "rate", "default"},
	{"checks", "rate", "default"},
	{"data_sent", "counter", "data"},
	{"data_received", "counter", "data"},
	{"iteration_duration", "trend", "time"},
	{"iterations", "counter", "default"},
	{"vus", "gauge", "default"},
	{"vus_max", "gauge", "default"},
};
#define NMETRICS (sizeof(metrics) / sizeof(*metrics))

static uint64_t rng;
static int declared[NMETRICS];

static double uniform(void)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return ((double)(rng >> 11) + 0.5) / 9007199254740992.0;
}

static double lognormal(double median, double sigma)
{
	double z = sqrt(-2 * log(uniform())) * cos(6.283185307179586 * uniform());

	return median * exp(sigma * z);
}

/* RFC 3339 like Go: up to 9 fractional digits, trailing zeros trimmed. */
static void fmt_time(char *out, int64_t ns)
{
	static int64_t cached_sec = -1;
	static char prefix[32];
	int64_t sec = ns / 1000000000, frac = ns % 1000000000;
	int n;

	if (sec != cached_sec) {
		time_t t = (time_t)sec;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(prefix, sizeof(prefix), "%Y-%m-%dT%H:%M:%S", &tm);
		cached_sec = sec;
	}
	if (frac == 0) {
		sprintf(out, "%sZ", prefix);
		return;
	}
	n = sprintf(out, "%s.%09lld", prefix, (long long)frac);
	while (out[n - 1] == '0')
		n--;
	out[n++] = 'Z';
	out[n] = 0;
}

/* Go's shortest form of ms values with ns resolution: at most 6 decimals. */
static void fmt_value(char *out, double v)
{
	int n = sprintf(out, "%.6f", v);

	while (out[n - 1] == '0')
		n--;
	if (out[n - 1] == '.')
		n--;
	out[n] = 0;
}

static void point(int m, int64_t ns, double v, const char *tags)
{
	char t[48], val[48];

	if (!declared[m]) {
		printf("{\"type\":\"Metric\",\"data\":{\"name\":\"%s\",\"type\":\"%s\",\"contains\":\"%s\","
		       "\"thresholds\":%s,\"submetrics\":%s},\"metric\":\"%s\"}\n",
		       metrics[m][0], metrics[m][1], metrics[m][2],
		       m == 1 ? "[\"p(95)<500\",\"p(99)<1500\"]" : m == 8 ? "[\"rate<0.05\"]" : "[]",
		       m == 1 ? "[{\"name\":\"http_req_duration{expected_response:true}\",\"suffix\":"
				"\"expected_response:true\",\"tags\":{\"expected_response\":\"true\"}}]"
			      : "null",
		       metrics[m][0]);
		declared[m] = 1;
	}
	fmt_time(t, ns);
	fmt_value(val, v);
	printf("{\"metric\":\"%s\",\"type\":\"Point\",\"data\":{\"time\":\"%s\",\"value\":%s,"
	       "\"tags\":%s}}\n",
	       metrics[m][0], t, val, tags);
}

static void request(const struct endpoint *e, int64_t ns)
{
	char tags[512];
	int status = e->status, failed;
	double dur, waiting, blocked = uniform() < 0.01 ? lognormal(2, 0.5) : 0.002 + uniform() * 0.01;

	if (e->err5xx > 0 && uniform() < e->err5xx)
		status = uniform() < 0.5 ? 500 : 503;
	failed = status >= 400;
	dur = lognormal(e->base_ms, e->sigma);
	waiting = dur * (0.90 + 0.08 * uniform());
	snprintf(tags, sizeof(tags),
		 "{\"expected_response\":\"%s\",\"group\":\"%s\",\"method\":\"%s\",\"name\":\"%s\","
		 "\"profile\":\"load\",\"proto\":\"HTTP/1.1\",\"scenario\":\"%s\",\"site\":"
		 "\"z\xc3\xbcrich-\xe6\x9d\xb1\xe4\xba\xac\",\"status\":\"%d\",\"url\":"
		 "\"http://127.0.0.1:18080/api/%s\"}",
		 failed ? "false" : "true", e->group, e->method, e->name, e->scenario, status, e->name);
	point(0, ns, 1, tags);
	point(1, ns, dur, tags);
	point(2, ns, blocked, tags);
	point(3, ns, blocked > 0.1 ? blocked * 0.8 : 0, tags);
	point(4, ns, 0, tags);
	point(5, ns, 0.01 + uniform() * 0.05, tags);
	point(6, ns, waiting, tags);
	point(7, ns, dur - waiting, tags);
	point(8, ns, failed, tags);
	snprintf(tags, sizeof(tags),
		 "{\"check\":\"%s ok\",\"group\":\"%s\",\"profile\":\"load\",\"scenario\":\"%s\","
		 "\"site\":\"z\xc3\xbcrich-\xe6\x9d\xb1\xe4\xba\xac\"}",
		 e->name, e->group, e->scenario);
	point(9, ns, !failed || e->status == 404, tags);
}

int main(int argc, char **argv)
{
	long long requests = argc > 1 ? atoll(argv[1]) : 100000, i;
	int64_t start = 1796411750000000000LL; /* 2026-12-04T19:15:50Z */
	/* about 1,700 requests a second: 1M requests are a ten-minute load test */
	double span = (double)requests / 1700.0 * 1e9;
	static char buf[1 << 20];

	rng = argc > 2 ? strtoull(argv[2], NULL, 10) : 42;
	setvbuf(stdout, buf, _IOFBF, sizeof(buf));
	for (i = 0; i < requests; i += 2) {
		/* one iteration = two requests of one scenario; lines flushed out of order by up
		 * to 200 ms, as k6's 200 ms flushes of many VUs do */
		int64_t ns = start + (int64_t)(span * (double)i / (double)requests) +
			     (int64_t)(uniform() * 200e6);
		const struct endpoint *a = &eps[(size_t)(uniform() * NEP)];
		const struct endpoint *b = &eps[(size_t)(uniform() * NEP)];
		char tags[256];
		request(a, ns);
		request(b, ns + 3000000);
		snprintf(tags, sizeof(tags),
			 "{\"group\":\"\",\"profile\":\"load\",\"scenario\":\"%s\",\"site\":"
			 "\"z\xc3\xbcrich-\xe6\x9d\xb1\xe4\xba\xac\"}", a->scenario);
		point(10, ns, 180 + (int)(uniform() * 40), tags);
		point(11, ns, 900 + (int)(uniform() * 4000), tags);
		point(12, ns, lognormal(a->base_ms + b->base_ms + 5, 0.3), tags);
		point(13, ns, 1, tags);
		if (i % 1700 == 0) {
			point(14, ns, 20 + (double)(i % 17), "{\"profile\":\"load\",\"site\":"
				  "\"z\xc3\xbcrich-\xe6\x9d\xb1\xe4\xba\xac\"}");
			point(15, ns, 50, "{\"profile\":\"load\",\"site\":"
				  "\"z\xc3\xbcrich-\xe6\x9d\xb1\xe4\xba\xac\"}");
		}
	}
	return fflush(stdout) != 0;
}
