/* Aligned text tables for the terminal (hyperfine-like: units in headers, numbers right). */
#include <stdlib.h>
#include <string.h>

#include "perfcmp/error.h"
#include "perfcmp/render.h"
#include "perfcmp/strutil.h"

struct pc_table {
	size_t ncols;
	char *align;
	char **cells; /* rows × ncols, escaped for the terminal */
	const char **sgr; /* rows × ncols colour codes, NULL = none */
	size_t nrows, caprows;
};

pc_table *pc_table_new(size_t ncols)
{
	pc_table *t = calloc(1, sizeof(*t));

	if (!t || !(t->align = malloc(ncols))) {
		free(t);
		pc_error_set(PC_ENOMEM, "out of memory");
		return NULL;
	}
	memset(t->align, 'l', ncols);
	t->ncols = ncols;
	return t;
}

void pc_table_free(pc_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->sgr);
	free(t->align);
	free(t);
}

void pc_table_align(pc_table *t, size_t col, char align)
{
	if (col < t->ncols)
		t->align[col] = align;
}

int pc_table_add_row(pc_table *t, const char *const *cells)
{
	pc_buf b = PC_BUF_INIT;
	size_t i;
	int rc;

	if (t->nrows == t->caprows) {
		size_t ncap = t->caprows ? t->caprows * 2 : 16;
		char **p = realloc(t->cells, ncap * t->ncols * sizeof(*p));
		const char **q;
		if (!p)
			return pc_error_set(PC_ENOMEM, "out of memory");
		t->cells = p;
		q = realloc(t->sgr, ncap * t->ncols * sizeof(*q));
		if (!q)
			return pc_error_set(PC_ENOMEM, "out of memory");
		t->sgr = q;
		t->caprows = ncap;
	}
	for (i = 0; i < t->ncols; i++) {
		pc_buf_reset(&b);
		if ((rc = pc_buf_puts(&b, "")) || (rc = pc_esc_term(&b, cells[i] ? cells[i] : ""))) {
			while (i--)
				free(t->cells[t->nrows * t->ncols + i]);
			pc_buf_release(&b);
			return rc;
		}
		t->cells[t->nrows * t->ncols + i] = pc_buf_detach(&b);
		t->sgr[t->nrows * t->ncols + i] = NULL;
	}
	t->nrows++;
	return 0;
}

void pc_table_style_last(pc_table *t, size_t col, const char *sgr)
{
	if (t->nrows && col < t->ncols)
		t->sgr[(t->nrows - 1) * t->ncols + col] = sgr;
}

int pc_table_render(pc_buf *out, const pc_table *t, int color)
{
	size_t *w = calloc(t->ncols ? t->ncols : 1, sizeof(*w)), r, c;
	int rc = 0;

	if (!w)
		return pc_error_set(PC_ENOMEM, "out of memory");
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			size_t cw = pc_display_width(t->cells[r * t->ncols + c]);
			if (cw > w[c])
				w[c] = cw;
		}
	for (r = 0; r < t->nrows && !rc; r++) {
		size_t pending = 0; /* spaces owed before the next cell; trailing ones are dropped */
		if (r == 0 && color)
			rc = pc_buf_puts(out, "\033[1m");
		for (c = 0; c < t->ncols && !rc; c++) {
			const char *cell = t->cells[r * t->ncols + c];
			size_t cw = pc_display_width(cell), pad = w[c] - cw;
			if (c)
				pending += 2;
			if (t->align[c] == 'r') {
				pending += pad;
				pad = 0;
			}
			if (*cell) {
				while (pending && !rc) {
					rc = pc_buf_putc(out, ' ');
					pending--;
				}
				const char *sgr = color && r ? t->sgr[r * t->ncols + c] : NULL;
				if (!rc && sgr)
					rc = pc_buf_printf(out, "\033[%sm", sgr);
				rc = rc ? rc : pc_buf_puts(out, cell);
				if (!rc && sgr)
					rc = pc_buf_puts(out, "\033[0m");
			}
			pending += pad;
		}
		if (r == 0 && color && !rc)
			rc = pc_buf_puts(out, "\033[0m");
		if (!rc)
			rc = pc_buf_putc(out, '\n');
	}
	free(w);
	return rc;
}
