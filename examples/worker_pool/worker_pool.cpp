// A worker pool fed through a blocking queue, written the ordinary way: the
// acceptor thread pushes connections into a queue guarded by a std::mutex and
// a std::condition_variable; a fixed pool of std::threads pops and serves them.
//
// Protocol: the client sends "N\n"; the server answers "S\n" with
// S = 1 + 2 + ... + N and closes.
//
// usage: worker_pool PORT [CONNECTIONS] [WORKERS]   (PORT 0: any free port, printed)
#include "../common/listen_loopback.h"

#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

template <class T> class BlockingQueue {
public:
  void push(T item) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      items_.push_back(std::move(item));
    }
    ready_.notify_one();
  }
  // pop() waits for an item; false once the queue is closed and drained.
  // (C++11: the example builds at every standard, so no std::optional.)
  bool pop(T &item) {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [this] { return closed_ || !items_.empty(); });
    if (items_.empty())
      return false;
    item = std::move(items_.front());
    items_.pop_front();
    return true;
  }
  void close() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
    }
    ready_.notify_all();
  }

private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<T> items_;
  bool closed_ = false;
};

std::mutex stats_mutex;
long served = 0;

void handle(int fd) {
  std::string request;
  char buf[64];
  while (request.find('\n') == std::string::npos) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      close(fd);
      return;
    }
    request.append(buf, n);
  }
  long long n = std::atoll(request.c_str());
  std::string reply = std::to_string(n * (n + 1) / 2) + "\n";
  send(fd, reply.data(), reply.size(), MSG_NOSIGNAL);
  close(fd);
  std::lock_guard<std::mutex> lock(stats_mutex);
  ++served;
}

void worker(BlockingQueue<int> &queue) {
  int fd;
  while (queue.pop(fd))
    handle(fd);
}

} // namespace

int main(int argc, char **argv) {
  int listener = listen_from_args("worker_pool", argc, argv, "PORT [CONNECTIONS] [WORKERS]");
  long wanted = argc > 2 ? std::atol(argv[2]) : 0;
  int workers = argc > 3 ? std::atoi(argv[3]) : 8;

  BlockingQueue<int> queue;
  std::vector<std::thread> pool;
  for (int i = 0; i < workers; ++i)
    pool.emplace_back(worker, std::ref(queue));
  for (long accepted = 0; wanted == 0 || accepted < wanted; ++accepted) {
    int fd = accept(listener, nullptr, nullptr);
    if (fd < 0)
      break;
    queue.push(fd);
  }
  queue.close();
  for (auto &t : pool)
    t.join();
  close(listener);
  std::printf("worker_pool: %d workers served %ld connections\n", workers, served);
  return 0;
}
