// Diagnostics: the one sink for evy-rewrite's own messages. Every loader and
// writer reports through it, and a message is formatted here only:
//   a place in a file   "file:line:col: error: message" (or "file: error: ...")
//   the run as a whole  "evy-rewrite: error: message"
// Clang's own diagnostics of a unit arrive already formatted (verbatim()).
#pragma once

#include "llvm/Support/raw_ostream.h"

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace evy {

enum class Severity { Error, Warning, Note };

/// A place a message points at: a file, and a 1-based line and column when
/// the message concerns one spot (Line 0: the file as a whole).
struct Location {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;
};

/// "file:line:col", or "file" when there is no line.
std::string formatLocation(const Location &Where);

struct Diagnostic {
  Severity Level = Severity::Error;
  std::optional<Location> Where; // none: a message about the run
  std::string Message;
};

/// The line a diagnostic prints as, without the newline.
std::string formatDiagnostic(const Diagnostic &D);

/// Prints each message as it arrives, or (Keep) keeps them until replayed:
/// the parallel units' messages wait for the run to decide what to print,
/// and unit tests read them. Safe to share between threads.
class Diagnostics {
public:
  enum KeepTag { Keep };
  /// Prints to Out (stderr by default).
  explicit Diagnostics(llvm::raw_ostream &Out = llvm::errs()) : Out(&Out) {}
  /// Keeps every message.
  explicit Diagnostics(KeepTag) {}

  void error(std::string Message) { report({Severity::Error, std::nullopt, std::move(Message)}); }
  void error(Location Where, std::string Message) {
    report({Severity::Error, std::move(Where), std::move(Message)});
  }
  void warning(Location Where, std::string Message) {
    report({Severity::Warning, std::move(Where), std::move(Message)});
  }
  void note(std::string Message) { report({Severity::Note, std::nullopt, std::move(Message)}); }
  void note(Location Where, std::string Message) {
    report({Severity::Note, std::move(Where), std::move(Message)});
  }
  void report(Diagnostic D);
  /// Text clang's own printer formatted (a unit's diagnostics), passed on as is.
  void verbatim(const std::string &Text);

  unsigned errorCount() const;
  /// The kept messages, formatted, in the order they came.
  std::vector<std::string> lines() const;
  /// Passes every kept message on to To, in order, and forgets them.
  void replayInto(Diagnostics &To);

private:
  struct Entry {
    std::optional<Diagnostic> Message; // none: Text is verbatim
    std::string Text;
  };
  mutable std::mutex Mutex;
  llvm::raw_ostream *Out = nullptr; // null: kept
  std::vector<Entry> Kept;
  unsigned Errors = 0;
};

} // namespace evy
