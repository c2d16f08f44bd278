// The replacement header of the "stdio" module that rules-custom-module.test
// defines with --rules: it declares the green puts the rule maps to.
#pragma once
#include <stdio.h>

namespace evy::green {
inline int puts(const char *s) { return ::puts(s); }
} // namespace evy::green
