// Internal helpers of <evy/patched/psycopg.h>: how a green connect runs.
// Not a public API.
//
// libpq's asynchronous connect (PQconnectStart/PQconnectPoll) is its
// blocking connect without two things: it resolves host names inside the
// calls (blocking), and connect_timeout lives only in the blocking loop
// (per host and address, at least 2 s, "timeout expired"), which no public
// call can reproduce. A connect that needs either runs libpq's own
// blocking call on evy::tpool, so results and messages stay libpq's; every
// other connect is driven here with the fiber waiting on the socket.
#pragma once

#include <evy/patched/detail/psycopg_io.h>

#include <libpq-fe.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <string>

namespace evy {
namespace detail {

// PqTarget is what decides a connect's path: the effective host, hostaddr,
// connect_timeout and service options.
struct PqTarget {
  std::string host, hostaddr, connect_timeout, service;
  bool set_host = false, set_hostaddr = false, set_timeout = false, set_service = false;

  // take() stores keyword=value as libpq does: later values win, empty ones are ignored.
  void take(const char *keyword, const char *value) {
    if (keyword == nullptr || value == nullptr || value[0] == '\0')
      return;
    const auto store = [&](std::string &into, bool &set) {
      into = value;
      set = true;
    };
    if (std::strcmp(keyword, "host") == 0)
      store(host, set_host);
    else if (std::strcmp(keyword, "hostaddr") == 0)
      store(hostaddr, set_hostaddr);
    else if (std::strcmp(keyword, "connect_timeout") == 0)
      store(connect_timeout, set_timeout);
    else if (std::strcmp(keyword, "service") == 0)
      store(service, set_service);
  }
  // take_all() stores every option of a PQconninfoParse/PQconninfo array.
  void take_all(const PQconninfoOption *options) {
    for (const PQconninfoOption *o = options; o != nullptr && o->keyword != nullptr; ++o)
      take(o->keyword, o->val);
  }
  // add_environment() fills what is unset from PG* variables, as libpq's defaults do.
  void add_environment() {
    const auto fill = [](std::string &into, bool &set, const char *variable) {
      const char *value = std::getenv(variable);
      if (!set && value != nullptr && value[0] != '\0') {
        into = value;
        set = true;
      }
    };
    fill(service, set_service, "PGSERVICE");
    fill(host, set_host, "PGHOST");
    fill(hostaddr, set_hostaddr, "PGHOSTADDR");
    fill(connect_timeout, set_timeout, "PGCONNECT_TIMEOUT");
  }
};

// pq_list_item() is the index-th comma-separated item of list ("" past the end).
inline std::string pq_list_item(const std::string &list, std::size_t index) {
  std::size_t begin = 0;
  for (; index > 0; --index) {
    begin = list.find(',', begin);
    if (begin == std::string::npos)
      return {};
    ++begin;
  }
  return list.substr(begin, list.find(',', begin) - begin);
}

// pq_needs_lookup() is true when host names a machine that libpq resolves
// (not a socket directory, not a numeric address).
inline bool pq_needs_lookup(const std::string &host) {
  if (host.empty() || host[0] == '/' || host[0] == '@')
    return false;
  unsigned char address[sizeof(in6_addr)];
  return ::inet_pton(AF_INET, host.c_str(), address) != 1 &&
         ::inet_pton(AF_INET6, host.c_str(), address) != 1;
}

// pq_timeout_disabled() is true when connect_timeout is unset or a plain
// integer <= 0, which libpq treats as no timeout.
inline bool pq_timeout_disabled(const PqTarget &target) {
  if (!target.set_timeout)
    return true;
  const char *text = target.connect_timeout.c_str();
  char *end = nullptr;
  errno = 0;
  const long value = std::strtol(text, &end, 10);
  if (end == text || errno != 0)
    return false; // libpq reports the bad value: let it
  while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r' || *end == '\f' || *end == '\v')
    ++end;
  return *end == '\0' && value <= 0;
}

// pq_needs_pool() is true when a connect to target must run on evy::tpool.
inline bool pq_needs_pool(PqTarget target, bool add_environment) {
  const int saved = errno;
  if (add_environment)
    target.add_environment();
  bool pool = target.set_service || !pq_timeout_disabled(target); // a service file may say anything
  const std::size_t hosts = 1 + static_cast<std::size_t>(
                                    std::count(target.host.begin(), target.host.end(), ','));
  for (std::size_t i = 0; i < hosts && !pool; ++i)
    pool = pq_list_item(target.hostaddr, i).empty() && pq_needs_lookup(pq_list_item(target.host, i));
  errno = saved;
  return pool;
}

// pq_recognized_connection_string() is libpq's test for a dbname that is
// itself a connection string.
inline bool pq_recognized_connection_string(const char *dbname) {
  return std::strncmp(dbname, "postgresql://", 13) == 0 ||
         std::strncmp(dbname, "postgres://", 11) == 0 || std::strchr(dbname, '=') != nullptr;
}

// pq_params_need_pool() decides for PQconnectdbParams' arguments, expanding
// the first dbname as conninfo_array_parse does.
inline bool pq_params_need_pool(const char *const *keywords, const char *const *values,
                                int expand_dbname) {
  PqTarget target;
  bool expand = expand_dbname != 0;
  for (int i = 0; keywords != nullptr && keywords[i] != nullptr; ++i) {
    const char *value = values[i];
    if (value == nullptr || value[0] == '\0')
      continue;
    if (expand && std::strcmp(keywords[i], "dbname") == 0) {
      expand = false;
      if (pq_recognized_connection_string(value)) {
        char *error = nullptr;
        PQconninfoOption *options = ::PQconninfoParse(value, &error);
        ::PQfreemem(error);
        if (options == nullptr)
          return false; // libpq refuses it before any I/O
        target.take_all(options);
        ::PQconninfoFree(options);
        continue;
      }
    }
    target.take(keywords[i], value);
  }
  return pq_needs_pool(target, true);
}

// pq_conninfo_needs_pool() decides for a PQconnectdb string.
inline bool pq_conninfo_needs_pool(const char *conninfo) {
  char *error = nullptr;
  PQconninfoOption *options = ::PQconninfoParse(conninfo, &error);
  ::PQfreemem(error);
  if (options == nullptr)
    return false; // libpq refuses it before any I/O
  PqTarget target;
  target.take_all(options);
  ::PQconninfoFree(options);
  return pq_needs_pool(target, true);
}

// pq_conn_needs_pool() decides for PQreset: the connection's own options
// already hold the defaults and the service file's values.
inline bool pq_conn_needs_pool(PGconn *conn) {
  PQconninfoOption *options = ::PQconninfo(conn);
  PqTarget target;
  target.take_all(options);
  ::PQconninfoFree(options);
  target.set_service = false; // already applied
  return pq_needs_pool(target, false);
}

// pq_finish_connect() is connectDBComplete without connect_timeout: it
// drives PQconnectPoll/PQresetPoll to OK or FAILED.
template <class Poll> void pq_finish_connect(PGconn *conn, Poll poll) {
  // As if the poll function had just returned PGRES_POLLING_WRITING (libpq docs).
  PostgresPollingStatusType state = PGRES_POLLING_WRITING;
  while (state != PGRES_POLLING_OK && state != PGRES_POLLING_FAILED) {
    if (state == PGRES_POLLING_READING || state == PGRES_POLLING_WRITING) {
      if (!pq_wait_socket(conn, state == PGRES_POLLING_READING ? POLLIN : POLLOUT))
        return; // the socket vanished: PQconnectPoll reports why
    }
    state = poll(conn);
  }
}

// pq_connected() finishes an asynchronous start the way PQconnectdb would.
inline PGconn *pq_connected(PGconn *conn) {
  if (conn != nullptr && ::PQstatus(conn) != CONNECTION_BAD)
    pq_finish_connect(conn, ::PQconnectPoll);
  return conn;
}

} // namespace detail
} // namespace evy
