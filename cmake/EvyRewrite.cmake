# evy_rewrite_sources(TARGET [STATIC_RUNTIME] [MODULES module...] [EXTRA_ARGS arg...])
#
# Greens TARGET at build time: each of its C++ sources is rewritten by
# evy-rewrite into ${CMAKE_CURRENT_BINARY_DIR}/evy-rewritten/TARGET/, the
# target compiles those copies instead, and it links evy::runtime. Your files
# are never touched. Headers that a .evy-rewrite.json path rule (or an
# EXTRA_ARGS --header-filter) greens are copied, rewritten, into
# evy-rewritten/TARGET/headers/ and the copies include them there. A copy is
# remade when its source, a header it reads, a rule file or the tool changes.
#
#   STATIC_RUNTIME  link evy::runtime_static (libevy.a) instead of
#               evy::runtime (libevy.so, one runtime per process: see
#               docs/cmake.md for when static is safe)
#   MODULES     what to green (--patch=...); default: every module but
#               the opt-in ones (--patch)
#   EXTRA_ARGS  more compiler arguments for parsing
#
# The target's include directories, definitions and C++ standard (with
# CXX_EXTENSIONS: gnu++NN) are passed to the parse; quoted includes still
# resolve next to the original source.
#
# Expects EVY_REWRITE_EXECUTABLE (a path or a target's file) and
# EVY_RULE_FILES (to depend on); the evy package config and evy's own build
# set both.
function(evy_rewrite_sources target)
  cmake_parse_arguments(PARSE_ARGV 1 EVY "STATIC_RUNTIME" "" "MODULES;EXTRA_ARGS")
  if(EVY_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "evy_rewrite_sources: unexpected arguments: ${EVY_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "evy_rewrite_sources: ${target} is not a target")
  endif()
  if(EVY_MODULES)
    list(JOIN EVY_MODULES "," modules)
    set(patch "--patch=${modules}")
  else()
    set(patch "--patch")
  endif()

  get_target_property(sources ${target} SOURCES)
  get_target_property(source_dir ${target} SOURCE_DIR)
  # Parse at the standard the target compiles at: the highest of its
  # CXX_STANDARD (set from CMAKE_CXX_STANDARD) and its own cxx_std_NN
  # compile features, gnu++NN unless CXX_EXTENSIONS is off (CMake's default
  # is on). With neither, the compiler's default, as in the real compile.
  set(std_property "$<TARGET_PROPERTY:${target},CXX_STANDARD>")
  set(features "$<TARGET_PROPERTY:${target},COMPILE_FEATURES>")
  set(std "")
  foreach(level 98 11 14 17 20 23 26)
    set(std "$<IF:$<OR:$<STREQUAL:${std_property},${level}>,$<IN_LIST:cxx_std_${level},${features}>>,${level},${std}>")
  endforeach()
  set(extensions "$<TARGET_PROPERTY:${target},CXX_EXTENSIONS>")
  set(dialect "$<IF:$<OR:$<STREQUAL:${extensions},>,$<BOOL:${extensions}>>,gnu++,c++>")
  set(includes "$<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>")
  set(defines "$<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>")
  set(parse_args
    "$<$<BOOL:${std}>:-std=${dialect}${std}>"
    "$<$<BOOL:${includes}>:-I$<JOIN:${includes},$<SEMICOLON>-I>>"
    "$<$<BOOL:${defines}>:-D$<JOIN:${defines},$<SEMICOLON>-D>>"
    ${EVY_EXTRA_ARGS})

  set(rewritten)
  foreach(source IN LISTS sources)
    if(NOT source MATCHES "\\.(cc|cpp|cxx|C|c\\+\\+)$")
      list(APPEND rewritten "${source}")
      continue()
    endif()
    get_filename_component(original "${source}" ABSOLUTE BASE_DIR "${source_dir}")
    get_filename_component(original_dir "${original}" DIRECTORY)
    file(RELATIVE_PATH relative "${source_dir}" "${original}")
    string(REPLACE "../" "__/" relative "${relative}")
    set(copy "${CMAKE_CURRENT_BINARY_DIR}/evy-rewritten/${target}/${relative}")
    add_custom_command(
      OUTPUT "${copy}"
      COMMAND "${EVY_REWRITE_EXECUTABLE}" ${patch} -o "${copy}"
              "--header-dir=${CMAKE_CURRENT_BINARY_DIR}/evy-rewritten/${target}/headers"
              "--depfile=${copy}.d" "${original}" -- ${parse_args}
      DEPENDS "${original}" ${EVY_RULE_FILES} ${EVY_REWRITE_EXECUTABLE_TARGET}
              ${EVY_REWRITE_EXECUTABLE}
      DEPFILE "${copy}.d"
      COMMENT "evy-rewrite ${relative} (${target})"
      COMMAND_EXPAND_LISTS VERBATIM)
    # "foo.h" includes of the original still find its neighbours.
    set_property(SOURCE "${copy}" APPEND PROPERTY INCLUDE_DIRECTORIES "${original_dir}")
    list(APPEND rewritten "${copy}")
  endforeach()
  set_property(TARGET ${target} PROPERTY SOURCES ${rewritten})
  if(EVY_STATIC_RUNTIME)
    target_link_libraries(${target} PRIVATE evy::runtime_static)
  else()
    target_link_libraries(${target} PRIVATE evy::runtime)
  endif()
endfunction()
