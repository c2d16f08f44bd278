// RuleLookup: which rule, if any, a declaration falls under. Rules map
// qualified names, but a rule applies only to the library's own declaration
// (seen in a system header) or an extern "C" redeclaration of it: a user's
// function or type of the same name is left alone. The walker asks here for
// every name it meets.
#pragma once

#include "RuleSet.h"

#include "clang/AST/Decl.h"
#include "clang/AST/TypeLoc.h"
#include "clang/Basic/SourceManager.h"

namespace evy {

/// The declaration a type spelling names, and where its name is spelled.
struct NamedType {
  const clang::NamedDecl *Decl = nullptr;
  clang::SourceLocation NameLoc;
};

/// A type spelling's rule (null: none) and where its name is spelled.
struct TypeMatch {
  const Mapping *Rule = nullptr;
  clang::SourceLocation NameLoc;
};

class RuleLookup {
public:
  RuleLookup(const RuleSet &Rules, const clang::SourceManager &SM) : Rules(Rules), SM(SM) {}

  const Mapping *function(const clang::FunctionDecl *Function) const;
  /// A class, typedef or template (a specialization counts as its template).
  const Mapping *type(const clang::NamedDecl *D) const;
  /// function() or type(), as D is.
  const Mapping *decl(const clang::NamedDecl *D) const;
  /// type() of what the spelling TL names.
  TypeMatch typeSpelling(clang::TypeLoc TL) const;

  /// True when D's name is the last component of some rule's name: a user
  /// entity that may share a spelling with a mapped one.
  bool sharesMappedName(const clang::NamedDecl *D) const {
    return D->getIdentifier() && Rules.isMappedName(D->getName());
  }

  /// The declaration a type spelling names (a record, typedef, using or
  /// template name), and where its name is.
  static NamedType namedType(clang::TypeLoc TL);

  const RuleSet &Rules;

private:
  bool isLibraryDecl(const clang::Decl *D) const;

  const clang::SourceManager &SM;
};

} // namespace evy
