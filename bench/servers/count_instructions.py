#!/usr/bin/env python3
"""User-space instructions per request of each echo server, counted by
valgrind's callgrind: the server's own code (libevy, Asio, the epoll loop,
libc's syscall wrappers), not the kernel's. Unlike requests/s and CPU
time, the count is the same from run to run whatever else the machine
does, so it shows a change to libevy to the instruction.

Each server runs twice under callgrind with evy_load's ping-pong (512
bytes) at CONNS connections: ROUNDS/5 and ROUNDS round trips a
connection. The difference of the two totals over the difference of the
requests leaves out start-up, accepting and exit:

    per request = (I(ROUNDS) - I(ROUNDS/5)) / (CONNS * (ROUNDS - ROUNDS/5))

Threads run one at a time under valgrind, so the threaded server's count
is its instructions, not its speed. The greened servers run with
EVY_HUBS=1.

--cache runs cachegrind's cache simulation instead (a 32 KiB 8-way L1d, as
on the AMD EPYC and the Intel Xeons these runs saw) and adds the L1d
misses per request: how many cache lines a request needs that the requests
of other connections pushed out since, again the same in every run. The
simulation knows nothing of prefetching (the CPU's or libevy's) or of the
kernel's use of the cache, so this counts the lines a request touches cold,
not the misses it ends up waiting for. Its last level is not reported: it
is indexed by virtual address, where the real L2 and L3 are indexed by
physical address, and fiber stacks spaced alike would alias there in the
simulation only.

usage: count_instructions.py BIN_DIR [--conns 100,1000] [--rounds N]
                             [--servers NAME,...] [--cache]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

DEFAULT_SERVERS = ["echo_server_green", "epoll_echo", "asio_echo", "echo_server_threaded"]


CACHE_SIM = ["--tool=cachegrind", "--cache-sim=yes", "--D1=32768,8,64"]
CACHE_TOTALS = {"instructions": r"I\s+refs:\s*([\d,]+)", "L1d misses": r"D1\s+misses:\s*([\d,]+)"}


def totals(bin_dir, server, conns, rounds, cache):
    """What valgrind counted in the server's process: {"instructions": N}
    under callgrind, and the data misses too under the cache simulation."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "valgrind.out")
        env = dict(os.environ, EVY_HUBS="1")
        tool = CACHE_SIM + ["--cachegrind-out-file=" + out] if cache else [
            "--tool=callgrind", "--callgrind-out-file=" + out]
        # --max-threads: the threaded server has a thread a connection.
        proc = subprocess.Popen(["valgrind", "--max-threads=%d" % (conns + 64)] + tool +
                                [os.path.join(bin_dir, server), "0", str(conns)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        line = proc.stdout.readline()
        port = re.search(r":(\d+)$", line.strip())
        if port is None:
            sys.exit("%s: no listening line under valgrind: %r" % (server, line))
        load = subprocess.run([os.path.join(bin_dir, "evy_load"), "echo", port.group(1),
                               str(conns), "512", str(rounds)],
                              capture_output=True, text=True, timeout=1800)
        _, err = proc.communicate(timeout=600)
        if load.returncode != 0 or proc.returncode != 0:
            sys.exit("%s: load exit %d, server exit %d\n%s%s" % (
                server, load.returncode, proc.returncode, load.stderr, err[-2000:]))
        patterns = CACHE_TOTALS if cache else {"instructions": r"Collected\s*:\s*(\d+)"}
        counted = {}
        for name, pattern in patterns.items():
            total = re.search(pattern, err)
            if total is None:
                sys.exit("%s: valgrind printed no %s total:\n%s" % (server, name, err))
            counted[name] = int(total.group(1).replace(",", ""))
        return counted


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bin_dir")
    parser.add_argument("--conns", default="100,1000")
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--servers", default=",".join(DEFAULT_SERVERS))
    parser.add_argument("--cache", action="store_true",
                        help="cachegrind's cache simulation: L1d misses per request too")
    args = parser.parse_args()
    conns_list = [int(c) for c in args.conns.split(",")]
    servers = [s.strip() for s in args.servers.split(",") if s.strip()]
    short = max(1, args.rounds // 5)
    names = list(CACHE_TOTALS) if args.cache else ["instructions"]
    print("user-space counts per request (%s; %d and %d round trips a connection)" %
          ("cachegrind, simulated caches" if args.cache else "callgrind", short, args.rounds))
    print("%-26s" % "server" + "".join("%26s" % ("%d conns: %s" % (c, n))
                                         for c in conns_list for n in names))
    per_request = {}
    for server in servers:
        cells = []
        for conns in conns_list:
            low = totals(args.bin_dir, server, conns, short, args.cache)
            high = totals(args.bin_dir, server, conns, args.rounds, args.cache)
            for name in names:
                value = (high[name] - low[name]) / (conns * (args.rounds - short))
                per_request[(server, conns, name)] = value
                cells.append("%26.1f" % value if name != "instructions" else "%26.0f" % value)
        print("%-26s" % server + "".join(cells), flush=True)
    green = DEFAULT_SERVERS[0]
    for anchor in servers:
        if anchor != green and green in servers:
            print("green / %s, instructions: %s" % (anchor, ", ".join(
                "%.2f (%d)" % (per_request[(green, c, "instructions")] /
                               per_request[(anchor, c, "instructions")], c)
                for c in conns_list)))

if __name__ == "__main__":
    main()
