#include "OutputBatch.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace evy {
namespace {

/// An existing target that is not a regular file (a device, a pipe) is
/// written directly: renaming onto it would replace it.
bool isDirectTarget(const std::string &Path) {
  llvm::sys::fs::file_status Status;
  return !llvm::sys::fs::status(Path, Status) && llvm::sys::fs::exists(Status) &&
         !llvm::sys::fs::is_regular_file(Status) && !llvm::sys::fs::is_directory(Status);
}

/// A symbolic link is written through, so that the link stays a link.
std::string resolvedTarget(const std::string &Path) {
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::is_symlink_file(Path) && !llvm::sys::fs::real_path(Path, Real))
    return Real.str().str();
  return Path;
}

} // namespace

void OutputBatch::error(const std::string &Path, const std::string &Reason) {
  Diags.error(Path + ": " + Reason);
}

/// Closes Out and reports its error for Path; clears the error so that the
/// stream's destructor does not end the process through LLVM's fatal handler.
bool OutputBatch::closedCleanly(llvm::raw_fd_ostream &Out, const std::string &Path) {
  Out.close();
  if (!Out.has_error())
    return true;
  error(Path, "cannot write: " + Out.error().message());
  Out.clear_error();
  return false;
}

/// Creates the directory Path goes in: a build tool may run evy-rewrite
/// -o/--depfile before anything made it (Make, unlike Ninja, does not).
bool OutputBatch::parentDirectoryMade(const std::string &Path) {
  llvm::StringRef Parent = llvm::sys::path::parent_path(Path);
  if (Parent.empty())
    return true;
  if (std::error_code EC = llvm::sys::fs::create_directories(Parent)) {
    error(Path, "cannot create its directory: " + EC.message());
    return false;
  }
  return true;
}

void OutputBatch::addFile(std::string Path, std::string Text) {
  Files.push_back({resolvedTarget(Path), std::move(Text), ""});
}

bool OutputBatch::commit() {
  if (!writeTemporaries() || !writeDirectTargets() || !writeStdout()) {
    removeTemporaries();
    return false;
  }
  return renameTemporaries();
}

bool OutputBatch::writeTemporaries() {
  for (PendingFile &File : Files) {
    if (isDirectTarget(File.Target))
      continue;
    if (llvm::sys::fs::is_directory(File.Target)) {
      error(File.Target, "is a directory");
      return false;
    }
    if (!parentDirectoryMade(File.Target))
      return false;
    llvm::SmallString<256> Temp;
    int FD;
    if (std::error_code EC =
            llvm::sys::fs::createUniqueFile(File.Target + ".evy-%%%%%%", FD, Temp)) {
      error(File.Target, "cannot write: " + EC.message());
      return false;
    }
    File.Temporary = Temp.str().str();
    llvm::raw_fd_ostream Out(FD, /*shouldClose=*/true);
    Out << File.Text;
    if (!closedCleanly(Out, File.Target))
      return false;
    // Keep an existing file's permissions.
    if (auto Perms = llvm::sys::fs::getPermissions(File.Target))
      llvm::sys::fs::setPermissions(File.Temporary, *Perms);
  }
  return true;
}

bool OutputBatch::writeDirectTargets() {
  for (const PendingFile &File : Files) {
    if (!File.Temporary.empty())
      continue;
    std::error_code EC;
    llvm::raw_fd_ostream Out(File.Target, EC, llvm::sys::fs::OF_None);
    if (EC) {
      error(File.Target, "cannot write: " + EC.message());
      return false;
    }
    Out << File.Text;
    if (!closedCleanly(Out, File.Target))
      return false;
  }
  return true;
}

bool OutputBatch::writeStdout() {
  if (Stdout.empty())
    return true;
  llvm::outs() << Stdout;
  Stdout.clear();
  return finishStandardStreams(0, Diags) == 0;
}

bool OutputBatch::renameTemporaries() {
  bool Ok = true;
  for (PendingFile &File : Files) {
    if (File.Temporary.empty())
      continue;
    if (std::error_code EC = llvm::sys::fs::rename(File.Temporary, File.Target)) {
      error(File.Target, "cannot replace: " + EC.message());
      llvm::sys::fs::remove(File.Temporary);
      Ok = false;
    }
    File.Temporary.clear();
  }
  return Ok;
}

void OutputBatch::removeTemporaries() {
  for (PendingFile &File : Files)
    if (!File.Temporary.empty()) {
      llvm::sys::fs::remove(File.Temporary);
      File.Temporary.clear();
    }
}

int finishStandardStreams(int Status, Diagnostics &Diags) {
  llvm::outs().flush();
  if (llvm::outs().has_error()) {
    Diags.error("<stdout>: cannot write: " + llvm::outs().error().message());
    llvm::outs().clear_error();
    Status = 2;
  }
  if (llvm::errs().has_error())
    llvm::errs().clear_error();
  return Status;
}

} // namespace evy
