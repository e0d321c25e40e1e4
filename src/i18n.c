#include "i18n.h"

#include <limits.h>
#include <stdio.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h" /* BS_LOCALEDIR */

/* `dir`/ja/LC_MESSAGES/bansou.mo exists. */
static int has_catalogue(const char *dir)
{
    char path[PATH_MAX];
    struct stat st;
    return (size_t)snprintf(path, sizeof path, "%s/ja/LC_MESSAGES/bansou.mo", dir) < sizeof path &&
           stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The catalogues of the build tree the running binary belongs to: ./bansou
 * beside build/locale, or build-asan/bansou beside build-asan/locale. */
static const char *build_tree_dir(char *buf, size_t n)
{
    ssize_t len = readlink("/proc/self/exe", buf, n - 1);
    if (len <= 0) {
        return NULL;
    }
    buf[len] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash) {
        return NULL;
    }
    size_t room = n - (size_t)(slash - buf);
    for (int i = 0; i < 2; i++) {
        const char *sub = i == 0 ? "/build/locale" : "/locale";
        if ((size_t)snprintf(slash, room, "%s", sub) < room && has_catalogue(buf)) {
            return buf;
        }
    }
    return NULL;
}

void bs_i18n_init(void)
{
    setlocale(LC_MESSAGES, "");
    char buf[PATH_MAX];
    const char *dir = build_tree_dir(buf, sizeof buf);
    bindtextdomain("bansou", dir ? dir : BS_LOCALEDIR);
    bind_textdomain_codeset("bansou", "UTF-8");
    textdomain("bansou");
}

const char *bs_pgettext(const char *ctx_id, const char *id)
{
    const char *t = gettext(ctx_id);
    return t == ctx_id ? id : t;
}
