// OutputBatch: everything one run writes (files and stdout), committed at
// once. Files go through a temporary beside their target and a rename, so a
// failure leaves every target as it was; every failure is reported as
// "evy-rewrite: error: PATH: reason" (PATH "<stdout>" for standard output).
#pragma once

#include "Diagnostics.h"

#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace evy {

class OutputBatch {
public:
  explicit OutputBatch(Diagnostics &Diags) : Diags(Diags) {}

  /// Path gets Text, replacing what it holds.
  void addFile(std::string Path, std::string Text);
  /// Text is printed on standard output.
  void addStdout(const std::string &Text) { Stdout += Text; }

  /// Writes the temporaries, then targets that cannot be renamed onto (a
  /// device such as /dev/full, a pipe), then stdout, then renames. A failure
  /// before the renames removes the temporaries. False after any failure.
  bool commit();

private:
  struct PendingFile {
    std::string Target; // where the text goes (a symbolic link's target)
    std::string Text;
    std::string Temporary; // "" when written directly
  };
  bool writeTemporaries();
  bool writeDirectTargets();
  bool writeStdout();
  bool renameTemporaries();
  void removeTemporaries();
  bool closedCleanly(llvm::raw_fd_ostream &Out, const std::string &Path);
  bool parentDirectoryMade(const std::string &Path);
  void error(const std::string &Path, const std::string &Reason);

  Diagnostics &Diags;
  std::vector<PendingFile> Files;
  std::string Stdout;
};

/// finishStandardStreams() flushes stdout and returns Status, or 2 after
/// reporting a write error on stdout; errors on stderr (which cannot be
/// reported) are cleared, so that LLVM's fatal handler never ends the run.
int finishStandardStreams(int Status, Diagnostics &Diags);

} // namespace evy
