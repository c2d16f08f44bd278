// The runtime's own fds (each hub's epoll and eventfd, waitpid's pidfds)
// are invisible to user code: green calls treat them as not open, a green
// dup2/dup3 onto one first moves the runtime's file to another number, and
// green close_range skips them. They live high (F_DUPFD_CLOEXEC near the
// top of a capped RLIMIT_NOFILE) so that loops over low fds rarely meet them.
#pragma once

#include <atomic>
#include <mutex>
#include <vector>

namespace evy::detail {

// RuntimeFd owns one runtime fd whose number may change under it: code
// that makes a system call with it does so through use(), which a move
// waits for.
class RuntimeFd {
public:
  RuntimeFd() = default;
  RuntimeFd(const RuntimeFd &) = delete;
  RuntimeFd &operator=(const RuntimeFd &) = delete;
  ~RuntimeFd() { reset(); }

  // adopt() takes a fd the runtime just created (fd < 0: returns false):
  // moves it to the runtime's range, close-on-exec, hidden from green
  // calls. kick(arg), when given, ends a use() that blocks (epoll_wait).
  bool adopt(int fd, void (*kick)(void *) = nullptr, void *kick_arg = nullptr) noexcept;
  // reset() unhides and closes the fd.
  void reset() noexcept;
  // number() is the fd now; a call made with it may meet a moved fd.
  int number() const noexcept { return fd_.load(); }

  // use(f) calls f(fd) with a number that stays the runtime's file until
  // f returns.
  template <class F> auto use(F &&f) {
    const unsigned slot = epoch_.load() & 1u;
    users_[slot].fetch_add(1);
    struct Done {
      std::atomic<unsigned> &users;
      ~Done() { users.fetch_sub(1); }
    } done{users_[slot]};
    return f(fd_.load());
  }

private:
  friend bool move_runtime_fd_locked(int fd) noexcept;
  friend void runtime_fds_after_fork() noexcept;

  std::atomic<int> fd_{-1};
  // Two generations of users, as in a two-phase epoch scheme: a move
  // publishes the new number, flips the epoch and waits for the users of
  // the old one to leave.
  std::atomic<unsigned> epoch_{0};
  std::atomic<unsigned> users_[2] = {};
  void (*kick_)(void *) = nullptr;
  void *kick_arg_ = nullptr;
};

// is_runtime_fd() tells whether fd is one of the runtime's (lock-free).
bool is_runtime_fd(int fd) noexcept;

// RuntimeFdGuard keeps runtime fds from appearing or moving while a green
// close/dup2/close_range decides about a number and acts on it. It locks
// only when fd could be (or become) a runtime fd; ranges always lock.
class RuntimeFdGuard {
public:
  explicit RuntimeFdGuard(int fd) noexcept;
  RuntimeFdGuard() noexcept; // locks
  RuntimeFdGuard(const RuntimeFdGuard &) = delete;
  RuntimeFdGuard &operator=(const RuntimeFdGuard &) = delete;
  ~RuntimeFdGuard();

private:
  std::unique_lock<std::mutex> lock_;
};

// move_runtime_fd_locked() moves the runtime's file away from fd (under a
// RuntimeFdGuard): fd keeps a copy, no longer the runtime's, for the
// caller's dup2 to replace or for it to close. False (errno) on failure.
bool move_runtime_fd_locked(int fd) noexcept;
// runtime_fds_between_locked() lists the runtime fds in [first, last], sorted.
std::vector<int> runtime_fds_between_locked(unsigned first, unsigned last);
// runtime_fd_numbers() lists every runtime fd (for tests).
std::vector<int> runtime_fd_numbers();
// runtime_fds_after_fork() resets the registry in a forked child, whose
// other threads (and their locks and users) are gone.
void runtime_fds_after_fork() noexcept;

} // namespace evy::detail
