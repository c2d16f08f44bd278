// evy::tpool and green DNS: blocking work on real threads while the hub runs.
#include "runtime_test.h"

#include <evy/patched/socket.h>

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>

#include <condition_variable>
#include <cstring>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace evy::test {
namespace {

using namespace std::chrono_literals;
using TpoolTest = RuntimeTest;

// Names /etc/hosts maps: resolvable without a network.
std::vector<std::string> names_from_etc_hosts() {
  std::vector<std::string> names;
  std::ifstream hosts("/etc/hosts");
  std::string line;
  while (std::getline(hosts, line)) {
    line = line.substr(0, line.find('#'));
    std::istringstream fields(line);
    std::string address, name;
    if (!(fields >> address) || address.find(':') != std::string::npos)
      continue; // IPv4 entries only: the test asks for AF_INET
    while (fields >> name)
      names.push_back(name);
  }
  return names;
}

// PoolGate holds every tpool thread in a job that waits for open(): while
// it is closed, nothing submitted to the pool can run.
class PoolGate {
public:
  PoolGate() {
    for (std::size_t i = 0; i < evy::tpool::size(); ++i)
      holders_.push_back(evy::spawn([this] {
        evy::tpool::execute([this] {
          std::unique_lock lock(mutex_);
          ++holding_;
          opened_.wait(lock, [this] { return open_; });
        });
      }));
    // Each job is on its own pool thread once all of them are holding.
    while (holding() < evy::tpool::size())
      evy::sleep(1ms);
  }
  ~PoolGate() { open(); }
  std::size_t holding() {
    std::lock_guard lock(mutex_);
    return holding_;
  }
  void open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    opened_.notify_all();
    for (GreenThread &holder : holders_)
      if (holder.joinable())
        holder.join();
  }

private:
  std::mutex mutex_;
  std::condition_variable opened_;
  std::size_t holding_ = 0;
  bool open_ = false;
  std::vector<GreenThread> holders_;
};

// Lookups of /etc/hosts names are fast: a lookup made inline on the hub
// would look no different to a ticker. So the pool is held shut first. A
// green getaddrinfo that runs on the pool cannot finish then, while the
// hub keeps scheduling; one that ran on the hub would finish at once.
TEST_F(TpoolTest, ConcurrentGetaddrinfoOfHostsNamesWhileTickerTicks) {
  const std::vector<std::string> names = names_from_etc_hosts();
  ASSERT_FALSE(names.empty()) << "/etc/hosts has no IPv4 name";
  PoolGate gate;
  Ticker ticker; // ticks on every pass through the hub
  constexpr int kLookups = 10;
  std::atomic<int> started{0}, finished{0}, succeeded{0};
  const std::thread::id hub_thread = std::this_thread::get_id();
  std::atomic<int> resumed_elsewhere{0};
  std::vector<GreenThread> lookups;
  for (int i = 0; i < kLookups; ++i)
    lookups.push_back(evy::spawn([&, name = names[i % names.size()]] {
      addrinfo hints{};
      hints.ai_family = AF_INET;
      hints.ai_socktype = SOCK_STREAM;
      addrinfo *result = nullptr;
      ++started;
      const int rc = evy::green::getaddrinfo(name.c_str(), "80", &hints, &result);
      if (std::this_thread::get_id() != hub_thread)
        ++resumed_elsewhere;
      EXPECT_EQ(rc, 0) << name << ": " << gai_strerror(rc);
      if (rc == 0 && result != nullptr && result->ai_family == AF_INET)
        ++succeeded;
      if (result != nullptr)
        freeaddrinfo(result);
      ++finished;
    }));
  // Every lookup has started, and the hub goes on scheduling (the ticker
  // ticks) while none of them can finish: they wait for the pool.
  while (started < kLookups || ticker.ticks() < 100)
    evy::yield();
  EXPECT_EQ(finished, 0) << "a lookup finished without a pool thread: it ran on the hub";
  gate.open();
  for (GreenThread &lookup : lookups)
    lookup.join();
  EXPECT_EQ(finished, kLookups);
  EXPECT_EQ(succeeded, kLookups);
  EXPECT_EQ(resumed_elsewhere, 0);
}

TEST_F(TpoolTest, ARealBlockingCallDoesNotStopATickingFiber) {
  Ticker ticker(5ms);
  const std::thread::id hub_thread = std::this_thread::get_id();
  std::thread::id ran_on;
  const int result = evy::tpool::execute([&] {
    ran_on = std::this_thread::get_id();
    ::usleep(200000); // really blocks: but only a pool thread
    return 42;
  });
  EXPECT_EQ(result, 42);
  EXPECT_NE(ran_on, hub_thread);
  EXPECT_GE(ticker.stop(), 2); // it woke from a sleep while the other fiber waited
}

// Pool threads are named, so that tools and the end-to-end tests can tell
// them from the program's own threads.
TEST_F(TpoolTest, PoolThreadsAreNamedEvyTpool) {
  const std::string name = evy::tpool::execute([] {
    char buffer[16] = {};
    pthread_getname_np(pthread_self(), buffer, sizeof buffer);
    return std::string(buffer);
  });
  EXPECT_EQ(name, "evy-tpool");
}

TEST_F(TpoolTest, ExceptionsAndReferencesComeBack) {
  EXPECT_THROW(evy::tpool::execute([]() -> int { throw std::runtime_error("pool"); }),
               std::runtime_error);
  int target = 1;
  int &same = evy::tpool::execute([&]() -> int & { return target; });
  EXPECT_EQ(&same, &target);
  bool ran = false;
  evy::tpool::execute([&] { ran = true; });
  EXPECT_TRUE(ran);
  EXPECT_EQ(evy::tpool::size(), 20u); // the default (EVY_THREADPOOL_SIZE unset)
}

// Live counts the instances alive: a result is built once on the pool
// thread, moved to the caller, and the pool's copy is destroyed.
struct Live {
  static inline int count = 0;
  Live() { ++count; }
  Live(Live &&) noexcept { ++count; }
  ~Live() { --count; }
};

TEST_F(TpoolTest, ValuesAreMovedBackAndDestroyedOnce) {
  std::unique_ptr<int> owned = evy::tpool::execute([] { return std::make_unique<int>(5); });
  ASSERT_NE(owned, nullptr);
  EXPECT_EQ(*owned, 5);
  {
    Live result = evy::tpool::execute([] { return Live(); });
    EXPECT_EQ(Live::count, 1);
  }
  EXPECT_EQ(Live::count, 0);
}

int pool_answer() { return 42; }

TEST_F(TpoolTest, NamedCallablesAndRvalueReferencesComeBack) {
  EXPECT_EQ(evy::tpool::execute(pool_answer), 42);
  auto doubled = [n = 21] { return 2 * n; };
  EXPECT_EQ(evy::tpool::execute(doubled), 42);
  int target = 1;
  int &&moved = evy::tpool::execute([&]() -> int && { return std::move(target); });
  EXPECT_EQ(&moved, &target);
}

TEST_F(TpoolTest, ManyFibersShareThePool) {
  std::atomic<int> done{0};
  std::vector<GreenThread> fibers;
  for (int i = 0; i < 50; ++i)
    fibers.push_back(evy::spawn([&] {
      evy::tpool::execute([] { ::usleep(2000); });
      done.fetch_add(1);
    }));
  for (GreenThread &fiber : fibers)
    fiber.join();
  EXPECT_EQ(done.load(), 50);
}

TEST_F(TpoolTest, LegacyResolverCallsAnswerAsTheOriginals) {
  hostent *entry = evy::green::gethostbyname("localhost");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->h_addrtype, AF_INET);
  ASSERT_NE(entry->h_addr_list[0], nullptr);
  in_addr address{};
  std::memcpy(&address, entry->h_addr_list[0], sizeof address);
  EXPECT_EQ(std::string(inet_ntoa(address)), "127.0.0.1");

  hostent storage{};
  char buffer[2048];
  hostent *result = nullptr;
  int error = 0;
  EXPECT_EQ(
      evy::green::gethostbyname_r("localhost", &storage, buffer, sizeof buffer, &result, &error),
      0);
  EXPECT_EQ(result, &storage);

  EXPECT_EQ(evy::green::gethostbyname("no-such-host.invalid"), nullptr);
  EXPECT_EQ(h_errno, HOST_NOT_FOUND);

  const in_addr loopback{htonl(INADDR_LOOPBACK)};
  hostent *back = evy::green::gethostbyaddr(&loopback, sizeof loopback, AF_INET);
  ASSERT_NE(back, nullptr);
  EXPECT_NE(back->h_name, nullptr);

  sockaddr_in socket_address{};
  socket_address.sin_family = AF_INET;
  socket_address.sin_addr = loopback;
  socket_address.sin_port = htons(80);
  char host[256], service[32];
  EXPECT_EQ(evy::green::getnameinfo(reinterpret_cast<sockaddr *>(&socket_address),
                                    sizeof socket_address, host, sizeof host, service,
                                    sizeof service, NI_NUMERICHOST | NI_NUMERICSERV),
            0);
  EXPECT_EQ(std::string(host), "127.0.0.1");
  EXPECT_EQ(std::string(service), "80");
}

} // namespace
} // namespace evy::test
