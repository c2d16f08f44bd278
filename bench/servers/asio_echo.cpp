// The Boost.Asio (standalone asio) anchor: an async echo server on one
// io_context, one thread. Same arguments and summary line as the others.
//
// usage: asio_echo PORT [CONNECTIONS]
#include <asio.hpp>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace {

struct Stats {
  long wanted = 0, accepted = 0, closed = 0;
  long long bytes = 0;
};

class Session : public std::enable_shared_from_this<Session> {
public:
  Session(asio::ip::tcp::socket socket, Stats &stats, asio::io_context &io)
      : socket_(std::move(socket)), stats_(stats), io_(io) {}
  void start() { read(); }

private:
  void read() {
    auto self = shared_from_this();
    socket_.async_read_some(asio::buffer(buf_), [this, self](std::error_code ec, size_t n) {
      if (ec)
        return finish();
      stats_.bytes += n;
      asio::async_write(socket_, asio::buffer(buf_, n),
                        [this, self](std::error_code wec, size_t) {
                          if (wec)
                            return finish();
                          read();
                        });
    });
  }
  void finish() {
    if (++stats_.closed == stats_.wanted)
      io_.stop();
  }

  asio::ip::tcp::socket socket_;
  Stats &stats_;
  asio::io_context &io_;
  std::array<char, 4096> buf_;
};

void accept_next(asio::ip::tcp::acceptor &acceptor, Stats &stats, asio::io_context &io) {
  if (stats.wanted && stats.accepted == stats.wanted)
    return;
  acceptor.async_accept([&](std::error_code ec, asio::ip::tcp::socket socket) {
    if (!ec) {
      ++stats.accepted;
      socket.set_option(asio::ip::tcp::no_delay(true));
      std::make_shared<Session>(std::move(socket), stats, io)->start();
    }
    accept_next(acceptor, stats, io);
  });
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PORT [CONNECTIONS]\n", argv[0]);
    return 2;
  }
  Stats stats;
  stats.wanted = argc > 2 ? std::atol(argv[2]) : 0;
  asio::io_context io(1);
  asio::ip::tcp::acceptor acceptor(io);
  asio::ip::tcp::endpoint endpoint(asio::ip::address_v4::loopback(),
                                   static_cast<unsigned short>(std::atoi(argv[1])));
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(4096);
  std::printf("asio_echo: listening on 127.0.0.1:%d\n", acceptor.local_endpoint().port());
  std::fflush(stdout);
  accept_next(acceptor, stats, io);
  io.run();
  std::printf("asio_echo: %ld connections, %lld bytes echoed\n", stats.closed, stats.bytes);
  return 0;
}
