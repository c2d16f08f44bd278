# The CI's build settings (scripts/test.sh passes -C cmake/ci.cmake to every
# configure): the same tests, compiled faster on a 2-core machine.
# - The gtest suites as unity builds (cmake/EvyTestBuild.cmake).
set(EVY_UNITY_TESTS ON CACHE BOOL "")
# - Line tables only (-g1) instead of full debug info: the optimized code is
#   the same (-O2, NDEBUG), sanitizer reports still name files and lines, and
#   compiles take about a quarter less (variable locations, types).
set(CMAKE_CXX_FLAGS_RELWITHDEBINFO "-O2 -g1 -DNDEBUG" CACHE STRING "")
set(CMAKE_C_FLAGS_RELWITHDEBINFO "-O2 -g1 -DNDEBUG" CACHE STRING "")
