/* fuzz_analyse.h - the in-process analysis of one Python file shared by
 * fuzz_python.c and fuzz_suppress.c: extraction (tree-sitter parse, facts,
 * suppression comments), discovery from facts, the index, the ORM model
 * pass, the three auditors (every rule), the aggregator (suppression,
 * fingerprints, validation, scoring) and every report renderer.
 *
 * The bytes are also written to a private temporary project directory as
 * fuzz.py, because some rules re-read the source from disk (txmodel's
 * code-line count), exactly as in a real run. The extractor is fed the raw
 * bytes - invalid UTF-8 and NUL bytes included - so it is exercised beyond
 * what the pipeline's pre-checks would let through.
 *
 * DESIGN: one parser is created lazily and kept for the process (libFuzzer
 * calls the entry from one thread; the regression test is single-threaded
 * too); everything else is freed per input so LeakSanitizer sees any leak. */
#ifndef PA_FUZZ_ANALYSE_H
#define PA_FUZZ_ANALYSE_H

#include "fuzz_common.h"

#include "pa/discovery.h"
#include "pa/run.h"

static pa_py_parser *fuzz_python_parser;   /* process-lifetime parser (single-threaded harness) */

/* Run the analysis of `src` as project file `rel` under project dir `root`. */
static void fuzz_python_analyse(const char *root, const char *rel, const char *src, size_t len)
{
    if (!fuzz_python_parser) fuzz_python_parser = pa_py_parser_new();
    struct pa_options opts;
    pa_options_init(&opts);
    free(opts.root);
    opts.root = pa_xstrdup(root);
    opts.no_write = true;
    opts.jobs = 1;
    struct pa_run run;
    pa_run_init(&run, &opts);

    struct pa_file_facts *facts = NULL;
    const char *reason = NULL;
    char *module = pa_module_name_for_path(rel);
    pa_status st = pa_extract_file(fuzz_python_parser, src, len, rel, module, &facts, &reason);
    free(module);
    run.files = pa_xcalloc(1, sizeof *run.files);
    if (st == PA_OK && facts) {
        run.files[run.nfiles++] = facts;
        run.bytes = len;
    }
    pa_discover_from_facts(&run.ctx, run.files, run.nfiles);
    pa_discover_finish(&run.ctx);
    run.index = pa_index_build(run.files, run.nfiles, &run.ctx);
    run.models = pa_models_build(run.index, run.files, run.nfiles);
    struct pa_audit_input in = {&run.ctx, run.index, run.models, run.files, run.nfiles, &opts};
    for (int c = 0; c < PA_CAT__COUNT; c++) pa_auditor_run((pa_category)c, &in, &run.results[c]);
    pa_aggregate(&run);

    char *out[PA_CAT__COUNT + 5];
    size_t nout = 0;
    out[nout++] = pa_report_json(&run);
    out[nout++] = pa_report_consolidated_md(&run);
    out[nout++] = pa_report_sarif(&run);
    out[nout++] = pa_report_github(&run);
    out[nout++] = pa_report_text(&run, false);
    for (int c = 0; c < PA_CAT__COUNT; c++) out[nout++] = pa_report_worker_md(&run, (pa_category)c);
    for (size_t i = 0; i < nout; i++) free(out[i]);
    pa_run_free(&run);
    pa_options_free(&opts);
}

/* Write the input as <tmp>/app/fuzz.py and analyse it. */
static int fuzz_python_file(const uint8_t *data, size_t size, const char *src, size_t len)
{
    char *dir = NULL;
    char *file = pa_fuzz_tmp_file(data, size, "fuzz.py", &dir);
    if (!file) return 0;
    /* the project root is the temporary directory, the file is at its top */
    fuzz_python_analyse(dir, "fuzz.py", src, len);
    pa_fuzz_tmp_done(file, dir);
    return 0;
}

#endif
