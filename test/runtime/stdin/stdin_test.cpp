// Green stdin: a ticker keeps ticking while the main green thread waits to
// read from a pipe that is written only later. Each way of reading runs in
// a child process (stdin_child, original and green builds) with pipes as
// stdin and stdout: the test writes the input only after the child said
// "ticking", so a read that blocked the OS thread would never get it.
#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <poll.h>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace {

// read_line() reads one line from fd, waiting at most 20 s (a hang bound,
// not a timing check): "" if none came.
std::string read_line(int fd) {
  std::string line;
  char c;
  while (line.empty() || line.back() != '\n') {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 20000) != 1 || ::read(fd, &c, 1) != 1)
      return line;
    line += c;
  }
  return line;
}

// run() runs program MODE with input written after "ticking"; returns
// what it printed ("TICKER NEVER RAN" when it did not tick while reading).
std::string run(const char *program, const char *mode, const std::string &input) {
  int in[2], out[2];
  if (::pipe(in) != 0 || ::pipe(out) != 0)
    return "pipe failed";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  for (int fd : {in[0], in[1], out[0], out[1]})
    posix_spawn_file_actions_addclose(&actions, fd);
  char *argv[] = {const_cast<char *>(program), const_cast<char *>(mode), nullptr};
  pid_t pid;
  const int spawned = posix_spawn(&pid, program, &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  if (spawned != 0)
    return "spawn failed";
  std::string output = read_line(out[0]);
  if (output != "ticking\n") {
    ::kill(pid, SIGKILL);
    output = "TICKER NEVER RAN";
  } else {
    (void)!::write(in[1], input.data(), input.size());
  }
  ::close(in[1]);
  for (std::string line; !(line = read_line(out[0])).empty();)
    output += line;
  ::close(out[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return output;
}

struct Case {
  const char *mode;
  const char *expected_read;
};

class GreenStdin : public ::testing::TestWithParam<Case> {};

TEST_P(GreenStdin, TickerTicksWhileAReadWaitsForThePipe) {
  const std::string input = "42 word\nsecond line\n";
  const std::string original = run(EVY_STDIN_CHILD_ORIGINAL, GetParam().mode, input);
  const std::string green = run(EVY_STDIN_CHILD_GREEN, GetParam().mode, input);
  EXPECT_EQ(original, std::string("ticking\nread ") + GetParam().expected_read +
                          "\nsame thread 0\n");
  // Same read, but the ticker was a green thread of the reader's OS thread.
  EXPECT_EQ(green, std::string("ticking\nread ") + GetParam().expected_read +
                       "\nsame thread 1\n");
}

INSTANTIATE_TEST_SUITE_P(
    Reads, GreenStdin,
    ::testing::Values(Case{"fgets", "42 word\n"}, Case{"getline", "8:42 word\n"},
                      Case{"fread", "10:42 word\nse"}, Case{"getchar", "42 word"},
                      Case{"scanf", "2:42:word:10"}, Case{"cin_getline", "42 word:1"},
                      Case{"cin_extract", "42:word:[]"}),
    [](const auto &info) { return std::string(info.param.mode); });

} // namespace
