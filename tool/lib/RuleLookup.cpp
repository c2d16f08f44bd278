#include "RuleLookup.h"

#include "clang/AST/DeclTemplate.h"

namespace evy {

using namespace clang;

bool RuleLookup::isLibraryDecl(const Decl *D) const {
  for (const Decl *Redecl : D->redecls())
    if (SM.isInSystemHeader(SM.getExpansionLoc(Redecl->getLocation())))
      return true;
  return false;
}

const Mapping *RuleLookup::function(const FunctionDecl *Function) const {
  const Mapping *M = Rules.findFunction(Function->getQualifiedNameAsString());
  if (!M)
    return nullptr;
  if (const FunctionTemplateDecl *Template = Function->getPrimaryTemplate())
    Function = Template->getTemplatedDecl();
  // Declared by the library, or an extern "C" redeclaration of it.
  return Function->isExternC() || isLibraryDecl(Function) ? M : nullptr;
}

const Mapping *RuleLookup::type(const NamedDecl *D) const {
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(D))
    D = Spec->getSpecializedTemplate();
  const Mapping *M = Rules.findType(D->getQualifiedNameAsString());
  return M && isLibraryDecl(D) ? M : nullptr;
}

const Mapping *RuleLookup::decl(const NamedDecl *D) const {
  if (const FunctionDecl *Function = D->getAsFunction())
    return function(Function);
  if (isa<TypeDecl>(D) || isa<TemplateDecl>(D))
    return type(D);
  return nullptr;
}

NamedType RuleLookup::namedType(TypeLoc TL) {
  TL = TL.getUnqualifiedLoc();
  if (auto Record = TL.getAs<RecordTypeLoc>())
    return {Record.getDecl(), Record.getNameLoc()};
  if (auto Typedef = TL.getAs<TypedefTypeLoc>())
    return {Typedef.getTypedefNameDecl(), Typedef.getNameLoc()};
  if (auto Using = TL.getAs<UsingTypeLoc>())
    return {Using.getFoundDecl()->getTargetDecl(), Using.getNameLoc()};
  if (auto Spec = TL.getAs<TemplateSpecializationTypeLoc>())
    if (const TemplateDecl *Template = Spec.getTypePtr()->getTemplateName().getAsTemplateDecl())
      return {Template, Spec.getTemplateNameLoc()};
  if (auto Deduced = TL.getAs<DeducedTemplateSpecializationTypeLoc>())
    if (const TemplateDecl *Template = Deduced.getTypePtr()->getTemplateName().getAsTemplateDecl())
      return {Template, Deduced.getTemplateNameLoc()};
  return {};
}

TypeMatch RuleLookup::typeSpelling(TypeLoc TL) const {
  NamedType Named = namedType(TL);
  return {Named.Decl ? type(Named.Decl) : nullptr, Named.NameLoc};
}

} // namespace evy
