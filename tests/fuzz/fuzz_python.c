/* fuzz_python.c - libFuzzer target: one Python file of arbitrary bytes
 * through the whole analysis, in process (see fuzz_analyse.h): every rule,
 * the aggregator and every report renderer. */
#include "fuzz_analyse.h"

int pa_fuzz_python(const uint8_t *data, size_t size)
{
    return fuzz_python_file(data, size, (const char *)data, size);
}

PA_FUZZ_MAIN(pa_fuzz_python)
