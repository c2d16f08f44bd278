#include "Options.h"

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

} // namespace evy
