/* main.c - the pa-audit executable: parses argv, dispatches the command,
 * prints usage errors and picks the exit code. The only place that exits. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pa/cli.h"
#include "pa/run.h"

static int write_out(const char *path, const char *text)
{
    if (!path) {
        fputs(text, stdout);
        return fflush(stdout) == 0 ? 0 : 2;
    }
    if (pa_file_write_atomic(path, text, strlen(text)) != PA_OK) {
        pa_error("cannot write '%s'", path);
        return 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    struct pa_options opts;
    struct pa_cli cli;
    char *err = NULL;
    pa_options_init(&opts);
    int rc = 0;
    if (pa_cli_parse(argc, argv, &opts, &cli, &err) != PA_OK) {
        fprintf(stderr, "pa-audit: %s\n", err);
        fprintf(stderr, "Usage: pa-audit [check] [OPTIONS] [PATH]; see pa-audit --help\n");
        free(err);
        rc = 2;
        goto out;
    }
    pa_log_set_level(opts.quiet ? PA_LOG_QUIET : opts.verbose ? PA_LOG_VERBOSE : PA_LOG_NORMAL);
    switch (cli.cmd) {
    case PA_CMD_HELP: fputs(pa_cli_help(), stdout); break;
    case PA_CMD_VERSION: printf("pa-audit %s\n", PA_VERSION); break;
    case PA_CMD_RULES: {
        char *s = pa_cli_rules_listing(cli.rules_format);
        fputs(s, stdout);
        free(s);
        break;
    }
    case PA_CMD_EXPLAIN: {
        char *s = pa_cli_explain(cli.explain_rule);
        if (!s) {
            fprintf(stderr, "pa-audit: unknown rule '%s' (see pa-audit rules)\n", cli.explain_rule);
            rc = 2;
        } else {
            fputs(s, stdout);
            free(s);
        }
        break;
    }
    case PA_CMD_AUDIT: {
        if (!pa_path_is_dir(opts.root)) {
            fprintf(stderr, "pa-audit: PATH '%s' is not a readable directory\n", opts.root);
            rc = 2;
            break;
        }
        if (pa_config_load(&opts, &err) != PA_OK) {
            fprintf(stderr, "pa-audit: %s\n", err ? err : "invalid configuration");
            free(err);
            rc = 2;
            break;
        }
        struct pa_run run;
        pa_run_init(&run, &opts);
        if (pa_run_execute(&run) != PA_OK) {
            rc = 2;
        } else if (opts.print_context || opts.parse_only) {
            rc = 0;
        } else {
            char *text = NULL;
            bool color = !opts.no_color && !opts.output && isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
            switch (opts.format) {
            case PA_FMT_TEXT: text = pa_report_text(&run, color); break;
            case PA_FMT_MD: text = pa_report_consolidated_md(&run); break;
            case PA_FMT_JSON: text = pa_report_json(&run); break;
            case PA_FMT_SARIF: text = pa_report_sarif(&run); break;
            case PA_FMT_GITHUB: text = pa_report_github(&run); break;
            }
            rc = write_out(opts.output, text ? text : "");
            free(text);
            if (rc == 0) rc = pa_run_exit_code(&run);
        }
        pa_run_free(&run);
        break;
    }
    }
out:
    pa_cli_free(&cli);
    pa_options_free(&opts);
    return rc;
}
