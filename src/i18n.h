/* i18n: the messages of bansou through GNU gettext (domain "bansou").
 *
 * Every text a person reads (messages, errors, help, table headers, state
 * words) is written in English in the source and marked: `_("…")` where it
 * is used, `N_("…")` in a static table whose entries are translated where
 * they are printed with `_()`. The Japanese catalogue is po/ja.po; `make po`
 * brings it up to date with the sources. Machine values (JSON keys, state
 * values in --json, the database) are never translated. */
#ifndef BS_I18N_H
#define BS_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)
/* gettext of `id` in the context `ctx` (a msgctxt), for a word or format
 * that reads otherwise elsewhere ("ok" of a file check, "%s (%s)" of a
 * title and its id). */
#define pgettext(ctx, id) bs_pgettext(ctx "\004" id, id)
const char *bs_pgettext(const char *ctx_id, const char *id) __attribute__((format_arg(2)));

/* Chooses the language from the locale (LC_ALL, LC_MESSAGES, LANG;
 * LANGUAGE as gettext reads it) and binds the catalogue: the one beside
 * the binary when it runs from its build tree, else the installed one.
 * Only LC_MESSAGES follows the locale: numbers, character classes and
 * dates stay those of the C locale, so no output but the words changes. */
void bs_i18n_init(void);

#endif
