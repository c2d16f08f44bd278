#!/usr/bin/env python3
"""End-to-end run of one example server under load.

Starts SERVER (port 0; it prints the port it got), drives it with evy_load,
samples how many OS threads the server has while the load runs, and checks
the load generator's verdict (every byte and message) and the server's own
closing count.

usage: run_example.py echo|chat|work SERVER EVY_LOAD [--conns N] [--one-thread]
  --one-thread: the server must never have more than one OS thread that is
                not a runtime helper (evy's thread pool and watchdog are named
                "evy-...", and are not counted).
"""
import argparse
import os
import re
import resource
import subprocess
import sys
import threading
import time

from verdict import verdict

ROOM, MESSAGES, BYTES, ROUNDS, WORKERS = 50, 3, 512, 20, 8


def threads_of(pid):
    """Number of the process's OS threads that are not evy's own helpers."""
    try:
        tasks = os.listdir("/proc/%d/task" % pid)
    except (FileNotFoundError, ProcessLookupError):
        return 0
    count = 0
    for tid in tasks:
        try:
            with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                if f.read().startswith("evy-"):
                    continue
        except (FileNotFoundError, ProcessLookupError):  # the thread just ended
            continue
        count += 1
    return count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["echo", "chat", "work"])
    parser.add_argument("server")
    parser.add_argument("load")
    parser.add_argument("--conns", type=int, default=2000)
    parser.add_argument("--one-thread", action="store_true")
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, 3 * args.conns + 256)
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))

    server_args = [args.server, "0", str(args.conns)] + ([str(WORKERS)] if args.kind == "work" else [])
    # One hub: the check below is that the green server needs no OS thread
    # per connection (EVY_HUBS=N runs N hubs; test/runtime/multihub covers it).
    server_env = dict(os.environ, EVY_HUBS="1")
    server = subprocess.Popen(server_args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=server_env)
    first = server.stdout.readline()
    match = re.search(r"listening on 127\.0\.0\.1:(\d+)", first)
    if not match:
        server.kill()
        sys.exit("server did not start: %r %s" % (first, server.stderr.read()))
    port = match.group(1)

    load_args = {"echo": ["echo", port, str(args.conns), str(BYTES), str(ROUNDS)],
                 "chat": ["chat", port, str(args.conns), str(ROOM), str(MESSAGES)],
                 "work": ["work", port, str(args.conns)]}[args.kind]
    samples = []
    done = threading.Event()

    def sample():
        while not done.is_set():
            samples.append(threads_of(server.pid))
            time.sleep(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        load = subprocess.run([args.load] + load_args, capture_output=True, text=True, timeout=180)
        out, err = server.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        done.set()
        sampler.join()
        sys.exit("FAIL: timed out")
    done.set()
    sampler.join()

    print(first.strip())
    print(out.strip())
    print(load.stdout.strip())
    failures = []
    if load.returncode != 0:
        failures.append("load generator failed: " + load.stderr.strip())
    if server.returncode != 0:
        failures.append("server exited with %d: %s" % (server.returncode, err.strip()))
    expected = {"echo": r"%d connections, %d bytes echoed" % (args.conns, args.conns * BYTES * ROUNDS),
                "chat": r"%d clients, %d messages delivered" % (args.conns, args.conns * ROOM * MESSAGES),
                "work": r"served %d connections" % args.conns}[args.kind]
    if args.kind == "chat" and args.conns % ROOM:
        sys.exit("--conns must be a multiple of %d for chat" % ROOM)
    if not re.search(expected, out):
        failures.append("server summary: expected %r in %r" % (expected, out))
    peak = max(samples) if samples else 0
    print("peak OS threads during the run: %d (%d samples)" % (peak, len(samples)))
    if not samples:
        failures.append("no thread samples taken")
    elif args.one_thread and peak != 1:
        failures.append("the green server used %d OS threads" % peak)
    elif not args.one_thread and peak < 2:
        failures.append("the threaded server never had more than one thread: the check is blind")
    return verdict(failures)


if __name__ == "__main__":
    sys.exit(main())
