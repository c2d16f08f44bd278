#include "UnitMerge.h"

#include <set>

namespace evy {

MergedUnits mergeUnits(std::vector<UnitRun> &Runs) {
  MergedUnits M;
  std::set<std::string> Ordered; // the files already in M.Order
  auto addToOrder = [&](const std::string &File) {
    if (Ordered.insert(File).second)
      M.Order.push_back(File);
  };
  for (UnitRun &Run : Runs) {
    addToOrder(Run.Result.MainFile);
    for (Reference &Ref : Run.Result.References) {
      Ref.Unit = Run.Result.MainFile;
      M.References[Ref.File].push_back(Ref);
    }
    for (Pin &P : Run.Result.Pins) {
      P.Unit = Run.Result.MainFile;
      M.Pins[P.File].push_back(P);
    }
    for (Finding &F : Run.Result.Findings)
      M.Findings[F.File].push_back(F);
    for (auto &[File, Modules] : Run.Result.OwnPatchedModules)
      M.OwnModules[File].insert(Modules.begin(), Modules.end());
    M.Contents.insert(Run.Result.Contents.begin(), Run.Result.Contents.end());
    M.Inclusions.insert(M.Inclusions.end(), Run.Result.Inclusions.begin(),
                        Run.Result.Inclusions.end());
  }
  std::set<std::string> Headers;
  for (auto &[File, Refs] : M.References)
    Headers.insert(File);
  for (auto &[File, Fs] : M.Findings)
    Headers.insert(File);
  for (const std::string &File : Headers)
    addToOrder(File);
  return M;
}

} // namespace evy
