/* run.c - the audit pipeline: config → discovery → walk → parse pool →
 * discovery from facts → index → three auditor threads → aggregator →
 * reports.
 *
 * DESIGN
 * - Parse pool: opts.jobs threads, each with its own pa_py_parser. Work is
 *   handed out by an atomic counter over the sorted file list; each file's
 *   result goes into its own slot (facts or skip reason), so the result
 *   order is the walk order whatever the thread timing. Trees are freed in
 *   pa_extract_file; only facts survive.
 * - The index is built single-threaded from the slots, then frozen.
 * - Auditors: one pthread per category, each reading the frozen input and
 *   writing only its own run->results[cat]. Joined before aggregation.
 */
#include "pa/run.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "pa/cache.h"
#include "pa/discovery.h"
#include "pa/knowledge.h"
#include "pa/packs.h"
#include "pa/walk.h"

void pa_run_init(struct pa_run *run, struct pa_options *opts)
{
    memset(run, 0, sizeof *run);
    run->opts = opts;
    pa_context_init(&run->ctx, opts->root);
    pa_findings_init(&run->all);
    for (int c = 0; c < PA_CAT__COUNT; c++) {
        run->results[c].category = (pa_category)c;
        pa_findings_init(&run->results[c].findings);
    }
}

void pa_run_free(struct pa_run *run)
{
    for (int c = 0; c < PA_CAT__COUNT; c++) pa_audit_result_free(&run->results[c]);
    pa_findings_free(&run->all);
    pa_models_free(run->models);
    if (run->index) pa_index_free(run->index);
    for (size_t i = 0; i < run->nfiles; i++) pa_file_facts_free(run->files[i]);
    free(run->files);
    for (size_t i = 0; i < run->skipped.n; i++) { free(run->skipped.v[i].path); free(run->skipped.v[i].reason); }
    pa_vec_free(&run->skipped);
    for (size_t i = 0; i < run->suppressions.n; i++) {
        free(run->suppressions.v[i].path);
        free(run->suppressions.v[i].rules);
        free(run->suppressions.v[i].reason);
    }
    pa_vec_free(&run->suppressions);
    pa_vec_free(&run->phases);
    for (size_t i = 0; i < run->written.n; i++) free(run->written.v[i]);
    pa_vec_free(&run->written);
    if (run->packs) { pa_packs_free(run->packs); free(run->packs); }  /* after the findings that point at its rules */
    pa_context_free(&run->ctx);
    memset(run, 0, sizeof *run);
}

/* Set from a signal handler, read by every thread: a lock-free atomic int
 * (async-signal-safe). 0 = not interrupted, else the signal number. */
static atomic_int g_interrupted;

void pa_run_interrupt(int signo) { atomic_store(&g_interrupted, signo ? signo : 2); }
int pa_run_interrupted(void) { return atomic_load(&g_interrupted); }

/* Heap bytes in use (MB), for --timings; -1 where the C library can't tell. */
static double heap_in_use_mb(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 mi = mallinfo2();
    return (double)(mi.uordblks + mi.hblkhd) / 1048576.0;
#else
    return -1;
#endif
}

/* Give the pages of freed memory back to the system. The parse pool frees
 * every syntax tree between the facts it keeps, which leaves the heap full
 * of free holes that still count in the resident set (about 20 MB over
 * site-packages); glibc's malloc_trim releases the whole free pages in them. */
static void release_free_memory(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

/* Resident set size now (MB), -1 where /proc/self/statm is not there. */
static double rss_mb(void)
{
    FILE *fp = fopen("/proc/self/statm", "r");
    if (!fp) return -1;
    unsigned long size = 0, res = 0;
    int n = fscanf(fp, "%lu %lu", &size, &res);
    fclose(fp);
    long page = sysconf(_SC_PAGESIZE);
    return n == 2 && page > 0 ? (double)res * (double)page / 1048576.0 : -1;
}

void pa_run_phase(struct pa_run *run, const char *name, double seconds)
{
    bool mem = run->opts && run->opts->timings;
    struct pa_phase_time t = {name, seconds, mem ? heap_in_use_mb() : -1, mem ? rss_mb() : -1};
    pa_vec_push(&run->phases, t);
}

/* The facts cache of this run, or NULL: --cache DIR (trusted, as given),
 * else the config's `cache:` directory, which must stay inside the project
 * (the config may come with the code being audited). Problems warn and the
 * run goes on without a cache. */
/* Does the longest existing prefix of path resolve inside root? */
static bool existing_part_within(const char *root, const char *path)
{
    char *p = pa_xstrdup(path);
    bool ok = false;
    for (;;) {
        struct stat st;
        if (lstat(p, &st) == 0 || errno != ENOENT) { ok = pa_path_within(root, p); break; }
        char *slash = strrchr(p, '/');
        if (!slash || slash == p) break;
        *slash = '\0';
    }
    free(p);
    return ok;
}

static pa_cache *open_cache(const struct pa_options *o)
{
    if (o->no_cache || (!o->cache_dir && !o->config_cache_dir)) return NULL;
    char *dir = o->cache_dir ? pa_xstrdup(o->cache_dir) : pa_path_join(o->root, o->config_cache_dir);
    const char *why = NULL;
    pa_cache *c = NULL;
    if (!o->cache_dir && !existing_part_within(o->root, dir))   /* checked before anything is created */
        why = "it resolves outside the project (config `cache:` must name a directory inside it)";
    else if (!o->cache_dir && (pa_mkdirs(dir) != PA_OK || !pa_path_within(o->root, dir)))
        why = "cannot create it inside the project";
    else
        c = pa_cache_open(dir, &why);
    if (!c) pa_warn("cache: not using '%s': %s", dir, why ? why : "unknown error");
    free(dir);
    return c;
}

/* ---- parse pool --------------------------------------------------------- */
struct slot {
    struct pa_file_facts *facts;  /* result, or NULL */
    char *skip_reason;            /* owned reason when not (fully) analysed */
    size_t bytes;                 /* source size */
};

struct pool {
    const struct pa_walk_result *walk;  /* borrowed, read-only */
    struct slot *slots;                 /* one per file; each written by exactly one thread */
    atomic_size_t next;                 /* next entry of order to take */
    size_t *order;                      /* file indices, largest first: no big file left for the end */
    size_t max_bytes;                   /* size limit */
    bool parse_only;                    /* no extraction */
    struct pa_packs *packs;             /* custom rules to run on each tree, or NULL (slot i per file) */
    pa_cache *cache;                    /* facts cache, or NULL */
};

static bool has_coding_cookie(const char *src, size_t len)
{
    /* PEP 263: a coding declaration on line 1 or 2 */
    size_t lines = 0;
    for (size_t i = 0; i < len && lines < 2; i++) {
        size_t s = i;
        while (i < len && src[i] != '\n') i++;
        const char *p = memchr(src + s, '#', i - s);
        if (p) {
            for (const char *q = p; q + 6 < src + i; q++)
                if (!memcmp(q, "coding", 6) && (q[6] == ':' || q[6] == '=')) return true;
        }
        lines++;
    }
    return false;
}

/* Rule packs' custom rules over the tree the extractor parsed. */
struct pack_scan {
    struct pa_packs *packs;
    pa_pack_scanner *scanner;
    size_t index;
    const char *rel, *src;
    size_t len;
    bool done;
};

static void pack_scan_hook(void *ud, const struct TSTree *tree)
{
    struct pack_scan *ps = ud;
    pa_packs_scan_tree(ps->packs, ps->scanner, ps->index, ps->rel, ps->src, ps->len, tree);
    ps->done = true;
}

static void parse_one(pa_py_parser *parser, const struct pa_walk_file *wf, struct slot *out, const struct pool *pl,
                      pa_pack_scanner *scanner, pa_buf *scratch, size_t index)
{
    size_t max_bytes = pl->max_bytes;
    bool parse_only = pl->parse_only;
    struct pa_packs *packs = pl->packs;
    char *src = NULL;
    size_t len = 0;
    const char *reason = NULL;
    if (pa_file_read(wf->abs, max_bytes, &src, &len, &reason) != PA_OK) {
        out->skip_reason = pa_xstrdup(reason ? reason : "cannot read");
        return;
    }
    out->bytes = len;
    const char *body = src;
    size_t blen = len;
    if (blen >= 3 && (unsigned char)body[0] == 0xEF && (unsigned char)body[1] == 0xBB && (unsigned char)body[2] == 0xBF) {
        /* keep the BOM bytes out of the parse but keep columns sane: replace by spaces */
        src[0] = src[1] = src[2] = ' ';
    }
    /* a cache hit means this exact content passed the checks below before */
    char *module = parse_only ? NULL : pa_module_name_for_path(wf->rel);
    struct pa_file_facts *facts = pl->cache ? pa_cache_load(pl->cache, wf->rel, module, body, blen) : NULL;
    pa_status st = PA_OK;
    bool scanned = false;   /* rule packs ran on the extractor's tree */
    if (!facts) {
        const char *bad = memchr(src, '\0', len) ? "binary file (contains NUL bytes)"
                          : !pa_utf8_valid(body, blen) && !has_coding_cookie(body, blen)
                              ? "not valid UTF-8 and no coding declaration (PEP 263)"
                              : NULL;
        if (bad) {
            out->skip_reason = pa_xstrdup(bad);
            free(module);
            free(src);
            return;
        }
        if (parse_only) {
            if (pa_parse_only(parser, body, blen, &reason) != PA_OK)
                out->skip_reason = pa_xstrdup(reason ? reason : "cannot parse");
            free(src);
            return;
        }
        /* custom rules (rule packs) run over the extractor's own tree */
        struct pack_scan ps = {packs, scanner, index, wf->rel, body, blen, false};
        st = pa_extract_file_hooked(parser, body, blen, wf->rel, module, &facts, &reason, scanner ? pack_scan_hook : NULL,
                                    &ps);
        if (st == PA_OK && pl->cache) pa_cache_store(pl->cache, wf->rel, module, body, blen, facts, scratch);
        scanned = ps.done;
    }
    if (st != PA_OK) {
        out->skip_reason = pa_xstrdup(reason ? reason : "cannot parse");
    } else {
        out->facts = facts;
        if (scanner && !scanned) pa_packs_scan(packs, scanner, index, wf->rel, body, blen);  /* a cache hit: parse for them */
        if (facts->nerrors)
            out->skip_reason = pa_xasprintf("syntax errors (%u error nodes): analysed partially", facts->nerrors);
    }
    free(module);
    free(src);
}

static void *pool_worker(void *arg)
{
    struct pool *p = arg;
    pa_py_parser *parser = pa_py_parser_new();
    pa_pack_scanner *scanner = p->packs ? pa_pack_scanner_new(p->packs) : NULL;  /* NULL when no custom rule */
    pa_buf scratch;   /* cache entries */
    pa_buf_init(&scratch);
    for (;;) {
        if (pa_run_interrupted()) break;   /* SIGINT: stop taking files */
        size_t k = atomic_fetch_add(&p->next, 1);
        if (k >= p->walk->files.n) break;
        size_t i = p->order[k];
        parse_one(parser, &p->walk->files.v[i], &p->slots[i], p, scanner, &scratch, i);
        if (scratch.cap > (4u << 20)) pa_buf_free(&scratch);   /* don't keep a huge entry's buffer */
    }
    pa_buf_free(&scratch);
    pa_pack_scanner_free(scanner);
    pa_py_parser_free(parser);
    return NULL;
}

struct size_idx {
    uint64_t size;
    size_t idx;
};

static int cmp_larger_first(const void *a, const void *b)
{
    const struct size_idx *x = a, *y = b;
    if (x->size != y->size) return x->size > y->size ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void run_pool(struct pool *p, int jobs)
{
    size_t n = p->walk->files.n;
    /* hand out the largest files first so that the threads finish together
     * (results still go to each file's own slot: the order of the output
     * does not depend on it) */
    struct size_idx *si = pa_xmalloc((n ? n : 1) * sizeof *si);
    for (size_t i = 0; i < n; i++) si[i] = (struct size_idx){p->walk->files.v[i].size, i};
    if (n > 1) qsort(si, n, sizeof *si, cmp_larger_first);
    p->order = pa_xmalloc((n ? n : 1) * sizeof *p->order);
    for (size_t i = 0; i < n; i++) p->order[i] = si[i].idx;
    free(si);
    if (jobs < 1) jobs = 1;
    if ((size_t)jobs > n) jobs = n ? (int)n : 1;
    pthread_t *th = pa_xcalloc((size_t)jobs, sizeof *th);
    int started = 0;
    for (int t = 1; t < jobs; t++)
        if (pthread_create(&th[t], NULL, pool_worker, p) == 0) started++;
        else break;
    pool_worker(p); /* the main thread works too */
    for (int t = 1; t <= started; t++) pthread_join(th[t], NULL);
    free(th);
    free(p->order);
    p->order = NULL;
}

/* ---- auditors ----------------------------------------------------------- */
struct auditor_job {
    pa_category cat;
    const struct pa_audit_input *in;
    struct pa_audit_result *res;
};

static void *auditor_thread(void *arg)
{
    struct auditor_job *j = arg;
    pa_auditor_run(j->cat, j->in, j->res);
    return NULL;
}

static void print_timings(const struct pa_run *run)
{
    double total = 0;
    for (size_t i = 0; i < run->phases.n; i++) total += run->phases.v[i].seconds;
    fprintf(stderr, "pa-audit: timings (%zu files, %.2f MB):\n", run->nfiles, (double)run->bytes / 1e6);
    for (size_t i = 0; i < run->phases.n; i++) {
        const struct pa_phase_time *p = &run->phases.v[i];
        if (p->heap_mb >= 0 && p->rss_mb >= 0)
            fprintf(stderr, "  %-16s %8.3f s  heap %7.1f MB  rss %7.1f MB\n", p->name, p->seconds, p->heap_mb, p->rss_mb);
        else if (p->heap_mb >= 0)
            fprintf(stderr, "  %-16s %8.3f s  heap %7.1f MB\n", p->name, p->seconds, p->heap_mb);
        else
            fprintf(stderr, "  %-16s %8.3f s\n", p->name, p->seconds);
    }
    fprintf(stderr, "  %-16s %8.3f s\n", "total", total);
}

pa_status pa_run_execute(struct pa_run *run)
{
    struct pa_options *o = run->opts;
    double t0 = pa_now_seconds(), t;

    if (!o->parse_only && (o->rules_files.n || o->rules_urls.n)) {
        /* rule packs: fetched/read, compiled and registered before any thread
         * starts; the rule table is frozen for the rest of the run */
        run->packs = pa_xmalloc(sizeof *run->packs);
        pa_packs_init(run->packs);
        char *err = NULL;
        if (pa_packs_load_all(run->packs, o, &err) != PA_OK) {
            pa_error("cannot load rule pack: %s", err ? err : "unknown error");
            free(err);
            return PA_ERR_USAGE;
        }
        if (pa_packs_rule_count(run->packs)) pa_rules_freeze();  /* unfrozen by pa_packs_free */
        t = pa_now_seconds();
        pa_run_phase(run, "rule packs", t - t0);
        t0 = t;
    }
    if (o->deferred.n) {   /* config ids of custom rules: known now that packs are loaded */
        char *err = NULL;
        if (pa_options_check_deferred(o, &err) != PA_OK) {
            pa_error("%s", err);
            free(err);
            return PA_ERR_USAGE;
        }
    }

    if (!o->parse_only) {
        pa_discover(&run->ctx, o->root);
        t = pa_now_seconds();
        pa_run_phase(run, "discovery", t - t0);
        t0 = t;
    }

    struct pa_walk_result walk;
    if (pa_walk(o->root, o, &walk) != PA_OK) {
        pa_error("cannot read the project directory '%s'", o->root);
        pa_walk_result_free(&walk);
        return PA_ERR_IO;
    }
    t = pa_now_seconds();
    pa_run_phase(run, "walk", t - t0);
    t0 = t;
    pa_info("%zu Python files to analyse", walk.files.n);

    struct pool pool;
    memset(&pool, 0, sizeof pool);
    pool.walk = &walk;
    pool.slots = pa_xcalloc(walk.files.n ? walk.files.n : 1, sizeof *pool.slots);
    atomic_init(&pool.next, 0);
    pool.max_bytes = o->max_file_bytes;
    pool.parse_only = o->parse_only;
    if (run->packs && pa_packs_rule_count(run->packs)) {
        pool.packs = run->packs;
        pa_packs_begin_scan(run->packs, walk.files.n);
    }
    pool.cache = o->parse_only ? NULL : open_cache(o);
    run_pool(&pool, o->jobs);
    if (pool.cache) {
        struct pa_cache_stats cs = pa_cache_stats(pool.cache);
        if (o->verbose || o->timings)
            fprintf(stderr, "pa-audit: cache: %zu hits, %zu misses (%zu rejected), %zu stored\n", cs.hits, cs.misses,
                    cs.rejected, cs.stored);
        pa_cache_close(pool.cache);
    }
    release_free_memory();
    t = pa_now_seconds();
    pa_run_phase(run, o->parse_only ? "parse" : "parse+extract", t - t0);
    t0 = t;

    /* collect slots in walk order */
    run->files = pa_xcalloc(walk.files.n ? walk.files.n : 1, sizeof *run->files);
    for (size_t i = 0; i < walk.skipped.n; i++) {
        pa_vec_push(&run->skipped, walk.skipped.v[i]);
    }
    walk.skipped.n = 0;
    size_t analysed_bytes = 0;
    for (size_t i = 0; i < walk.files.n; i++) {
        struct slot *s = &pool.slots[i];
        if (s->facts) { run->files[run->nfiles++] = s->facts; analysed_bytes += s->bytes; }
        else if (o->parse_only && !s->skip_reason) analysed_bytes += s->bytes, run->nfiles++;
        if (s->skip_reason) {
            struct pa_skipped sk = {pa_xstrdup(walk.files.v[i].rel), s->skip_reason};
            pa_vec_push(&run->skipped, sk);
            pa_warn("%s: %s", walk.files.v[i].rel, s->skip_reason);
        }
    }
    run->bytes = analysed_bytes;
    free(pool.slots);
    pa_walk_result_free(&walk);
    if (pa_run_interrupted()) return PA_ERR_IO;   /* SIGINT during the parse: stop before any report */

    if (o->parse_only) {
        printf("parse-only: %zu files, %.2f MB, %.3f s\n", run->nfiles, (double)run->bytes / 1e6,
               run->phases.v[run->phases.n - 1].seconds);
        run->nfiles = 0; /* no facts were kept */
        if (o->timings || o->verbose) print_timings(run);
        return PA_OK;
    }

    pa_discover_from_facts(&run->ctx, run->files, run->nfiles);
    pa_discover_finish(&run->ctx);
    {   /* best practices for the detected stack: embedded knowledge + packs */
        struct pa_kb kb;
        pa_kb_init(&kb);
        char *err = NULL;
        if (pa_kb_load_builtin(&kb, &err) != PA_OK) { pa_warn("knowledge base: %s", err); free(err); }
        if (run->packs) pa_kb_merge(&kb, &run->packs->kb);
        pa_knowledge_select(&run->ctx, &kb);
        pa_kb_free(&kb);
    }
    t = pa_now_seconds();
    pa_run_phase(run, "context", t - t0);   /* discovery from code, knowledge selection */
    t0 = t;
    if (o->print_context) {
        cJSON *j = pa_context_to_json(&run->ctx);
        char *s = cJSON_Print(j);
        printf("%s\n", s);
        cJSON_free(s);
        cJSON_Delete(j);
        return PA_OK;
    }

    run->index = pa_index_build(run->files, run->nfiles, &run->ctx);
    release_free_memory();   /* the build's scratch tables */
    run->models = pa_models_build(run->index, run->files, run->nfiles);
    t = pa_now_seconds();
    pa_run_phase(run, "index", t - t0);
    t0 = t;

    struct pa_audit_input in = {&run->ctx, run->index, run->models, run->files, run->nfiles, o};
    pthread_t th[PA_CAT__COUNT];
    struct auditor_job jobs[PA_CAT__COUNT];
    bool threaded[PA_CAT__COUNT] = {false};
    for (int c = 0; c < PA_CAT__COUNT; c++) {
        jobs[c] = (struct auditor_job){(pa_category)c, &in, &run->results[c]};
        threaded[c] = pthread_create(&th[c], NULL, auditor_thread, &jobs[c]) == 0;
        if (!threaded[c]) auditor_thread(&jobs[c]);
    }
    for (int c = 0; c < PA_CAT__COUNT; c++)
        if (threaded[c]) pthread_join(th[c], NULL);
    t = pa_now_seconds();
    static const char *const names[] = {"query auditor", "transaction aud.", "runtime auditor"};
    for (int c = 0; c < PA_CAT__COUNT; c++) pa_run_phase(run, names[c], run->results[c].seconds);
    t0 = t;

    pa_aggregate(run);
    pa_status st = PA_OK;
    if (pa_run_interrupted()) return PA_ERR_IO;   /* SIGINT: no report file is started */
    if (!o->no_write) st = pa_report_write_files(run);
    t = pa_now_seconds();
    pa_run_phase(run, "aggregate", t - t0);
    if (o->timings || o->verbose) print_timings(run);
    return st;
}

int pa_run_exit_code(const struct pa_run *run)
{
    const struct pa_options *o = run->opts;
    if (o->print_context || o->parse_only) return 0;
    if (o->fail_on != PA_FAIL_NEVER) {
        for (size_t i = 0; i < run->all.items.n; i++) {
            const struct pa_finding *f = run->all.items.v[i];
            if (!f->advisory && !f->baseline && (int)f->severity >= o->fail_on) return 1;
        }
    }
    if (o->fail_under >= 0 && run->overall < o->fail_under) return 1;
    return 0;
}
