#!/usr/bin/env python3
"""Compiles evy's public headers (or given files) at every language standard
with every given compiler, -Wall -Wextra -Werror, and fails on any error or
warning. User code is C++11 to C++23, gnu++ too: every header must compile
there on its own, whatever the standard of the unit that includes it.

  compile_matrix.py --cxx g++ --cxx clang++-19 headers INCLUDE_DIR
      each header alone at the oldest and the newest standard, and one unit
      including every header at each standard (the middle standards would
      cost ten times the compiles and catch nothing a header alone would not);
  compile_matrix.py --cxx g++ --cxx clang++-19 files FILE...
      each file at each standard."""
import argparse
import concurrent.futures
import os
import pathlib
import subprocess
import sys

STANDARDS = ["c++11", "c++14", "c++17", "c++20", "c++23",
             "gnu++11", "gnu++14", "gnu++17", "gnu++20", "gnu++23"]
FLAGS = ["-fsyntax-only", "-Wall", "-Wextra", "-Werror", "-x", "c++"]


def header_jobs(compilers, include_dir):
    """(compiler, standard, label, source text) for the headers mode."""
    headers = sorted(str(p.relative_to(include_dir))
                     for p in pathlib.Path(include_dir).rglob("*.h"))
    if not headers:
        sys.exit(f"compile_matrix.py: no headers under {include_dir}")
    jobs = []
    for cxx in compilers:
        for std in (STANDARDS[0], STANDARDS[-1]):
            jobs += [(cxx, std, h, f"#include <{h}>\n") for h in headers]
        everything = "".join(f"#include <{h}>\n" for h in headers)
        jobs += [(cxx, std, "every header", everything) for std in STANDARDS]
    return jobs


def file_jobs(compilers, files):
    return [(cxx, std, f, '#include "%s"\n' % pathlib.Path(f).resolve())
            for cxx in compilers for std in STANDARDS for f in files]


def compile_one(job, extra):
    cxx, std, label, text = job
    cmd = [cxx, f"-std={std}"] + FLAGS + extra + ["-"]
    run = subprocess.run(cmd, input=text, capture_output=True, text=True)
    ok = run.returncode == 0 and not run.stderr.strip()
    return ok, f"{cxx} -std={std}: {label}", run.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cxx", action="append", required=True)
    parser.add_argument("-I", dest="includes", action="append", default=[])
    parser.add_argument("mode", choices=["headers", "files"])
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    extra = [f"-I{d}" for d in args.includes]
    if args.mode == "headers":
        extra.append(f"-I{args.paths[0]}")
        jobs = header_jobs(args.cxx, args.paths[0])
    else:
        # A generated file is made by building its target: say so rather
        # than fail twenty compiles on a missing include.
        for missing in (f for f in args.paths if not pathlib.Path(f).is_file()):
            sys.exit(f"compile_matrix.py: {missing} does not exist; build the "
                     "target that generates it (evy_standards_signature_test)")
        jobs = file_jobs(args.cxx, args.paths)
    failures = 0
    workers = len(os.sched_getaffinity(0)) or 1
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        for ok, what, errors in pool.map(lambda j: compile_one(j, extra), jobs):
            if not ok:
                failures += 1
                print(f"FAIL {what}\n{errors}")
    print(f"{len(jobs) - failures} of {len(jobs)} compiles clean")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
