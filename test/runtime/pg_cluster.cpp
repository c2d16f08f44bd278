#include "pg_cluster.h"

#include <libpq-fe.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace evy::test {
namespace {

// The server's user when the tests run as root (PostgreSQL refuses root).
constexpr const char *kServerUser = "nobody";
constexpr const char *kBinDirectory = "/usr/lib/postgresql/15/bin";

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address);
  ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

void append(const std::string &path, const std::string &text, bool truncate = false) {
  std::ofstream out(path, truncate ? std::ios::trunc : std::ios::app);
  out << text;
  if (!out)
    throw std::runtime_error("cannot write " + path);
}

// stop_abandoned() stops and removes the clusters of test runs that were
// killed (a ctest timeout) before their TearDown: their owner is gone.
void stop_abandoned(const std::string &bin) {
  const std::string script =
      "for d in /tmp/evy-pg-*; do [ -f \"$d/owner.pid\" ] || continue; "
      "kill -0 \"$(cat \"$d/owner.pid\")\" 2>/dev/null && continue; "
      "runuser -u " + std::string(kServerUser) + " -- " + bin +
      "/pg_ctl -D \"$d/data\" -m immediate -w stop >/dev/null 2>&1; rm -rf \"$d\"; done";
  if (::geteuid() == 0)
    std::system(script.c_str());
}

} // namespace

PgCluster &pg_cluster() {
  static PgCluster *cluster = new PgCluster; // owned by gtest once registered
  return *cluster;
}

// run() runs a shell command, as the server's user if asked (and root);
// its output goes to the log, and a failure throws with that log's tail.
void PgCluster::run(const std::string &command, bool as_server_user) {
  std::string line = command;
  if (as_server_user && ::geteuid() == 0)
    line = std::string("runuser -u ") + kServerUser + " -- " + command;
  line = "cd " + directory_ + " && " + line + " >>" + directory_ + "/setup.log 2>&1";
  if (std::system(line.c_str()) != 0) {
    std::string tail;
    if (FILE *log = std::fopen((directory_ + "/setup.log").c_str(), "r")) {
      char buffer[4096];
      size_t n;
      while ((n = std::fread(buffer, 1, sizeof buffer, log)) > 0)
        tail.append(buffer, n);
      std::fclose(log);
    }
    if (tail.size() > 2000)
      tail = tail.substr(tail.size() - 2000);
    throw std::runtime_error("failed: " + command + "\n" + tail);
  }
}

void PgCluster::SetUp() {
  bin_ = kBinDirectory;
  if (::access((bin_ + "/initdb").c_str(), X_OK) != 0 ||
      ::access((bin_ + "/pg_ctl").c_str(), X_OK) != 0) {
    FAIL() << "PostgreSQL 15 is not installed (" << bin_
           << "/initdb, pg_ctl): run scripts/setup.sh (Debian package postgresql)";
  }
  stop_abandoned(bin_);
  char pattern[] = "/tmp/evy-pg-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr) << "mkdtemp failed";
  directory_ = pattern;
  append(directory_ + "/owner.pid", std::to_string(::getpid()) + "\n");
  port_ = free_port();
  try {
    if (::geteuid() == 0) {
      const passwd *user = ::getpwnam(kServerUser);
      if (user == nullptr || ::chown(directory_.c_str(), user->pw_uid, user->pw_gid) != 0)
        throw std::runtime_error(std::string("cannot give the cluster to ") + kServerUser);
    }
    run(bin_ + "/initdb -D data -U postgres -A trust -E UTF8 --locale=C --no-sync", true);
    // A CA and a server certificate for "localhost" only (no IP address).
    run("openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2"
        " -subj '/CN=evy test CA'", false);
    run("openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr"
        " -subj '/CN=localhost'", false);
    append(directory_ + "/san.ext", "subjectAltName=DNS:localhost\n");
    run("openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial"
        " -out server.crt -days 2 -extfile san.ext", false);
    run("chmod 600 server.key", false);
    if (::geteuid() == 0)
      run(std::string("chown ") + kServerUser + " server.key server.crt", false);
    append(directory_ + "/data/postgresql.conf",
           "port = " + std::to_string(port_) +
               "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '" + directory_ +
               "'\nmax_connections = 260\nssl = on\nssl_cert_file = '" + directory_ +
               "/server.crt'\nssl_key_file = '" + directory_ +
               "/server.key'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
               "lc_messages = 'C'\npassword_encryption = 'scram-sha-256'\n");
    append(directory_ + "/data/pg_hba.conf",
           "local all all trust\nhost all evy 127.0.0.1/32 scram-sha-256\n"
           "host all all 127.0.0.1/32 trust\n",
           true);
    start();
  } catch (const std::exception &e) {
    FAIL() << "cannot start the test cluster in " << directory_ << ": " << e.what();
  }
  PGconn *conn = ::PQconnectdb(unix_socket().c_str());
  PGresult *result = ::PQexec(
      conn, (std::string("CREATE ROLE evy LOGIN PASSWORD '") + password + "'").c_str());
  const bool created = ::PQresultStatus(result) == PGRES_COMMAND_OK;
  const std::string error = ::PQerrorMessage(conn);
  ::PQclear(result);
  ::PQfinish(conn);
  ASSERT_TRUE(created) << error;
}

void PgCluster::start() {
  run(bin_ + "/pg_ctl -D data -l server.log -w -t 60 start", true);
  running_ = true;
}

void PgCluster::stop_immediately() {
  running_ = false;
  run(bin_ + "/pg_ctl -D data -m immediate -w stop", true);
}

void PgCluster::TearDown() {
  if (directory_.empty())
    return;
  try {
    if (running_)
      run(bin_ + "/pg_ctl -D data -m fast -w stop", true);
  } catch (const std::exception &e) {
    ADD_FAILURE() << e.what();
  }
  std::system(("rm -rf " + directory_).c_str());
}

std::string PgCluster::tcp(const std::string &more) const {
  return "host=127.0.0.1 port=" + std::to_string(port_) +
         " user=postgres dbname=postgres sslmode=disable gssencmode=disable " + more;
}

std::string PgCluster::unix_socket(const std::string &more) const {
  return "host=" + directory_ + " port=" + std::to_string(port_) +
         " user=postgres dbname=postgres gssencmode=disable " + more;
}

} // namespace evy::test
