#pragma once

#include <stdio.h>
#include <unistd.h>

inline void g() { sleep(1); }
