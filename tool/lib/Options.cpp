#include "Options.h"

#include <algorithm>

namespace evy {

std::optional<ReportFormat> parseReportFormat(const std::string &Value) {
  if (Value.empty() || Value == "text")
    return ReportFormat::Text;
  if (Value == "json")
    return ReportFormat::Json;
  if (Value == "sarif")
    return ReportFormat::Sarif;
  return std::nullopt;
}

// Hardware threads, not physical cores: a unit's parse mostly waits on
// memory, so a second thread per core still helps, and memory is the limit
// that matters (clang needs up to about 1.5 GiB for a large unit).
unsigned defaultJobs(unsigned HardwareThreads, unsigned long long MemoryBytes) {
  unsigned long long Jobs = std::max(1u, HardwareThreads);
  if (MemoryBytes > 0)
    Jobs = std::min(Jobs, std::max(1ull, MemoryBytes / (3ull << 29)));
  return static_cast<unsigned>(Jobs);
}

} // namespace evy
