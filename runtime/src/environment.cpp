// The runtime's tunables read from the environment (see environment.h).
#include "environment.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace evy::detail {
namespace {

// parse_size() reads "65536", "64K", "64k", "1M", "1m"; 0 when malformed.
std::size_t parse_size(std::string_view text) noexcept {
  std::size_t value = 0, i = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i)
    value = value * 10 + static_cast<std::size_t>(text[i] - '0');
  if (i == 0)
    return 0;
  if (i == text.size())
    return value;
  if (i + 1 != text.size())
    return 0;
  switch (text[i]) {
  case 'k':
  case 'K':
    return value * 1024;
  case 'm':
  case 'M':
    return value * 1024 * 1024;
  default:
    return 0;
  }
}

long parse_positive(const char *text) noexcept {
  char *end = nullptr;
  const long value = std::strtol(text, &end, 10);
  return end != text && *end == '\0' && value > 0 ? value : 0;
}

// from_environment() is parse(value of name) when set and non-zero; a
// malformed value (parse gives 0) is reported and ignored.
template <class Parse>
auto from_environment(const char *name, Parse parse) noexcept
    -> std::optional<decltype(parse(""))> {
  const char *text = std::getenv(name);
  if (text == nullptr)
    return std::nullopt;
  const auto value = parse(text);
  if (value == 0) {
    std::fprintf(stderr, "evy: ignoring malformed %s=%s\n", name, text);
    return std::nullopt;
  }
  return value;
}

} // namespace

std::optional<long> positive_from_environment(const char *name) noexcept {
  return from_environment(name, parse_positive);
}

std::optional<std::size_t> bytes_from_environment(const char *name) noexcept {
  return from_environment(name, [](const char *text) { return parse_size(text); });
}

} // namespace evy::detail
