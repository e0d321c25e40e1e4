/* form: a questionnaire of no one engagement (the expert's overall
 * questionnaire, the skill survey): a worksheet spec of a library script,
 * written filled in from a context and read back with the cells' checks
 * and the spec's own check. */
#ifndef BS_FORM_H
#define BS_FORM_H

#include "err.h"
#include "theme.h"
#include "value.h"

/* Writes the worksheet spec at `name` of `lib` (its fields' values and
 * rows computed from `ctx`) as the workbook `path`, its sheet titled
 * `title`. */
int form_write(bs_theme *lib, const char *name, const bs_value *ctx, const char *path,
               const char *title, bs_err *err);

/* Reads `file` back as the spec at `name` of `lib`: *rows_out (owned) on
 * success. A workbook of another form is refused; each problem (the cells'
 * own, then the spec's check) goes to `problems` and the result is
 * BS_EINPUT with their count. */
int form_read(bs_theme *lib, const char *name, const char *file, bs_value **rows_out,
              bs_value *problems, bs_err *err);

/* The spec at `name` of `lib` (lent), or BS_ESCRIPT when it has none. */
int form_spec(bs_theme *lib, const char *name, const bs_value **out, bs_err *err);

#endif
