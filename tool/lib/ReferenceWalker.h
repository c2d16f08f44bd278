// ReferenceWalker: walks user code's AST and reports what it sees, in
// clang-include-cleaner's walkAST style, deciding nothing about text:
//  - each spelled reference to a declaration a rule maps, as the rule and
//    the spelling's range (qualifier through name; the locations may be in
//    macros);
//  - each spelling of a mapped name that means something else here (a user
//    function or type of that name), which must stay as written (a pin);
//  - the AST facts the rules care about: dependent calls an instantiation
//    resolved elsewhere by argument-dependent lookup, dlsym of a mapped
//    name, thread_local variables.
// A ReferenceSink decides what each report becomes (ReferenceRecorder in the
// tool: macros, spelling checks, findings), so the walk can be tested alone.
#pragma once

#include "RuleSet.h"

#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"

#include <memory>
#include <string>
#include <vector>

namespace evy {

class ReferenceSink {
public:
  virtual ~ReferenceSink() = default;
  /// The text from Begin to the end of the name token at NameLoc spells
  /// Rule's declaration (Begin == NameLoc when unqualified).
  virtual void reference(const Mapping &Rule, clang::SourceLocation Begin,
                         clang::SourceLocation NameLoc) = 0;
  /// The name at NameLoc must stay as written: here it does What
  /// ("names 'mine::sleep'").
  virtual void pin(clang::SourceLocation NameLoc, const std::string &What) = 0;
  /// A dependent call of Rule's function at NameLoc that an instantiation
  /// resolved, by argument-dependent lookup, to Other instead.
  virtual void otherCallee(const Mapping &Rule, clang::SourceLocation NameLoc,
                           const clang::FunctionDecl &Other) = 0;
  /// Binder ("dlsym", "dlvsym") looks Rule's function up by the string
  /// literal at Literal, so it is bound at run time.
  virtual void lateBinding(const Mapping &Rule, clang::SourceLocation Literal,
                           llvm::StringRef Binder) = 0;
  /// A thread_local (or __thread) variable.
  virtual void threadLocal(const clang::VarDecl &Var) = 0;
};

class ReferenceWalker {
public:
  ReferenceWalker(const RuleSet &Rules, const clang::SourceManager &SM, ReferenceSink &Sink);
  ~ReferenceWalker();

  /// Walks one top-level declaration of user code (template patterns, not
  /// their instantiations: a template is rewritten once).
  void walk(clang::Decl &D);
  /// Reports the dependent calls open to argument-dependent lookup, once
  /// every declaration is walked: only then are all instantiations known.
  void finish();

private:
  class Visitor;
  std::unique_ptr<Visitor> Walker;
  std::vector<clang::Decl *> Walked;
};

} // namespace evy
