// Finding: something the tool cannot rewrite and reports instead
// ("file:line:col: warning: message [evy-check]").
#pragma once

#include <string>

namespace evy {

/// Something the tool cannot rewrite and the user should know about.
struct Finding {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;
  std::string Module; // reported when the file is greened for it ("": always)
  std::string Check;  // stable id: system-macro, late-binding, thread-local, ...
  std::string Message;
};

} // namespace evy
