#!/usr/bin/env python3
"""Rewrite time vs parse time: runs `evy-rewrite --patch --diff` and
`clang++-19 -fsyntax-only` on the same translation units with the same flags,
alternately, and reports the median ratio per unit and overall.

usage: rewrite_vs_syntax_only.py EVY_REWRITE [--runs N] [FILES...]
Without FILES it generates a few realistic units (a threaded server, a
worker pool, a poll loop; each pulls in <thread>, <mutex>, <vector>, <map>,
<string>, <iostream>, <sys/socket.h>) into a temporary directory.
"""
import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

HEADERS = """#include <sys/socket.h>
#include <netinet/in.h>
#include <poll.h>
#include <unistd.h>
#include <condition_variable>
#include <iostream>
#include <map>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <vector>
"""

BODY = """
namespace unit{n} {{
std::mutex mu_{i};
std::condition_variable cv_{i};
std::queue<int> work_{i};
int serve_{i}(int fd) {{
  char buf[512];
  ssize_t got = recv(fd, buf, sizeof buf, 0);
  if (got > 0) send(fd, buf, got, 0);
  std::lock_guard<std::mutex> lock(mu_{i});
  work_{i}.push(fd);
  cv_{i}.notify_one();
  return static_cast<int>(got);
}}
void worker_{i}() {{
  std::unique_lock<std::mutex> lock(mu_{i});
  cv_{i}.wait(lock, [] {{ return !work_{i}.empty(); }});
  int fd = work_{i}.front();
  work_{i}.pop();
  pollfd p{{fd, POLLIN, 0}};
  poll(&p, 1, 10);
  close(fd);
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
}}
std::vector<std::thread> start_{i}() {{
  std::vector<std::thread> pool;
  for (int k = 0; k < 4; ++k) pool.emplace_back(worker_{i});
  std::map<std::string, int> names{{{{"a", 1}}}};
  std::cout << names.size() << "\\n";
  return pool;
}}
}}
"""


def generate(directory, units=4, blocks=25):
    files = []
    for n in range(units):
        path = os.path.join(directory, "unit%d.cpp" % n)
        with open(path, "w") as f:
            f.write(HEADERS)
            for i in range(blocks):
                f.write(BODY.format(n=n, i=i))
        files.append(path)
    return files


def timed(cmd):
    start = time.perf_counter()
    result = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit("command failed: %s\n%s" % (" ".join(cmd), result.stderr))
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("evy_rewrite")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--clang", default="clang++-19")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    flags = ["-std=c++20"]
    with tempfile.TemporaryDirectory() as tmp:
        files = args.files or generate(tmp)
        print("machine: %s, %s, %d cores" % (platform.node(), platform.processor() or platform.machine(), os.cpu_count()))
        print("%-12s %12s %12s %8s" % ("unit", "rewrite ms", "parse ms", "ratio"))
        ratios, total_rewrite, total_parse = [], 0.0, 0.0
        for path in files:
            rewrite, parse = [], []
            evy = [args.evy_rewrite, "--patch", "--diff", "-j", "1", path, "--"] + flags
            clang = [args.clang, "-fsyntax-only"] + flags + [path]
            timed(evy), timed(clang)  # warm the page cache
            for _ in range(args.runs):  # alternate, so drift hits both alike
                rewrite.append(timed(evy))
                parse.append(timed(clang))
            r, p = statistics.median(rewrite), statistics.median(parse)
            total_rewrite += r
            total_parse += p
            ratios.append(r / p)
            print("%-12s %12.1f %12.1f %8.3f" % (os.path.basename(path), r * 1e3, p * 1e3, r / p))
        print("%-12s %12.1f %12.1f %8.3f" % ("total", total_rewrite * 1e3, total_parse * 1e3, total_rewrite / total_parse))


if __name__ == "__main__":
    main()
