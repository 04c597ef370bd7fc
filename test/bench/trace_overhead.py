#!/usr/bin/env python3
"""What tracing costs: the sim suites' wall time with tracing off on two builds, and on with it.

Runs each suite (raft_test, kv_test, shardkv_test, txn_test; --net=sim, one seed) in rounds,
interleaving three configurations so that machine noise hits them alike:
  base-off  the driver of --base (e.g. a build of main), no trace
  new-off   the driver of --new (this branch), no trace
  new-on    the driver of --new with --trace=<tmp>.jsonl (the structured trace)
and prints each configuration's median wall time per suite and summed, with the ratios
new-off / base-off (the budget: under 1.10) and new-on / new-off.

usage: trace_overhead.py --base BUILD --new BUILD [--rounds N] [--seed S]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

SUITES = [("raft", "labs/raft/raft_test"), ("kv", "labs/kv/kv_test"),
          ("shardkv", "labs/shardkv/shardkv_test"), ("txn", "labs/txn/txn_test")]


def wall(cmd):
    start = time.monotonic()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.monotonic() - start
    if r.returncode != 0:
        raise RuntimeError("%s exited %d" % (" ".join(cmd), r.returncode))
    return elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", required=True)
    ap.add_argument("--new", required=True)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    configs = ["base-off", "new-off", "new-on"]
    times = {(c, s): [] for c in configs for s, _ in SUITES}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            for suite, rel in SUITES:
                for c in configs:
                    build = args.base if c == "base-off" else args.new
                    cmd = [os.path.join(build, rel), "--net=sim", "--seed=%d" % args.seed]
                    if c == "new-on":
                        cmd.append("--trace=" + os.path.join(tmp, suite + ".jsonl"))
                    times[(c, suite)].append(wall(cmd))
    med = {k: statistics.median(v) for k, v in times.items()}
    print("%-8s %10s %10s %10s %9s %9s" % ("suite", *configs, "off/base", "on/off"))
    tot = {c: 0.0 for c in configs}
    for suite, _ in SUITES:
        row = [med[(c, suite)] for c in configs]
        for c, v in zip(configs, row):
            tot[c] += v
        print("%-8s %9.3fs %9.3fs %9.3fs %9.3f %9.3f" % (suite, *row, row[1] / row[0], row[2] / row[1]))
    row = [tot[c] for c in configs]
    print("%-8s %9.3fs %9.3fs %9.3fs %9.3f %9.3f" % ("sum", *row, row[1] / row[0], row[2] / row[1]))
    print("(medians of %d interleaved rounds, seed %d)" % (args.rounds, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
