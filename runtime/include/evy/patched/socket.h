// <evy/patched/socket.h>: green sockets, fcntl, close and DNS.
//
// Blocking calls wait as a fiber on the hub's epoll. What the caller sees is
// the original's: return values and errno, its own O_NONBLOCK (EAGAIN at
// once; fcntl(F_GETFL) shows the caller's flag although the runtime keeps
// the fd non-blocking internally), SO_RCVTIMEO/SO_SNDTIMEO, non-blocking
// connect, and no EINTR the original would not report. close() wakes fibers
// waiting on the fd with -1/EBADF. DNS runs on evy::tpool, except numeric
// lookups, which cannot block and are answered inline.
// Including this header also patches ssl (socket implies ssl).
#pragma once

#include <evy/monkey_patch.h>

#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#if __has_include(<openssl/ssl.h>)
#include <evy/patched/ssl.h>
#endif

namespace evy {
namespace green {

// socket() is ::socket; the fd is non-blocking inside, blocking as seen.
int socket(int domain, int type, int protocol) noexcept;
// socketpair() is ::socketpair, both ends managed like socket()'s.
int socketpair(int domain, int type, int protocol, int sv[2]) noexcept;
// accept() is ::accept; the fiber waits for a connection.
int accept(int sockfd, struct sockaddr *addr, socklen_t *addrlen);
// accept4() is ::accept4; SOCK_NONBLOCK sets the caller's view of the new fd.
int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);
// connect() is ::connect; a blocking caller waits as a fiber (SO_SNDTIMEO honoured).
int connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen);
// recv() is ::recv; waits as a fiber (SO_RCVTIMEO, MSG_DONTWAIT honoured).
ssize_t recv(int sockfd, void *buf, size_t len, int flags);
// recvfrom() is ::recvfrom; waits as a fiber.
ssize_t recvfrom(int sockfd, void *buf, size_t len, int flags, struct sockaddr *src_addr,
                 socklen_t *addrlen);
// recvmsg() is ::recvmsg; waits as a fiber.
ssize_t recvmsg(int sockfd, struct msghdr *msg, int flags);
// send() is ::send; waits for room as a fiber (SO_SNDTIMEO honoured).
ssize_t send(int sockfd, const void *buf, size_t len, int flags);
// sendto() is ::sendto; waits for room as a fiber.
ssize_t sendto(int sockfd, const void *buf, size_t len, int flags, const struct sockaddr *dest_addr,
               socklen_t addrlen);
// sendmsg() is ::sendmsg; waits for room as a fiber.
ssize_t sendmsg(int sockfd, const struct msghdr *msg, int flags);
// close() is ::close; fibers waiting on fd wake with -1/EBADF.
int close(int fd);
// shutdown() is ::shutdown; waiting readers then see end-of-file as usual.
int shutdown(int sockfd, int how) noexcept;
// fcntl() is ::fcntl; F_GETFL/F_SETFL read and write the caller's O_NONBLOCK.
int fcntl(int fd, int cmd, ...);
// setsockopt() is ::setsockopt; SO_RCVTIMEO/SO_SNDTIMEO also bound green waits.
int setsockopt(int sockfd, int level, int optname, const void *optval, socklen_t optlen) noexcept;
// getsockopt() is ::getsockopt.
int getsockopt(int sockfd, int level, int optname, void *optval, socklen_t *optlen) noexcept;
// getaddrinfo() is ::getaddrinfo run on evy::tpool while the fiber waits
// (inline when host and service are numeric or absent).
int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                struct addrinfo **res);
// getnameinfo() is ::getnameinfo run on evy::tpool while the fiber waits
// (inline with NI_NUMERICHOST|NI_NUMERICSERV for the parts asked for).
int getnameinfo(const struct sockaddr *addr, socklen_t addrlen, char *host, socklen_t hostlen,
                char *serv, socklen_t servlen, int flags);
// gethostbyname() runs on evy::tpool (inline for an address literal); the result is in this OS thread's
// static buffer (like the original's, overwritten by the next call).
struct hostent *gethostbyname(const char *name);
// gethostbyname_r() is ::gethostbyname_r run on evy::tpool.
int gethostbyname_r(const char *name, struct hostent *ret, char *buf, size_t buflen,
                    struct hostent **result, int *h_errnop);
// gethostbyaddr() runs on evy::tpool; result buffer as gethostbyname()'s.
struct hostent *gethostbyaddr(const void *addr, socklen_t len, int type);

} // namespace green
} // namespace evy

EVY_REGISTER_PATCHED_MODULE("socket", socket)
// socket implies ssl even where the OpenSSL headers are absent.
EVY_REGISTER_PATCHED_MODULE("ssl", socket_ssl)
