# How the gtest suites are compiled. CI (cmake/ci.cmake) turns on unity
# builds: a suite's files are compiled a batch at a time, one translation
# unit per batch, so gtest's and the standard library's templates are parsed
# and instantiated once per batch instead of once per file. Off by default:
# editing one test file then recompiles its whole batch.
#
# A unity batch shares one namespace scope: two test files must not define
# the same name in an anonymous namespace, nor rely on a "using namespace"
# of an earlier file. A file that cannot share is kept out of its batch with
# set_source_files_properties(FILE PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON).
option(EVY_UNITY_TESTS "Compile the gtest suites as unity builds (CI)" OFF)
set(EVY_UNITY_TESTS_BATCH_SIZE 12 CACHE STRING "Test files per unity translation unit")

# evy_test_unity_build(TARGET...): the suites' targets, under EVY_UNITY_TESTS.
function(evy_test_unity_build)
  if(EVY_UNITY_TESTS)
    set_target_properties(${ARGN} PROPERTIES UNITY_BUILD ON
                          UNITY_BUILD_BATCH_SIZE ${EVY_UNITY_TESTS_BATCH_SIZE})
  endif()
endfunction()
