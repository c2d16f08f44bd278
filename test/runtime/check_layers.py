#!/usr/bin/env python3
"""Checks libevy's layering (docs/internals.md, "The runtime: layers"): no
core file includes evy/patched/. The core is runtime/src/ (its arch/
included) but for the patched modules' own sources (green_*.cpp, thread/),
and the public headers outside evy/patched/. Prints each offending include
as file:line and exits 1; exits 0 when there is none.

Usage: check_layers.py [RUNTIME_DIR] (default: this repository's runtime/)."""
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')


def core_files(runtime):
    for path in sorted((runtime / "src").rglob("*")):
        relative = path.relative_to(runtime / "src")
        if path.suffix not in (".h", ".cpp", ".S"):
            continue
        if relative.parts[0] == "thread" or path.name.startswith("green_"):
            continue  # a patched module's implementation
        yield path
    for path in sorted((runtime / "include" / "evy").rglob("*.h")):
        if "patched" not in path.relative_to(runtime / "include" / "evy").parts:
            yield path


def main():
    root = pathlib.Path(__file__).resolve().parents[2]
    runtime = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root / "runtime"
    bad = 0
    for path in core_files(runtime):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = INCLUDE.match(line)
            if match and re.search(r'(^|/)patched/', match.group(1)):
                print(f"{path}:{number}: core includes {match.group(1)}")
                bad += 1
    if bad:
        print(f"{bad} include(s) from the core into evy/patched/: move what is "
              "needed down to the core (evy/detail/)", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
