// The runtime's internal classes, as the public headers name them (by
// pointer only). Inside libevy they are hidden, and a class's visibility
// must be the same at every declaration (clang checks it; libevy's build
// reads these first, under visibility push(default)): so the runtime's
// build declares them hidden here too. Programs see plain declarations.
// C++11 (public headers use it).
#pragma once

#if defined(EVY_BUILDING_RUNTIME)
#define EVY_DETAIL_HIDDEN __attribute__((visibility("hidden")))
#else
#define EVY_DETAIL_HIDDEN
#endif

namespace evy {
namespace detail {
class EVY_DETAIL_HIDDEN Fiber;
class EVY_DETAIL_HIDDEN Hub;
} // namespace detail
} // namespace evy
