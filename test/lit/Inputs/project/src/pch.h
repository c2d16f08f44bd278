// A precompiled header, as gcc builds use it (-include src/pch.h, with a
// gcc pch.h.gch beside it that clang cannot read and must ignore).
#pragma once
#include <unistd.h>
