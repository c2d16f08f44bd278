// Name lookups that cannot touch the network: numeric hosts, /etc/hosts.
#include "fixtures.h"

#include <arpa/inet.h>
#include <netdb.h>

namespace evy::diff {
namespace {

EVY_SCENARIO(getaddrinfo_and_getnameinfo, "getaddrinfo getnameinfo") {
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  addrinfo *result = nullptr;
  log.note("numeric", Ops::getaddrinfo("127.0.0.1", "8080", &hints, &result));
  if (result != nullptr) {
    log.note("first", std::to_string(result->ai_family) + " " + std::to_string(result->ai_addrlen));
    char host[64] = {}, serv[16] = {};
    log.note("getnameinfo", Ops::getnameinfo(result->ai_addr, result->ai_addrlen, host, sizeof host,
                                             serv, sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV));
    log.note("names", std::string(host) + " " + serv);
    log.note("getnameinfo short host", Ops::getnameinfo(result->ai_addr, result->ai_addrlen, host, 3,
                                                        serv, sizeof serv, NI_NUMERICHOST));
    log.note("getnameinfo bad length",
             Ops::getnameinfo(result->ai_addr, 3, host, sizeof host, nullptr, 0, NI_NUMERICHOST));
    ::freeaddrinfo(result);
  }
  log.note("not numeric", Ops::getaddrinfo("localhost", nullptr, &hints, &result));
  log.note("no names", Ops::getaddrinfo(nullptr, nullptr, &hints, &result));
  hints.ai_flags = 0;
  hints.ai_family = 12345;
  log.note("bad family", Ops::getaddrinfo("127.0.0.1", nullptr, &hints, &result));
}

EVY_SCENARIO(gethostby_local_names, "gethostbyname gethostbyname_r gethostbyaddr") {
  hostent *h = Ops::gethostbyname("127.0.0.1");
  log.note("numeric", h != nullptr ? std::string(h->h_name) + " " + std::to_string(h->h_length)
                                   : "null");
  in_addr loopback{htonl(INADDR_LOOPBACK)};
  h = Ops::gethostbyaddr(&loopback, sizeof loopback, AF_INET);
  log.note("by address", h != nullptr ? std::to_string(h->h_addrtype) : "null");
  h = Ops::gethostbyaddr(&loopback, 1, AF_INET);
  log.note("by address, bad length", h != nullptr ? "found" : "null h_errno " + std::to_string(h_errno));
  hostent entry{}, *found = nullptr;
  char small[8];
  int error = 0;
  log.rc("gethostbyname_r small buffer",
         Ops::gethostbyname_r("127.0.0.1", &entry, small, sizeof small, &found, &error));
  char buf[1024];
  log.rc("gethostbyname_r", Ops::gethostbyname_r("127.0.0.1", &entry, buf, sizeof buf, &found, &error));
  log.note("found", found != nullptr ? entry.h_name : "null");
}

} // namespace
} // namespace evy::diff
