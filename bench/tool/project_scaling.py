#!/usr/bin/env python3
"""Whole-project cost: a generated project of N translation units with its
compile_commands.json. Measures, alternately and repeatedly:
  - evy-rewrite -p DIR --patch --report -j 1   (all units, one at a time)
  - evy-rewrite -p DIR --patch --report -j 2   (the anchor for parallel speed-up)
  - clang++-19 -fsyntax-only on each unit, one process after another
Reports the -j 2 speed-up and the per-unit ratio against clang++.

usage: project_scaling.py EVY_REWRITE [--units N] [--runs N]
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

UNIT = """#include <sys/socket.h>
#include <unistd.h>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace unit{n} {{
std::mutex mu;
std::vector<std::string> log;
long pump(int fd) {{
  char buf[256];
  long total = 0;
  for (;;) {{
    ssize_t got = recv(fd, buf, sizeof buf, 0);
    if (got <= 0) break;
    send(fd, buf, got, 0);
    total += got;
  }}
  std::lock_guard<std::mutex> lock(mu);
  log.emplace_back(std::to_string(total));
  close(fd);
  return total;
}}
void start(int fd) {{
  std::thread t(pump, fd);
  t.detach();
  sleep(0);
}}
}}
"""


def generate(directory, units):
    commands = []
    for n in range(units):
        path = os.path.join(directory, "unit%03d.cpp" % n)
        with open(path, "w") as f:
            f.write(UNIT.format(n=n))
        commands.append({"directory": directory, "file": path,
                         "arguments": ["g++", "-std=c++20", "-O2", "-c", path, "-o", path + ".o"]})
    with open(os.path.join(directory, "compile_commands.json"), "w") as f:
        json.dump(commands, f)
    return [c["file"] for c in commands]


def timed(cmds):
    start = time.perf_counter()
    for cmd in cmds:
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            sys.exit("failed: %s\n%s" % (" ".join(cmd), r.stderr))
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("evy_rewrite")
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clang", default="clang++-19")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = generate(tmp, args.units)
        evy = lambda jobs: [[args.evy_rewrite, "-p", tmp, "--patch", "--report", "-j", str(jobs)]]
        clang = [[args.clang, "-fsyntax-only", "-std=c++20", "-O2", f] for f in files]
        timed(clang[:5])  # warm caches
        j1, j2, parse = [], [], []
        for _ in range(args.runs):
            j1.append(timed(evy(1)))
            j2.append(timed(evy(2)))
            parse.append(timed(clang))
        t1, t2, tp = statistics.median(j1), statistics.median(j2), statistics.median(parse)
        print("machine: %s, %s, %d cores" % (platform.node(), platform.machine(), os.cpu_count()))
        print("units: %d, runs: %d (medians)" % (args.units, args.runs))
        print("evy-rewrite -j 1        %8.2f s  (%.1f ms/unit)" % (t1, t1 / args.units * 1e3))
        print("evy-rewrite -j 2        %8.2f s  speed-up %.2fx" % (t2, t1 / t2))
        print("clang++ -fsyntax-only   %8.2f s  (%.1f ms/unit)" % (tp, tp / args.units * 1e3))
        print("per unit: evy-rewrite -j 1 / clang++ = %.3f" % (t1 / tp))


if __name__ == "__main__":
    main()
