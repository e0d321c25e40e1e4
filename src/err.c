#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "i18n.h"

const char *bs_strcode(int code)
{
    switch (code) {
    case BS_OK: return N_("ok");
    case BS_EUSAGE: return N_("usage");
    case BS_EINPUT: return N_("invalid input");
    case BS_ENOTFOUND: return N_("not found");
    case BS_ESTATE: return N_("not allowed now");
    case BS_ESCRIPT: return N_("theme script");
    case BS_EIO: return N_("i/o");
    case BS_EDB: return N_("database");
    case BS_ECORRUPT: return N_("corrupt");
    case BS_ENOMEM: return N_("out of memory");
    case BS_EEXIST: return N_("exists");
    }
    return N_("unknown");
}

void bs_utf8_truncate(char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max) {
        n = max;
    }
    // Find the lead byte of the last sequence; drop it if it is incomplete.
    size_t i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) {
        i--;
    }
    if (i > 0) {
        unsigned char lead = (unsigned char)s[i - 1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (n - (i - 1) < need) {
            n = i - 1;
        }
    }
    s[n] = '\0';
}

int bs_err_set(bs_err *err, int code, const char *fmt, ...)
{
    if (!err || err->code != BS_OK) {
        return code;
    }
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof err->msg) {
        bs_utf8_truncate(err->msg, sizeof err->msg - 1);
    }
    return code;
}

void bs_err_prefix(bs_err *err, const char *fmt, ...)
{
    if (!err || err->code == BS_OK) {
        return;
    }
    char pre[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    bs_utf8_truncate(pre, sizeof pre - 1);
    char old[sizeof err->msg];
    memcpy(old, err->msg, sizeof old);
    int n = snprintf(err->msg, sizeof err->msg, "%s: %s", pre, old);
    if (n >= (int)sizeof err->msg) {
        bs_utf8_truncate(err->msg, sizeof err->msg - 1);
    }
}

void bs_err_clear(bs_err *err)
{
    if (err) {
        err->code = BS_OK;
        err->msg[0] = '\0';
    }
}
