#!/usr/bin/env python3
"""Runs the C++11 thread pool as written and greened, and checks that both
print the same, that the threaded build really used several OS threads, and
that the green one ran its whole pool on its hubs' OS threads: one with
EVY_HUBS=1, at most two with EVY_HUBS=2 (its stderr says the most OS threads
any job saw; evy's own "evy-" helpers are not counted).

usage: run_pool.py THREADED GREEN"""
import os
import re
import subprocess
import sys

from verdict import verdict


def run(binary, hubs=None):
    env = dict(os.environ)
    if hubs:
        env["EVY_HUBS"] = str(hubs)
    done = subprocess.run([binary], capture_output=True, text=True, timeout=120, env=env)
    match = re.search(r"os threads: (\d+)", done.stderr)
    return done, int(match.group(1)) if match else None


def main():
    threaded, threaded_threads = run(sys.argv[1])
    green, green_threads = run(sys.argv[2], hubs=1)
    green2, green2_threads = run(sys.argv[2], hubs=2)
    print(green.stdout.splitlines()[-1] if green.stdout else "(no output)")
    print("OS threads: threaded %s, green %s (EVY_HUBS=1), %s (EVY_HUBS=2)"
          % (threaded_threads, green_threads, green2_threads))
    failures = []
    for name, done in (("threaded", threaded), ("green", green), ("green at 2 hubs", green2)):
        if done.returncode != 0:
            failures.append("%s exited with %d: %s" % (name, done.returncode, done.stderr.strip()))
    for done in (green, green2):
        if done.stdout != threaded.stdout:
            failures.append("outputs differ:\n--- threaded\n%s--- green\n%s" % (threaded.stdout, done.stdout))
    if threaded_threads is None or threaded_threads < 2:
        failures.append("the threaded pool never had two OS threads: the check is blind")
    if green_threads != 1:
        failures.append("the green pool used %s OS threads at EVY_HUBS=1" % green_threads)
    if green2_threads is None or green2_threads > 2:
        failures.append("the green pool used %s OS threads at EVY_HUBS=2" % green2_threads)
    return verdict(failures)


if __name__ == "__main__":
    sys.exit(main())
