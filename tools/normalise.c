/* normalise: a Word file with every part in the form Word's validator takes
 * (docx_normalise_file), for templates/make-templates.
 *   normalise IN.docx OUT.docx
 * Exit 0, or 1 with the reason on standard error. */
#include <stdio.h>

#include "docx.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: normalise IN.docx OUT.docx\n");
        return 2;
    }
    bs_err err = {0};
    if (docx_normalise_file(argv[1], argv[2], &err) != BS_OK) {
        fprintf(stderr, "normalise: %s\n", err.msg);
        return 1;
    }
    return 0;
}
