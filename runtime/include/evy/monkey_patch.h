// is_monkey_patched(): which green modules the program was built with.
#pragma once

#include <string_view>

namespace evy {

// is_monkey_patched() tells whether any translation unit linked into the
// program includes <evy/patched/MODULE.h> for this module. Modules: "os",
// "select", "socket", "ssl", "thread", "time", "psycopg"; member names answer
// too: "ssl" when socket is patched, "threading" and "queue" when thread is.
bool is_monkey_patched(std::string_view module) noexcept;

namespace detail {
// register_patched_module() is called by each patched header's per-TU
// initializer; returns true so it can initialise a variable.
bool register_patched_module(std::string_view module) noexcept;
} // namespace detail

} // namespace evy

// EVY_REGISTER_PATCHED_MODULE(name) marks the including TU as green for
// `name`: a static initializer runs when the TU is linked into the program.
#define EVY_REGISTER_PATCHED_MODULE_IMPL(name, tag)                                                \
  namespace {                                                                                      \
  [[maybe_unused]] const bool evy_patched_module_registered_##tag =                                \
      ::evy::detail::register_patched_module(name);                                                \
  }
#define EVY_REGISTER_PATCHED_MODULE(name, tag) EVY_REGISTER_PATCHED_MODULE_IMPL(name, tag)
