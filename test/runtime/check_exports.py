#!/usr/bin/env python3
"""libevy.so exports the public API and nothing of the runtime's insides.

Fails when the shared library's dynamic symbol table (nm -D) holds a member
of a class that only runtime/src defines (Hub, Fiber, FdState, ...), or an
assembly helper (evy_context_*), or lacks what the public headers promise.

usage: check_exports.py LIBEVY_SO SOURCE_DIR
"""
import pathlib
import re
import subprocess
import sys

CLASS = re.compile(r"^\s*(?:class|struct)\s+(?:\[\[[^\]]*\]\]\s+)?(\w+)\s*(?:final\s*)?[:{]", re.M)


def classes_defined_in(folder):
    names = set()
    for path in folder.rglob("*"):
        if path.suffix in (".h", ".cpp"):
            names.update(CLASS.findall(path.read_text()))
    return names


def main():
    library, source = sys.argv[1], pathlib.Path(sys.argv[2])
    internal = classes_defined_in(source / "runtime/src") - classes_defined_in(
        source / "runtime/include")
    symbols = subprocess.run(["nm", "-D", "--defined-only", "-C", library], check=True,
                             capture_output=True, text=True).stdout.splitlines()
    names = [line.split(" ", 2)[2] for line in symbols if line.count(" ") >= 2]
    leaked = [n for n in names
              if n.startswith("evy_") or any(re.search(r"\b%s::" % c, n) for c in internal)]
    missing = [want for want in ("evy::green::recv(", "evy::green::mutex::lock()",
                                 "evy::runtime_stats()", "evy::detail::spawn_fiber(")
               if not any(n.startswith(want) for n in names)]
    evy_symbols = [n for n in names if "evy::" in n]
    print("%s: %d dynamic symbols, %d of them evy::" % (library, len(names), len(evy_symbols)))
    for n in leaked:
        print("internal symbol exported: " + n)
    for n in missing:
        print("public symbol not exported: " + n)
    return 1 if leaked or missing else 0


if __name__ == "__main__":
    sys.exit(main())
