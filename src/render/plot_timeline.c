/* The timeline chart: one run second by second from its stored timeline. Two panels on one
 * time axis: throughput (requests/s, failed requests/s) with VUs on a second axis, and the
 * p50/p95 latency of each second below. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "perfcmp/error.h"
#include "render/plot_internal.h"

int pc_plot_timeline(pc_buf *out, const pc_run *run, const pc_plot_opts *o)
{
	pc_buf b = PC_BUF_INIT, title = PC_BUF_INIT;
	int64_t t0;
	size_t i;
	int rc, small = o->format == PC_PLOT_PNG;

	if (!run->ntimeline)
		return pc_error_set(PC_ENOTFOUND, "run %lld has no per-second timeline (only k6 points "
						  "streams have one)", (long long)run->id);
	t0 = run->timeline[0].t;
	if (o->title)
		rc = pc_buf_puts(&title, o->title);
	else
		rc = pc_buf_printf(&title, "run %lld over time: %s/%s, %s", (long long)run->id,
				   run->profile, run->config, pc_source_name(run->source));
	if (rc)
		goto done;
	if ((rc = pc_plot_preamble(&b, o, "")) || (rc = pc_buf_puts(&b, "$t << EOD\n")))
		goto done;
	/* seconds since the first, requests, failed, VUs, p50, p95 */
	for (i = 0; i < run->ntimeline && !rc; i++) {
		const pc_timeline *p = &run->timeline[i];
		rc = pc_buf_printf(&b, "%.9g %lld %lld ", (double)(p->t - t0) / 1e9, p->requests, p->failed) ||
		     pc_plot_num(&b, p->vus) || pc_buf_putc(&b, ' ') || pc_plot_num(&b, p->p50) ||
		     pc_buf_putc(&b, ' ') || pc_plot_num(&b, p->p95) || pc_buf_putc(&b, '\n');
	}
	if (rc || (rc = pc_buf_puts(&b, "EOD\nset title\nset multiplot layout 2,1 title ")) ||
	    (rc = pc_esc_gnuplot(&b, title.ptr)))
		goto done;
	/* both panels share the left and right edges so their time axes line up */
	rc = pc_buf_printf(&b,
		" font ',%d'\n"
		"set lmargin at screen 0.09\n"
		"set rmargin at screen 0.71\n"
		"set key at screen 0.995, graph 1 right top vertical\n"
		"set xrange [0:*]\n"
		"set yrange [0:*]\n"
		"set y2range [0:*]\n"
		"set format x ''\n"
		"set xlabel\n"
		"set ylabel 'requests per second'\n"
		"set y2label 'virtual users (VUs)'\n"
		"set y2tics nomirror\n"
		"set tmargin at screen 0.88\n"
		"set bmargin at screen 0.52\n"
		"plot $t using 1:2 with steps lw 2 lc rgb '%s' dt 1 title 'requests/s', \\\n"
		"     $t using 1:3 with steps lw 2 lc rgb '%s' dt 2 title 'failed requests/s', \\\n"
		"     $t using 1:4 axes x1y2 with steps lw 2 lc rgb '%s' dt 3 title 'VUs (right axis)'\n"
		"unset y2tics\n"
		"unset y2label\n"
		"set format x '%%g'\n"
		"set xlabel 'time since the first request (s)'\n"
		"set ylabel 'http_req_duration (ms)'\n"
		"set tmargin at screen 0.46\n"
		"set bmargin at screen 0.11\n"
		"plot $t using 1:6 with linespoints lw 2 lc rgb '%s' dt 2 pt 5 ps 0.5 title 'p95 of the second', \\\n"
		"     $t using 1:5 with linespoints lw 2 lc rgb '%s' dt 1 pt 7 ps 0.5 title 'p50 of the second'\n"
		"unset multiplot\n",
		small ? 11 : 13, PC_C_BLUE, PC_C_RED, PC_C_PURPLE, PC_C_BLUE, PC_C_GREEN);
done:
	rc = pc_plot_finish(out, &b, rc);
	pc_buf_release(&title);
	return rc;
}
