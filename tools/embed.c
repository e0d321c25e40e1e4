/* embed: writes the tables of embedded.h for a build (C source on standard
 * output): every Word template under TEMPLATES_DIR compiled and every theme
 * script under THEMES_DIR as Lua bytecode, each keyed by the SHA-256 of its
 * file, in the order of the paths so that the output is the same for the
 * same files.
 *   embed TEMPLATES_DIR THEMES_DIR > embedded_data.c
 * A template or script that does not compile stops the build: it is broken
 * for every command too. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docx.h"
#include "theme.h"
#include "util.h"

typedef struct files {
    char **v;
    size_t n;
    const char *suffix; /* what the names end with */
} files;

static files found; /* what collect() gathers (nftw takes no user pointer) */

static int collect(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    size_t n = strlen(path), k = strlen(found.suffix);
    // templates/*/src/ holds the sources the templates are made from.
    if (type == FTW_F && n > k && strcmp(path + n - k, found.suffix) == 0 &&
        !strstr(path, "/src/")) {
        found.v = xrealloc(found.v, (found.n + 1) * sizeof *found.v);
        found.v[found.n++] = xstrdup(path);
    }
    return 0;
}

/* `s` as the inside of a C string literal. */
static void put_c_string(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            printf("\\%c", *p);
        } else if (*p < 0x20 || *p == 0x7f) {
            printf("\\%03o", *p);
        } else {
            putchar(*p);
        }
    }
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp(const void *a, const void *b);

/* Every file under `dir` whose name ends with `suffix`, sorted. */
static files list(const char *dir, const char *suffix)
{
    found = (files){.suffix = suffix};
    if (nftw(dir, collect, 16, FTW_PHYS) != 0) {
        perror(dir);
        exit(1);
    }
    qsort(found.v, found.n, sizeof *found.v, cmp);
    return found;
}

/* One table: `prepare` turns a file's bytes into what is embedded. */
static void table(const char *dir, const char *suffix, const char *var,
                  int (*prepare)(const char *path, const char *data, size_t len, bs_buf *out,
                                 bs_err *err))
{
    files f = list(dir, suffix);
    char (*shas)[65] = xcalloc(f.n + 1, sizeof *shas);
    for (size_t i = 0; i < f.n; i++) {
        char *data = NULL;
        size_t len = 0;
        bs_err e = {0};
        bs_buf img = {0};
        if (bs_read_file(f.v[i], 64u << 20, &data, &len, &e) != BS_OK ||
            prepare(f.v[i], data, len, &img, &e) != BS_OK) {
            fprintf(stderr, "embed: %s\n", e.msg);
            exit(1);
        }
        bs_sha256(data, len, shas[i]);
        printf("static const unsigned char %s%zu[] = {", var, i);
        for (size_t k = 0; k < img.len; k++) {
            printf("%s%u", k == 0 ? "\n    " : k % 24 ? "," : ",\n    ", (unsigned char)img.s[k]);
        }
        printf("\n};\n\n");
        bs_buf_free(&img);
        free(data);
    }
    printf("const bs_embedded embedded_%s[] = {\n", var);
    size_t skip = strlen(dir) + (dir[strlen(dir) - 1] == '/' ? 0 : 1);
    for (size_t i = 0; i < f.n; i++) {
        printf("    {\"%s\", \"", shas[i]);
        put_c_string(f.v[i] + skip);
        printf("\", %s%zu, sizeof %s%zu},\n", var, i, var, i);
        free(f.v[i]);
    }
    printf("    {0},\n};\nconst size_t embedded_n%s = %zu;\n\n", var, f.n);
    free(f.v);
    free(shas);
}

static int prepare_template(const char *path, const char *data, size_t len, bs_buf *out,
                            bs_err *err)
{
    bs_docx *t = NULL;
    int rc = docx_open_mem(data, len, path, &t, err);
    if (rc == BS_OK) {
        docx_image(t, out);
    }
    docx_free(t);
    return rc;
}

static int prepare_chunk(const char *path, const char *data, size_t len, bs_buf *out,
                         bs_err *err)
{
    return theme_compile(data, len, path, out, err);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: embed TEMPLATES_DIR THEMES_DIR > embedded_data.c\n", stderr);
        return 2;
    }
    printf("/* Written by tools/embed.c: do not edit. */\n#include \"embedded.h\"\n\n");
    table(argv[1], ".docx", "templates", prepare_template);
    table(argv[2], ".lua", "chunks", prepare_chunk);
    return ferror(stdout) ? 1 : 0;
}
