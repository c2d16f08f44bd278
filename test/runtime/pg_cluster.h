// A private PostgreSQL cluster for the psycopg server tests: initdb + pg_ctl
// in a temporary directory, as an unprivileged user when run as root (CI),
// listening on a free TCP port of 127.0.0.1 and on a Unix socket in that
// directory, with TLS (a CA and a server certificate for "localhost" made
// with the openssl CLI), scram-sha-256 for the role "evy" over TCP, trust
// for everything else. One per test binary: a gtest Environment.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace evy::test {

class PgCluster : public ::testing::Environment {
public:
  void SetUp() override;    // fails (never skips) when PostgreSQL is missing
  void TearDown() override; // stops the server and removes the directory

  // stop_immediately() is `pg_ctl stop -m immediate`; start() starts it again.
  void stop_immediately();
  void start();

  int port() const { return port_; }
  const std::string &directory() const { return directory_; }
  std::string ca_file() const { return directory_ + "/ca.crt"; }
  // tcp() is a conninfo for 127.0.0.1 without TLS: user postgres, trusted.
  std::string tcp(const std::string &more = "") const;
  // unix_socket() is a conninfo for the cluster's Unix socket.
  std::string unix_socket(const std::string &more = "") const;

  static constexpr const char *password = "evy-secret"; // of the role "evy"

private:
  void run(const std::string &command, bool as_server_user);

  std::string directory_;
  std::string bin_;
  int port_ = 0;
  bool running_ = false;
};

// pg_cluster() is the binary's cluster (registered by its main).
PgCluster &pg_cluster();

} // namespace evy::test
