/* Fuzz entry: arbitrary bytes as a theme script. Whatever the input, loading
 * and checking must end in a model or an error — never a crash, a leak, a
 * hang past the budgets. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "theme.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/bansou-fuzz-%ld.lua", (long)getpid());
    }
    bs_err e = {0};
    if (bs_write_file_atomic(path, data, size, &e) != BS_OK) {
        return 0;
    }
    bs_theme_path tp = {.n = 1};
    tp.dirs[0] = "themes";
    bs_value *problems = NULL;
    if (theme_check_file(path, &tp, &problems, &e) == BS_OK) {
        value_free(problems);
    }
    unlink(path);
    return 0;
}
