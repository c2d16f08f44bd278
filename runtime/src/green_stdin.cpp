// Green reads from stdin (os module): see <evy/patched/detail/os_stdin.h>.
//
// How a read stays green without O_NONBLOCK: a read from a FILE blocks
// only when its buffer is empty and the fd has nothing to read. So before
// each refill we wait for readability with the hub's poller; then glibc's
// refill is one read(2) that returns what is there. glibc's functions do
// that refill deep inside (fgets, scanf), so they are run on a stream made
// with fopencookie whose read function is that wait plus the green read of
// stdin's own FILE. The cookie stream is unbuffered, so it holds nothing
// after the call but what the function pushed back (scanf's look-ahead),
// which is returned to stdin with ungetc.
#include <evy/fd_wait.h>
#include <evy/patched/detail/os_stdin.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <ext/stdio_sync_filebuf.h>
#include <iostream>
#include <poll.h>
#include <string>
#include <sys/stat.h>

namespace evy::green {
namespace {

// buffered() is how many bytes stream's buffer holds unread (glibc's FILE).
std::size_t buffered(FILE *stream) noexcept {
  return static_cast<std::size_t>(stream->_IO_read_end - stream->_IO_read_ptr);
}

// greened() tells whether reads from stream are to wait green: stdin, and
// not a regular file or block device (those never wait for data).
bool greened(FILE *stream) noexcept {
  if (stream != stdin)
    return false;
  struct stat st;
  const int saved = errno;
  const bool waits = ::fstat(fileno(stream), &st) == 0 && !S_ISREG(st.st_mode) &&
                     !S_ISBLK(st.st_mode);
  errno = saved;
  return waits;
}

// wait_input() parks the fiber until reading stream's next byte cannot
// block: bytes are buffered, EOF is sticky (glibc does not read again),
// or the fd is readable (or broken: then the read reports it).
void wait_input(FILE *stream) noexcept {
  if (buffered(stream) > 0 || feof(stream))
    return;
  const int saved = errno;
  (void)evy::wait_fd(fileno(stream), POLLIN);
  errno = saved;
}

// A cookie stream's state: the stream it reads, and whether it is draining
// (reads say EOF, to collect what the function pushed back).
struct Cookie {
  FILE *source;
  bool draining = false;
};

ssize_t cookie_read(void *opaque, char *buf, std::size_t size) {
  auto &cookie = *static_cast<Cookie *>(opaque);
  if (cookie.draining || size == 0)
    return 0;
  FILE *source = cookie.source;
  wait_input(source);
  if (const std::size_t ready = buffered(source); ready > 0)
    return static_cast<ssize_t>(::fread(buf, 1, std::min(size, ready), source));
  const int c = ::fgetc(source); // one read(2): the fd is readable
  if (c == EOF)
    return ferror(source) ? -1 : 0;
  buf[0] = static_cast<char>(c);
  return 1;
}

// through_green() runs read(stream) directly, or, on a greened stdin, on a
// cookie stream over it, and returns its result.
template <class Read> auto through_green(FILE *stream, Read read) {
  if (!greened(stream))
    return read(stream);
  Cookie cookie{stream};
  FILE *green = fopencookie(&cookie, "r", {cookie_read, nullptr, nullptr, nullptr});
  if (!green)
    return read(stream); // out of memory: the original, blocking
  setvbuf(green, nullptr, _IONBF, 0);
  auto result = read(green);
  const int saved = errno;
  cookie.draining = true;
  std::string pushed_back;
  for (int c; (c = ::fgetc(green)) != EOF;)
    pushed_back += static_cast<char>(c);
  for (auto it = pushed_back.rbegin(); it != pushed_back.rend(); ++it)
    ::ungetc(static_cast<unsigned char>(*it), stream);
  ::fclose(green);
  errno = saved;
  return result;
}

} // namespace

char *fgets(char *s, int size, FILE *stream) {
  return through_green(stream, [&](FILE *f) { return ::fgets(s, size, f); });
}

ssize_t getline(char **lineptr, size_t *n, FILE *stream) {
  return through_green(stream, [&](FILE *f) { return ::getline(lineptr, n, f); });
}

ssize_t getdelim(char **lineptr, size_t *n, int delim, FILE *stream) {
  return through_green(stream, [&](FILE *f) { return ::getdelim(lineptr, n, delim, f); });
}

size_t fread(void *ptr, size_t size, size_t nmemb, FILE *stream) {
  return through_green(stream, [&](FILE *f) { return ::fread(ptr, size, nmemb, f); });
}

int fgetc(FILE *stream) {
  // A buffered byte needs no wait (and no fstat: getchar loops stay cheap).
  if (stream == stdin && buffered(stream) == 0 && greened(stream))
    wait_input(stream); // then one read(2) at most: no cookie needed
  return ::fgetc(stream);
}

int getc(FILE *stream) { return green::fgetc(stream); }

int getchar() { return green::fgetc(stdin); }

int vfscanf(FILE *stream, const char *format, va_list args) {
  return through_green(stream, [&](FILE *f) { return ::vfscanf(f, format, args); });
}

int vscanf(const char *format, va_list args) { return green::vfscanf(stdin, format, args); }

int fscanf(FILE *stream, const char *format, ...) {
  va_list args;
  va_start(args, format);
  const int result = green::vfscanf(stream, format, args);
  va_end(args);
  return result;
}

int scanf(const char *format, ...) {
  va_list args;
  va_start(args, format);
  const int result = green::vfscanf(stdin, format, args);
  va_end(args);
  return result;
}

namespace {

// GreenStdinBuf is libstdc++'s stdio_sync_filebuf (what std::cin reads
// through while synced with stdio) whose reads are the green ones.
class GreenStdinBuf : public __gnu_cxx::stdio_sync_filebuf<char> {
public:
  GreenStdinBuf() : stdio_sync_filebuf(stdin) {}

protected:
  int_type underflow() override {
    const int c = green::fgetc(stdin);
    return c == EOF ? traits_type::eof() : ::ungetc(c, stdin);
  }
  int_type uflow() override {
    const int c = green::fgetc(stdin);
    last_ = c == EOF ? traits_type::eof() : c;
    return last_;
  }
  int_type pbackfail(int_type c) override {
    int_type result = traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof()))
      result = ::ungetc(c, stdin);
    else if (!traits_type::eq_int_type(last_, traits_type::eof()))
      result = ::ungetc(last_, stdin);
    last_ = traits_type::eof();
    return result;
  }
  std::streamsize xsgetn(char *s, std::streamsize n) override {
    const std::streamsize got = green::fread(s, 1, static_cast<std::size_t>(n), stdin);
    last_ = got > 0 ? traits_type::to_int_type(s[got - 1]) : traits_type::eof();
    return got;
  }

private:
  int_type last_ = traits_type::eof();
};

} // namespace

} // namespace evy::green

namespace evy::detail {

bool install_green_cin() noexcept {
  static const bool installed = [] {
    static std::ios_base::Init iostreams; // std::cin exists from here on
    static green::GreenStdinBuf buffer;
    // Only over std's own synced buffer: a program that called
    // sync_with_stdio(false) or set its own rdbuf keeps its choice.
    if (dynamic_cast<__gnu_cxx::stdio_sync_filebuf<char> *>(std::cin.rdbuf()))
      std::cin.rdbuf(&buffer);
    return true;
  }();
  return installed;
}

} // namespace evy::detail
