// read/write/readv/writev on pipes and files; wait/waitpid on children.
#include "fixtures.h"

#include <climits>
#include <cstdlib>

#include <fcntl.h>
#include <sys/wait.h>

namespace evy::diff {
namespace {

EVY_SCENARIO(pipe_read_write, "read write fcntl") {
  Pipe<Ops> pipe;
  char buf[16];
  log.ret("write", Ops::write(pipe.b, "hello", 5));
  long n = log.ret("read 3", Ops::read(pipe.a, buf, 3));
  log.note("data", std::string(buf, n > 0 ? n : 0));
  log.ret("read zero-length", Ops::read(pipe.a, buf, 0));
  log.ret("write zero-length", Ops::write(pipe.b, "", 0));
  log.ret("read to a bad buffer", Ops::read(pipe.a, reinterpret_cast<void *>(8), 2));
  log.ret("read the rest", Ops::read(pipe.a, buf, sizeof buf));
  const int flags = Ops::fcntl(pipe.a, F_GETFL);
  log.ret("set O_NONBLOCK", Ops::fcntl(pipe.a, F_SETFL, flags | O_NONBLOCK));
  log.ret("read empty nonblocking", Ops::read(pipe.a, buf, sizeof buf));
  Ops::fcntl(pipe.a, F_SETFL, flags);
  {
    Peer peer([&, tid = log.tid] {
      wait_blocked(tid);
      plain_write(pipe.b, "late");
    });
    n = log.ret("read blocking", Ops::read(pipe.a, buf, sizeof buf));
    log.note("data", std::string(buf, n > 0 ? n : 0));
  }
  log.ret("read the write end", Ops::read(pipe.b, buf, 1));
  log.ret("write the read end", Ops::write(pipe.a, "x", 1));
  log.ret("read -1", Ops::read(-1, buf, 1));
  pipe.close_b();
  log.ret("read at eof", Ops::read(pipe.a, buf, sizeof buf));
  const int closed = pipe.a;
  pipe.close_a();
  log.ret("read closed fd", Ops::read(closed, buf, 1));
}

EVY_SCENARIO(pipe_write_large_to_a_draining_reader, "write") {
  Pipe<Ops> pipe;
  std::string data(300000, 'q');
  long received = 0;
  {
    Peer peer([&] {
      char buf[65536];
      for (ssize_t n; (n = peer_read(pipe.a, buf, sizeof buf)) > 0;)
        received += n;
    });
    log.ret("write 300000", Ops::write(pipe.b, data.data(), data.size()));
    pipe.close_b();
  }
  log.note("received", received);
}

EVY_SCENARIO(vectored_io, "readv writev") {
  Pipe<Ops> pipe;
  char a[] = "ab", b[] = "cde";
  iovec out[3] = {{a, 2}, {nullptr, 0}, {b, 3}};
  log.ret("writev", Ops::writev(pipe.b, out, 3));
  log.ret("writev no iovecs", Ops::writev(pipe.b, out, 0));
  log.ret("writev negative count", Ops::writev(pipe.b, out, -1));
  log.ret("writev too many", Ops::writev(pipe.b, out, IOV_MAX + 1));
  iovec bad[1] = {{reinterpret_cast<void *>(8), 4}};
  log.ret("writev bad buffer", Ops::writev(pipe.b, bad, 1));
  char x[3] = {}, y[8] = {};
  iovec in[2] = {{x, 3}, {y, sizeof y}};
  const long n = log.ret("readv", Ops::readv(pipe.a, in, 2));
  log.note("data", std::string(x, 3) + std::string(y, n > 3 ? n - 3 : 0));
  log.ret("readv zero count", Ops::readv(pipe.a, in, 0));
  log.ret("readv -1", Ops::readv(-1, in, 2));
  Peer peer([&, tid = log.tid] {
    wait_blocked(tid);
    plain_write(pipe.b, "wxyz");
  });
  log.ret("readv blocking", Ops::readv(pipe.a, in, 2));
  log.note("data", std::string(x, 3));
}

EVY_SCENARIO(regular_file_io, "read write readv") {
  char path[] = "/tmp/evy-differential-XXXXXX";
  const int fd = ::mkstemp(path);
  ::unlink(path);
  log.ret("write", Ops::write(fd, "file data", 9));
  ::lseek(fd, 0, SEEK_SET);
  char buf[16];
  log.ret("read", Ops::read(fd, buf, sizeof buf));
  log.ret("read at end", Ops::read(fd, buf, sizeof buf));
  iovec in[1] = {{buf, 4}};
  ::lseek(fd, 5, SEEK_SET);
  log.ret("readv", Ops::readv(fd, in, 1));
  ::close(fd);
}

template <class Ops> void read_interrupted(Log &log, bool restart) {
  SignalHandler handler(restart);
  Pipe<Ops> pipe;
  Peer peer([&, tid = log.tid] {
    handler.interrupt(tid);
    plain_write(pipe.b, "z");
  });
  char buf[4];
  log.ret("read interrupted", Ops::read(pipe.a, buf, sizeof buf));
}

EVY_SCENARIO(read_eintr_without_sa_restart, "read") { read_interrupted<Ops>(log, false); }
EVY_SCENARIO(read_eintr_with_sa_restart, "read") { read_interrupted<Ops>(log, true); }

pid_t child_exiting_with(int code) {
  const pid_t pid = ::fork();
  if (pid == 0)
    ::_exit(code);
  return pid;
}

EVY_SCENARIO(wait_for_children, "wait waitpid") {
  int status = -1;
  log.ret("wait without children", Ops::wait(&status));
  log.ret("waitpid without children", Ops::waitpid(-1, &status, 0));
  log.ret("waitpid bad options", Ops::waitpid(-1, &status, 0x4000000));
  log.ret("waitpid not a child", Ops::waitpid(1, &status, 0));
  Pipe<Ops> gate;
  const pid_t held = ::fork();
  if (held == 0) {
    char c;
    (void)!::read(gate.a, &c, 1); // exits once the parent writes
    ::_exit(3);
  }
  log.ret("waitpid WNOHANG, running", Ops::waitpid(held, &status, WNOHANG));
  Peer peer([&, tid = log.tid] {
    wait_blocked(tid);
    plain_write(gate.b, "x");
  });
  log.note("waitpid blocking", Ops::waitpid(held, &status, 0) == held);
  log.note("status", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  const pid_t quick = child_exiting_with(7);
  log.note("wait", Ops::wait(&status) == quick);
  log.note("status", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  const pid_t stopped = child_exiting_with(9);
  log.note("waitpid WUNTRACED", Ops::waitpid(stopped, nullptr, WUNTRACED) == stopped);
}

} // namespace
} // namespace evy::diff
