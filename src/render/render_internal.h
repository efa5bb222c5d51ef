/* Shared between the renderers in src/render/. */
#ifndef PERFCMP_RENDER_INTERNAL_H
#define PERFCMP_RENDER_INTERNAL_H

#include "perfcmp/render.h"

/* show as an aligned terminal report (md = 0) or GitHub-flavoured Markdown (md = 1). */
int pc_render_show_text(pc_buf *out, const pc_run *run, int md, int color);

#endif
