/* application: a company's application to the programme and whether it may
 * take part. Who may is theme data (themes/lib/application.lua: the call's
 * conditions, the SME test of the company profile); this module records the
 * applications and hands the latest one over with the company. */
#ifndef BS_APPLICATION_H
#define BS_APPLICATION_H

#include "err.h"
#include "session.h"
#include "value.h"

/* Records company `company`'s application: `fields` applied_on
 * (YYYY-MM-DD; its fiscal year keys it, replacing one of that year),
 * security_action, has_policy, earlier, consent (booleans), via, notes. */
int application_record(bs_session *s, const char *company, const bs_value *fields, bs_err *err);

/* Whether company `company` may take part, by its latest application:
 * application.lua's check ({eligible, applied, checks, failed}) with
 * `company` (its name) and `application` (the latest, or null). Owned. */
int application_eligibility(bs_session *s, const char *company, bs_value **out, bs_err *err);

/* The applications of fiscal year `year` (0: all), each with its
 * `eligibility` as application_eligibility gives it. Owned list. */
int application_list(bs_session *s, int year, bs_value **out, bs_err *err);

#endif
