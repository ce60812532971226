/* fuzz_discovery.c - libFuzzer targets for the discovery parsers
 * (include/pa/discovery.h): each entry feeds the raw bytes to one pa_disc_*
 * parser under a typical file name, then derives the context
 * (pa_disc_link_triggers via pa_discover_finish) and renders it as JSON, as
 * --print-context does. The bytes are copied to an exact-size buffer without
 * a terminating NUL, so a parser that reads past `len` is caught by ASan.
 *
 * One source, one executable per parser: the fuzz CMakeLists compiles this
 * file once per entry with -DPA_FUZZ_ENTRY=pa_fuzz_disc_<name>. */
#include "fuzz_common.h"

#include <cjson/cJSON.h>

#include "pa/discovery.h"

typedef void (*fuzz_disc_fn)(struct pa_context *, const char *, size_t, const char *);

static int fuzz_disc_run(fuzz_disc_fn fn, const char *path, const uint8_t *data, size_t size)
{
    char *text = pa_xmalloc(size ? size : 1);   /* exact size, no NUL: overreads are caught */
    if (size) memcpy(text, data, size);
    struct pa_context ctx;
    pa_context_init(&ctx, ".");
    fn(&ctx, text, size, path);
    free(text);
    pa_discover_finish(&ctx);
    cJSON *j = pa_context_to_json(&ctx);
    char *s = cJSON_PrintUnformatted(j);
    cJSON_free(s);
    cJSON_Delete(j);
    pa_context_free(&ctx);
    return 0;
}

#define FUZZ_DISC(name, fn, path)                                             \
    int pa_fuzz_disc_##name(const uint8_t *data, size_t size);               \
    int pa_fuzz_disc_##name(const uint8_t *data, size_t size) { return fuzz_disc_run(fn, path, data, size); }

FUZZ_DISC(tech_stack, pa_disc_tech_stack_md, "docs/project/tech_stack.md")
FUZZ_DISC(requirements, pa_disc_requirements, "requirements.txt")
FUZZ_DISC(pyproject, pa_disc_pyproject, "pyproject.toml")
FUZZ_DISC(setup_cfg, pa_disc_setup_cfg, "setup.cfg")
FUZZ_DISC(pipfile, pa_disc_pipfile, "Pipfile")
FUZZ_DISC(package_json, pa_disc_package_json, "package.json")
FUZZ_DISC(go_mod, pa_disc_go_mod, "go.mod")
FUZZ_DISC(compose, pa_disc_compose, "docker-compose.yml")
FUZZ_DISC(migration_sql, pa_disc_migration, "migrations/0001_init.sql")
FUZZ_DISC(migration_py, pa_disc_migration, "alembic/versions/0001_init.py")
FUZZ_DISC(adr, pa_disc_adr, "docs/adr/0001-decision.md")
FUZZ_DISC(kanban, pa_disc_kanban, "docs/tasks/kanban_board.md")

#ifdef PA_FUZZ_ENTRY
PA_FUZZ_MAIN(PA_FUZZ_ENTRY)
#endif
