// Green reads from stdin: fgets, getline, getdelim, fread, fgetc, getc,
// getchar, scanf, fscanf, vscanf, vfscanf, and std::cin (every read of it:
// std::getline, >>, read...) in any program that includes this header.
// Part of <evy/patched/os.h>; include that header, not this one.
//
// On stdin, when it is a pipe, socket or terminal, only the reading fiber
// waits: readability is awaited through the hub's poller, then glibc's own
// function reads what is there, so results, errno, EOF and error flags and
// the stdio buffer are the original's. stdin's O_NONBLOCK is never touched
// (other processes share it). A regular file as stdin, and any other
// stream, is read by the original directly. docs/runtime.md has the details.
#pragma once

#include <cstdarg>
#include <cstdio>
#include <sys/types.h>

namespace evy {
namespace green {

// fgets() is ::fgets; on stdin it parks only the calling fiber.
char *fgets(char *s, int size, FILE *stream);
// getline() is ::getline (POSIX); on stdin it parks only the calling fiber.
ssize_t getline(char **lineptr, size_t *n, FILE *stream);
// getdelim() is ::getdelim; on stdin it parks only the calling fiber.
ssize_t getdelim(char **lineptr, size_t *n, int delim, FILE *stream);
// fread() is ::fread; on stdin it parks only the calling fiber.
size_t fread(void *ptr, size_t size, size_t nmemb, FILE *stream);
// fgetc() and getc() are ::fgetc; on stdin they park only the calling fiber.
int fgetc(FILE *stream);
int getc(FILE *stream);
// getchar() is ::getchar, parking only the calling fiber.
int getchar();
// scanf() and vscanf() are ::scanf and ::vscanf, parking only the calling fiber.
int scanf(const char *format, ...);
int vscanf(const char *format, va_list args);
// fscanf() and vfscanf() are ::fscanf and ::vfscanf; on stdin they park only
// the calling fiber.
int fscanf(FILE *stream, const char *format, ...);
int vfscanf(FILE *stream, const char *format, va_list args);

} // namespace green

// (evy::detail, not evy::green::detail: os sources use the latter's name.)
namespace detail {
// install_green_cin() makes std::cin read stdin through the green stdio
// calls (it keeps std's sync_with_stdio behaviour: a character at a time
// through stdin's FILE). Idempotent; returns true.
bool install_green_cin() noexcept;
} // namespace detail
} // namespace evy

#if !defined(EVY_BUILDING_RUNTIME)
// Every unit that includes the os module greens std::cin at start-up.
namespace {
__attribute__((unused)) const bool evy_green_cin_installed =
    ::evy::detail::install_green_cin();
}
#endif
