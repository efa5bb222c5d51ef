/* The reason the block test exists, shown on simulated runs: latencies drawn from a log-normal
 * distribution with bursty contention (a slowdown that switches on and off for 1–5 s at random,
 * so neighbouring requests are slow together). Identical pairs must not be called regressions
 * more than 5% of the time, a 25% shift must be found at least 90% of the time, and an i.i.d.
 * test on the same data must raise more false alarms than the block test. Fixed seed. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/ingest_internal.h"
#include "perfcmp/compare.h"
#include "perfcmp/error.h"
#include "perfcmp/sigtest.h"

#define PAIRS 200
#define RATE 50      /* requests per second */
#define SECONDS 60   /* per run: 3000 requests */
static pc_run *sim_run_drift(double shift, double drift);

#define BURST_SLOW 1.6 /* the contended machine runs 1.6x slower in a burst */

static uint64_t rng_state;

static double uniform(void)
{
	/* xorshift64*: deterministic and good enough for a simulation */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static double normal(void)
{
	double u = uniform(), v = uniform();

	return sqrt(-2 * log(u > 0 ? u : 1e-300)) * cos(6.283185307179586 * v);
}

/* One run: two series, the whole metric and one endpoint (a third of the requests). */
static pc_run *sim_run(double shift)
{
	return sim_run_drift(shift, 0);
}

/* drift: the standard deviation of a run-level log factor (another runner, another day). */
static pc_run *sim_run_drift(double shift, double drift)
{
	pc_run *run = pc_run_new(PC_SRC_K6_POINTS);
	pc_series *all, *ep;
	double t = 0, burst_end = -1, next_burst = uniform() * 10;
	double level = drift > 0 ? exp(drift * normal()) : 1;
	int64_t t0 = 1700000000LL * 1000000000LL;

	run->profile = strdup("load");
	run->config = strdup("sim");
	cr_assert_eq(pc_run_series(run, &all, "http_req_duration", "{}", PC_KIND_TREND, "ms"), 0);
	cr_assert_eq(pc_run_series(run, &ep, "http_req_duration", "{\"name\":\"a\"}", PC_KIND_TREND, "ms"), 0);
	for (int i = 0; i < RATE * SECONDS; i++) {
		double lat;
		t += 1.0 / RATE;
		if (t >= next_burst && t > burst_end) {
			burst_end = t + 1 + 4 * uniform();        /* on for 1-5 s */
			next_burst = burst_end + 2 + 10 * uniform(); /* then off for 2-12 s */
		}
		lat = 20 * level * exp(0.45 * normal()) * shift * (t < burst_end ? BURST_SLOW : 1);
		pc_series_add_sample(all, t0 + (int64_t)(t * 1e9), lat);
		if (i % 3 == 0)
			pc_series_add_sample(ep, t0 + (int64_t)(t * 1e9), lat);
	}
	cr_assert_eq(pc_ingest_summarize(all), 0);
	cr_assert_eq(pc_ingest_summarize(ep), 0);
	return run;
}

static pc_profile *sim_profile(void)
{
	const char *text = "{\"k6\": [{\"metric\": \"http_req_duration\", \"by\": [\"\", \"name\"],"
			   " \"stats\": [\"p50\", \"p95\", \"p99\"], \"relative\": 0.10, \"absolute\": 0}]}";
	char path[] = "/tmp/perfcmp-simXXXXXX";
	int fd = mkstemp(path);
	pc_profile *p = NULL;

	cr_assert(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	cr_assert_eq(pc_profile_load(&p, path), 0, "%s", pc_error_msg());
	unlink(path);
	return p;
}

/* The i.i.d. alternative on the same rows: every request an independent sample (Mann-Whitney
 * on all values of the series, Holm across the rows), with the same budget rule. */
static int iid_regression(pc_run *b, pc_run *c)
{
	double p[6], adj[6];
	int beyond[6] = {0}, n = 0, found = 0;
	static const char *const stats[] = {"p50", "p95", "p99"};

	for (size_t s = 0; s < b->nseries; s++) {
		pc_series *sb = b->series[s], *sc = pc_run_find_series(c, sb->metric, sb->tags);
		double *vb = malloc(sb->nsamples * sizeof(double)), *vc = malloc(sc->nsamples * sizeof(double));
		for (size_t i = 0; i < sb->nsamples; i++)
			vb[i] = sb->samples[i].v;
		for (size_t i = 0; i < sc->nsamples; i++)
			vc[i] = sc->samples[i].v;
		for (int k = 0; k < 3; k++) {
			double xb, xc, u;
			pc_series_get_stat(sb, stats[k], &xb);
			pc_series_get_stat(sc, stats[k], &xc);
			cr_assert_eq(pc_mann_whitney(&p[n], &u, NULL, vb, sb->nsamples, vc, sc->nsamples), 0);
			beyond[n] = xc > xb * 1.10;
			n++;
		}
		free(vb);
		free(vc);
	}
	pc_holm(adj, p, (size_t)n);
	for (int i = 0; i < n; i++)
		found |= beyond[i] && adj[i] < 0.05;
	return found;
}

Test(simulation, block_test_holds_false_alarms_and_detects_25pct, .timeout = 120)
{
	pc_profile *prof = sim_profile();
	int fa = 0, det = 0, fa_iid = 0;

	rng_state = 0x9e3779b97f4a7c15ULL;
	for (int pair = 0; pair < 2 * PAIRS; pair++) {
		int shifted = pair >= PAIRS;
		pc_run *b = sim_run(1.0), *c = sim_run(shifted ? 1.25 : 1.0);
		pc_comparison *cmp = NULL;

		cr_assert_eq(pc_compare(&cmp, &b, 1, &c, 1, prof, NULL), 0, "%s", pc_error_msg());
		cr_assert_eq(cmp->nrows, 6);
		if (shifted)
			det += cmp->verdict == PC_V_REGRESSION;
		else {
			fa += cmp->verdict == PC_V_REGRESSION;
			fa_iid += iid_regression(b, c);
		}
		pc_comparison_free(cmp);
		pc_run_free(b);
		pc_run_free(c);
	}
	cr_log_info("simulation: block test %d/%d false alarms, %d/%d detections of +25%%; "
		    "i.i.d. Mann-Whitney %d/%d false alarms", fa, PAIRS, det, PAIRS, fa_iid, PAIRS);
	printf("simulation: block test false alarms %d/%d, detection of +25%% %d/%d; "
	       "i.i.d. Mann-Whitney false alarms %d/%d\n", fa, PAIRS, det, PAIRS, fa_iid, PAIRS);
	cr_assert_leq(fa, PAIRS * 5 / 100, "false alarms %d of %d", fa, PAIRS);
	cr_assert_geq(det, PAIRS * 90 / 100, "detections %d of %d", det, PAIRS);
	cr_assert_gt(fa_iid, fa, "the i.i.d. test should raise more false alarms (%d vs %d)", fa_iid, fa);
	pc_profile_free(prof);
}

/* A candidate against a window of 5 runs when runs drift by ~7% between them (STATS.md "A
 * candidate against a window of runs"): the random-effects test must hold false alarms to 5%,
 * where the one-against-one block test, blind to drift between runs, raises more. */
Test(simulation, window_random_effects_with_drift, .timeout = 180)
{
	enum { TRIALS = 150, N = 5 };
	const double drift = 0.07;
	pc_profile *prof = sim_profile();
	int fa = 0, det = 0, fa_one = 0;

	rng_state = 0x2545f4914f6cdd1dULL;
	for (int trial = 0; trial < 2 * TRIALS; trial++) {
		int shifted = trial >= TRIALS;
		pc_run *base[N], *c;
		pc_comparison *cmp = NULL;

		for (int i = 0; i < N; i++)
			base[i] = sim_run_drift(1.0, drift);
		c = sim_run_drift(shifted ? 1.25 : 1.0, drift);
		cr_assert_eq(pc_compare(&cmp, base, N, &c, 1, prof, NULL), 0, "%s", pc_error_msg());
		if (shifted)
			det += cmp->verdict == PC_V_REGRESSION;
		else
			fa += cmp->verdict == PC_V_REGRESSION;
		pc_comparison_free(cmp);
		if (!shifted) {
			cr_assert_eq(pc_compare(&cmp, base, 1, &c, 1, prof, NULL), 0, "%s", pc_error_msg());
			fa_one += cmp->verdict == PC_V_REGRESSION;
			pc_comparison_free(cmp);
		}
		for (int i = 0; i < N; i++)
			pc_run_free(base[i]);
		pc_run_free(c);
	}
	printf("simulation (7%% drift between runs): window of %d, random effects: false alarms %d/%d, "
	       "detection of +25%% %d/%d; one run against one run: false alarms %d/%d\n", N, fa,
	       TRIALS, det, TRIALS, fa_one, TRIALS);
	cr_assert_leq(fa, TRIALS * 5 / 100, "false alarms %d of %d", fa, TRIALS);
	cr_assert_gt(fa_one, fa, "one-against-one should suffer from the drift (%d vs %d)", fa_one, fa);
	pc_profile_free(prof);
}
