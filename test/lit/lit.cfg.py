import os
import lit.formats

config.name = "evy-rewrite"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".cpp", ".c", ".test"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = config.evy_obj_root

config.environment["PATH"] = os.pathsep.join(
    [config.evy_bin_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])
# Diff labels and report paths are relative to the working directory.
config.environment["LC_ALL"] = "C"

# -isystem Inputs: the tests' own "system" headers (macros-system.cpp).
syntax = "-std=c++20 -fsyntax-only -Wall -Werror=return-type -I%s -I/usr/include/postgresql -isystem %s" % (
    config.evy_runtime_include, os.path.join(config.test_source_root, "Inputs"))
config.substitutions += [
    ("%evy-rewrite", os.path.join(config.evy_bin_dir, "evy-rewrite")),
    ("%rules", config.evy_rules_dir),
    ("%evy_include", config.evy_runtime_include),
    ("%inputs", os.path.join(config.test_source_root, "Inputs")),
    # Every rewrite test compiles what it produced with both compilers.
    ("%compiles", "%s %s %%t.out.cpp && %s %s %%t.out.cpp" % (config.cxx, syntax, config.clangxx, syntax)),
    ("%cxx-syntax", "%s %s" % (config.cxx, syntax)),
    ("%clangxx-syntax", "%s %s" % (config.clangxx, syntax)),
    ("%clangxx", config.clangxx),
    # The same checks at a standard of the test's choosing: %cxx -std=... %syntax-flags.
    ("%syntax-flags", syntax.replace("-std=c++20 ", "")),
    ("%cxx", config.cxx),
]
