/* fuzz_facts_image.c - libFuzzer target for facts images (the facts cache's
 * payload, src/project/facts_image.c). The bytes are used twice:
 *   - as an image: pa_facts_decode with every check must refuse it or give
 *     facts whose every string, array and parent chain can be walked, and
 *     whose re-encoding decodes again to the same bytes;
 *   - as Python source: the extractor's facts, encoded, must decode with every
 *     check (a check too strict for real facts would make the cache useless)
 *     and re-encode to the same bytes. */
#include "fuzz_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pa/facts.h"

static pa_py_parser *fi_parser;

/* Touch everything reachable, so that the sanitizers see a bad pointer. */
static size_t fi_walk(const struct pa_file_facts *f)
{
    size_t sum = strlen(f->path) + (f->module ? strlen(f->module) : 0);
    for (size_t i = 0; i < f->calls.n; i++) {
        const struct pa_call *c = &f->calls.v[i];
        sum += strlen(c->callee) + strlen(c->attr) + (c->base ? strlen(c->base) : 0);
        for (uint16_t a = 0; a < c->nargs; a++)
            sum += (c->args[a].text ? strlen(c->args[a].text) : 0) + (c->args[a].kw ? strlen(c->args[a].kw) : 0);
        for (int32_t l = c->loop; l >= 0; l = f->loops.v[l].parent) sum++;
        for (int32_t w = c->with; w >= 0; w = f->withs.v[w].parent) sum++;
        for (int32_t t = c->try_; t >= 0; t = f->tries.v[t].parent) sum++;
        for (int32_t p = c->parent_call; p >= 0; p = f->calls.v[p].parent_call) sum++;
        for (int32_t r = c->recv_call; r >= 0; r = f->calls.v[r].recv_call) sum++;
    }
    for (size_t i = 0; i < f->funcs.n; i++) {
        const struct pa_func *fn = &f->funcs.v[i];
        sum += strlen(fn->name) + strlen(fn->qualname);
        for (uint16_t k = 0; k < fn->nparams; k++) sum += strlen(fn->params[k].name);
        for (uint16_t k = 0; k < fn->ndecorators; k++) sum += fn->decorators[k] ? strlen(fn->decorators[k]) : 0;
        for (int32_t p = fn->parent; p >= 0; p = f->funcs.v[p].parent) sum++;
    }
    for (size_t i = 0; i < f->classes.n; i++)
        for (uint16_t k = 0; k < f->classes.v[i].nattrs; k++) sum += strlen(f->classes.v[i].attrs[k].name);
    for (size_t i = 0; i < f->withs.n; i++)
        for (uint16_t k = 0; k < f->withs.v[i].nitems; k++) sum += strlen(f->withs.v[i].items[k].expr);
    for (size_t i = 0; i < f->tries.n; i++)
        for (uint16_t k = 0; k < f->tries.v[i].nhandlers; k++) sum += f->tries.v[i].handlers[k].line;
    for (size_t i = 0; i < f->assigns.n; i++) sum += strlen(f->assigns.v[i].target) + strlen(f->assigns.v[i].op);
    for (size_t i = 0; i < f->name_uses.n; i++) sum += strlen(f->name_uses.v[i].name);
    for (size_t i = 0; i < f->suppressions.n; i++) sum += f->suppressions.v[i].line;
    sum += pa_facts_code_lines(f, 1, f->nlines);
    return sum;
}

/* encode(f) decodes with every check and re-encodes to the same bytes */
static void fi_roundtrip(const struct pa_file_facts *f)
{
    pa_buf a, b;
    pa_buf_init(&a);
    pa_buf_init(&b);
    pa_facts_encode(f, &a);
    struct pa_file_facts *g = NULL;
    const char *why = NULL;
    if (pa_facts_decode(a.s, a.len, true, &g, &why) != PA_OK) {
        fprintf(stderr, "fuzz_facts_image: an encoded image was refused: %s\n", why ? why : "?");
        abort();
    }
    pa_facts_encode(g, &b);
    if (a.len != b.len || memcmp(a.s, b.s, a.len) != 0) {
        fprintf(stderr, "fuzz_facts_image: the image changed in a round trip\n");
        abort();
    }
    pa_file_facts_free(g);
    pa_buf_free(&a);
    pa_buf_free(&b);
}

int pa_fuzz_facts_image(const uint8_t *data, size_t size)
{
    if (!fi_parser) fi_parser = pa_py_parser_new();
    struct pa_file_facts *f = NULL;
    const char *why = NULL;
    if (pa_facts_decode(data, size, true, &f, &why) == PA_OK) {
        volatile size_t s = fi_walk(f);
        (void)s;
        fi_roundtrip(f);
        pa_file_facts_free(f);
    }
    f = NULL;
    if (pa_extract_file(fi_parser, (const char *)data, size, "fuzz/input.py", NULL, &f, &why) == PA_OK) {
        volatile size_t s = fi_walk(f);
        (void)s;
        fi_roundtrip(f);
        pa_file_facts_free(f);
    }
    return 0;
}

PA_FUZZ_MAIN(pa_fuzz_facts_image)
