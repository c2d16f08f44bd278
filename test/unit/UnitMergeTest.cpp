#include "UnitMerge.h"

#include <gtest/gtest.h>

namespace evy {
namespace {

UnitRun unit(const std::string &Main, std::vector<std::string> RefFiles,
             std::vector<std::string> FindingFiles = {}) {
  UnitRun Run;
  Run.Result.MainFile = Main;
  for (const std::string &File : RefFiles)
    Run.Result.References.push_back({File, 0, 4, 1, 1, nullptr, false, ""});
  for (const std::string &File : FindingFiles)
    Run.Result.Findings.push_back({File, 1, 1, "", "check", "message"});
  return Run;
}

TEST(UnitMerge, MainFilesInInputOrderThenTheHeadersReachedSorted) {
  std::vector<UnitRun> Runs;
  Runs.push_back(unit("/b.cpp", {"/b.cpp", "/z.h", "/a.h"}));
  Runs.push_back(unit("/a.cpp", {"/a.h"}, {"/m.h"}));
  Runs.push_back(unit("/b.cpp", {}));
  MergedUnits M = mergeUnits(Runs);
  EXPECT_EQ(M.Order, (std::vector<std::string>{"/b.cpp", "/a.cpp", "/a.h", "/m.h", "/z.h"}));
  ASSERT_EQ(M.References["/a.h"].size(), 2u);
  EXPECT_EQ(M.References["/a.h"][0].Unit, "/b.cpp");
  EXPECT_EQ(M.References["/a.h"][1].Unit, "/a.cpp");
}

TEST(UnitMerge, ManyFilesEachOnce) {
  std::vector<UnitRun> Runs;
  for (int I = 0; I < 2000; ++I)
    Runs.push_back(unit("/u" + std::to_string(I) + ".cpp", {"/shared.h"}));
  MergedUnits M = mergeUnits(Runs);
  EXPECT_EQ(M.Order.size(), 2001u);
  EXPECT_EQ(M.Order.back(), "/shared.h");
  EXPECT_EQ(M.References["/shared.h"].size(), 2000u);
}

} // namespace
} // namespace evy
