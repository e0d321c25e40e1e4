/* bansou: dispatch only. Runs the command, prints its error once, and maps
 * the error code to the exit status. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "i18n.h"
#include "util.h"

int main(int argc, char **argv)
{
    bs_i18n_init();
    bs_err err = {0};
    int rc = cli_run(argc, argv, &err);
    if (rc != BS_OK) {
        // A message may quote a name or a cell: shown, never sent to the terminal.
        char *shown = bs_visible(err.msg[0] ? err.msg : _(bs_strcode(rc)));
        fprintf(stderr, "bansou: %s\n", shown);
        free(shown);
    }
    if (fclose(stdout) != 0 && rc == BS_OK) {
        fprintf(stderr, "bansou: %s\n", _("cannot write the output"));
        return 1;
    }
    return cli_exit_status(rc);
}
