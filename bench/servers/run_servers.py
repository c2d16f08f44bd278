#!/usr/bin/env python3
"""Echo servers side by side, in one run: the original thread-per-connection
server, its greened version (evy-rewrite + libevy), a hand-written epoll
server and a Boost.Asio one. evy_load drives each with 512-byte ping-pong at
100 and 1,000 connections (requests per second), and holds 10,000 idle
connections to measure resident memory per connection. Repetitions are
interleaved so that drift hits every server alike; medians are reported.
uring_echo (the io_uring prototype) is measured too when it was built
(liburing-dev). epoll_echo_buffers is epoll_echo with a receive buffer per
connection, as the thread-per-connection original has on each stack: the
anchor that differs from the greened server in the event loop alone.

Beside requests/s, the server's CPU time per request: user + system time
from /proc/PID/stat (utime + stime, clock ticks / SC_CLK_TCK), read once the
server has exited and before it is reaped, so every thread it ever ran is
counted. On a 2-core machine requests/s meets the load generator's ceiling
(on loopback each side's send also does the other's TCP receive, so
evy_load's cost per request is about a server's), CPU per request does not. /proc/PID/stat counts whole clock ticks (10 ms
at the usual 100 Hz, utime and stime each rounded down), so a 1 s run reads
low by up to 20 ms of CPU; measure with the default 3 s or more. wait4's
rusage of the same process (microseconds) is printed after, as a
cross-check, with its user part beside it: the server's own code (libevy,
Asio, the epoll loop) runs in user time, the kernel's TCP path in system
time, so the user column shows what a change to libevy does without most
of the kernel's noise.

The greened server runs twice (issue 13): "echo_server_green" with
EVY_HUBS=1 (one hub, the one-thread mode), and "echo_server_green hubs=2"
with EVY_HUBS=2. A row NAME:hubs=N (or "NAME hubs=N") in --servers runs
binary NAME with EVY_HUBS=N; a greened binary named without hubs= gets
EVY_HUBS=1.

With --pin the server runs on CPU 0 and the load generator on CPU 1, so
that no server can take the load generator's core (on a 2-core machine the
threaded server otherwise competes with it for both). A hubs=N row is the
exception: its server may use CPUs 0..N-1, so with N=2 it gives up the load
generator's core and shares it with evy_load.

usage: run_servers.py BIN_DIR [--seconds S] [--reps N] [--idle N] [--pin]
                      [--servers NAME[:hubs=N],...]
"""
import argparse
import collections
import os
import platform
import re
import resource
import statistics
import subprocess
import sys

GREEN = "echo_server_green"
GREEN_2 = GREEN + " hubs=2"
DEFAULT_ROWS = ["echo_server_threaded", GREEN, GREEN_2, "epoll_echo", "epoll_echo_buffers",
                "asio_echo"]

# A measured row: its label, the binary it runs, EVY_HUBS (None: inherited).
Row = collections.namedtuple("Row", "label binary hubs")

PIN = {"server": None, "load": None}


def parse_row(text):
    m = re.fullmatch(r"\s*([\w.-]+)(?:[: ]hubs=(\d+))?\s*", text)
    if not m:
        sys.exit("bad server %r: want NAME or NAME:hubs=N" % text)
    binary, hubs = m.group(1), m.group(2)
    if hubs is None:
        hubs = 1 if "_green" in binary else None
        return Row(binary, binary, hubs)
    return Row("%s hubs=%s" % (binary, hubs), binary, int(hubs))


def server_cpus(row):
    """The CPUs the server may run on with --pin: CPU 0, or 0..N-1 for hubs=N > 1."""
    if PIN["server"] is None:
        return None
    if row.hubs is not None and row.hubs > 1:
        return set(range(min(row.hubs, os.cpu_count())))
    return {PIN["server"]}


def on_cpus(cpus):
    return (lambda: os.sched_setaffinity(0, cpus)) if cpus is not None else None


def start(bin_dir, row, conns):
    env = dict(os.environ)
    if row.hubs is not None:
        env["EVY_HUBS"] = str(row.hubs)
    server = subprocess.Popen([os.path.join(bin_dir, row.binary), "0", str(conns)],
                              stdout=subprocess.PIPE, text=True, env=env,
                              preexec_fn=on_cpus(server_cpus(row)))
    port = re.search(r":(\d+)$", server.stdout.readline().strip()).group(1)
    return server, port


def load_cpus():
    return {PIN["load"]} if PIN["load"] is not None else None


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def proc_stat_cpu_seconds(pid):
    """utime + stime of the whole process from /proc/PID/stat, in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()  # after "(comm)": field 3 on
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu_seconds(server):
    """(from /proc/PID/stat, from wait4's rusage) once the server has exited.

    WNOWAIT leaves it a zombie, whose /proc/PID/stat still sums the time of
    all its threads; wait4 then reaps it."""
    os.waitid(os.P_PID, server.pid, os.WEXITED | os.WNOWAIT)
    stat = proc_stat_cpu_seconds(server.pid)
    _, status, usage = os.wait4(server.pid, 0)
    server.returncode = os.waitstatus_to_exitcode(status)
    return stat, usage.ru_utime + usage.ru_stime, usage.ru_utime


def rps(bin_dir, row, conns, seconds):
    """(requests/s, server CPU µs per request from /proc, the same from
    rusage, its user part)"""
    server, port = start(bin_dir, row, conns)
    load = subprocess.run([os.path.join(bin_dir, "evy_load"), "echo", port, str(conns), "512", "0",
                           str(seconds)], capture_output=True, text=True, timeout=seconds + 120,
                          preexec_fn=on_cpus(load_cpus()))
    stat, rusage, user = server_cpu_seconds(server)
    if load.returncode != 0:
        sys.exit("%s: load failed: %s" % (row.label, load.stderr))
    if server.returncode != 0:
        sys.exit("%s: server exited with %d" % (row.label, server.returncode))
    requests = int(re.search(r"(\d+) round trips", load.stdout).group(1))
    per_second = float(re.search(r"([\d.]+) per second", load.stdout).group(1))
    return per_second, stat * 1e6 / requests, rusage * 1e6 / requests, user * 1e6 / requests


def idle_rss(bin_dir, row, conns):
    server, port = start(bin_dir, row, conns)
    base = rss_kib(server.pid)
    load = subprocess.Popen([os.path.join(bin_dir, "evy_load"), "idle", port, str(conns), "2"],
                            stdout=subprocess.PIPE, text=True, preexec_fn=on_cpus(load_cpus()))
    line = load.stdout.readline()
    if "ready" not in line:
        sys.exit("%s: idle load failed: %r" % (row.label, line))
    held = rss_kib(server.pid)
    load.wait(timeout=60)
    server.wait(timeout=60)
    return (held - base) / conns


def machine_line(pin):
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        m = re.search(r"model name\s*:\s*(.*)", f.read())
        cpu = m.group(1) if m else cpu
    where = ""
    if pin:
        where = (", server on CPU 0 (hubs=N rows: CPUs 0..N-1), load on CPU %d" % PIN["load"])
    return "machine: %s, %d cores, Linux %s, load average %.2f %.2f %.2f%s" % (
        cpu, os.cpu_count(), platform.release(), *os.getloadavg(), where)


def measure(args, rows):
    """{conns: {label: (requests/s, µs/request /proc, µs/request rusage,
    user µs/request)}}, medians"""
    medians = {}
    for conns in (100, 1000):
        samples = {row.label: [] for row in rows}
        for _ in range(args.reps):
            for row in rows:
                samples[row.label].append(rps(args.bin_dir, row, conns, args.seconds))
        medians[conns] = {label: tuple(statistics.median(s[i] for s in v) for i in range(4))
                          for label, v in samples.items()}
    return medians


def print_table(rows, m, column, title, user=False):
    print(title)
    extra = " %7s" % "user" if user else ""
    print("%-26s %12s %8s%s %12s %8s%s" % ("server", "100 conns", "µs/req", extra,
                                           "1000 conns", "µs/req", extra))
    for row in rows:
        a, b = m[100][row.label], m[1000][row.label]
        ua = " %7.2f" % a[3] if user else ""
        ub = " %7.2f" % b[3] if user else ""
        print("%-26s %12.0f %8.2f%s %12.0f %8.2f%s" % (row.label, a[0], a[column], ua, b[0],
                                                       b[column], ub))


def ratio(m, top, bottom, i):
    return [m[c][top][i] / m[c][bottom][i] for c in (100, 1000)]


def print_ratios(labels, m):
    for anchor in ("epoll_echo", "epoll_echo_buffers", "asio_echo", "echo_server_threaded",
                   "uring_echo"):
        if GREEN in labels and anchor in labels:
            r, per = ratio(m, GREEN, anchor, 0), ratio(m, anchor, GREEN, 1)
            print("green / %s: %.2f (100), %.2f (1000) requests/s; "
                  "%.2f, %.2f CPU efficiency" % (anchor, r[0], r[1], per[0], per[1]))
    if "uring_echo" in labels and "epoll_echo" in labels:
        r, per = ratio(m, "uring_echo", "epoll_echo", 0), ratio(m, "uring_echo", "epoll_echo", 1)
        print("uring / epoll: %.2f (100), %.2f (1000) requests/s; CPU per request %.2f, %.2f"
              % (r[0], r[1], per[0], per[1]))
    if GREEN in labels and GREEN_2 in labels:
        r, per = ratio(m, GREEN_2, GREEN, 0), ratio(m, GREEN_2, GREEN, 1)
        print("green hubs=2 / hubs=1: %.2f (100), %.2f (1000) requests/s; "
              "CPU per request %.2f, %.2f" % (r[0], r[1], per[0], per[1]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("bin_dir")
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--idle", type=int, default=10000)
    parser.add_argument("--pin", action="store_true", help="server on CPU 0, load on CPU 1")
    parser.add_argument("--servers", help="comma-separated subset: NAME or NAME:hubs=N")
    args = parser.parse_args()
    names = DEFAULT_ROWS + (["uring_echo"] if os.path.exists(
        os.path.join(args.bin_dir, "uring_echo")) else [])
    rows = [parse_row(s) for s in (args.servers.split(",") if args.servers else names)]
    if args.pin:
        PIN.update(server=0, load=1)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 2 * args.idle + 1024), hard))

    print(machine_line(args.pin))
    m = measure(args, rows)
    memory = {row.label: idle_rss(args.bin_dir, row, args.idle) for row in rows} if args.idle else {}

    print_table(rows, m, 1, "\n512-byte ping-pong, requests/s and server CPU µs/request from "
                "/proc/PID/stat (median of %d x %.0f s):" % (args.reps, args.seconds))
    print_ratios([row.label for row in rows], m)
    print_table(rows, m, 2, "\ncross-check: the same runs' server CPU µs/request from "
                "wait4's rusage, and its user part:", user=True)
    if memory:
        print("\nresident memory per idle connection (%d connections):" % args.idle)
        for row in rows:
            print("%-26s %8.1f KiB" % (row.label, memory[row.label]))


if __name__ == "__main__":
    main()
