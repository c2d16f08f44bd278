// Green DNS: the resolver calls run on evy::tpool, never on the hub.
#include <evy/patched/socket.h>
#include <evy/tpool.h>

#include <cerrno>
#include <vector>

#include <netdb.h>

namespace evy::green {
namespace {
// on_pool() runs f on the pool and carries errno back (EAI_SYSTEM needs it).
template <class F> auto on_pool(F f) {
  int error = 0;
  auto result = evy::tpool::execute([&] {
    auto r = f();
    error = errno;
    return r;
  });
  errno = error;
  return result;
}

// The original gethostbyname/gethostbyaddr return a static buffer; ours
// is per OS thread (overwritten by this thread's next call, as before).
struct HostBuffer {
  struct hostent entry {};
  std::vector<char> storage = std::vector<char>(1024);
};
thread_local HostBuffer host_buffer;

// lookup_host() runs a *_r lookup on the pool, growing the buffer on ERANGE.
template <class Lookup> struct hostent *lookup_host(Lookup lookup) {
  for (;;) {
    struct hostent *result = nullptr;
    int host_error = 0;
    const int rc = on_pool([&] {
      return lookup(&host_buffer.entry, host_buffer.storage.data(), host_buffer.storage.size(),
                    &result, &host_error);
    });
    if (rc == ERANGE && host_buffer.storage.size() < (1u << 20)) {
      host_buffer.storage.resize(host_buffer.storage.size() * 2);
      continue;
    }
    if (result == nullptr)
      h_errno = host_error;
    return result;
  }
}
} // namespace

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                struct addrinfo **res) {
  return on_pool([&] { return ::getaddrinfo(node, service, hints, res); });
}

int getnameinfo(const struct sockaddr *addr, socklen_t addrlen, char *host, socklen_t hostlen,
                char *serv, socklen_t servlen, int flags) {
  return on_pool([&] { return ::getnameinfo(addr, addrlen, host, hostlen, serv, servlen, flags); });
}

int gethostbyname_r(const char *name, struct hostent *ret, char *buf, size_t buflen,
                    struct hostent **result, int *h_errnop) {
  return on_pool([&] { return ::gethostbyname_r(name, ret, buf, buflen, result, h_errnop); });
}

struct hostent *gethostbyname(const char *name) {
  return lookup_host(
      [&](struct hostent *entry, char *buf, size_t size, struct hostent **result, int *error) {
        return ::gethostbyname_r(name, entry, buf, size, result, error);
      });
}

struct hostent *gethostbyaddr(const void *addr, socklen_t len, int type) {
  return lookup_host(
      [&](struct hostent *entry, char *buf, size_t size, struct hostent **result, int *error) {
        return ::gethostbyaddr_r(addr, len, type, entry, buf, size, result, error);
      });
}

} // namespace evy::green
