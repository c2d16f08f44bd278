// The runtime's own fds (hub epoll and eventfd, pidfds) are invisible to
// green calls: on them, every call answers as the original does on a number
// that is not open, and nothing the program does through green calls can
// break a hub. Its own program: these tests close fds they do not own.
#include "runtime_test.h"

#include "runtime_fd.h"

#include <evy/patched/os.h>
#include <evy/patched/select.h>
#include <evy/patched/socket.h>

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace evy::test {
namespace {

using namespace std::chrono_literals;
using detail::runtime_fd_numbers;

// Outcome is what a call returned and the errno it left.
struct Outcome {
  long result;
  int error;
  bool operator==(const Outcome &other) const {
    return result == other.result && error == other.error;
  }
};
std::ostream &operator<<(std::ostream &out, const Outcome &o) {
  return out << o.result << "/errno " << o.error;
}
Outcome outcome_of(long result) { return {result, result < 0 ? errno : 0}; }

// free_fd() is a number that is not open (closed right after opening).
int free_fd() {
  const int fd = ::open("/dev/null", O_RDONLY);
  ::close(fd);
  return fd;
}

// OtherHub is a second OS thread with its own hub, whose fiber echoes
// bytes from one pipe to another: proof that hub keeps working.
class OtherHub {
public:
  OtherHub() {
    (void)::pipe(in_);
    (void)::pipe(out_);
    thread_ = std::thread([this] {
      char byte;
      while (evy::green::read(in_[0], &byte, 1) == 1 && byte != 'q')
        (void)evy::green::write(out_[1], &byte, 1);
    });
    EXPECT_EQ(echo('s'), 's'); // its hub exists now
  }
  ~OtherHub() {
    (void)::write(in_[1], "q", 1);
    thread_.join();
    for (int fd : {in_[0], in_[1], out_[0], out_[1]})
      ::close(fd);
  }
  // echo() sends a byte through the other hub and returns what came back.
  char echo(char byte) {
    char back = 0;
    (void)evy::green::write(in_[1], &byte, 1);
    (void)evy::green::read(out_[0], &back, 1);
    return back;
  }

private:
  int in_[2], out_[2];
  std::thread thread_;
};

// hub_still_works() checks sleeps, a socket pair and a fiber on this hub.
void hub_still_works() {
  evy::sleep(1ms);
  int pair[2];
  ASSERT_EQ(evy::green::socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
  GreenThread peer = evy::spawn([&] {
    char byte;
    ASSERT_EQ(evy::green::recv(pair[1], &byte, 1, 0), 1);
    ASSERT_EQ(evy::green::send(pair[1], &byte, 1, 0), 1);
  });
  char byte = 'x';
  ASSERT_EQ(evy::green::send(pair[0], &byte, 1, 0), 1);
  byte = 0;
  ASSERT_EQ(evy::green::recv(pair[0], &byte, 1, 0), 1);
  EXPECT_EQ(byte, 'x');
  peer.join();
  evy::green::close(pair[0]);
  evy::green::close(pair[1]);
}

std::string link_of(int fd) {
  char target[256] = {};
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  const ssize_t n = ::readlink(path.c_str(), target, sizeof target - 1);
  return n > 0 ? std::string(target, static_cast<std::size_t>(n)) : std::string();
}

std::vector<int> open_fds() {
  std::vector<int> fds;
  DIR *dir = ::opendir("/proc/self/fd");
  while (dirent *entry = ::readdir(dir))
    if (entry->d_name[0] != '.')
      fds.push_back(std::atoi(entry->d_name));
  const int own = ::dirfd(dir);
  ::closedir(dir);
  fds.erase(std::remove(fds.begin(), fds.end(), own), fds.end());
  return fds;
}

class RuntimeFdTest : public RuntimeTest {
protected:
  void SetUp() override { evy::sleep(0ms); } // this thread's hub
};

TEST_F(RuntimeFdTest, EveryEpollAndEventfdOfTheRuntimeIsHidden) {
  OtherHub other;
  const std::vector<int> hidden = runtime_fd_numbers();
  EXPECT_GE(hidden.size(), 4u); // two hubs, an epoll and an eventfd each
  int runtime_kind = 0;
  for (int fd : open_fds()) {
    const std::string target = link_of(fd);
    if (target == "anon_inode:[eventpoll]" || target == "anon_inode:[eventfd]") {
      ++runtime_kind;
      EXPECT_NE(std::find(hidden.begin(), hidden.end(), fd), hidden.end())
          << fd << " " << target << " is the runtime's but not hidden";
      EXPECT_EQ(::fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC) << fd;
    }
  }
  EXPECT_EQ(runtime_kind, static_cast<int>(hidden.size()));
}

// Each green call on each runtime fd, against the original on a free number.
TEST_F(RuntimeFdTest, GreenCallsOnARuntimeFdAnswerAsOnAFdThatIsNotOpen) {
  OtherHub other;
  using Call = std::function<long(int)>;
  char buffer[8] = {};
  const std::vector<std::pair<std::string, std::pair<Call, Call>>> calls = {
      {"close", {[](int fd) { return ::close(fd); }, [](int fd) { return evy::green::close(fd); }}},
      {"fcntl F_GETFL",
       {[](int fd) { return ::fcntl(fd, F_GETFL); },
        [](int fd) { return evy::green::fcntl(fd, F_GETFL); }}},
      {"fcntl F_SETFD",
       {[](int fd) { return ::fcntl(fd, F_SETFD, 0); },
        [](int fd) { return evy::green::fcntl(fd, F_SETFD, 0); }}},
      {"fcntl F_DUPFD",
       {[](int fd) { return ::fcntl(fd, F_DUPFD, 0); },
        [](int fd) { return evy::green::fcntl(fd, F_DUPFD, 0); }}},
      {"read",
       {[&](int fd) { return ::read(fd, buffer, sizeof buffer); },
        [&](int fd) { return evy::green::read(fd, buffer, sizeof buffer); }}},
      {"write",
       {[&](int fd) { return ::write(fd, buffer, sizeof buffer); },
        [&](int fd) { return evy::green::write(fd, buffer, sizeof buffer); }}},
      {"recv",
       {[&](int fd) { return ::recv(fd, buffer, 1, MSG_DONTWAIT); },
        [&](int fd) { return evy::green::recv(fd, buffer, 1, MSG_DONTWAIT); }}},
      {"shutdown",
       {[](int fd) { return ::shutdown(fd, SHUT_RDWR); },
        [](int fd) { return evy::green::shutdown(fd, SHUT_RDWR); }}},
      {"dup", {[](int fd) { return ::dup(fd); }, [](int fd) { return evy::green::dup(fd); }}},
      {"dup2 from",
       {[](int fd) { return ::dup2(fd, 1000); }, [](int fd) { return evy::green::dup2(fd, 1000); }}},
      {"dup2 self",
       {[](int fd) { return ::dup2(fd, fd); }, [](int fd) { return evy::green::dup2(fd, fd); }}},
      {"dup3 self",
       {[](int fd) { return ::dup3(fd, fd, 0); },
        [](int fd) { return evy::green::dup3(fd, fd, 0); }}},
      {"poll",
       {[](int fd) {
          pollfd p{fd, POLLIN, 0};
          const int n = ::poll(&p, 1, 1000);
          return n * 1000L + p.revents;
        },
        [](int fd) {
          pollfd p{fd, POLLIN, 0};
          const int n = evy::green::poll(&p, 1, 1000);
          return n * 1000L + p.revents;
        }}},
      {"select",
       {[](int fd) {
          fd_set set;
          FD_ZERO(&set);
          FD_SET(fd, &set);
          timeval zero{};
          return ::select(fd + 1, &set, nullptr, nullptr, &zero);
        },
        [](int fd) {
          fd_set set;
          FD_ZERO(&set);
          FD_SET(fd, &set);
          timeval zero{};
          return evy::green::select(fd + 1, &set, nullptr, nullptr, &zero);
        }}},
  };
  for (const auto &[name, pair] : calls) {
    for (int fd : runtime_fd_numbers()) {
      if (name == "select" && fd >= FD_SETSIZE)
        continue;
      Outcome original{};
      std::thread([&] {
        const int unused = free_fd();
        original = outcome_of(pair.first(unused));
      }).join();
      EXPECT_EQ(outcome_of(pair.second(fd)), original) << name << " on runtime fd " << fd;
    }
  }
  hub_still_works();
  EXPECT_EQ(other.echo('a'), 'a');
}

// dup2/dup3 onto a runtime fd's number give the program that number, as
// if it were free; the runtime's file moves and both hubs keep working.
TEST_F(RuntimeFdTest, Dup2AndDup3OntoARuntimeFdGiveTheProgramThatNumber) {
  OtherHub other;
  const std::vector<int> before = runtime_fd_numbers();
  bool use_dup3 = false;
  for (int target : before) {
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    Outcome original{};
    int original_cloexec = 0;
    std::thread([&] {
      const int unused = free_fd();
      original = outcome_of(use_dup3 ? ::dup3(pipe_fds[1], unused, O_CLOEXEC)
                                     : ::dup2(pipe_fds[1], unused));
      original.result = original.result == unused ? 0 : -2; // "returned newfd"
      original_cloexec = ::fcntl(unused, F_GETFD);
      ::close(unused);
    }).join();
    Outcome green = outcome_of(use_dup3 ? evy::green::dup3(pipe_fds[1], target, O_CLOEXEC)
                                        : evy::green::dup2(pipe_fds[1], target));
    green.result = green.result == target ? 0 : -2;
    EXPECT_EQ(green, original) << (use_dup3 ? "dup3" : "dup2") << " onto " << target;
    EXPECT_EQ(evy::green::fcntl(target, F_GETFD), original_cloexec);
    // The number is the program's pipe now.
    ASSERT_EQ(evy::green::write(target, "z", 1), 1);
    char byte = 0;
    ASSERT_EQ(evy::green::read(pipe_fds[0], &byte, 1), 1);
    EXPECT_EQ(byte, 'z');
    EXPECT_EQ(evy::green::close(target), 0);
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    hub_still_works();
    EXPECT_EQ(other.echo('b'), 'b');
    use_dup3 = !use_dup3;
  }
  EXPECT_EQ(runtime_fd_numbers().size(), before.size());
}

TEST_F(RuntimeFdTest, ClosingEveryFdFrom3OnLeavesTheRuntimeWorking) {
  OtherHub other;
  const std::vector<int> hidden = runtime_fd_numbers();
  const int last = std::max(1024, hidden.back() + 16);
  int pair[2];
  ASSERT_EQ(evy::green::socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
  int closed = 0;
  for (int fd = 3; fd <= last; ++fd) {
    if (link_of(fd).find("pipe:") != std::string::npos)
      continue; // the other hub's own pipes (the program's, but in use)
    if (evy::green::close(fd) == 0)
      ++closed;
  }
  EXPECT_GE(closed, 2); // at least the socket pair
  EXPECT_EQ(runtime_fd_numbers(), hidden);
  hub_still_works();
  EXPECT_EQ(other.echo('c'), 'c');
}

#if EVY_GREEN_CLOSE_RANGE
TEST_F(RuntimeFdTest, CloseRangeClosesTheProgramsFdsAndSkipsTheRuntimes) {
  std::vector<int> hidden = runtime_fd_numbers();
  // Program fds right beside the runtime's, and low ones.
  std::vector<int> mine;
  for (int fd : hidden)
    for (int beside : {fd - 1, fd + 1})
      if (::fcntl(beside, F_GETFD) < 0 && evy::green::dup2(0, beside) == beside)
        mine.push_back(beside);
  mine.push_back(::open("/dev/null", O_RDONLY));
  ASSERT_GE(mine.size(), 3u);
  // CLOSE_RANGE_CLOEXEC marks the program's fds only.
  EXPECT_EQ(evy::green::close_range(3, ~0u, CLOSE_RANGE_CLOEXEC), 0);
  for (int fd : mine)
    EXPECT_EQ(::fcntl(fd, F_GETFD), FD_CLOEXEC) << fd;
  // Closing the range closes them, and the runtime carries on.
  EXPECT_EQ(evy::green::close_range(3, ~0u, 0), 0);
  for (int fd : mine)
    EXPECT_EQ(outcome_of(::fcntl(fd, F_GETFD)), (Outcome{-1, EBADF})) << fd;
  EXPECT_EQ(runtime_fd_numbers(), hidden);
  for (int fd : hidden)
    EXPECT_GE(::fcntl(fd, F_GETFD), 0) << fd;
  // Bad arguments fail as the original's.
  EXPECT_EQ(outcome_of(evy::green::close_range(5, 4, 0)), outcome_of(::close_range(5, 4, 0)));
  EXPECT_EQ(outcome_of(evy::green::close_range(3, 4, 0x40)),
            outcome_of(::close_range(3, 4, 0x40)));
  hub_still_works();
  OtherHub other; // a new hub after all that
  EXPECT_EQ(other.echo('d'), 'd');
  ::close(::open("/dev/null", O_RDONLY));
  evy::green::closefrom(3);
  hub_still_works();
}
#endif

} // namespace
} // namespace evy::test

int main(int argc, char **argv) {
  // The common soft limit: the runtime's fds then sit below 1024, where a
  // loop over fds 3..1024 meets them.
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 1024);
  setrlimit(RLIMIT_NOFILE, &limit);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
