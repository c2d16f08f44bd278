// Green socket: creation, accept/connect, send/recv, close, fcntl, options.
#include "blocking_call.h"

#include <evy/patched/socket.h>

#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstdint>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace evy::green {

using detail::BlockingCall;
using detail::Direction;
using detail::FdKind;

namespace {
// A receive with these flags only (or none) reads as a plain one does.
constexpr int kPlainReceiveFlags = MSG_DONTWAIT | MSG_NOSIGNAL | MSG_CMSG_CLOEXEC;

// plain_receive_size() is len for a plain receive (see BlockingCall::run),
// 0 for one whose flags change what it reads (MSG_PEEK, MSG_OOB...).
std::size_t plain_receive_size(size_t len, int flags) noexcept {
  return (flags & ~kPlainReceiveFlags) == 0 ? len : 0;
}

detail::ShortRead short_read_of(int domain, int type, int protocol) noexcept {
  const bool tcp = (domain == AF_INET || domain == AF_INET6) &&
                   (type & 0xf) == SOCK_STREAM && (protocol == 0 || protocol == IPPROTO_TCP);
  return tcp ? detail::ShortRead::empties : detail::ShortRead::says_nothing;
}
} // namespace

int socket(int domain, int type, int protocol) noexcept {
  const int fd = ::socket(domain, type | SOCK_NONBLOCK, protocol);
  if (fd >= 0)
    detail::note_new_fd(fd, FdKind::socket, (type & SOCK_NONBLOCK) != 0,
                        short_read_of(domain, type, protocol));
  return fd;
}

int socketpair(int domain, int type, int protocol, int sv[2]) noexcept {
  const int result = ::socketpair(domain, type | SOCK_NONBLOCK, protocol, sv);
  if (result == 0) {
    const bool caller_nonblocking = (type & SOCK_NONBLOCK) != 0;
    detail::note_new_fd(sv[0], FdKind::socket, caller_nonblocking, detail::ShortRead::says_nothing);
    detail::note_new_fd(sv[1], FdKind::socket, caller_nonblocking, detail::ShortRead::says_nothing);
  }
  return result;
}

int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags) {
  BlockingCall call(sockfd, Direction::receive);
  const ssize_t fd = call.run([&] {
    return static_cast<ssize_t>(::accept4(sockfd, addr, addrlen, flags | SOCK_NONBLOCK));
  });
  if (fd >= 0) // a connection is what its listener is: TCP or not
    detail::note_new_fd(static_cast<int>(fd), FdKind::socket, (flags & SOCK_NONBLOCK) != 0,
                        detail::short_read_of(sockfd));
  return static_cast<int>(fd);
}

int accept(int sockfd, struct sockaddr *addr, socklen_t *addrlen) {
  return evy::green::accept4(sockfd, addr, addrlen, 0);
}

int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen) {
  if (detail::hidden_runtime_fd(sockfd))
    return -1;
  BlockingCall call(sockfd, Direction::send); // SO_SNDTIMEO bounds connect
  const detail::IoPlan plan = call.prepare();
  if (plan.kind != FdKind::socket || plan.caller_nonblocking)
    return ::connect(sockfd, addr, addrlen);
  for (;;) {
    if (::connect(sockfd, addr, addrlen) == 0)
      return 0;
    if (errno == EAGAIN) {
      // A UNIX socket whose listener's backlog is full: wait for room, retry.
      if (!call.wait())
        return -1;
      continue;
    }
    if (errno != EINPROGRESS)
      return -1;
    break;
  }
  // Wait, then connect again, as the blocking call does after its wait:
  // that reports the outcome (0, or the error) and moves the socket to
  // "connected", so a later connect says EISCONN and a failed socket is
  // left as the original leaves it. EALREADY: still in progress.
  for (;;) {
    if (!call.wait()) {
      // SO_SNDTIMEO expired: a blocking connect reports EINPROGRESS then.
      if (errno == EAGAIN)
        errno = EINPROGRESS;
      return -1;
    }
    if (::connect(sockfd, addr, addrlen) == 0 || errno == EISCONN)
      return 0;
    if (errno != EALREADY)
      return -1;
  }
}

ssize_t recv(int sockfd, void *buf, size_t len, int flags) {
  BlockingCall call(sockfd, Direction::receive);
  const bool dont_wait = (flags & MSG_DONTWAIT) != 0;
  if (flags & MSG_WAITALL) {
    char *bytes = static_cast<char *>(buf);
    return detail::transfer_all(call, len, dont_wait, [&](std::size_t done) {
      return ::recv(sockfd, bytes + done, len - done, flags);
    });
  }
  return call.run([&] { return ::recv(sockfd, buf, len, flags); }, dont_wait,
                  plain_receive_size(len, flags));
}

ssize_t recvfrom(int sockfd, void *buf, size_t len, int flags, struct sockaddr *src_addr,
                 socklen_t *addrlen) {
  BlockingCall call(sockfd, Direction::receive);
  const bool dont_wait = (flags & MSG_DONTWAIT) != 0;
  if (flags & MSG_WAITALL) {
    char *bytes = static_cast<char *>(buf);
    return detail::transfer_all(call, len, dont_wait, [&](std::size_t done) {
      return ::recvfrom(sockfd, bytes + done, len - done, flags, src_addr, addrlen);
    });
  }
  return call.run([&] { return ::recvfrom(sockfd, buf, len, flags, src_addr, addrlen); },
                  dont_wait, plain_receive_size(len, flags));
}

ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags) {
  BlockingCall call(sockfd, Direction::receive);
  const bool dont_wait = (flags & MSG_DONTWAIT) != 0;
  // msg_iovlen the kernel refuses (EMSGSIZE) must not be walked.
  if (!(flags & MSG_WAITALL) || msg == nullptr || msg->msg_iovlen > IOV_MAX)
    return call.run([&] { return ::recvmsg(sockfd, msg, flags); }, dont_wait);
  // MSG_WAITALL: keep filling the rest of the iovecs; ancillary data and
  // flags come with the first piece only.
  detail::IovCursor cursor(msg->msg_iov, static_cast<int>(msg->msg_iovlen));
  struct msghdr first = *msg;
  bool first_done = false;
  const ssize_t total =
      detail::transfer_all(call, cursor.total(), dont_wait, [&](std::size_t done) {
        struct msghdr part = first_done ? first : *msg;
        int count;
        part.msg_iov = cursor.at(done, count);
        part.msg_iovlen = static_cast<std::size_t>(count);
        if (first_done) {
          part.msg_control = nullptr;
          part.msg_controllen = 0;
        }
        const ssize_t n = ::recvmsg(sockfd, &part, flags);
        if (n >= 0 && !first_done) {
          first_done = true;
          msg->msg_namelen = part.msg_namelen;
          msg->msg_controllen = part.msg_controllen;
          msg->msg_flags = part.msg_flags;
          first.msg_name = nullptr;
          first.msg_namelen = 0;
        }
        return n;
      });
  return total;
}

ssize_t send(int sockfd, const void *buf, size_t len, int flags) {
  BlockingCall call(sockfd, Direction::send);
  const char *bytes = static_cast<const char *>(buf);
  return detail::transfer_all(call, len, (flags & MSG_DONTWAIT) != 0, [&](std::size_t done) {
    return ::send(sockfd, bytes + done, len - done, flags);
  });
}

ssize_t sendto(int sockfd, const void *buf, size_t len, int flags, const struct sockaddr *dest_addr,
               socklen_t addrlen) {
  BlockingCall call(sockfd, Direction::send);
  const char *bytes = static_cast<const char *>(buf);
  return detail::transfer_all(call, len, (flags & MSG_DONTWAIT) != 0, [&](std::size_t done) {
    return ::sendto(sockfd, bytes + done, len - done, flags, dest_addr, addrlen);
  });
}

ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags) {
  BlockingCall call(sockfd, Direction::send);
  const bool dont_wait = (flags & MSG_DONTWAIT) != 0;
  if (msg == nullptr || msg->msg_iovlen > IOV_MAX) // the kernel says EFAULT/EMSGSIZE
    return call.run([&] { return ::sendmsg(sockfd, msg, flags); }, dont_wait);
  detail::IovCursor cursor(msg->msg_iov, static_cast<int>(msg->msg_iovlen));
  if (cursor.total() == 0)
    return call.run([&] { return ::sendmsg(sockfd, msg, flags); }, dont_wait);
  return detail::transfer_all(call, cursor.total(), dont_wait, [&](std::size_t done) {
    struct msghdr part = *msg;
    int count;
    part.msg_iov = cursor.at(done, count);
    part.msg_iovlen = static_cast<std::size_t>(count);
    if (done > 0) { // ancillary data (SCM_RIGHTS...) went with the first piece
      part.msg_control = nullptr;
      part.msg_controllen = 0;
    }
    return ::sendmsg(sockfd, &part, flags);
  });
}

int close(int fd) {
  detail::RuntimeFdGuard guard(fd); // no runtime fd appears at fd meanwhile
  if (detail::hidden_runtime_fd(fd))
    return -1;
  detail::note_closing(fd);
  return ::close(fd);
}

int shutdown(int sockfd, int how) noexcept {
  if (detail::hidden_runtime_fd(sockfd))
    return -1;
  // Waiting readers wake by themselves: the fd turns readable (end of file).
  return ::shutdown(sockfd, how);
}

int fcntl(int fd, int cmd, ...) {
  // Like glibc's own wrapper: the optional argument is read as a pointer,
  // which also carries an int or a long on the supported ABIs.
  va_list args;
  va_start(args, cmd);
  void *argument = va_arg(args, void *);
  va_end(args);
  const int as_int = static_cast<int>(reinterpret_cast<std::intptr_t>(argument));
  if (detail::hidden_runtime_fd(fd))
    return -1;
  switch (cmd) {
  case F_GETFL:
    return detail::caller_view_of_flags(fd, ::fcntl(fd, F_GETFL));
  case F_SETFL:
    return detail::set_caller_flags(fd, as_int);
  case F_DUPFD:
  case F_DUPFD_CLOEXEC: {
    const int copy = ::fcntl(fd, cmd, as_int);
    if (copy >= 0)
      detail::copy_fd_view(fd, copy);
    return copy;
  }
  default:
    return ::fcntl(fd, cmd, argument);
  }
}

int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen) noexcept {
  if (detail::hidden_runtime_fd(sockfd))
    return -1;
  const int result = ::setsockopt(sockfd, level, optname, optval, optlen);
  if (result == 0 && level == SOL_SOCKET)
    detail::forget_socket_timeouts(sockfd); // SO_RCVTIMEO/SO_SNDTIMEO may have changed
  if (result == 0 && level == IPPROTO_TCP && optname == TCP_ULP)
    detail::note_upper_layer(sockfd);
  return result;
}

int getsockopt(int sockfd, int level, int optname, void *optval, socklen_t *optlen) noexcept {
  if (detail::hidden_runtime_fd(sockfd))
    return -1;
  return ::getsockopt(sockfd, level, optname, optval, optlen);
}

} // namespace evy::green
