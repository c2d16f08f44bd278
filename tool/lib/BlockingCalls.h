// BlockingCalls: what stays blocking in a greened unit, found in the AST.
//
// findBlockingCalls() walks a unit's user declarations for calls the rule
// files list as blocking (BlockingRules.h) and reports each as the finding
// evy-blocking-call; a green thread's native_handle() handed to a pthread_*
// call is evy-native-handle. offloadedCallee() tells the reference walker
// which calls an offload rule rewrites.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace clang {
class ASTContext;
class CallExpr;
class Decl;
class DeclRefExpr;
class FunctionDecl;
class SourceLocation;
class SourceManager;
} // namespace clang

namespace evy {

class RuleSet;
struct Mapping;

/// Receives a finding: where, the module tag (see findingApplies()), the
/// check ("blocking-call") and the message. The receiver drops findings on
/// lines marked "// evy: keep" and in files this run does not rewrite.
using FindingSink = std::function<void(clang::SourceLocation, const std::string &Module,
                                       const std::string &Check, const std::string &Message)>;

void findBlockingCalls(clang::ASTContext &Context, const std::vector<clang::Decl *> &UserDecls,
                       const RuleSet &Rules, const FindingSink &Report);

/// The offload rule that rewrites Call, and the callee's spelling to
/// rewrite, when Call calls an offloaded library function directly by name.
std::pair<const Mapping *, const clang::DeclRefExpr *>
offloadedCallee(const clang::CallExpr *Call, const RuleSet &Rules,
                const clang::SourceManager &SM);

/// True when a finding tagged Module is reported in a file greened for
/// Chosen: "" always; "*" when the file is greened at all; "!M" when it is
/// greened but not for M (the call blocks unless M is chosen); otherwise
/// when Chosen holds Module.
bool findingApplies(const std::string &Module, const std::set<std::string> &Chosen);

/// The name a blocking list uses for a function: its qualified name, and
/// for a member of a class template's specialization the template's
/// ("std::future::get", not "std::future<int>::get").
std::string blockingName(const clang::FunctionDecl &Function);

} // namespace evy
