// The program stdin_test runs with a pipe as stdin: a ticker thread ticks
// while the main thread reads from stdin in one of several ways. Built
// twice: with the originals (std::thread, ::fgets...) and, with
// EVY_STDIN_GREEN, with the green ones (one OS thread, as a rewritten
// program would be). Prints "ticking" once the ticker ran three times, then
// what was read, then whether the ticker ran on the main OS thread.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <unistd.h>

#if defined(EVY_STDIN_GREEN)
#include <evy/patched/os.h>
#include <evy/patched/thread.h>
namespace io = evy::green;
using Thread = evy::green::thread;
#define SLEEP_FOR evy::green::this_thread::sleep_for
#else
namespace io {
using ::fgets, ::getline, ::fread, ::getchar, ::scanf;
} // namespace io
using Thread = std::thread;
#define SLEEP_FOR std::this_thread::sleep_for
#endif

namespace {

// read_stdin() reads the way mode says and returns what it got.
std::string read_stdin(const std::string &mode) {
  if (mode == "fgets") {
    char buf[64];
    return io::fgets(buf, sizeof buf, stdin) ? buf : "(null)";
  }
  if (mode == "getline") {
    char *line = nullptr;
    size_t n = 0;
    const ssize_t got = io::getline(&line, &n, stdin);
    std::string out = std::to_string(got) + ":" + (got > 0 ? line : "");
    std::free(line);
    return out;
  }
  if (mode == "fread") {
    char buf[16] = {};
    const size_t got = io::fread(buf, 1, 10, stdin);
    return std::to_string(got) + ":" + std::string(buf, got);
  }
  if (mode == "getchar") {
    std::string out;
    for (int c; (c = io::getchar()) != EOF && c != '\n';)
      out += static_cast<char>(c);
    return out;
  }
  if (mode == "scanf") {
    int number = 0;
    char word[32] = {};
    const int n = io::scanf("%d %31s", &number, word);
    const int next = io::getchar(); // scanf's look-ahead was given back
    return std::to_string(n) + ":" + std::to_string(number) + ":" + word + ":" +
           std::to_string(next);
  }
  if (mode == "cin_getline") {
    std::string line;
    std::getline(std::cin, line);
    return line + ":" + std::to_string(std::cin.good());
  }
  if (mode == "cin_extract") {
    int number = 0;
    std::string word, rest;
    std::cin >> number >> word;
    std::getline(std::cin, rest);
    return std::to_string(number) + ":" + word + ":[" + rest + "]";
  }
  return "unknown mode";
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2)
    return 2;
  const auto main_thread = std::this_thread::get_id();
  std::atomic<bool> done{false}, same_thread{false};
  Thread ticker([&] {
    same_thread = std::this_thread::get_id() == main_thread;
    for (int ticks = 1; !done; ++ticks) {
      SLEEP_FOR(std::chrono::milliseconds(2));
      if (ticks == 3)
        (void)!::write(1, "ticking\n", 8);
    }
  });
  const std::string got = read_stdin(argv[1]);
  done = true;
  ticker.join();
  std::printf("read %s\nsame thread %d\n", got.c_str(), int(same_thread));
  return 0;
}
