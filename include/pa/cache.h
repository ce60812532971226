/* cache.h - the incremental facts cache (--cache DIR, `cache:` in config).
 *
 * One file per analysed source file holds its facts image (facts.h), keyed
 * by a hash of the pa-audit version, the build's facts layout, the file's
 * project-relative path, its module name and its content. A re-run on an
 * unchanged file decodes the image instead of parsing. An entry written by
 * another version or build, for other content, or damaged in any way (bad
 * header, checksum, bounds, cross-references) is ignored and rewritten:
 * never trusted. Entries are written with temp file + rename, so concurrent
 * runs sharing a directory see whole files only.
 *
 * Thread-safe: load and store may be called from every parse-pool thread.
 */
#ifndef PA_CACHE_H
#define PA_CACHE_H

#include "pa/facts.h"

typedef struct pa_cache pa_cache;

/* Open (creating) the cache directory. NULL with *why (static) when it can't
 * be used; the caller warns and runs without a cache. Owned. */
pa_cache *pa_cache_open(const char *dir, const char **why);
void pa_cache_close(pa_cache *c);

/* The facts cached for this source, or NULL (a miss or a rejected entry).
 * Owned by the caller. */
struct pa_file_facts *pa_cache_load(pa_cache *c, const char *relpath, const char *module, const char *src,
                                    size_t len);
/* Store f's image for this source. scratch is the caller's (per-thread)
 * buffer. A write failure is reported once (warning) and disables stores. */
void pa_cache_store(pa_cache *c, const char *relpath, const char *module, const char *src, size_t len,
                    const struct pa_file_facts *f, pa_buf *scratch);

struct pa_cache_stats {
    size_t hits, misses, rejected, stored;
};
struct pa_cache_stats pa_cache_stats(const pa_cache *c);

#endif
