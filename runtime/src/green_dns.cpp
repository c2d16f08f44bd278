// Green DNS: the resolver calls run on evy::tpool, never on the hub.
// Calls that provably touch neither the network nor NSS (numeric hosts
// and services) are made inline: they cannot block, and a server that
// formats every peer address must not grow threads for it.
#include <evy/patched/socket.h>
#include <evy/tpool.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <arpa/inet.h>
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

// lookup_host() runs a *_r lookup, growing the buffer on ERANGE: on the
// pool, or right here when it cannot block (a numeric host).
template <class Lookup> struct hostent *lookup_host(Lookup lookup, bool here = false) {
  for (;;) {
    struct hostent *result = nullptr;
    int host_error = 0;
    auto attempt = [&] {
      return lookup(&host_buffer.entry, host_buffer.storage.data(), host_buffer.storage.size(),
                    &result, &host_error);
    };
    const int rc = here ? attempt() : on_pool(attempt);
    if (rc == ERANGE && host_buffer.storage.size() < (1u << 20)) {
      host_buffer.storage.resize(host_buffer.storage.size() * 2);
      continue;
    }
    if (result == nullptr)
      h_errno = host_error;
    return result;
  }
}

// is_address_literal() is true for a strict IPv4 dotted quad or an IPv6
// address without scope: glibc answers those without NSS. (Looser forms
// glibc also takes, like "127.1" or "fe80::1%eth0", go to the pool.)
bool is_address_literal(const char *name) noexcept {
  if (name == nullptr)
    return false;
  unsigned char address[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, name, address) == 1 || inet_pton(AF_INET6, name, address) == 1;
}

// is_port_number() is true for a service glibc reads as a number, with no
// /etc/services lookup: decimal digits only.
bool is_port_number(const char *service) noexcept {
  if (service == nullptr || *service == '\0')
    return false;
  return std::strspn(service, "0123456789") == std::strlen(service);
}

// resolves_locally() is true when getaddrinfo(node, service, hints) needs
// neither DNS nor NSS: the host is numeric (or must be: AI_NUMERICHOST
// fails a name with EAI_NONAME at once; no host means the wildcard or
// loopback address) and so is the service (or there is none).
bool resolves_locally(const char *node, const char *service,
                      const struct addrinfo *hints) noexcept {
  const int flags = hints != nullptr ? hints->ai_flags : 0;
  const bool service_local =
      service == nullptr || (flags & AI_NUMERICSERV) != 0 || is_port_number(service);
  if (!service_local)
    return false;
  if (node == nullptr || (flags & AI_NUMERICHOST) != 0)
    return true;
  // AI_CANONNAME may ask for a name: leave that to the pool.
  return (flags & AI_CANONNAME) == 0 && is_address_literal(node);
}
} // namespace

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                struct addrinfo **res) {
  if (resolves_locally(node, service, hints))
    return ::getaddrinfo(node, service, hints, res);
  return on_pool([&] { return ::getaddrinfo(node, service, hints, res); });
}

int getnameinfo(const struct sockaddr *addr, socklen_t addrlen, char *host, socklen_t hostlen,
                char *serv, socklen_t servlen, int flags) {
  // A part not asked for needs no lookup; a part asked for numerically
  // is formatted, never looked up.
  const bool host_local = host == nullptr || hostlen == 0 || (flags & NI_NUMERICHOST) != 0;
  const bool serv_local = serv == nullptr || servlen == 0 || (flags & NI_NUMERICSERV) != 0;
  if (host_local && serv_local)
    return ::getnameinfo(addr, addrlen, host, hostlen, serv, servlen, flags);
  return on_pool([&] { return ::getnameinfo(addr, addrlen, host, hostlen, serv, servlen, flags); });
}

int gethostbyname_r(const char *name, struct hostent *ret, char *buf, size_t buflen,
                    struct hostent **result, int *h_errnop) {
  if (is_address_literal(name))
    return ::gethostbyname_r(name, ret, buf, buflen, result, h_errnop);
  return on_pool([&] { return ::gethostbyname_r(name, ret, buf, buflen, result, h_errnop); });
}

struct hostent *gethostbyname(const char *name) {
  return lookup_host(
      [&](struct hostent *entry, char *buf, size_t size, struct hostent **result, int *error) {
        return ::gethostbyname_r(name, entry, buf, size, result, error);
      },
      is_address_literal(name));
}

struct hostent *gethostbyaddr(const void *addr, socklen_t len, int type) {
  return lookup_host(
      [&](struct hostent *entry, char *buf, size_t size, struct hostent **result, int *error) {
        return ::gethostbyaddr_r(addr, len, type, entry, buf, size, result, error);
      });
}

} // namespace evy::green
