/* fuzz_config.c - libFuzzer targets for the configuration file: the bytes
 * are written to a private temporary file (.pa-audit.yml, or
 * pyproject.toml for the TOML form) and loaded with pa_config_load exactly
 * as `--config FILE` / the default lookup would: libyaml with the alias,
 * depth and size limits of discovery/yamltree.c, the tree-sitter TOML
 * reader, then key validation. An error message is fine; a crash, hang or
 * leak is not. */
#include "fuzz_common.h"

#include "pa/options.h"

static int fuzz_config_run(const uint8_t *data, size_t size, const char *name, bool explicit_path)
{
    char *dir = NULL;
    char *path = pa_fuzz_tmp_file(data, size, name, &dir);
    if (!path) return 0;
    struct pa_options o;
    pa_options_init(&o);
    free(o.root);
    o.root = pa_xstrdup(dir);
    if (explicit_path) o.config = pa_xstrdup(path);   /* --config FILE */
    char *err = NULL;
    (void)pa_config_load(&o, &err);                   /* default lookup finds the file otherwise */
    free(err);
    pa_options_free(&o);
    pa_fuzz_tmp_done(path, dir);
    return 0;
}

int pa_fuzz_config_yaml(const uint8_t *data, size_t size);
int pa_fuzz_config_yaml(const uint8_t *data, size_t size) { return fuzz_config_run(data, size, ".pa-audit.yml", true); }
int pa_fuzz_config_toml(const uint8_t *data, size_t size);
int pa_fuzz_config_toml(const uint8_t *data, size_t size) { return fuzz_config_run(data, size, "pyproject.toml", false); }

#ifdef PA_FUZZ_ENTRY
PA_FUZZ_MAIN(PA_FUZZ_ENTRY)
#endif
