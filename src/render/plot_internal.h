/* Shared by the chart scripts in src/render/plot*.c: the preamble, numbers and the palette. */
#ifndef PERFCMP_PLOT_INTERNAL_H
#define PERFCMP_PLOT_INTERNAL_H

#include "perfcmp/plot.h"

/* Okabe–Ito colours: told apart with every common colour-vision deficiency, and paired so
 * that lines which share a chart also differ in lightness, dash and point type (greyscale). */
#define PC_C_BLUE "#0072B2"    /* dark: candidate, p95, requests */
#define PC_C_ORANGE "#E69F00"  /* light: baseline */
#define PC_C_GREEN "#009E73"   /* p50, improvements */
#define PC_C_RED "#D55E00"     /* p99, failures, regressions */
#define PC_C_PURPLE "#CC79A7"  /* VUs */
#define PC_C_GREY "#666666"
#define PC_C_BAND "#56B4E9"

/* The terminal, fonts and the common style; `title` is the caller's (already chosen) title,
 * escaped here. */
int pc_plot_preamble(pc_buf *b, const pc_plot_opts *o, const char *title);
/* A number for inline data ("?" = missing for NaN and infinities). */
int pc_plot_num(pc_buf *b, double v);
/* printf then escape: a title or label built from results-file strings. */
int pc_plot_esc_printf(pc_buf *b, const char *fmt, ...) PC_PRINTF(2, 3);

/* End a script builder: on success (rc 0) the script `b` replaces *out, else it is released;
 * a boolean failure from a chain of appends (rc > 0) becomes PC_ENOMEM. Returns rc. */
int pc_plot_finish(pc_buf *out, pc_buf *b, int rc);

#endif
