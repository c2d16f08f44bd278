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

} // namespace
} // namespace evy
