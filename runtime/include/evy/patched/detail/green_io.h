// The green wrappers' I/O helpers now live in the core, beside wait_fd():
// this name stays for the header-only wrappers and code that include it.
#pragma once

#include <evy/detail/green_io.h>
