// A test-suite shape that hung when greened: an HTTP server thread and a
// client that fetches from it with libcurl's easy API, in one process.
// Greened, the server is a green thread on the client's OS thread, so
// curl_easy_perform must run elsewhere (an offload rule) or it waits
// forever for a server that cannot run. Prints the body; exit 0 when it is
// the one served.
#include <curl/curl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>

namespace {
const std::string kBody = "hello from a green server\n";

// Answers one request on listener: reads the head, sends kBody.
void serve_one(int listener) {
  int conn = accept(listener, nullptr, nullptr);
  if (conn < 0)
    return;
  std::string request;
  char buf[1024];
  while (request.find("\r\n\r\n") == std::string::npos) {
    ssize_t n = recv(conn, buf, sizeof buf, 0);
    if (n <= 0)
      break;
    request.append(buf, static_cast<std::size_t>(n));
  }
  std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(kBody.size()) +
                      "\r\nConnection: close\r\n\r\n" + kBody;
  send(conn, reply.data(), reply.size(), 0);
  close(conn);
}

std::size_t append(char *data, std::size_t size, std::size_t count, void *out) {
  static_cast<std::string *>(out)->append(data, size * count);
  return size * count;
}
} // namespace

int main() {
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(listener, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0 ||
      listen(listener, 4) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr *>(&addr), &len) != 0) {
    std::perror("listen");
    return 2;
  }
  std::thread server(serve_one, listener);

  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURL *curl = curl_easy_init();
  const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/";
  std::string body;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  CURLcode rc = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  curl_global_cleanup();
  server.join();
  close(listener);
  std::printf("curl: %s; body: %s", curl_easy_strerror(rc), body.c_str());
  return rc == CURLE_OK && body == kBody ? 0 : 1;
}
