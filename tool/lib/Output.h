// Output: the last stage. The plans are printed, diffed, reported or
// written in place through one OutputBatch, committed at once; findings go
// to the diagnostics (stderr) unless the report carries them.
#pragma once

#include "Diagnostics.h"
#include "FileEdits.h"
#include "Options.h"
#include "OutputBatch.h"
#include "UnitMerge.h"

#include <vector>

namespace evy {

/// Prints, diffs, writes or reports the plans; returns the exit status.
int emit(const DriverOptions &Options, const std::vector<FilePlan> &Plans,
         const MergedUnits &Merged, OutputBatch &Batch, Diagnostics &Diags);

} // namespace evy
