// Green pthread_create/join/detach/self/equal/yield.
//
// A green pthread_t is the fiber id of the green thread (never reused, so a
// stale handle gives ESRCH rather than another thread). A registry maps the
// ids of pthread_create'd fibers to their control blocks, which carry the
// start routine's result to pthread_join.
#include <evy/patched/detail/thread_native_handle.h>
#include <evy/patched/detail/thread_pthread.h>
#include <evy/sleep.h>
#include <evy/spawn.h>
#include <evy/spin_lock.h>

#include <cerrno>
#include <mutex>
#include <new>
#include <unordered_map>

namespace evy::green {
namespace {

// GreenPthread is the control block of one pthread_create'd green thread.
struct GreenPthread {
  GreenPthread(void *(*start_routine)(void *), void *start_arg) noexcept
      : routine(start_routine), arg(start_arg) {}

  void *(*routine)(void *);
  void *arg;
  void *result = nullptr;
  GreenThread fiber;
  bool detached = false; // the block frees itself when the routine returns
  bool finished = false; // the routine returned; result is set
  bool joining = false;  // a pthread_join is waiting for it
};

// Registry holds the blocks of the green pthreads nobody released yet.
class Registry {
public:
  // lock() guards the map and every block's flags.
  std::unique_lock<SpinLock> lock() noexcept { return std::unique_lock(guard_); }
  // find() returns the block of id, or nullptr (lock held).
  GreenPthread *find(FiberId id) noexcept {
    auto it = blocks_.find(id);
    return it == blocks_.end() ? nullptr : it->second;
  }
  // add() registers a block (lock held); false if memory ran out.
  bool add(FiberId id, GreenPthread *block) noexcept {
    try {
      blocks_.emplace(id, block);
      return true;
    } catch (const std::bad_alloc &) {
      return false;
    }
  }
  // remove() forgets a block (lock held).
  void remove(FiberId id) noexcept { blocks_.erase(id); }

private:
  SpinLock guard_;
  std::unordered_map<FiberId, GreenPthread *> blocks_;
};

Registry &registry() noexcept {
  // Never destroyed: a detached green pthread on another hub may still
  // finish (and erase itself) while the process runs its exit handlers.
  static Registry *instance = new Registry;
  return *instance;
}

// finish() records the result of a block's routine, on its own fiber.
void finish(FiberId id, GreenPthread *block, void *result) noexcept {
  bool release;
  {
    auto locked = registry().lock();
    block->result = result;
    block->finished = true;
    release = block->detached;
    if (release)
      registry().remove(id);
  }
  if (release)
    delete block; // its GreenThread was detached: nothing else refers to it
}

} // namespace

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start_routine)(void *),
                   void *arg) noexcept {
  int detach_state = PTHREAD_CREATE_JOINABLE;
  if (attr && ::pthread_attr_getdetachstate(attr, &detach_state) != 0)
    return EINVAL;
  auto *block = new (std::nothrow) GreenPthread(start_routine, arg);
  if (!block)
    return EAGAIN;
  // The fiber may start at once on another hub: spawn and register under
  // the registry lock, which its finish() (and a pthread_detach or
  // pthread_join of its id) must take, so none sees it unregistered.
  FiberId id;
  {
    auto locked = registry().lock();
    block->fiber = evy::spawn_thread([block] {
      const FiberId self = current_fiber_id();
      detail::handle_started();
      void *result = block->routine(block->arg);
      detail::handle_ended();
      finish(self, block, result);
    });
    id = block->fiber.id();
    detail::handle_created(id); // pthread_kill(thread, 0) etc. work at once
    if (!registry().add(id, block)) {
      // Nothing can refer to the thread yet: let it run on, unjoinable.
      block->detached = true;
      block->fiber.detach();
      return EAGAIN;
    }
    if (detach_state == PTHREAD_CREATE_DETACHED) {
      detail::handle_released(id);
      block->detached = true;
      block->fiber.detach();
    }
  }
  *thread = static_cast<pthread_t>(id);
  return 0;
}

int pthread_join(pthread_t thread, void **retval) {
  const auto id = static_cast<FiberId>(thread);
  if (id == current_fiber_id())
    return EDEADLK;
  GreenPthread *block;
  {
    auto locked = registry().lock();
    block = registry().find(id);
    if (!block)
      return ESRCH;
    if (block->detached || block->joining)
      return EINVAL;
    block->joining = true;
  }
  block->fiber.join(); // parks only this fiber, from any OS thread
  detail::handle_released(id);
  if (retval)
    *retval = block->result;
  {
    auto locked = registry().lock();
    registry().remove(id);
  }
  delete block;
  return 0;
}

int pthread_detach(pthread_t thread) noexcept {
  const auto id = static_cast<FiberId>(thread);
  GreenPthread *finished_block = nullptr;
  {
    auto locked = registry().lock();
    GreenPthread *block = registry().find(id);
    if (!block)
      return ESRCH;
    if (block->detached || block->joining)
      return EINVAL;
    block->detached = true;
    detail::handle_released(id);
    block->fiber.detach();
    if (block->finished) {
      registry().remove(id);
      finished_block = block;
    }
  }
  delete finished_block;
  return 0;
}

pthread_t pthread_self() noexcept { return static_cast<pthread_t>(current_fiber_id()); }

int pthread_equal(pthread_t t1, pthread_t t2) noexcept { return t1 == t2; }

int pthread_yield() noexcept {
  evy::yield();
  return 0;
}

} // namespace evy::green
