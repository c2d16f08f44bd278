// A C++11 thread pool written the ordinary way, as old code is: a job queue
// under std::mutex + std::condition_variable, std::call_once for lazy setup,
// std::this_thread::sleep_for, and jobs that talk over socketpairs with
// blocking read/write. Built as is (-std=c++11) and greened by evy-rewrite
// at -std=c++11; run_pool.py checks both print the same and that the green
// one ran every pool thread as a fiber of one OS thread.
//
// Each pair of jobs shares a socketpair: the writer sleeps, then writes a
// message in small pieces; the reader blocks in read() until it has it all.
// The pool has fewer threads than there are pairs in flight, so readers
// block while writers wait in the queue behind them only if the pool is
// real threads; green, the blocked reader must yield to the writers.
//
// usage: cxx11_pool [PAIRS] [THREADS]
// stdout: one line per pair in order, then a summary; stderr: "os threads: N",
// the most OS threads (not counting evy's own "evy-" helpers) a job saw.
#include <dirent.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

class ThreadPool {
public:
  explicit ThreadPool(int threads) {
    for (int i = 0; i < threads; ++i)
      workers_.push_back(std::thread(&ThreadPool::run, this));
  }
  ~ThreadPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (std::size_t i = 0; i < workers_.size(); ++i)
      workers_[i].join();
  }
  void submit(std::function<void()> job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    ready_.notify_one();
  }

private:
  void run() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty())
          return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()> > jobs_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

// The results every reader job reports, and the lazily built greeting.
std::mutex results_mutex;
std::vector<std::string> results;
std::once_flag greeting_once;
std::string greeting;
int greeting_builds = 0;
int peak_threads = 0;

// os_threads() counts this process's OS threads, not evy's own helpers.
int os_threads() {
  int count = 0;
  if (DIR *dir = opendir("/proc/self/task")) {
    while (dirent *entry = readdir(dir)) {
      if (entry->d_name[0] == '.')
        continue;
      std::string comm = std::string("/proc/self/task/") + entry->d_name + "/comm";
      char name[32] = {0};
      if (FILE *f = std::fopen(comm.c_str(), "r")) {
        if (std::fgets(name, sizeof name, f) == nullptr)
          name[0] = '\0';
        std::fclose(f);
      }
      if (std::strncmp(name, "evy-", 4) != 0)
        ++count;
    }
    closedir(dir);
  }
  return count;
}

const std::string &shared_greeting() {
  // The initializer must not block: std::call_once is not greened, and a
  // second green caller on the same OS thread would wait in pthread_once.
  std::call_once(greeting_once, [] {
    greeting = "hello";
    ++greeting_builds;
  });
  return greeting;
}

void write_job(int fd, int pair) {
  std::this_thread::sleep_for(std::chrono::milliseconds(1 + pair % 3));
  std::string message = shared_greeting() + " from pair " + std::to_string(pair) + ";";
  for (std::size_t sent = 0; sent < message.size(); sent += 4) {
    std::size_t piece = std::min<std::size_t>(4, message.size() - sent);
    if (write(fd, message.data() + sent, piece) != static_cast<ssize_t>(piece))
      std::perror("write");
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  close(fd);
}

void read_job(int fd, int pair) {
  std::string got;
  char buf[16];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    got.append(buf, static_cast<std::size_t>(n));
  close(fd);
  std::lock_guard<std::mutex> lock(results_mutex);
  peak_threads = std::max(peak_threads, os_threads());
  results[static_cast<std::size_t>(pair)] = got;
}

} // namespace

int main(int argc, char **argv) {
  const int pairs = argc > 1 ? std::atoi(argv[1]) : 40;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 6;
  results.assign(static_cast<std::size_t>(pairs), std::string());
  {
    ThreadPool pool(threads);
    for (int pair = 0; pair < pairs; ++pair) {
      int sv[2];
      if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
        std::perror("socketpair");
        return 1;
      }
      // The writer is queued first, so a real thread never waits for a
      // writer that no thread has taken yet.
      pool.submit(std::bind(write_job, sv[0], pair));
      pool.submit(std::bind(read_job, sv[1], pair));
    }
  }
  int complete = 0;
  for (int pair = 0; pair < pairs; ++pair) {
    std::printf("%d: %s\n", pair, results[static_cast<std::size_t>(pair)].c_str());
    complete += results[static_cast<std::size_t>(pair)] ==
                "hello from pair " + std::to_string(pair) + ";";
  }
  std::printf("%d of %d pairs complete, greeting built %d time(s)\n", complete, pairs,
              greeting_builds);
  std::fprintf(stderr, "os threads: %d\n", peak_threads);
  return complete == pairs && greeting_builds == 1 ? 0 : 1;
}
