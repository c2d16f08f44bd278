// <evy/patched/thread.h>: green threads and synchronisation (the thread
// module, which covers eventlet's thread, threading and queue): std::thread
// and the std synchronisation types with the same interfaces, this_thread,
// pthreads and POSIX semaphores, in namespace evy::green.
//
// Green threads are fibers on the hub of the OS thread that creates them.
// The primitives park fibers through evy::Waiter, so they stay correct when
// real OS threads (evy::tpool, unrewritten library threads) use them too.
// Every primitive is a SpinLock-guarded state plus WaitQueues of parked
// fibers, constant-initialisable like its std peer. docs/thread.md has the
// semantics and limits.
#pragma once

#include <evy/monkey_patch.h>
#include <evy/sleep.h> // this_thread::sleep_for, sleep_until (time module)

#include <evy/patched/detail/thread_async.h>
#include <evy/patched/detail/thread_atomic_wait.h>
#include <evy/patched/detail/thread_barrier.h>
#include <evy/patched/detail/thread_call_once.h>
#include <evy/patched/detail/thread_condition_variable.h>
#include <evy/patched/detail/thread_future.h>
#include <evy/patched/detail/thread_latch.h>
#include <evy/patched/detail/thread_mutex.h>
#include <evy/patched/detail/thread_native_handle.h>
#include <evy/patched/detail/thread_pthread.h>
#include <evy/patched/detail/thread_semaphore.h>
#include <evy/patched/detail/thread_shared_mutex.h>
#include <evy/patched/detail/thread_thread.h>

#include <mutex>        // std::lock_guard, std::unique_lock, std::scoped_lock for users
#include <shared_mutex> // std::shared_lock

EVY_REGISTER_PATCHED_MODULE("thread", thread)
