// is_monkey_patched(): which green modules the program was built with.
#pragma once

#include <cstddef>
#include <cstring>
#if __has_include(<version>) // the feature-test macros (C++20; libstdc++ has it earlier)
#include <version>
#elif __cplusplus >= 201703L && __has_include(<string_view>) // or the header itself
#include <string_view>
#endif
#if defined(__cpp_lib_string_view)
#include <string_view>
#endif

namespace evy {

// is_monkey_patched() tells whether any translation unit linked into the
// program includes <evy/patched/MODULE.h> for this module. Modules are the
// "module" names of the rule files (rules/*.json: "os", "select", "socket",
// "ssl", "thread", "time", "psycopg"), and a rule file's "aliases" answer
// for its module ("threading" and "queue" for thread); "ssl" answers when
// socket is patched too, since socket's header includes ssl's.
// The runtime's one entry point takes (chars, length) so that it has the
// same signature at every standard; the overloads below forward to it.
bool is_monkey_patched(const char *module, std::size_t length) noexcept;
inline bool is_monkey_patched(const char *module) noexcept {
  return is_monkey_patched(module, std::strlen(module));
}
#if defined(__cpp_lib_string_view)
inline bool is_monkey_patched(std::string_view module) noexcept {
  return is_monkey_patched(module.data(), module.size());
}
#endif

namespace detail {
// register_patched_module() is called by each patched header's per-TU
// initializer with the module's name; returns true so it can initialise a
// variable.
bool register_patched_module(const char *module) noexcept;
} // namespace detail

} // namespace evy

// EVY_REGISTER_PATCHED_MODULE(name) marks the including TU as green for
// `name`: a static initializer runs when the TU is linked into the program.
#define EVY_REGISTER_PATCHED_MODULE_IMPL(name, tag)                                                \
  namespace {                                                                                      \
  __attribute__((unused)) const bool evy_patched_module_registered_##tag =                          \
      ::evy::detail::register_patched_module(name);                                                \
  }
#define EVY_REGISTER_PATCHED_MODULE(name, tag) EVY_REGISTER_PATCHED_MODULE_IMPL(name, tag)
