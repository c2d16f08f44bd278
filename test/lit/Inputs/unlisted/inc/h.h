// Not in the database: parsed with main.cpp's command (borrowed).
#pragma once
#include <unistd.h>
#ifndef EVY_FROM_RSP
#error "no command was borrowed for this header"
#endif

inline void nap() { usleep(10); }
