// Records of open file descriptions; see open_file.h.
#include "open_file.h"

#include <map>
#include <mutex>
#include <new>
#include <utility>

#include <linux/kcmp.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace evy::detail {
namespace {

struct Holder {
  int fd;
  OpenFile *file;
};
using Key = std::pair<dev_t, ino_t>;

SpinLock registry_guard;
std::multimap<Key, Holder> &registry() {
  static auto *map = new std::multimap<Key, Holder>; // outlives every thread
  return *map;
}

// same_description() asks the kernel whether fds a and b share one open
// file description; false when it cannot tell (no kcmp: ENOSYS, EPERM).
bool same_description(int a, int b) noexcept {
#if defined(SYS_kcmp)
  static const pid_t self = ::getpid(); // after fork, kcmp of the parent's pid fails: false
  return ::syscall(SYS_kcmp, self, self, KCMP_FILE, a, b) == 0;
#else
  (void)a;
  (void)b;
  return false;
#endif
}

void add_holder(OpenFile *file, int fd) {
  if (file->registered)
    registry().emplace(Key{file->dev, file->ino}, Holder{fd, file});
}

} // namespace

OpenFile *open_file_new(int fd, const struct stat *st, bool caller_nonblocking,
                        bool kernel_nonblocking) noexcept {
  auto *file = new (std::nothrow) OpenFile;
  if (file == nullptr)
    return nullptr;
  file->caller_nonblocking = caller_nonblocking;
  file->kernel_nonblocking = kernel_nonblocking;
  file->refs.store(1);
  if (st != nullptr) {
    file->registered = true;
    file->socket = S_ISSOCK(st->st_mode);
    file->dev = st->st_dev;
    file->ino = st->st_ino;
    std::lock_guard lock(registry_guard);
    add_holder(file, fd);
  }
  return file;
}

OpenFile *open_file_find(int fd, const struct stat &st) noexcept {
  std::lock_guard lock(registry_guard);
  auto [first, last] = registry().equal_range(Key{st.st_dev, st.st_ino});
  OpenFile *tried = nullptr; // the record the previous holder showed
  for (auto it = first; it != last; ++it) {
    OpenFile *file = it->second.file;
    if (file == tried)
      continue;
    tried = file;
    // A socket inode has one description; other inodes may have many.
    if (file->socket || same_description(fd, it->second.fd)) {
      file->refs.fetch_add(1);
      add_holder(file, fd);
      return file;
    }
  }
  return nullptr;
}

void open_file_share(OpenFile *file, int fd) noexcept {
  file->refs.fetch_add(1);
  std::lock_guard lock(registry_guard);
  add_holder(file, fd);
}

void open_file_release(OpenFile *file, int fd) noexcept {
  if (file == nullptr)
    return;
  if (file->registered) {
    std::lock_guard lock(registry_guard);
    auto [first, last] = registry().equal_range(Key{file->dev, file->ino});
    for (auto it = first; it != last; ++it)
      if (it->second.fd == fd && it->second.file == file) {
        registry().erase(it);
        break;
      }
  }
  if (file->refs.fetch_sub(1) == 1)
    delete file;
}

} // namespace evy::detail
