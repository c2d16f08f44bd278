#include "fixtures.h"

#include "../blocked_thread.h"

#include <cerrno>
#include <chrono>
#include <fstream>

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>

namespace evy::diff {
using namespace test_support;

void wait_blocked(pid_t tid) { wait_until_asleep(tid); }

SignalHandler::SignalHandler(bool restart) {
  struct sigaction action {};
  action.sa_handler = count_signal;
  action.sa_flags = restart ? SA_RESTART : 0;
  sigemptyset(&action.sa_mask);
  sigaction(SIGUSR1, &action, &previous_);
}

SignalHandler::~SignalHandler() { sigaction(SIGUSR1, &previous_, nullptr); }

void SignalHandler::interrupt(pid_t tid) {
  wait_until_asleep(tid);
  signal_counted(tid, SIGUSR1);
}

void fill(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
  static const char chunk[4096] = {};
  while (::write(fd, chunk, sizeof chunk) > 0) {
  }
  ::fcntl(fd, F_SETFL, flags);
}

ssize_t peer_read(int fd, void *buf, size_t count) {
  for (;;) {
    const ssize_t n = ::read(fd, buf, count);
    if (n >= 0 || (errno != EAGAIN && errno != EINTR))
      return n;
    pollfd p{fd, POLLIN, 0};
    ::poll(&p, 1, -1);
  }
}

void plain_write(int fd, const std::string &text) {
  if (::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
    ADD_FAILURE() << "peer write failed: " << Log::errno_name(errno);
}

std::string flags_text(int flags) {
  std::string text;
  const std::pair<int, const char *> names[] = {{MSG_TRUNC, "TRUNC"},   {MSG_CTRUNC, "CTRUNC"},
                                                {MSG_EOR, "EOR"},       {MSG_OOB, "OOB"},
                                                {MSG_ERRQUEUE, "ERRQ"}, {MSG_WAITALL, "WAITALL"}};
  for (const auto &[bit, name] : names)
    if (flags & bit) {
      text += text.empty() ? "" : "|";
      text += name;
      flags &= ~bit;
    }
  if (flags != 0)
    text += (text.empty() ? "" : "|") + std::to_string(flags);
  return text.empty() ? "0" : text;
}

} // namespace evy::diff
