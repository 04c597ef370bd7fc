#!/usr/bin/env python3
"""CTest trace_determinism: in simulation a driver's trace is a pure function of the seed.

For every lab driver of labs/labs.json that is built, runs a few fault-heavy tests with one seed
twice with --trace=FILE.jsonl (the structured trace) and twice with --trace=FILE.txt (the text
form), and requires byte-identical files. Also checks that a structured trace starts with its
meta line and holds RPC events. Nothing wall-clock may enter a trace (issue 14, item 7).

usage: trace_determinism.py --build BUILD_DIR [--seed N] [--only LAB]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# Per lab: tests with partitions, crashes, an unreliable or reordering network, and (kv) the
# linearizability checker; short in wall time (the whole check stays under ~20 s).
TESTS = {
    "raft": "RaftB.Backup:RaftB.UnreliableReorder:RaftC.Figure8Unreliable",
    "kv": "KvA.OnePartition:KvB.PersistPartitionUnreliableLinearizable",
    "shardmaster": "ShardMasterA.Basic",
    "shardkv": "ShardKvA.JoinLeave",
    "txn": "TxnA.Concurrency1",
}


def run(driver, seed, tests, trace):
    cmd = [driver, "--net=sim", "--seed=%d" % seed, "--gtest_filter=" + tests, "--trace=" + trace]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    if r.returncode not in (0, 1):
        raise RuntimeError("%s exited %d\n%s" % (" ".join(cmd), r.returncode, r.stdout.decode()))
    with open(trace, "rb") as f:
        return f.read()


def first_difference(a, b):
    la = a.decode(errors="replace").splitlines()
    lb = b.decode(errors="replace").splitlines()
    for i, (x, y) in enumerate(zip(la, lb)):
        if x != y:
            return "line %d:\n  run 1: %s\n  run 2: %s" % (i + 1, x[:300], y[:300])
    return "lengths differ: %d vs %d lines" % (len(la), len(lb))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--only")
    args = ap.parse_args()
    with open(os.path.join(ROOT, "labs", "labs.json")) as f:
        labs = json.load(f)["labs"]
    failures, checked = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for lab in labs:
            if args.only and lab["id"] != args.only:
                continue
            driver = os.path.join(args.build, lab["folder"], lab["driver"])
            if not os.path.exists(driver):
                print("skip %s: %s not built" % (lab["id"], driver))
                continue
            tests = TESTS.get(lab["id"], "*")
            for ext in ("jsonl", "txt"):
                one = run(driver, args.seed, tests, os.path.join(tmp, "%s-1.%s" % (lab["id"], ext)))
                two = run(driver, args.seed, tests, os.path.join(tmp, "%s-2.%s" % (lab["id"], ext)))
                checked += 1
                if one != two:
                    failures.append("%s --seed=%d --gtest_filter=%s --trace=F.%s: two runs differ, %s"
                                    % (lab["driver"], args.seed, tests, ext, first_difference(one, two)))
                elif ext == "jsonl":
                    lines = one.decode().splitlines()
                    if not lines or not lines[0].startswith('{"ev":"meta"'):
                        failures.append("%s: the structured trace does not start with meta" % lab["id"])
                    if not any('"ev":"send"' in l for l in lines):
                        failures.append("%s: the structured trace has no send event" % lab["id"])
                print("%-12s %-5s %8d bytes  %s" % (lab["id"], ext, len(one),
                                                   "identical" if one == two else "DIFFERENT"))
    if checked == 0:
        print("no lab driver is built in " + args.build)
        return 1
    for f in failures:
        print("FAIL: " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
