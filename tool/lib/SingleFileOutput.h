// SingleFileOutput: the default mode's output for one input file: its
// rewritten source on stdout or (-o) in a file, with --header-dir copies of
// the headers that change and a --depfile.
#pragma once

#include "Diagnostics.h"
#include "FileEdits.h"
#include "Options.h"
#include "OutputBatch.h"
#include "UnitMerge.h"

#include <vector>

namespace evy {

/// The one file's rewritten source, to stdout or (-o) atomically to a file.
/// With --header-dir, headers that change are written as copies there, with
/// the user headers that include them (so that every #include path to a
/// changed header leads to its copy), and the output includes the copies;
/// --depfile lists what the output depends on. All of it is written at once.
bool writeSingleFile(const DriverOptions &Options, const std::vector<FilePlan> &Plans,
                     const MergedUnits &Merged, OutputBatch &Batch, Diagnostics &Diags);

} // namespace evy
