/* main.c - the pa-audit executable: parses argv, dispatches the command,
 * prints usage errors and picks the exit code. The only place that exits. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pa/cli.h"
#include "pa/packs.h"
#include "pa/run.h"
#include <tree_sitter/api.h>

/* SIGINT/SIGTERM (issue 9): the handler only records the signal
 * (pa_run_interrupt is async-signal-safe); the pipeline stops at the next
 * phase boundary without starting a report file, and main exits 128+signo
 * (130 for SIGINT, 143 for SIGTERM) after printing "interrupted". The handler
 * is one-shot (SA_RESETHAND): a second Ctrl-C kills the process at once -
 * still safe, every report is written by temp file + rename. */
static void on_signal(int signo) { pa_run_interrupt(signo); }

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* A file-size limit (ulimit -f) must make a write fail with EFBIG, which
     * is reported ("cannot write ..."), not kill the process mid-report. */
    signal(SIGXFSZ, SIG_IGN);
    /* tree-sitter aborts with its own message and exits 1 (= "findings" in
     * our exit-code contract) when an allocation fails: route it through the
     * project's wrappers so OOM always reads "pa-audit: out of memory". */
    ts_set_allocator(pa_xmalloc, pa_xcalloc, pa_xrealloc, free);
}

static int write_out(const char *path, const char *text)
{
    if (!path) {
        fputs(text, stdout);
        /* rel fix (issue 9): a failed write inside fputs (disk full, closed
         * stdout) only sets the error flag - fflush of the then-empty buffer
         * succeeds - so check ferror too, or truncated output exits 0. */
        if (fflush(stdout) != 0 || ferror(stdout)) {
            pa_error("cannot write the report to standard output");
            return 2;
        }
        return 0;
    }
    if (pa_file_write_atomic(path, text, strlen(text)) != PA_OK) {
        pa_error("cannot write '%s'", path);
        return 2;
    }
    return 0;
}

/* `rules` and `explain` with --rules/--rules-url: load and register those
 * packs so that their custom rules are listed and explained. false (after
 * an error message) when a pack cannot be loaded. */
static bool load_listed_packs(const struct pa_options *o, struct pa_packs *p)
{
    pa_packs_init(p);
    if (!o->rules_files.n && !o->rules_urls.n) return true;
    char *err = NULL;
    if (pa_packs_load_all(p, o, &err) != PA_OK) {
        fprintf(stderr, "pa-audit: cannot load rule pack: %s\n", err ? err : "unknown error");
        free(err);
        pa_packs_free(p);
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    install_signals();
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
        struct pa_packs packs;
        if (!load_listed_packs(&opts, &packs)) { rc = 2; break; }
        char *s = pa_cli_rules_listing(cli.rules_format);   /* the packs' rules are registered: listed too */
        fputs(s, stdout);
        free(s);
        pa_packs_free(&packs);
        break;
    }
    case PA_CMD_EXPLAIN: {
        struct pa_packs packs;
        if (!load_listed_packs(&opts, &packs)) { rc = 2; break; }
        char *s = pa_packs_explain(&packs, cli.explain_rule);
        if (!s) s = pa_cli_explain(cli.explain_rule);
        pa_packs_free(&packs);
        if (!s) {
            fprintf(stderr, "pa-audit: unknown rule '%s' (see pa-audit rules; a rule pack's rules need --rules FILE)\n",
                    cli.explain_rule);
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
        if (pa_run_execute(&run) != PA_OK || pa_run_interrupted()) {
            rc = 2;
            if (pa_run_interrupted()) {   /* nothing further is written */
                pa_error("interrupted");
                rc = 128 + pa_run_interrupted();
            }
        } else if (opts.print_context || opts.parse_only) {
            rc = 0;
        } else {
            char *text = NULL;
            /* CONTRACT.md: colour only when stderr is a TTY; and never into a pipe or file */
            bool color = !opts.no_color && !opts.output && isatty(STDERR_FILENO) && isatty(STDOUT_FILENO) &&
                         getenv("NO_COLOR") == NULL;
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
