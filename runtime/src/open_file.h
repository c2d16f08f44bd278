// The caller's view of O_NONBLOCK, kept per open file description.
//
// O_NONBLOCK belongs to the open file description, which dup, dup2, dup3
// and F_DUPFD share between fd numbers: F_SETFL on one is seen by all. The
// runtime forces O_NONBLOCK on the description of every socket and stream
// it waits on, so the kernel cannot say what the caller asked for; an
// OpenFile record says it, and every fd of one description points to the
// same record. Green dups share the source's record. An fd adopted any
// other way (a plain dup, an inherited fd) finds the record of its
// description, if one exists, by (st_dev, st_ino): a socket's inode has
// exactly one description, so that match is exact; other inodes (pipes,
// FIFOs, and the single anonymous inode of every eventfd/timerfd) are
// confirmed with kcmp(KCMP_FILE), and without kcmp are not shared.
#pragma once

#include <evy/spin_lock.h>

#include <atomic>

#include <sys/stat.h>

namespace evy::detail {

struct OpenFile {
  // Both flags change together under `guard`, with the kernel's F_SETFL;
  // I/O calls on any of the fds read them without it.
  SpinLock guard;
  std::atomic<bool> caller_nonblocking{false}; // the caller's own O_NONBLOCK
  std::atomic<bool> kernel_nonblocking{false}; // O_NONBLOCK as set in the kernel
  std::atomic<int> refs{0};
  bool registered = false; // findable by (dev, ino)
  bool socket = false;
  dev_t dev = 0;
  ino_t ino = 0;
};

// open_file_new() makes the record of a new description that fd refers
// to, held by fd; with st, it is registered so other fds can find it.
OpenFile *open_file_new(int fd, const struct stat *st, bool caller_nonblocking,
                        bool kernel_nonblocking) noexcept;
// open_file_find() finds the registered record of the description fd
// (whose fstat is st) refers to, and makes fd a holder of it; or nullptr.
OpenFile *open_file_find(int fd, const struct stat &st) noexcept;
// open_file_share() makes fd another holder of file (a green dup).
void open_file_share(OpenFile *file, int fd) noexcept;
// open_file_release() ends fd's hold; the last one frees the record.
void open_file_release(OpenFile *file, int fd) noexcept;

} // namespace evy::detail
