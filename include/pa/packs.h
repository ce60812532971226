/* packs.h - rule packs: YAML files (local with --rules FILE, or fetched with
 * --rules-url URL / `rule_packs:` in the config) holding extra knowledge
 * entries and custom rules. A custom rule is a tree-sitter query over
 * Python, optional PCRE2 conditions on its captures and optional context
 * conditions (inside async def / a loop / an open transaction); its findings
 * flow through the normal pipeline (validation, scoring, suppression, SARIF).
 * Nothing in a pack is ever executed. Format: docs/rule-packs.md.
 *
 * DESIGN
 * - Loading (parse, compile queries and regexes, register the rules in the
 *   rule table with pa_rules_add_custom) happens on the main thread before
 *   the parse pool starts. Compiled TSQuery and pcre2_code objects are then
 *   immutable and shared read-only by every thread.
 * - Scanning: each parse-pool thread owns a pa_pack_scanner (its TSParser,
 *   TSQueryCursor and PCRE2 match data) and calls pa_packs_scan for the
 *   files it takes; the hits of file i go to slot i, written by exactly one
 *   thread, so no lock is needed and the result never depends on timing.
 *   With no pack loaded nothing is allocated and the pool never calls in.
 * - Checking: after the pool is joined the slots are frozen; each auditor
 *   thread turns the hits of its category's custom rules into findings
 *   (pa_packs_check), in file order.
 * - Fetching: libcurl, HTTPS only (plain HTTP for loopback hosts or with
 *   --allow-insecure-http), bounded time, size and redirects; responses are
 *   cached under $XDG_CACHE_HOME/pa-audit/packs (fallback ~/.cache) and
 *   revalidated with ETag / Last-Modified.
 */
#ifndef PA_PACKS_H
#define PA_PACKS_H

#include "pa/core.h"
#include "pa/knowledge.h"
#include "pa/rules.h"

struct pa_options;
struct pa_audit_input;
struct pa_rule_out;
struct pa_custom_rule;
struct pa_pack_slot;

struct pa_packs {
    PA_VEC(struct pa_custom_rule *) rules;  /* custom rules of every pack, load order (owned) */
    struct pa_kb kb;                        /* knowledge entries of every pack (owned) */
    PA_VEC(char *) origins;                 /* packs loaded: URL or file path (owned) */
    bool registered;                        /* rules are in the rule table (reset on free) */
    struct pa_pack_slot *slots;             /* scan results, one per walked file (owned) */
    size_t nslots;
};

void pa_packs_init(struct pa_packs *p);
/* Frees everything; unregisters the custom rules from the rule table if
 * they were registered (no auditor may be running). */
void pa_packs_free(struct pa_packs *p);

/* Parse one pack (YAML text) and compile its rules. origin names it in
 * messages. On error returns PA_ERR_PARSE / PA_ERR_LIMIT with *err (owned)
 * naming the origin, the line and, for a rule, its id. */
pa_status pa_packs_load_text(struct pa_packs *p, const char *text, size_t len, const char *origin, char **err);
pa_status pa_packs_load_file(struct pa_packs *p, const char *path, char **err);

/* Load every pack of the options: --rules files, then --rules-url /
 * rule_packs URLs (fetched or from the cache), then register the custom
 * rules. A failing URL is an error (PA_ERR_IO, *err owned, naming URL and
 * reason) unless opts->rules_url_optional, in which case it is warned about
 * and skipped. */
pa_status pa_packs_load_all(struct pa_packs *p, const struct pa_options *o, char **err);
/* Put the custom rules into the rule table (pa_rules_add_custom). */
pa_status pa_packs_register(struct pa_packs *p, char **err);
size_t pa_packs_rule_count(const struct pa_packs *p);
/* `pa-audit explain ID` for a custom rule of p: its metadata, where it is
 * defined, its message and recommendation (Markdown, owned), or NULL when
 * p has no rule ID (case-insensitive). */
char *pa_packs_explain(const struct pa_packs *p, const char *id);
/* The pack set whose rules are registered in the rule table (set by
 * pa_packs_register, cleared by pa_packs_free), or NULL. Borrowed; stable
 * while the auditors run (set before any thread starts). */
const struct pa_packs *pa_packs_active(void);

/* ---- scanning (parse pool) ---------------------------------------------- */
struct TSTree;
typedef struct pa_pack_scanner pa_pack_scanner;
/* Allocate one result slot per walked file. Main thread, before the pool. */
void pa_packs_begin_scan(struct pa_packs *p, size_t nfiles);
pa_pack_scanner *pa_pack_scanner_new(const struct pa_packs *p);   /* owned, one per thread */
void pa_pack_scanner_free(pa_pack_scanner *s);
/* Parse src and run every custom rule over it; the hits go to slot
 * file_index (written by this thread only). relpath is copied. */
void pa_packs_scan(struct pa_packs *p, pa_pack_scanner *s, size_t file_index, const char *relpath,
                   const char *src, size_t len);
/* The same over a tree someone else parsed from exactly src (the fact
 * extractor's, through pa_extract_file_hooked): the file is parsed once. */
void pa_packs_scan_tree(struct pa_packs *p, pa_pack_scanner *s, size_t file_index, const char *relpath,
                        const char *src, size_t len, const struct TSTree *tree);

/* ---- checking (auditor threads) ------------------------------------------ */
/* Turn the hits of out->rule (a custom rule) into findings. Reads only
 * frozen state: thread-safe across auditors. */
void pa_packs_check(const struct pa_packs *p, const struct pa_audit_input *in, struct pa_rule_out *out);

/* ---- fetching ----------------------------------------------------------- */
struct pa_fetch_opts {
    bool offline;              /* never touch the network: cache only */
    bool allow_insecure_http;  /* plain http:// to any host */
    long timeout_ms;           /* whole transfer (default 10000; env PA_AUDIT_FETCH_TIMEOUT_MS) */
    size_t max_bytes;          /* largest body accepted (default 1 MiB) */
    long max_redirects;        /* default 5 */
    const char *cache_dir;     /* NULL = $XDG_CACHE_HOME/pa-audit or ~/.cache/pa-audit */
};
void pa_fetch_opts_default(struct pa_fetch_opts *fo);
/* How a pack body was obtained. */
typedef enum pa_fetch_how {
    PA_FETCH_NETWORK = 0,      /* downloaded (200) */
    PA_FETCH_REVALIDATED,      /* server said 304 Not Modified: cached copy */
    PA_FETCH_CACHE_OFFLINE,    /* --offline: cached copy */
    PA_FETCH_CACHE_NO_NETWORK, /* the network failed: cached copy */
} pa_fetch_how;
const char *pa_fetch_how_name(pa_fetch_how h);
/* Fetch url. On success *body (owned, NUL-terminated) and *len are set and
 * *how says where it came from. On failure returns PA_ERR_IO / PA_ERR_LIMIT /
 * PA_ERR_USAGE with *err (owned) = "URL: reason". Thread-safe (one call per
 * thread); never executes anything it downloads. */
pa_status pa_fetch(const char *url, const struct pa_fetch_opts *fo, char **body, size_t *len, pa_fetch_how *how,
                   char **err);
/* Is url's host a loopback address (127.0.0.0/8, ::1, localhost)? */
bool pa_fetch_is_loopback(const char *url);
/* The cache directory in use (owned). */
char *pa_fetch_cache_dir(const struct pa_fetch_opts *fo);

#endif
