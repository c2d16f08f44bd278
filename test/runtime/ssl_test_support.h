// Shared by the ssl suites: a certificate the openssl CLI makes at test
// time, TLS contexts, and one API surface with two implementations, the
// original calls on real threads (PlainApi) and the green calls on fibers
// of one OS thread (GreenApi), so a scenario runs once through each and the
// outcomes are compared.
#pragma once

#include "runtime_test.h"

#include <evy/patched/select.h>
#include <evy/patched/socket.h>
#include <evy/patched/ssl.h>
#include <evy/patched/time.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace evy::test {

// TlsFiles: an EC P-256 key and self-signed certificate (CN=localhost),
// generated once per process into a temporary directory (removed at exit).
struct TlsFiles {
  std::string directory, key, certificate;
  bool ok = false;
};

inline const TlsFiles &tls_files() {
  static const TlsFiles files = [] {
    static char directory[] = "/tmp/evy-ssl-test-XXXXXX";
    TlsFiles made;
    if (::mkdtemp(directory) == nullptr)
      return made;
    made.directory = directory;
    made.key = made.directory + "/key.pem";
    made.certificate = made.directory + "/cert.pem";
    const std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
        "-subj /CN=localhost -keyout " +
        made.key + " -out " + made.certificate + " >/dev/null 2>&1";
    made.ok = std::system(command.c_str()) == 0;
    std::atexit([] {
      const std::string dir = directory;
      ::unlink((dir + "/key.pem").c_str());
      ::unlink((dir + "/cert.pem").c_str());
      ::rmdir(directory);
    });
    return made;
  }();
  return files;
}

// TlsContexts: a server context with the generated identity and a client
// context that does not verify it. TLS 1.3, whose tickets matter here.
struct TlsContexts {
  SSL_CTX *server = SSL_CTX_new(TLS_server_method());
  SSL_CTX *client = SSL_CTX_new(TLS_client_method());
  bool ok = false;
  TlsContexts() {
    const TlsFiles &files = tls_files();
    ok = files.ok &&
         SSL_CTX_use_certificate_file(server, files.certificate.c_str(), SSL_FILETYPE_PEM) == 1 &&
         SSL_CTX_use_PrivateKey_file(server, files.key.c_str(), SSL_FILETYPE_PEM) == 1;
    SSL_CTX_set_verify(client, SSL_VERIFY_NONE, nullptr);
    SSL_CTX_set_min_proto_version(server, TLS1_3_VERSION);
    SSL_CTX_set_min_proto_version(client, TLS1_3_VERSION);
    ERR_clear_error();
  }
  ~TlsContexts() {
    SSL_CTX_free(server);
    SSL_CTX_free(client);
  }
  TlsContexts(const TlsContexts &) = delete;
  TlsContexts &operator=(const TlsContexts &) = delete;
};

using Tasks = std::vector<std::function<void()>>;

// PlainApi: the original calls; run() gives each task a real thread.
struct PlainApi {
  static constexpr const char *name = "original";
  static int socketpair(int sv[2]) { return ::socketpair(AF_UNIX, SOCK_STREAM, 0, sv); }
  static int setsockopt(int fd, int level, int option, const void *value, socklen_t size) {
    return ::setsockopt(fd, level, option, value, size);
  }
  static int close(int fd) { return ::close(fd); }
  static ssize_t send(int fd, const void *data, size_t size, int flags) {
    return ::send(fd, data, size, flags);
  }
  static int poll(pollfd *fds, nfds_t n, int timeout_ms) { return ::poll(fds, n, timeout_ms); }
  static int accept(SSL *ssl) { return ::SSL_accept(ssl); }
  static int connect(SSL *ssl) { return ::SSL_connect(ssl); }
  static int read(SSL *ssl, void *buffer, int size) { return ::SSL_read(ssl, buffer, size); }
  static int write(SSL *ssl, const void *data, int size) { return ::SSL_write(ssl, data, size); }
  static int shutdown(SSL *ssl) { return ::SSL_shutdown(ssl); }
  static void sleep_ms(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }
  static void run(const Tasks &tasks) {
    std::vector<std::thread> threads;
    for (const auto &task : tasks)
      threads.emplace_back(task);
    for (std::thread &thread : threads)
      thread.join();
  }
};

// GreenApi: the green calls; run() gives each task a fiber of this thread.
struct GreenApi {
  static constexpr const char *name = "green";
  static int socketpair(int sv[2]) { return evy::green::socketpair(AF_UNIX, SOCK_STREAM, 0, sv); }
  static int setsockopt(int fd, int level, int option, const void *value, socklen_t size) {
    return evy::green::setsockopt(fd, level, option, value, size);
  }
  static int close(int fd) { return evy::green::close(fd); }
  static ssize_t send(int fd, const void *data, size_t size, int flags) {
    return evy::green::send(fd, data, size, flags);
  }
  static int poll(pollfd *fds, nfds_t n, int timeout_ms) {
    return evy::green::poll(fds, n, timeout_ms);
  }
  static int accept(SSL *ssl) { return evy::green::SSL_accept(ssl); }
  static int connect(SSL *ssl) { return evy::green::SSL_connect(ssl); }
  static int read(SSL *ssl, void *buffer, int size) {
    return evy::green::SSL_read(ssl, buffer, size);
  }
  static int write(SSL *ssl, const void *data, int size) {
    return evy::green::SSL_write(ssl, data, size);
  }
  static int shutdown(SSL *ssl) { return evy::green::SSL_shutdown(ssl); }
  static void sleep_ms(int ms) { evy::green::usleep(static_cast<useconds_t>(ms) * 1000); }
  static void run(const Tasks &tasks) {
    std::vector<GreenThread> fibers;
    for (const auto &task : tasks)
      fibers.push_back(evy::spawn(task));
    for (GreenThread &fiber : fibers)
      fiber.join();
  }
};

// TlsPair: a connected, handshaken client and server over a socketpair.
struct TlsPair {
  int fds[2] = {-1, -1}; // server, client
  SSL *server = nullptr;
  SSL *client = nullptr;
  bool ok = false;
};

template <class Api> TlsPair connect_pair(const TlsContexts &contexts) {
  TlsPair pair;
  if (Api::socketpair(pair.fds) != 0)
    return pair;
  pair.server = SSL_new(contexts.server);
  pair.client = SSL_new(contexts.client);
  SSL_set_fd(pair.server, pair.fds[0]);
  SSL_set_fd(pair.client, pair.fds[1]);
  int accepted = 0, connected = 0;
  Api::run({[&] { accepted = Api::accept(pair.server); },
            [&] { connected = Api::connect(pair.client); }});
  pair.ok = accepted == 1 && connected == 1;
  return pair;
}

template <class Api> void close_pair(TlsPair &pair) {
  SSL_free(pair.server);
  SSL_free(pair.client);
  Api::close(pair.fds[0]);
  Api::close(pair.fds[1]);
}

} // namespace evy::test
