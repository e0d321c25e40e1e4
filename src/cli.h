/* cli: the command line. Parses global options and the command, runs it,
 * and leaves any failure in `err`; only main prints it. */
#ifndef BS_CLI_H
#define BS_CLI_H

#include "err.h"

/* Runs `bansou argv…`. Returns BS_OK or an error code (BS_EUSAGE for a
 * usage error). Regular output goes to stdout; warnings to stderr. */
int cli_run(int argc, char **argv, bs_err *err);

/* The exit status for a code: 0 success, 2 usage error, 1 anything else. */
int cli_exit_status(int code);

#endif
