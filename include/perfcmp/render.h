/* Rendering runs for people and programs: aligned terminal tables, Markdown, JSON and CSV.
 * Renderers take values and append to a pc_buf; they never touch the store. Every string that
 * came from a results file is escaped for the output language. */
#ifndef PERFCMP_RENDER_H
#define PERFCMP_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "perfcmp/buf.h"
#include "perfcmp/run.h"

typedef enum pc_format { PC_FMT_TABLE, PC_FMT_JSON, PC_FMT_CSV, PC_FMT_MD, PC_FMT_JUNIT } pc_format;

/* Parse "table", "json", "csv", "md", "junit". PC_EUSAGE for anything else. */
int pc_format_parse(const char *name, pc_format *out);

/* The run list of `perfcmp runs` (table, json or csv). */
int pc_render_runs(pc_buf *out, pc_run *const *runs, size_t n, pc_format fmt, int color);
/* One run with its series, thresholds, checks and tests (table, json or md). */
int pc_render_show(pc_buf *out, const pc_run *run, pc_format fmt, int color);
/* The JSON "run" object of SPEC.md (no series). */
int pc_render_run_json(pc_buf *out, const pc_run *run);

struct pc_comparison;
/* What was compared, for the headers of a comparison's output. */
typedef struct pc_compare_sides {
	const int64_t *base_ids, *cand_ids;
	size_t nbase, ncand;
	const char *profile; /* comparison profile name */
	const char *scope;   /* "load/dev_perf" */
} pc_compare_sides;
/* A comparison: rows worst first (table, md, json, junit, csv). */
int pc_render_compare(pc_buf *out, const struct pc_comparison *cmp, const pc_compare_sides *sides,
		      pc_format fmt, int color);


/* Escapers: append s escaped for the output language. */
int pc_esc_term(pc_buf *out, const char *s); /* control bytes and ESC shown as \xNN */
int pc_esc_md(pc_buf *out, const char *s);   /* inert in a GFM table cell */
/* The inside of a Markdown code span in a table cell (the caller writes the backticks):
 * backticks become ', pipes \|, control bytes \xNN, newlines spaces. */
int pc_esc_md_code(pc_buf *out, const char *s);
int pc_esc_csv(pc_buf *out, const char *s);  /* RFC 4180 field */
int pc_esc_xml(pc_buf *out, const char *s);  /* text or attribute value */

/* Display width of UTF-8 text in terminal columns (wide East Asian characters count 2). */
size_t pc_display_width(const char *s);

/* Human formatting of a statistic value (4 significant figures, integers as integers). */
void pc_fmt_value(char out[32], double v);

/* An aligned text table: add the header row, then rows; cells are copied. */
typedef struct pc_table pc_table;
pc_table *pc_table_new(size_t ncols);
void pc_table_free(pc_table *t);
/* Alignment per column: 'l' or 'r'. */
void pc_table_align(pc_table *t, size_t col, char align);
int pc_table_add_row(pc_table *t, const char *const *cells);
/* Colour the cell `col` of the last row added with an SGR code ("31" red, "1;31" bold red),
 * used only when rendering with colour. `sgr` must outlive the table (a literal). */
void pc_table_style_last(pc_table *t, size_t col, const char *sgr);
/* Render with two spaces between columns, the header bold when `color`. Cells are escaped for
 * the terminal. */
int pc_table_render(pc_buf *out, const pc_table *t, int color);

#endif
