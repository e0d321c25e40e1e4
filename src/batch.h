/* batch: every document that applies, for every engagement of the
 * workspace, in one run: what `generate ENG` writes, for all of them. The
 * engagements are shared out to worker processes (one per core by
 * default), each with its own session: its own database connection, and
 * each theme and template loaded once in it. An engagement that fails is
 * reported and the others go on. */
#ifndef BS_BATCH_H
#define BS_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "produce.h"
#include "session.h"
#include "value.h"

/* Called in the calling process once per engagement done, in the order they
 * finish, with a map {eng, company, theme, done (how many finished so far),
 * total, documents (written), error (why it failed, or null), idle (why
 * nothing could be written yet, or null), warnings (list)}, lent for the
 * call. */
typedef void (*batch_progress)(void *ud, const bs_value *line);

/* Generates for every engagement with `workers` processes (0: one per
 * online core; 1: in this process), each as produce_generate would with `o`
 * (may be NULL): an engagement holding files edited since they were written
 * fails naming them, unless o->force keeps each first. On return *summary_out (owned) is a map
 * {engagements, documents, failed, workers}; the result is BS_OK when no
 * engagement failed, else BS_ESTATE with a count. `progress` may be NULL. */
int batch_generate(bs_session *s, int workers, const produce_opts *o, batch_progress progress,
                   void *ud, bs_value **summary_out, bs_err *err);

#endif
