#!/usr/bin/env python3
"""Four threads of pure computation: the original (std::thread) against the
greened program at EVY_HUBS=1 and EVY_HUBS=2, in one run. Repetitions are
interleaved so that drift hits every variant alike; medians are reported,
with the ratios issue 13 sets goals for (hubs 2 / hubs 1 >= 1.7 on 2 cores,
original / green at the default hub count >= 0.85).

usage: run_cpu_bench.py BIN_DIR [--reps N] [--threads N] [--msteps M]
"""
import argparse
import os
import platform
import re
import statistics
import subprocess


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def run(binary, threads, msteps, hubs):
    env = dict(os.environ)
    env.pop("EVY_HUBS", None)
    if hubs is not None:
        env["EVY_HUBS"] = str(hubs)
    out = subprocess.run([binary, str(threads), str(msteps)], env=env, check=True,
                         capture_output=True, text=True).stdout
    seconds, checksum = re.search(r"seconds=([\d.]+) checksum=(\w+)", out).groups()
    return float(seconds), checksum


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bin_dir")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--msteps", type=int, default=200)
    args = parser.parse_args()
    threaded = os.path.join(args.bin_dir, "cpu_bound_threaded")
    green = os.path.join(args.bin_dir, "cpu_bound_green")
    variants = [("original (std::thread)", threaded, None),
                ("green, EVY_HUBS=1", green, 1),
                ("green, EVY_HUBS=2", green, 2),
                ("green, default hubs", green, None)]
    times = {name: [] for name, _, _ in variants}
    checksums = set()
    for _ in range(args.reps):
        for name, binary, hubs in variants:
            seconds, checksum = run(binary, args.threads, args.msteps, hubs)
            times[name].append(seconds)
            checksums.add(checksum)
    print("CPU: %s, %d CPUs usable; %d threads x %d M steps, median of %d" %
          (cpu_model(), len(os.sched_getaffinity(0)), args.threads, args.msteps, args.reps))
    med = {name: statistics.median(t) for name, t in times.items()}
    for name, _, _ in variants:
        print("  %-24s %7.3f s  (min %.3f, max %.3f)" %
              (name, med[name], min(times[name]), max(times[name])))
    print("  hubs 2 / hubs 1 speed-up:      %.2fx" %
          (med["green, EVY_HUBS=1"] / med["green, EVY_HUBS=2"]))
    print("  green (default) / original:    %.2fx" %
          (med["original (std::thread)"] / med["green, default hubs"]))
    if len(checksums) != 1:
        print("  CHECKSUMS DIFFER: %s" % sorted(checksums))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
