/* Replays saved fuzz inputs through a fuzz entry without libFuzzer, so that
 * `make check` runs every corpus file as an ordinary test. Prints cmocka's
 * summary lines so tests/run counts them. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    size_t n = 0;
    const char *dirs[64];
    int ndirs = 0;
    for (int i = 1; i < argc && ndirs < 64; i++) {
        dirs[ndirs++] = argv[i];
    }
    if (ndirs == 0) {
        dirs[ndirs++] = CORPUS; // the entry's own corpus, set by the Makefile
    }
    for (int i = 0; i < ndirs; i++) {
        DIR *d = opendir(dirs[i]);
        if (!d) {
            fprintf(stderr, "replay: %s: no such corpus\n", dirs[i]);
            printf("[  FAILED  ] 1 test(s)\n");
            return 1;
        }
        struct dirent *ent;
        while ((ent = readdir(d))) {
            if (ent->d_name[0] == '.') {
                continue;
            }
            char *p = xasprintf("%s/%s", dirs[i], ent->d_name);
            char *data = NULL;
            size_t len = 0;
            bs_err e = {0};
            if (bs_read_file(p, 1 << 20, &data, &len, &e) == BS_OK) {
                LLVMFuzzerTestOneInput((const uint8_t *)data, len);
                free(data);
                n++;
            }
            free(p);
        }
        closedir(d);
    }
    // Reaching here means no input crashed or tripped a sanitizer.
    printf("[==========] replayed %zu corpus input(s)\n[  PASSED  ] %zu test(s).\n", n, n);
    return 0;
}
