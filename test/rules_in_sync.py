#!/usr/bin/env python3
"""Proves that every replacement named in rules/*.json is declared by the
module's runtime header, with the original's signature where the original
is a plain function: rule files and headers must never drift apart.

usage: rules_in_sync.py RULES_DIR RUNTIME_INCLUDE_DIR COMPILER...
Compiles one generated translation unit per module with each compiler.
"""
import json
import os
import subprocess
import sys
import tempfile

PRELUDE = """
#include <type_traits>
// Function pointer types without noexcept: glibc marks many functions
// noexcept, which is not part of what a caller relies on.
template <class T> struct evy_plain { using type = T; };
template <class R, class... A> struct evy_plain<R (*)(A...) noexcept> { using type = R (*)(A...); };
template <class R, class... A> struct evy_plain<R (*)(A..., ...) noexcept> { using type = R (*)(A..., ...); };
template <class T> using evy_plain_t = typename evy_plain<T>::type;
"""


def check_source(module, rules):
    lines = ["#include <%s>" % rules["header"], PRELUDE]
    for i, (original, green) in enumerate(sorted(rules.get("functions", {}).items())):
        # The green name must exist (function, overload set or template).
        lines.append("namespace evy_fn_%d { using %s; }" % (i, green))
        if "::" not in original:  # a C function: same type, exactly
            lines.append(
                "static_assert(std::is_same_v<evy_plain_t<decltype(&::%s)>, evy_plain_t<decltype(&%s)>>,"
                ' "%s: %s does not have the signature of ::%s");' % (original, green, module, green, original))
    for i, (original, green) in enumerate(sorted(rules.get("types", {}).items())):
        lines.append("namespace evy_ty_%d { using %s; }" % (i, green))
    return "\n".join(lines) + "\n"


def main():
    rules_dir, include_dir, compilers = sys.argv[1], sys.argv[2], sys.argv[3:]
    failures = 0
    checked = 0
    for name in sorted(os.listdir(rules_dir)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(rules_dir, name)) as f:
            rules = json.load(f)
        source = check_source(rules["module"], rules)
        with tempfile.NamedTemporaryFile("w", suffix=".cpp", delete=False) as tu:
            tu.write(source)
        try:
            for cxx in compilers:
                cmd = cxx.split() + ["-std=c++20", "-fsyntax-only", "-I", include_dir,
                                     "-I/usr/include/postgresql", tu.name]
                result = subprocess.run(cmd, capture_output=True, text=True)
                checked += 1
                if result.returncode != 0:
                    failures += 1
                    print("FAIL %s with %s:\n%s" % (name, cxx, result.stderr[:4000]))
                else:
                    n = len(rules.get("functions", {})) + len(rules.get("types", {}))
                    print("ok   %s with %s: %d replacements declared" % (name, cxx, n))
        finally:
            os.unlink(tu.name)
    print("%d passed, %d failed" % (checked - failures, failures))
    return 1 if failures or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
