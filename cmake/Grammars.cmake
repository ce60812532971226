# Grammars.cmake - fetch the tree-sitter grammars with `npm pack` at configure
# time, verify each tarball against its pinned integrity hash, unpack it into
# the build tree and expose a static library per grammar.
#
# Nothing third-party is committed: the tarballs and their generated parsers
# live only under ${CMAKE_BINARY_DIR}/_grammars. The registry is reached through
# npm's own configuration; no host name is written here.
#
# A directory of pre-fetched tarballs can be given with
#   -DPA_GRAMMAR_CACHE=/path   (e.g. for offline rebuilds)
# the integrity check still applies to them.

set(PA_GRAMMAR_DIR "${CMAKE_BINARY_DIR}/_grammars")
set(PA_GRAMMAR_CACHE "" CACHE PATH "Directory holding already-packed grammar tarballs")

# pa_fetch_grammar(<target> <npm-spec> <tarball-name> <sha512-hex> <npm-integrity>)
function(pa_fetch_grammar target spec tarball sha512 integrity)
  set(dir "${PA_GRAMMAR_DIR}/${target}")
  set(tgz "${PA_GRAMMAR_DIR}/${tarball}")
  file(MAKE_DIRECTORY "${PA_GRAMMAR_DIR}")
  if(NOT EXISTS "${tgz}" AND PA_GRAMMAR_CACHE AND EXISTS "${PA_GRAMMAR_CACHE}/${tarball}")
    file(COPY "${PA_GRAMMAR_CACHE}/${tarball}" DESTINATION "${PA_GRAMMAR_DIR}")
  endif()
  if(NOT EXISTS "${tgz}")
    find_program(NPM_EXECUTABLE npm)
    if(NOT NPM_EXECUTABLE)
      message(FATAL_ERROR "npm is required to fetch the grammar ${spec} (apt-get install npm)")
    endif()
    message(STATUS "Fetching grammar ${spec} with npm pack")
    execute_process(
      COMMAND "${NPM_EXECUTABLE}" pack "${spec}" --silent --pack-destination "${PA_GRAMMAR_DIR}"
      WORKING_DIRECTORY "${PA_GRAMMAR_DIR}"
      RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0 OR NOT EXISTS "${tgz}")
      message(FATAL_ERROR "npm pack ${spec} failed (exit ${rc}): ${err}")
    endif()
  endif()
  file(SHA512 "${tgz}" actual)
  if(NOT actual STREQUAL sha512)
    file(REMOVE "${tgz}")
    message(FATAL_ERROR
      "Integrity check failed for ${spec}\n"
      "  expected ${integrity}\n"
      "  (sha512 ${sha512})\n"
      "  got sha512 ${actual}\n"
      "The tarball was removed. Refusing to build with an unverified grammar.")
  endif()
  if(NOT EXISTS "${dir}/src/parser.c")
    file(REMOVE_RECURSE "${dir}")
    file(MAKE_DIRECTORY "${dir}")
    execute_process(COMMAND ${CMAKE_COMMAND} -E tar xzf "${tgz}"
                    WORKING_DIRECTORY "${dir}" RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "could not unpack ${tgz}")
    endif()
    file(GLOB inner "${dir}/package/*")
    foreach(p ${inner})
      get_filename_component(n "${p}" NAME)
      file(RENAME "${p}" "${dir}/${n}")
    endforeach()
  endif()
  set(srcs "${dir}/src/parser.c")
  if(EXISTS "${dir}/src/scanner.c")
    list(APPEND srcs "${dir}/src/scanner.c")
  endif()
  add_library(${target} STATIC ${srcs})
  target_include_directories(${target} PRIVATE "${dir}/src")
  # Generated code: compiled without our warning flags, never with -Werror.
  set_target_properties(${target} PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
  target_compile_options(${target} PRIVATE -w -O2)
endfunction()

pa_fetch_grammar(ts_python "tree-sitter-python@0.23.6" "tree-sitter-python-0.23.6.tgz"
  "c8833dcf4a31288c53edb02d3ce860a1597a8135e59a5221b9eee58854f8a013c5fe585aec76b8750052f3602fea130c459a159c5248f0cea62fe4b05a82c3dc"
  "sha512-yIM9z0oxKIxT7bAtPOhgoVl6gTXlmlIhue7liFT4oBPF/lha7Ha4dQBS82Av6hMMRZoVnFJI8M6mL+SwWoLD3A==")
pa_fetch_grammar(ts_toml "@tree-sitter-grammars/tree-sitter-toml@0.7.0" "tree-sitter-grammars-tree-sitter-toml-0.7.0.tgz"
  "f3bdca979d7c426e6085b59a748498e35af016379ed2ffb66d4e2dc30bc0c3654025c5b08f6bc1a3717784e0977dba876858aa738aa1e9e2e190c976619252d2"
  "sha512-873Kl518Qm5ghbWadISY41rwFjee0v+2bU4twwvAw2VAJcWwj2vBo3F3hOCXfbqHaFiqc4qh6eLhkMl2YZJS0g==")
