/* The cdf chart: the distributions of one series on the baseline and candidate side overlaid,
 * as cumulative step curves over a log value axis, from the stored histograms (or from raw
 * samples where a source keeps no histogram). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "perfcmp/error.h"
#include "perfcmp/hist.h"
#include "perfcmp/render.h"
#include "render/plot_internal.h"

/* Merge the side's distributions of the series into h. 0, PC_ENOTFOUND or PC_ENOMEM. */
static int side_hist(pc_hist *h, pc_run *const *runs, size_t n, const char *metric,
		     const char *tags, const char **unit)
{
	size_t i, j;
	int rc = 0, found = 0;

	for (i = 0; i < n && !rc; i++) {
		const pc_series *s = pc_run_find_series(runs[i], metric, tags);
		if (!s)
			continue;
		if (s->hist && s->hist->count) {
			rc = pc_hist_merge(h, s->hist);
			found = 1;
		} else if (s->nsamples) {
			for (j = 0; j < s->nsamples && !rc; j++)
				if (isfinite(s->samples[j].v))
					rc = pc_hist_add(h, s->samples[j].v, 1);
			found = 1;
		}
		if (found && !*unit && s->unit)
			*unit = s->unit;
	}
	if (rc)
		return rc;
	return found && h->count ? 0 : PC_ENOTFOUND;
}

/* A step curve: (value, % at or below) at each bucket, from (min, 0). Buckets are read at
 * their representative value clamped to the exact min and max, as pc_hist_quantile does. */
static int curve(pc_buf *b, const pc_hist *h, int positive_only)
{
	uint64_t cum = 0;
	size_t i;
	int rc = 0;

	for (i = 0; i < h->n && !rc; i++) {
		double v = pc_hist_value(h->keys[i]);
		if (v < h->min)
			v = h->min;
		if (v > h->max)
			v = h->max;
		if (i == 0 && (!positive_only || v > 0))
			rc = pc_plot_num(b, v) || pc_buf_puts(b, " 0\n");
		cum += h->counts[i];
		if (positive_only && v <= 0)
			continue;
		rc = rc || pc_plot_num(b, v) || pc_buf_putc(b, ' ') ||
		     pc_plot_num(b, 100.0 * (double)cum / (double)h->count) || pc_buf_putc(b, '\n');
	}
	return rc ? PC_ENOMEM : 0;
}

static int side_name(pc_buf *b, const char *side, const int64_t *ids, size_t n, uint64_t count)
{
	int rc;

	if (n == 1)
		return pc_buf_printf(b, "%s run %lld (%llu samples)", side, (long long)ids[0],
				     (unsigned long long)count);
	rc = pc_buf_printf(b, "%s %zu runs (", side, n);
	for (size_t i = 0; i < n && !rc; i++)
		rc = pc_buf_printf(b, "%s%lld", i ? "," : "", (long long)ids[i]);
	return rc || pc_buf_printf(b, "; %llu samples)", (unsigned long long)count);
}

int pc_plot_cdf(pc_buf *out, pc_run *const *base, size_t nbase, pc_run *const *cand,
		size_t ncand, const char *metric, const char *tags, const pc_compare_sides *sides,
		const pc_plot_opts *o)
{
	static const double marks[] = {50, 95, 99};
	pc_hist hb, hc;
	pc_buf b = PC_BUF_INIT, name = PC_BUF_INIT, title = PC_BUF_INIT, bn = PC_BUF_INIT,
	       cn = PC_BUF_INIT;
	const char *unit = NULL;
	int rc, logx;
	size_t i;

	pc_hist_init(&hb);
	pc_hist_init(&hc);
	if ((rc = pc_series_name(&name, metric, tags)))
		goto done;
	if ((rc = side_hist(&hb, base, nbase, metric, tags, &unit)) == PC_ENOTFOUND ||
	    (!rc && (rc = side_hist(&hc, cand, ncand, metric, tags, &unit)) == PC_ENOTFOUND)) {
		rc = pc_error_set(PC_ENOTFOUND, "the %s has no samples or histogram of %s",
				  hb.count ? "candidate" : "baseline", name.ptr);
		goto done;
	}
	if (rc)
		goto done;
	/* a log axis needs positive values; a series with zeros (or below) is drawn linear */
	logx = hb.min > 0 && hc.min > 0;
	if ((rc = side_name(&bn, "baseline", sides->base_ids, sides->nbase, hb.count)) ||
	    (rc = side_name(&cn, "candidate", sides->cand_ids, sides->ncand, hc.count)))
		goto done;
	if (o->title)
		rc = pc_buf_puts(&title, o->title);
	else
		rc = pc_buf_printf(&title, "%s distribution: baseline vs candidate, %s", name.ptr,
				   sides->scope ? sides->scope : "");
	if (rc || (rc = pc_plot_preamble(&b, o, title.ptr)))
		goto done;
	if ((rc = pc_buf_puts(&b, "$base << EOD\n")) || (rc = curve(&b, &hb, logx)) ||
	    (rc = pc_buf_puts(&b, "EOD\n$cand << EOD\n")) || (rc = curve(&b, &hc, logx)) ||
	    (rc = pc_buf_puts(&b, "EOD\n")))
		goto done;
	for (i = 0; i < sizeof(marks) / sizeof(*marks) && !rc; i++)
		rc = pc_buf_printf(&b, "set arrow from graph 0, first %g to graph 1, first %g nohead "
				       "lc rgb '%s' dt 3 lw 1 back\n"
				       "set label 'p%g' at graph 1.01, first %g left tc rgb '%s'\n",
				   marks[i], marks[i], PC_C_GREY, marks[i], marks[i], PC_C_GREY);
	if (rc)
		goto done;
	rc = pc_buf_printf(&b, "%s"
			       "set yrange [0:100]\n"
			       "set ytics 0,10,100\n"
			       "set rmargin 7\n"
			       "set key inside bottom right vertical opaque\n"
			       "set ylabel 'samples at or below the value (%%)'\n"
			       "set xlabel ",
			   logx ? "set logscale x 10\nset format x '%g'\nset mxtics 10\n" : "");
	if (rc || (rc = pc_plot_esc_printf(&b, "%s (%s%s)", metric, unit && *unit ? unit : "value",
					   logx ? ", log scale" : "")) ||
	    (rc = pc_buf_printf(&b, "\nplot $base using 1:2 with lines lw 2.5 dt 2 lc rgb '%s' title ",
				PC_C_ORANGE)) ||
	    (rc = pc_esc_gnuplot(&b, bn.ptr)) ||
	    (rc = pc_buf_printf(&b, ", \\\n     $cand using 1:2 with lines lw 2.5 dt 1 lc rgb '%s' title ",
				PC_C_BLUE)) ||
	    (rc = pc_esc_gnuplot(&b, cn.ptr)) || (rc = pc_buf_putc(&b, '\n')))
		goto done;
done:
	rc = pc_plot_finish(out, &b, rc);
	pc_hist_release(&hb);
	pc_hist_release(&hc);
	pc_buf_release(&name);
	pc_buf_release(&title);
	pc_buf_release(&bn);
	pc_buf_release(&cn);
	return rc;
}
