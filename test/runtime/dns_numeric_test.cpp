// Numeric name lookups (address literals, numeric services, NI_NUMERIC*)
// cannot block: green DNS answers them inline, exactly as the originals,
// and never starts a pool thread for them. Its own program, so that no
// other test has started the pool.
#include "runtime_test.h"

#include <evy/patched/socket.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace evy::test {
namespace {

// on_real_thread() runs the original call where nothing is green.
template <class F> auto on_real_thread(F f) {
  decltype(f()) result{};
  std::thread([&] { result = f(); }).join();
  return result;
}

// describe() renders a getaddrinfo outcome for comparison.
std::string describe(int rc, addrinfo *list) {
  std::ostringstream text;
  text << "rc=" << rc;
  if (rc == EAI_SYSTEM)
    text << " errno=" << errno;
  for (addrinfo *a = rc == 0 ? list : nullptr; a != nullptr; a = a->ai_next) {
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    if (a->ai_family == AF_INET) {
      auto *in = reinterpret_cast<sockaddr_in *>(a->ai_addr);
      inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
      port = ntohs(in->sin_port);
    } else if (a->ai_family == AF_INET6) {
      auto *in6 = reinterpret_cast<sockaddr_in6 *>(a->ai_addr);
      inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
      port = ntohs(in6->sin6_port);
    }
    text << " [" << a->ai_flags << ' ' << a->ai_family << ' ' << a->ai_socktype << ' '
         << a->ai_protocol << ' ' << host << ':' << port << ' '
         << (a->ai_canonname ? a->ai_canonname : "-") << ']';
  }
  if (rc == 0)
    freeaddrinfo(list);
  return text.str();
}

struct AddrinfoCase {
  const char *node;
  const char *service;
  int flags;
  int family;
  int socktype;
};

const AddrinfoCase kAddrinfoCases[] = {
    {"127.0.0.1", "80", 0, AF_UNSPEC, SOCK_STREAM},
    {"127.0.0.1", nullptr, 0, AF_INET, 0},
    {"::1", "8080", 0, AF_UNSPEC, SOCK_DGRAM},
    {"2001:db8::5", "0", AI_NUMERICHOST | AI_NUMERICSERV, AF_INET6, SOCK_STREAM},
    {"10.1.2.3", "443", AI_NUMERICHOST, AF_INET6, SOCK_STREAM},  // family mismatch
    {"10.1.2.3", "443", AI_V4MAPPED, AF_INET6, SOCK_STREAM},      // mapped or not
    {"localhost", "80", AI_NUMERICHOST, AF_UNSPEC, SOCK_STREAM}, // EAI_NONAME
    {"example.invalid", nullptr, AI_NUMERICHOST, AF_INET, 0},    // EAI_NONAME
    {"127.0.0.1", "http", AI_NUMERICSERV, AF_INET, SOCK_STREAM}, // EAI_NONAME
    {nullptr, "8080", AI_PASSIVE, AF_UNSPEC, SOCK_STREAM},       // wildcard
    {nullptr, "8080", 0, AF_INET, SOCK_STREAM},                  // loopback
    {nullptr, nullptr, 0, AF_UNSPEC, 0},                         // EAI_NONAME
    {"127.0.0.1", "99999", 0, AF_INET, SOCK_STREAM},             // out of range
    {"127.0.0.1", "80", 0, AF_INET, SOCK_RAW},                   // socktype
    {"1.2.3.4", "80", 0, 12345, 0},                              // EAI_FAMILY
    {"1.2.3.4", "80", 0x40000, AF_INET, 0},                      // EAI_BADFLAGS
    {"1.2.3.4", "80", AI_ADDRCONFIG, AF_UNSPEC, SOCK_STREAM},
};

TEST(DnsNumericTest, GetaddrinfoOfNumericInputsAnswersAsTheOriginal) {
  for (const AddrinfoCase &c : kAddrinfoCases) {
    addrinfo hints{};
    hints.ai_flags = c.flags;
    hints.ai_family = c.family;
    hints.ai_socktype = c.socktype;
    const std::string original = on_real_thread([&] {
      addrinfo *list = nullptr;
      const int rc = ::getaddrinfo(c.node, c.service, &hints, &list);
      return describe(rc, list);
    });
    addrinfo *list = nullptr;
    const int rc = evy::green::getaddrinfo(c.node, c.service, &hints, &list);
    EXPECT_EQ(describe(rc, list), original)
        << (c.node ? c.node : "(null)") << " " << (c.service ? c.service : "(null)");
  }
}

std::string name_info(const sockaddr *address, socklen_t length, socklen_t hostlen,
                      socklen_t servlen, int flags, bool green) {
  char host[NI_MAXHOST] = "unset", serv[NI_MAXSERV] = "unset";
  const int rc = green ? evy::green::getnameinfo(address, length, hostlen ? host : nullptr,
                                                 hostlen, servlen ? serv : nullptr, servlen, flags)
                       : ::getnameinfo(address, length, hostlen ? host : nullptr, hostlen,
                                       servlen ? serv : nullptr, servlen, flags);
  return "rc=" + std::to_string(rc) + " host=" + host + " serv=" + serv;
}

TEST(DnsNumericTest, GetnameinfoNumericAnswersAsTheOriginal) {
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  v4.sin_port = htons(8080);
  inet_pton(AF_INET, "192.0.2.7", &v4.sin_addr);
  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  v6.sin6_port = htons(443);
  inet_pton(AF_INET6, "2001:db8::1", &v6.sin6_addr);
  sockaddr_un local{};
  local.sun_family = AF_UNIX;
  std::strcpy(local.sun_path, "/tmp/evy.sock");
  const int numeric = NI_NUMERICHOST | NI_NUMERICSERV;
  struct Case {
    const sockaddr *address;
    socklen_t length, hostlen, servlen;
    int flags;
  } cases[] = {
      {reinterpret_cast<sockaddr *>(&v4), sizeof v4, NI_MAXHOST, NI_MAXSERV, numeric},
      {reinterpret_cast<sockaddr *>(&v6), sizeof v6, NI_MAXHOST, NI_MAXSERV, numeric},
      {reinterpret_cast<sockaddr *>(&v4), sizeof v4, NI_MAXHOST, 0, NI_NUMERICHOST},
      {reinterpret_cast<sockaddr *>(&v4), sizeof v4, 0, NI_MAXSERV, NI_NUMERICSERV | NI_DGRAM},
      {reinterpret_cast<sockaddr *>(&v4), sizeof v4, 4, NI_MAXSERV, numeric}, // EAI_OVERFLOW
      {reinterpret_cast<sockaddr *>(&v4), 3, NI_MAXHOST, NI_MAXSERV, numeric}, // EAI_FAMILY
      {reinterpret_cast<sockaddr *>(&v4), sizeof v4, NI_MAXHOST, NI_MAXSERV,
       numeric | NI_NAMEREQD},
      {reinterpret_cast<sockaddr *>(&local), sizeof local, NI_MAXHOST, NI_MAXSERV, numeric},
      {reinterpret_cast<sockaddr *>(&v4), sizeof v4, 0, 0, 0}, // nothing asked: EAI_NONAME
  };
  for (const Case &c : cases) {
    const std::string original = on_real_thread(
        [&] { return name_info(c.address, c.length, c.hostlen, c.servlen, c.flags, false); });
    EXPECT_EQ(name_info(c.address, c.length, c.hostlen, c.servlen, c.flags, true), original);
  }
}

std::string describe(const hostent *entry, int error) {
  if (entry == nullptr)
    return "null h_errno=" + std::to_string(error);
  std::string text = std::string(entry->h_name) + " type=" + std::to_string(entry->h_addrtype);
  for (char **a = entry->h_addr_list; *a != nullptr; ++a) {
    char host[INET6_ADDRSTRLEN];
    inet_ntop(entry->h_addrtype, *a, host, sizeof host);
    text += std::string(" ") + host;
  }
  return text;
}

TEST(DnsNumericTest, GethostbynameOfALiteralAnswersAsTheOriginal) {
  for (const char *name : {"127.0.0.1", "192.0.2.200", "::1", "2001:db8::42"}) {
    const std::string original = on_real_thread([&] {
      const hostent *entry = ::gethostbyname(name);
      return describe(entry, h_errno);
    });
    const hostent *entry = evy::green::gethostbyname(name);
    EXPECT_EQ(describe(entry, h_errno), original) << name;

    const std::string original_r = on_real_thread([&] {
      hostent storage{}, *result = nullptr;
      char buffer[512];
      int error = 0;
      const int rc = ::gethostbyname_r(name, &storage, buffer, sizeof buffer, &result, &error);
      return std::to_string(rc) + " " + describe(result, error);
    });
    hostent storage{}, *result = nullptr;
    char buffer[512];
    int error = 0;
    const int rc =
        evy::green::gethostbyname_r(name, &storage, buffer, sizeof buffer, &result, &error);
    EXPECT_EQ(std::to_string(rc) + " " + describe(result, error), original_r);
  }
}

// pool_threads() counts this process's threads named "evy-tpool".
int pool_threads() {
  int count = 0;
  if (DIR *tasks = opendir("/proc/self/task")) {
    while (dirent *task = readdir(tasks)) {
      std::ifstream comm(std::string("/proc/self/task/") + task->d_name + "/comm");
      std::string name;
      if (std::getline(comm, name) && name == "evy-tpool")
        ++count;
    }
    closedir(tasks);
  }
  return count;
}

TEST(DnsNumericTest, ManyNumericLookupsStartNoPoolThreadButARealOneDoes) {
  for (int i = 0; i < 500; ++i) {
    sockaddr_in peer{};
    peer.sin_family = AF_INET;
    peer.sin_port = htons(static_cast<std::uint16_t>(1024 + i));
    peer.sin_addr.s_addr = htonl(0x7f000001u + static_cast<unsigned>(i));
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    ASSERT_EQ(evy::green::getnameinfo(reinterpret_cast<sockaddr *>(&peer), sizeof peer, host,
                                      sizeof host, serv, sizeof serv,
                                      NI_NUMERICHOST | NI_NUMERICSERV),
              0);
    addrinfo hints{};
    hints.ai_flags = AI_NUMERICHOST;
    addrinfo *list = nullptr;
    ASSERT_EQ(evy::green::getaddrinfo(host, serv, &hints, &list), 0);
    freeaddrinfo(list);
    ASSERT_NE(evy::green::gethostbyname(host), nullptr);
  }
  EXPECT_EQ(pool_threads(), 0);
  // A real lookup (a name, through NSS) still goes to the pool.
  addrinfo *list = nullptr;
  ASSERT_EQ(evy::green::getaddrinfo("localhost", "80", nullptr, &list), 0);
  freeaddrinfo(list);
  EXPECT_GE(pool_threads(), 1);
}

} // namespace
} // namespace evy::test
