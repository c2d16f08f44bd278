// Green os: pipes block only the reader, waitpid lets others run, regular
// files pass straight through.
#include "runtime_test.h"

#include <evy/patched/os.h>
#include <evy/patched/socket.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace evy::test {
namespace {

using namespace std::chrono_literals;
using OsTest = RuntimeTest;

struct Pipe {
  int read_end = -1, write_end = -1;
  Pipe() {
    int fds[2];
    if (::pipe(fds) == 0) {
      read_end = fds[0];
      write_end = fds[1];
    }
  }
  ~Pipe() {
    evy::green::close(read_end);
    evy::green::close(write_end);
  }
};

TEST_F(OsTest, PipeReadBlocksOnlyTheReader) {
  Pipe pipe;
  ASSERT_GE(pipe.read_end, 0);
  Ticker ticker(1ms);
  std::string got;
  bool written = false;
  GreenThread reader = evy::spawn([&] {
    char buffer[16];
    const ssize_t n = evy::green::read(pipe.read_end, buffer, sizeof buffer);
    EXPECT_TRUE(written); // returned only after the writer wrote
    got.assign(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
  });
  GreenThread writer = evy::spawn([&] {
    evy::sleep(30ms);
    written = true;
    EXPECT_EQ(evy::green::write(pipe.write_end, "data", 4), 4);
  });
  reader.join();
  writer.join();
  EXPECT_EQ(got, "data");
  EXPECT_GE(ticker.stop(), 2); // it woke from a sleep while the other fiber waited
}

TEST_F(OsTest, LargeWritesCompleteLikeABlockingWrite) {
  Pipe pipe;
  constexpr std::size_t kSize = 1 << 20; // far more than the pipe buffer
  std::vector<char> out(kSize);
  for (std::size_t i = 0; i < kSize; ++i)
    out[i] = static_cast<char>(i * 7);
  std::vector<char> in;
  GreenThread reader = evy::spawn([&] {
    char buffer[4096];
    ssize_t n;
    while ((n = evy::green::read(pipe.read_end, buffer, sizeof buffer)) > 0)
      in.insert(in.end(), buffer, buffer + n);
  });
  EXPECT_EQ(evy::green::write(pipe.write_end, out.data(), kSize), static_cast<ssize_t>(kSize));
  evy::green::close(pipe.write_end);
  pipe.write_end = -1;
  reader.join();
  EXPECT_EQ(in, out);
}

TEST_F(OsTest, ReadvAndWritevMoveEveryPiece) {
  Pipe pipe;
  char a[] = "hello ", b[] = "green ", c[] = "world";
  iovec out[] = {{a, 6}, {b, 6}, {c, 5}};
  GreenThread writer = evy::spawn([&] {
    evy::sleep(5ms);
    EXPECT_EQ(evy::green::writev(pipe.write_end, out, 3), 17);
  });
  char x[8] = {}, y[16] = {};
  iovec in[] = {{x, 8}, {y, 16}};
  EXPECT_EQ(evy::green::readv(pipe.read_end, in, 2), 17);
  writer.join();
  EXPECT_EQ(std::string(x, 8) + std::string(y, 9), "hello green world");
}

TEST_F(OsTest, CallerNonblockingPipeGivesEagainAtOnce) {
  Pipe pipe;
  ASSERT_EQ(evy::green::fcntl(pipe.read_end, F_SETFL,
                              evy::green::fcntl(pipe.read_end, F_GETFL) | O_NONBLOCK),
            0);
  bool other_ran = false;
  GreenThread other = evy::spawn([&] { other_ran = true; });
  char c;
  errno = 0;
  EXPECT_EQ(evy::green::read(pipe.read_end, &c, 1), -1);
  EXPECT_EQ(errno, EAGAIN);
  EXPECT_FALSE(other_ran); // it did not wait, not even a round
  other.join();
}

TEST_F(OsTest, RegularFilesPassStraightThrough) {
  char path[] = "/tmp/evy-os-test-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::unlink(path);
  EXPECT_EQ(evy::green::write(fd, "file", 4), 4);
  ASSERT_EQ(::lseek(fd, 0, SEEK_SET), 0);
  char buffer[8] = {};
  EXPECT_EQ(evy::green::read(fd, buffer, sizeof buffer), 4);
  EXPECT_EQ(std::string(buffer), "file");
  EXPECT_EQ(evy::green::read(fd, buffer, sizeof buffer), 0); // end of file
  // The runtime left the file's flags alone.
  EXPECT_EQ(::fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
  evy::green::close(fd);
  errno = 0;
  EXPECT_EQ(evy::green::read(fd, buffer, 1), -1);
  EXPECT_EQ(errno, EBADF);
}

// fork_child_that_exits() forks a child that sleeps for `after`, then exits
// with `status`; it returns what fork() returned in the parent.
pid_t fork_child_that_exits(std::chrono::microseconds after, int status) {
  const pid_t child = ::fork();
  if (child == 0) {
    ::usleep(static_cast<useconds_t>(after.count()));
    ::_exit(status);
  }
  return child;
}

TEST_F(OsTest, WaitpidReturnsTheExitStatusWhileOthersRun) {
  Ticker ticker(2ms);
  const pid_t child = fork_child_that_exits(150ms, 7);
  ASSERT_GE(child, 0);
  int status = 0;
  EXPECT_EQ(evy::green::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 7);
  EXPECT_GE(ticker.stop(), 2); // it woke from a sleep while the other fiber waited
  errno = 0;
  EXPECT_EQ(evy::green::waitpid(child, &status, 0), -1); // reaped already
  EXPECT_EQ(errno, ECHILD);
}

TEST_F(OsTest, WaitForAnyChildLetsOthersRun) {
  Ticker ticker(2ms);
  const pid_t child = fork_child_that_exits(100ms, 3);
  ASSERT_GE(child, 0);
  int status = 0;
  EXPECT_EQ(evy::green::wait(&status), child);
  EXPECT_EQ(WEXITSTATUS(status), 3);
  EXPECT_GE(ticker.stop(), 2); // it woke from a sleep while the other fiber waited
}

} // namespace
} // namespace evy::test
