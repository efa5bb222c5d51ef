/* The trend chart: one series' p50/p95/p99 across the runs of a profile and config, the
 * within-run interval of p95 as a band, regressions against the run before marked. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfcmp/error.h"
#include "perfcmp/hist.h"
#include "perfcmp/render.h"
#include "perfcmp/sigtest.h"
#include "perfcmp/stats.h"
#include "render/plot_internal.h"

static double stat_of(const pc_series *s, const char *name)
{
	double v;

	return s && pc_series_get_stat(s, name, &v) == 0 ? v : NAN;
}

/* The 95% order-statistic interval of the series' q-quantile within its run: from the raw
 * samples when the run kept them, else from the histogram. 0, or -1 when too few samples. */
static int band(const pc_series *s, double q, double *lo, double *hi)
{
	size_t n, rlo, rhi;

	n = s->nsamples ? s->nsamples : s->hist ? (size_t)s->hist->count : 0;
	if (n < 2 || pc_quantile_ci(&rlo, &rhi, n, q, 0.95) != 0) {
		pc_error_clear();
		return -1;
	}
	if (s->nsamples) {
		double *v = malloc(n * sizeof(*v));
		size_t i;
		if (!v)
			return -1;
		for (i = 0; i < n; i++)
			v[i] = s->samples[i].v;
		pc_sort_doubles(v, n);
		*lo = v[rlo];
		*hi = v[rhi];
		free(v);
		return 0;
	}
	*lo = pc_hist_quantile(s->hist, (double)rlo / (double)(n - 1));
	*hi = pc_hist_quantile(s->hist, (double)rhi / (double)(n - 1));
	return 0;
}

/* A tick every `step` runs, step from 1, 2, 5, 10, 20, 25, 50, ... so that at most `most`
 * ticks show: 3 runs get a tick each, 300 runs one every 25 or 50. */
static size_t tick_step(size_t n, size_t most)
{
	static const size_t base[] = {1, 2, 5, 10, 20, 25, 50};
	size_t mult = 1, i;

	for (;;) {
		for (i = 0; i < sizeof(base) / sizeof(*base); i++)
			if ((n + base[i] * mult - 1) / (base[i] * mult) <= most)
				return base[i] * mult;
		mult *= 100;
	}
}

int pc_plot_trend_point(pc_trend_point *pt, const pc_run *r, const char *metric,
			const char *tags, char unit[16])
{
	const pc_series *s = pc_run_find_series(r, metric, tags);
	pc_buf t = PC_BUF_INIT;
	int rc;

	memset(pt, 0, sizeof(*pt));
	pt->run_id = r->id;
	if (r->nlabels)
		rc = pc_buf_printf(&t, "#%lld ", (long long)r->id) || pc_plot_shorten(&t, r->labels[0], 14);
	else if (r->git_sha && *r->git_sha)
		rc = pc_buf_printf(&t, "#%lld %.7s", (long long)r->id, r->git_sha);
	else
		rc = pc_buf_printf(&t, "#%lld", (long long)r->id);
	if (rc) {
		pc_buf_release(&t);
		return PC_ENOMEM;
	}
	snprintf(pt->tick, sizeof(pt->tick), "%s", t.ptr);
	pc_buf_release(&t);
	pt->present = s != NULL;
	pt->p50 = stat_of(s, "p50");
	pt->p95 = stat_of(s, "p95");
	pt->p99 = stat_of(s, "p99");
	pt->lo = pt->hi = NAN;
	if (s && band(s, 0.95, &pt->lo, &pt->hi) != 0)
		pt->lo = pt->hi = NAN;
	if (s && unit && !*unit && s->unit)
		snprintf(unit, 16, "%s", s->unit);
	return 0;
}

int pc_plot_trend(pc_buf *out, const pc_trend_point *pts, size_t n, const char *metric,
		  const char *tags, const char *unit, const char *scope, const pc_plot_opts *o)
{
	pc_buf b = PC_BUF_INIT, name = PC_BUF_INIT, title = PC_BUF_INIT;
	size_t i, found = 0, nreg = 0, step, width = o->width > 0 ? (size_t)o->width : PC_PLOT_WIDTH;
	int rc;

	for (i = 0; i < n; i++) {
		found += pts[i].present != 0;
		nreg += pts[i].regression != 0;
	}
	if (!unit)
		unit = "";
	if ((rc = pc_series_name(&name, metric, tags)))
		goto done;
	if (!found) {
		rc = pc_error_set(PC_ENOTFOUND, "no run has the series %s", name.ptr);
		goto done;
	}
	if (o->title)
		rc = pc_buf_puts(&title, o->title);
	else
		rc = pc_buf_printf(&title, "%s across %zu runs of %s", name.ptr, n, scope);
	if (rc || (rc = pc_plot_preamble(&b, o, title.ptr)))
		goto done;

	/* one row per run: index, p50, p95, p99, band low, band high, then the p50, p95 and p99
	 * values again where that statistic regressed against the run before (else NaN) */
	if ((rc = pc_buf_puts(&b, "$runs << EOD\n")))
		goto done;
	for (i = 0; i < n && !rc; i++) {
		const pc_trend_point *p = &pts[i];
		rc = pc_buf_printf(&b, "%zu ", i) || pc_plot_num(&b, p->p50) || pc_buf_putc(&b, ' ') ||
		     pc_plot_num(&b, p->p95) || pc_buf_putc(&b, ' ') || pc_plot_num(&b, p->p99) ||
		     pc_buf_putc(&b, ' ') || pc_plot_num(&b, p->lo) || pc_buf_putc(&b, ' ') ||
		     pc_plot_num(&b, p->hi) || pc_buf_putc(&b, ' ') ||
		     pc_plot_num(&b, p->regression & PC_TREND_P50 ? p->p50 : NAN) || pc_buf_putc(&b, ' ') ||
		     pc_plot_num(&b, p->regression & PC_TREND_P95 ? p->p95 : NAN) || pc_buf_putc(&b, ' ') ||
		     pc_plot_num(&b, p->regression & PC_TREND_P99 ? p->p99 : NAN) || pc_buf_putc(&b, '\n');
	}
	if (rc || (rc = pc_buf_puts(&b, "EOD\n")))
		goto done;

	/* run ticks: every one up to a dozen or so, then a round step; slanted */
	step = tick_step(n, width / 75 > 2 ? width / 75 : 2);
	if ((rc = pc_buf_puts(&b, "set xtics (")))
		goto done;
	for (i = 0; i < n && !rc; i += step)
		rc = (i ? pc_buf_puts(&b, ", ") : 0) || pc_esc_gnuplot(&b, pts[i].tick) ||
		     pc_buf_printf(&b, " %zu", i);
	if (rc || (rc = pc_buf_puts(&b, ")\n")))
		goto done;
	rc = pc_buf_printf(&b, "set xtics rotate by 30 right font ',%d'\n"
			       "set xrange [-0.5:%zu.5]\n"
			       "set yrange [0:*]\n"
			       "set grid noxtics ytics\n"
			       "set key outside right top vertical Left reverse width -2\n"
			       "set xlabel 'run (id, git commit or label), oldest to newest'\n"
			       "set ylabel ",
			       o->format == PC_PLOT_PNG ? 9 : 11, n ? n - 1 : 0);
	if (rc || (rc = pc_plot_esc_printf(&b, "%s (%s)", metric, *unit ? unit : "value")) ||
	    (rc = pc_buf_putc(&b, '\n')))
		goto done;
	if (!rc) {
		/* past 40 runs points crowd and dash patterns break up into noise: solid lines of
		 * different weights (still apart in greyscale by colour lightness and width) */
		int many = n > 40;
		const char *style = many ? "lines" : "linespoints";
		rc = pc_buf_printf(&b,
			"plot $runs using 1:5:6 with filledcurves fc rgb '%s' fs transparent solid 0.25 noborder "
			"title 'p95: 95%% interval within the run', \\\n"
			"     $runs using 1:2 with %s lw 2 lc rgb '%s' dt 1 pt 7 ps 0.8 title 'p50', \\\n"
			"     $runs using 1:3 with %s lw %s lc rgb '%s' dt %d pt 5 ps 0.8 title 'p95', \\\n"
			"     $runs using 1:4 with %s lw %s lc rgb '%s' dt %d pt 9 ps 0.9 title 'p99'",
			PC_C_BAND, style, PC_C_GREEN, style, many ? "1.5" : "2", PC_C_BLUE,
			many ? 1 : 2, style, many ? "1" : "2", PC_C_RED, many ? 1 : 3);
		if (!rc && nreg)
			rc = pc_buf_printf(&b, ", \\\n     $runs using 1:7 with points pt 6 ps 2.4 lw 2 "
					       "lc rgb '%s' title 'regression against the run before', \\\n"
					       "     $runs using 1:8 with points pt 6 ps 2.4 lw 2 lc rgb '%s' notitle, \\\n"
					       "     $runs using 1:9 with points pt 6 ps 2.4 lw 2 lc rgb '%s' notitle",
					   PC_C_RED, PC_C_RED, PC_C_RED);
		rc = rc || pc_buf_putc(&b, '\n');
	}
done:
	rc = pc_plot_finish(out, &b, rc);
	pc_buf_release(&name);
	pc_buf_release(&title);
	return rc;
}
