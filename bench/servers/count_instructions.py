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

usage: count_instructions.py BIN_DIR [--conns 100,1000] [--rounds N]
                             [--servers NAME,...]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

DEFAULT_SERVERS = ["echo_server_green", "epoll_echo", "asio_echo", "echo_server_threaded"]


def instructions(bin_dir, server, conns, rounds):
    """Total instructions callgrind counted in the server's process."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "callgrind.out")
        env = dict(os.environ, EVY_HUBS="1")
        # --max-threads: the threaded server has a thread a connection.
        proc = subprocess.Popen(["valgrind", "--tool=callgrind", "--max-threads=%d" % (conns + 64),
                                 "--callgrind-out-file=" + out,
                                 os.path.join(bin_dir, server), "0", str(conns)],
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
        total = re.search(r"Collected\s*:\s*(\d+)", err)
        if total is None:
            sys.exit("%s: callgrind printed no total:\n%s" % (server, err))
        return int(total.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bin_dir")
    parser.add_argument("--conns", default="100,1000")
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--servers", default=",".join(DEFAULT_SERVERS))
    args = parser.parse_args()
    conns_list = [int(c) for c in args.conns.split(",")]
    servers = [s.strip() for s in args.servers.split(",") if s.strip()]
    short = max(1, args.rounds // 5)
    print("user-space instructions per request (callgrind; %d and %d round trips a "
          "connection)" % (short, args.rounds))
    print("%-26s" % "server" + "".join("%14s" % ("%d conns" % c) for c in conns_list))
    per_request = {}
    for server in servers:
        cells = []
        for conns in conns_list:
            low = instructions(args.bin_dir, server, conns, short)
            high = instructions(args.bin_dir, server, conns, args.rounds)
            per_request[(server, conns)] = (high - low) / (conns * (args.rounds - short))
            cells.append("%14.0f" % per_request[(server, conns)])
        print("%-26s" % server + "".join(cells), flush=True)
    green = DEFAULT_SERVERS[0]
    for anchor in servers:
        if anchor != green and green in servers:
            print("green / %s: %s" % (anchor, ", ".join(
                "%.2f (%d)" % (per_request[(green, c)] / per_request[(anchor, c)], c)
                for c in conns_list)))


if __name__ == "__main__":
    main()
