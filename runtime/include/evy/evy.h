// <evy/evy.h>: the runtime API for code that uses libevy directly.
#pragma once

#include <evy/blocking_detection.h>
#include <evy/deadline.h>
#include <evy/fd_wait.h>
#include <evy/monkey_patch.h>
#include <evy/sleep.h>
#include <evy/spawn.h>
#include <evy/stats.h>
#include <evy/timeout.h>
#include <evy/tpool.h>
#include <evy/waiter.h>
