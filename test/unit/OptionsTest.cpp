#include "Options.h"

#include <gtest/gtest.h>

namespace evy {
namespace {

TEST(Options, ReportFormatsAreParsedOnce) {
  EXPECT_EQ(parseReportFormat(""), ReportFormat::Text);
  EXPECT_EQ(parseReportFormat("text"), ReportFormat::Text);
  EXPECT_EQ(parseReportFormat("json"), ReportFormat::Json);
  EXPECT_EQ(parseReportFormat("sarif"), ReportFormat::Sarif);
  EXPECT_FALSE(parseReportFormat("xml"));
  EXPECT_FALSE(parseReportFormat("JSON"));
}

TEST(Options, DefaultJobsAreHardwareThreadsLimitedByMemory) {
  const unsigned long long GiB = 1ull << 30;
  EXPECT_EQ(defaultJobs(8, 64 * GiB), 8u);
  EXPECT_EQ(defaultJobs(8, 3 * GiB), 2u); // one unit per 1.5 GiB
  EXPECT_EQ(defaultJobs(8, GiB), 1u);     // always at least one
  EXPECT_EQ(defaultJobs(0, 0), 1u);
  EXPECT_EQ(defaultJobs(4, 0), 4u);       // memory unknown: no limit
}

} // namespace
} // namespace evy
