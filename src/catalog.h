/* catalog: the themes on the theme path and the company profile
 * (themes/lib/profile.lua) as front ends see them, in value trees: the
 * list of themes, a theme's model, checking theme scripts, the choices of
 * the company profile and the SME test. */
#ifndef BS_CATALOG_H
#define BS_CATALOG_H

#include <stdbool.h>

#include "err.h"
#include "session.h"
#include "value.h"

/* The themes on the theme path in their own order (their numbers): a list
 * of maps {id, number, title, visits, file}. None found is BS_ENOTFOUND.
 * Owned. */
int catalog_themes(bs_session *s, bs_value **out, bs_err *err);
/* Whether `id` names a theme on the theme path. */
bool catalog_has_theme(bs_session *s, const char *id);
/* The model of theme `id` (lent, valid until the session is closed). */
int catalog_theme(bs_session *s, const char *id, const bs_value **model_out, bs_err *err);

/* Checks theme scripts: the files in `files` (a list of paths), or with
 * files NULL every theme on the theme path. A list of maps {file, problems
 * (a list of "FILE:LINE: PATH: MESSAGE" strings, empty when valid)}, owned.
 * No file to check is BS_ENOTFOUND. */
int catalog_check(bs_session *s, const bs_value *files, bs_value **out, bs_err *err);

/* The choices of the company profile: a map of list name (industries,
 * kinds, prefectures, staffing, security_action) → list of names. Owned. */
int catalog_choices(bs_session *s, bs_value **out, bs_err *err);
/* Checks that `value` is one of the profile's choices `list`; the message
 * names the field as `label` gives it ("--industry: '…' is not one of: …"). */
int catalog_check_choice(bs_session *s, const char *list, const char *value, const char *label,
                         bs_err *err);
/* The SME verdict of the profile's test on `company` (a company row): a map
 * {sme (bool, or null when it cannot tell), reason, rule}. Owned. */
int catalog_sme(bs_session *s, const bs_value *company, bs_value **out, bs_err *err);

#endif
