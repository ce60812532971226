/* cli.h - command-line parsing and the texts of --help; main.c is the only
 * caller and the only place that picks the exit code. */
#ifndef PA_CLI_H
#define PA_CLI_H

#include "pa/options.h"

typedef enum pa_command { PA_CMD_AUDIT = 0, PA_CMD_RULES, PA_CMD_EXPLAIN, PA_CMD_VERSION, PA_CMD_HELP } pa_command;

struct pa_cli {
    pa_command cmd;       /* what to do */
    char *explain_rule;   /* RULE for explain (owned) */
    pa_format rules_format; /* text|json for `rules` */
};

/* Parse argv into opts/cli. On a usage error returns PA_ERR_USAGE with *err
 * owned ("unknown option '--x'"). */
pa_status pa_cli_parse(int argc, char **argv, struct pa_options *opts, struct pa_cli *cli, char **err);
void pa_cli_free(struct pa_cli *cli);
const char *pa_cli_help(void);   /* static text of --help */
/* `pa-audit rules` and `explain` output; owned. */
char *pa_cli_rules_listing(pa_format fmt);
char *pa_cli_explain(const char *rule_id); /* NULL if unknown */

#endif
