#include "Diagnostics.h"

namespace evy {
namespace {

const char *severityName(Severity Level) {
  switch (Level) {
  case Severity::Error:
    return "error";
  case Severity::Warning:
    return "warning";
  case Severity::Note:
    return "note";
  }
  return "error";
}

} // namespace

std::string formatLocation(const Location &Where) {
  if (Where.Line == 0)
    return Where.File;
  return Where.File + ":" + std::to_string(Where.Line) + ":" + std::to_string(Where.Column);
}

std::string formatDiagnostic(const Diagnostic &D) {
  std::string Prefix = D.Where ? formatLocation(*D.Where) : std::string("evy-rewrite");
  return Prefix + ": " + severityName(D.Level) + ": " + D.Message;
}

void Diagnostics::report(Diagnostic D) {
  std::lock_guard<std::mutex> Lock(Mutex);
  if (D.Level == Severity::Error)
    ++Errors;
  if (Out)
    *Out << formatDiagnostic(D) << "\n";
  else
    Kept.push_back({std::move(D), ""});
}

void Diagnostics::verbatim(const std::string &Text) {
  std::lock_guard<std::mutex> Lock(Mutex);
  if (Out)
    *Out << Text;
  else
    Kept.push_back({std::nullopt, Text});
}

unsigned Diagnostics::errorCount() const {
  std::lock_guard<std::mutex> Lock(Mutex);
  return Errors;
}

std::vector<std::string> Diagnostics::lines() const {
  std::lock_guard<std::mutex> Lock(Mutex);
  std::vector<std::string> Lines;
  for (const Entry &E : Kept)
    Lines.push_back(E.Message ? formatDiagnostic(*E.Message) : E.Text);
  return Lines;
}

void Diagnostics::replayInto(Diagnostics &To) {
  std::vector<Entry> Taken;
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    Taken.swap(Kept);
  }
  for (Entry &E : Taken) {
    if (E.Message)
      To.report(std::move(*E.Message));
    else
      To.verbatim(E.Text);
  }
}

} // namespace evy
