// The registry of the runtime's own fds; see runtime_fd.h.
#include "runtime_fd.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <map>
#include <new>
#include <thread>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

namespace evy::detail {
namespace {

// A bit per fd number, in lazily made chunks: is_runtime_fd() is on every
// green I/O call and takes no lock.
constexpr int kBitsPerChunk = 4096;
constexpr int kChunks = 4096; // fds below 16M
using Chunk = std::atomic<std::uint64_t>[kBitsPerChunk / 64];
std::atomic<Chunk *> chunks[kChunks];

std::atomic<std::uint64_t> *bit_word(int fd, bool create) noexcept {
  if (fd < 0 || fd / kBitsPerChunk >= kChunks)
    return nullptr;
  std::atomic<Chunk *> &slot = chunks[fd / kBitsPerChunk];
  Chunk *chunk = slot.load(std::memory_order_acquire);
  if (chunk == nullptr && create) {
    Chunk *fresh = new (std::nothrow) Chunk[1]();
    if (fresh == nullptr)
      return nullptr;
    if (slot.compare_exchange_strong(chunk, fresh, std::memory_order_acq_rel))
      chunk = fresh;
    else
      delete[] fresh;
  }
  return chunk == nullptr ? nullptr : &(*chunk)[(fd % kBitsPerChunk) / 64];
}

std::mutex &registry_mutex() {
  static auto *mutex = new std::mutex; // used until the last thread exits
  return *mutex;
}
std::map<int, RuntimeFd *> &owners() {
  static auto *map = new std::map<int, RuntimeFd *>;
  return *map;
}
// The lowest number ever hidden: below it, green calls need no lock.
std::atomic<int> lowest_hidden{INT_MAX};

void hide(int fd, RuntimeFd *owner) {
  owners()[fd] = owner;
  if (std::atomic<std::uint64_t> *word = bit_word(fd, true))
    word->fetch_or(std::uint64_t{1} << (fd % 64));
  int lowest = lowest_hidden.load();
  while (fd < lowest && !lowest_hidden.compare_exchange_weak(lowest, fd)) {
  }
}

void unhide(int fd) {
  owners().erase(fd);
  if (std::atomic<std::uint64_t> *word = bit_word(fd, false))
    word->fetch_and(~(std::uint64_t{1} << (fd % 64)));
}

// base() is where runtime fds go: below RLIMIT_NOFILE, capped at 4096 so
// that the kernel's fd table stays small, with room for a hundred.
int base() noexcept {
  static const int value = [] {
    rlimit limit{};
    rlim_t top = 4096;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
      top = std::min<rlim_t>(limit.rlim_cur, top);
    const rlim_t room = std::min<rlim_t>(128, top / 4);
    return static_cast<int>(std::max<rlim_t>(3, top - room));
  }();
  return value;
}

// duplicate_high() is a close-on-exec copy of fd in the runtime's range,
// or anywhere when that range is full.
int duplicate_high(int fd) noexcept {
  const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, base());
  return copy >= 0 ? copy : ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
}
} // namespace

bool RuntimeFd::adopt(int fd, void (*kick)(void *), void *kick_arg) noexcept {
  if (fd < 0)
    return false;
  kick_ = kick;
  kick_arg_ = kick_arg;
  std::lock_guard lock(registry_mutex());
  int high = duplicate_high(fd);
  if (high >= 0)
    ::close(fd);
  else
    high = fd; // no room anywhere: keep it where it is, hidden all the same
  (void)::fcntl(high, F_SETFD, FD_CLOEXEC);
  fd_.store(high);
  hide(high, this);
  return true;
}

void RuntimeFd::reset() noexcept {
  const int fd = fd_.load();
  if (fd < 0)
    return;
  std::lock_guard lock(registry_mutex());
  unhide(fd_.load());
  ::close(fd_.exchange(-1));
}

bool is_runtime_fd(int fd) noexcept {
  if (fd < lowest_hidden.load(std::memory_order_relaxed))
    return false;
  const std::atomic<std::uint64_t> *word = bit_word(fd, false);
  return word != nullptr && (word->load() >> (fd % 64)) & 1u;
}

RuntimeFdGuard::RuntimeFdGuard(int fd) noexcept
    : lock_(registry_mutex(), std::defer_lock) {
  // A number below base() is never given to the runtime while its fds fit
  // there; lowest_hidden says whether one ever went lower.
  if (fd >= std::min(base(), lowest_hidden.load()))
    lock_.lock();
}

RuntimeFdGuard::RuntimeFdGuard() noexcept : lock_(registry_mutex()) {}

RuntimeFdGuard::~RuntimeFdGuard() = default;

bool move_runtime_fd_locked(int fd) noexcept {
  auto found = owners().find(fd);
  if (found == owners().end())
    return true;
  RuntimeFd &owner = *found->second;
  const int moved = duplicate_high(fd);
  if (moved < 0)
    return false;
  hide(moved, &owner);
  owner.fd_.store(moved);
  const unsigned old_slot = owner.epoch_.fetch_add(1) & 1u;
  // Users that read the old number leave soon; a blocked one is kicked.
  for (int round = 0; owner.users_[old_slot].load() != 0; ++round) {
    if (owner.kick_ != nullptr && round % 64 == 0)
      owner.kick_(owner.kick_arg_);
    std::this_thread::yield();
  }
  unhide(fd);
  return true;
}

std::vector<int> runtime_fds_between_locked(unsigned first, unsigned last) {
  std::vector<int> found;
  for (auto it = owners().lower_bound(first > INT_MAX ? INT_MAX : static_cast<int>(first));
       it != owners().end() && static_cast<unsigned>(it->first) <= last; ++it)
    found.push_back(it->first);
  return found;
}

std::vector<int> runtime_fd_numbers() {
  std::lock_guard lock(registry_mutex());
  return runtime_fds_between_locked(0, UINT_MAX);
}

void runtime_fds_after_fork() noexcept {
  new (&registry_mutex()) std::mutex();
  for (auto &[fd, owner] : owners()) {
    owner->users_[0].store(0);
    owner->users_[1].store(0);
  }
}

} // namespace evy::detail
