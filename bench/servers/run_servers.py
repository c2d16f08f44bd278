#!/usr/bin/env python3
"""Echo servers side by side, in one run: the original thread-per-connection
server, its greened version (evy-rewrite + libevy), a hand-written epoll
server and a Boost.Asio one. evy_load drives each with 512-byte ping-pong at
100 and 1,000 connections (requests per second), and holds 10,000 idle
connections to measure resident memory per connection. Repetitions are
interleaved so that drift hits every server alike; medians are reported.
Beside requests/s, the server's CPU time per request (user + system, from
wait4's rusage): on a 2-core machine requests/s meets the load generator's
ceiling, CPU per request does not. uring_echo (the io_uring prototype) is
measured too when it was built (liburing-dev).

With --pin the server runs on CPU 0 and the load generator on CPU 1, so
that no server can take the load generator's core (on a 2-core machine the
threaded server otherwise competes with it for both).

usage: run_servers.py BIN_DIR [--seconds S] [--reps N] [--idle N] [--pin]
                      [--servers NAME,...]
"""
import argparse
import os
import platform
import re
import resource
import statistics
import subprocess
import sys

SERVERS = ["echo_server_threaded", "echo_server_green", "epoll_echo", "asio_echo"]


PIN = {"server": None, "load": None}


def on_cpu(role):
    cpu = PIN[role]
    return (lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None


def start(binary, conns):
    server = subprocess.Popen([binary, "0", str(conns)], stdout=subprocess.PIPE, text=True,
                              preexec_fn=on_cpu("server"))
    port = re.search(r":(\d+)$", server.stdout.readline().strip()).group(1)
    return server, port


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def rps(bin_dir, name, conns, seconds):
    """(requests/s, server CPU µs per request)"""
    server, port = start(os.path.join(bin_dir, name), conns)
    load = subprocess.run([os.path.join(bin_dir, "evy_load"), "echo", port, str(conns), "512", "0",
                           str(seconds)], capture_output=True, text=True, timeout=seconds + 120,
                          preexec_fn=on_cpu("load"))
    _, _, usage = os.wait4(server.pid, 0)
    server.returncode = 0
    if load.returncode != 0:
        sys.exit("%s: load failed: %s" % (name, load.stderr))
    requests = int(re.search(r"(\d+) round trips", load.stdout).group(1))
    cpu_us = (usage.ru_utime + usage.ru_stime) * 1e6
    return float(re.search(r"([\d.]+) per second", load.stdout).group(1)), cpu_us / requests


def idle_rss(bin_dir, name, conns):
    server, port = start(os.path.join(bin_dir, name), conns)
    base = rss_kib(server.pid)
    load = subprocess.Popen([os.path.join(bin_dir, "evy_load"), "idle", port, str(conns), "2"],
                            stdout=subprocess.PIPE, text=True, preexec_fn=on_cpu("load"))
    line = load.stdout.readline()
    if "ready" not in line:
        sys.exit("%s: idle load failed: %r" % (name, line))
    held = rss_kib(server.pid)
    load.wait(timeout=60)
    server.wait(timeout=60)
    return (held - base) / conns


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bin_dir")
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--idle", type=int, default=10000)
    parser.add_argument("--pin", action="store_true", help="server on CPU 0, load on CPU 1")
    parser.add_argument("--servers", help="comma-separated subset of the servers")
    args = parser.parse_args()
    global SERVERS
    if os.path.exists(os.path.join(args.bin_dir, "uring_echo")):
        SERVERS = SERVERS + ["uring_echo"]
    if args.servers:
        SERVERS = args.servers.split(",")
    if args.pin:
        PIN.update(server=0, load=1)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 2 * args.idle + 1024), hard))

    cpu = "?"
    with open("/proc/cpuinfo") as f:
        m = re.search(r"model name\s*:\s*(.*)", f.read())
        cpu = m.group(1) if m else cpu
    print("machine: %s, %d cores, Linux %s%s" % (cpu, os.cpu_count(), platform.release(),
                                               ", server on CPU 0, load on CPU 1" if args.pin else ""))
    results, cpu = {}, {}
    for conns in (100, 1000):
        samples = {name: [] for name in SERVERS}
        for _ in range(args.reps):
            for name in SERVERS:
                samples[name].append(rps(args.bin_dir, name, conns, args.seconds))
        results[conns] = {name: statistics.median(r for r, _ in v) for name, v in samples.items()}
        cpu[conns] = {name: statistics.median(c for _, c in v) for name, v in samples.items()}
    memory = {name: idle_rss(args.bin_dir, name, args.idle) for name in SERVERS} if args.idle else {}

    print("\n512-byte ping-pong, requests/s and server CPU µs/request (median of %d x %.0f s):"
          % (args.reps, args.seconds))
    print("%-22s %12s %8s %12s %8s" % ("server", "100 conns", "µs/req", "1000 conns", "µs/req"))
    for name in SERVERS:
        print("%-22s %12.0f %8.2f %12.0f %8.2f" % (name, results[100][name], cpu[100][name],
                                                   results[1000][name], cpu[1000][name]))
    for anchor in ("epoll_echo", "asio_echo", "echo_server_threaded", "uring_echo"):
        if "echo_server_green" in SERVERS and anchor in SERVERS:
            ratio = [results[c]["echo_server_green"] / results[c][anchor] for c in (100, 1000)]
            per = [cpu[c][anchor] / cpu[c]["echo_server_green"] for c in (100, 1000)]
            print("green / %s: %.2f (100), %.2f (1000) requests/s; "
                  "%.2f, %.2f CPU efficiency" % (anchor, ratio[0], ratio[1], per[0], per[1]))
    if "uring_echo" in SERVERS and "epoll_echo" in SERVERS:
        print("uring / epoll: %.2f (100), %.2f (1000) requests/s; CPU per request %.2f, %.2f" % (
            results[100]["uring_echo"] / results[100]["epoll_echo"],
            results[1000]["uring_echo"] / results[1000]["epoll_echo"],
            cpu[100]["uring_echo"] / cpu[100]["epoll_echo"],
            cpu[1000]["uring_echo"] / cpu[1000]["epoll_echo"]))
    if memory:
        print("\nresident memory per idle connection (%d connections):" % args.idle)
        for name in SERVERS:
            print("%-22s %8.1f KiB" % (name, memory[name]))


if __name__ == "__main__":
    main()
