#!/usr/bin/env python3
"""Cluster mode, sharded: a shard master (3 deptran_server processes, partition ctrl) and three
replica groups g100, g101, g102 (3 processes each) on free loopback ports, lab shardkv. While
three kv_cli shells append to ten keys (one per shard), the shards move (join, move, leave,
join again) and in every group, the shard master's included, the leader and then another
process are killed with kill -9 and restarted from their data dirs (the second crash leaves the
restarted one needed for a majority). At the end every acknowledged append must be in its key's
value exactly once, each client's appends in the order it made them, and no append twice; and
every group's saved Raft state under 8 x maxraftstate.

usage: shardkv_cluster_test.py --server PATH/deptran_server --cli PATH/kv_cli [--keep]

Every wait is bounded (the whole test takes well under 60 s); every process is killed on exit,
however the test ends. On failure the temp dir (config, data dirs, logs) is kept and the tails
of the logs are printed. --keep keeps it on success too. The cluster plumbing (processes, logs,
leaders) is in shardkv_cluster.py, the clients in shardkv_workload.py.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shardkv_cluster import Cluster, TestFailure, check  # noqa: E402
from shardkv_workload import Workload  # noqa: E402

GROUPS = [100, 101, 102]
CLIENTS = 3
PROGRESS = 40  # acknowledged appends (all clients together) required after each step


def bad_input_checks(c):
    """Bad input exits with code 2 and says what is wrong, before anything runs."""
    no_ctrl = c.write_config("no_ctrl.yml", "lab: shardkv\npartitions:\n"
                             "  - name: g100\n    sites: [{name: a, port: 7000}]\n")
    bad_name = c.write_config("bad_name.yml", "lab: shardkv\npartitions:\n"
                              "  - name: ctrl\n    sites: [{name: m, port: 7000}]\n"
                              "  - name: grp\n    sites: [{name: a, port: 7001}]\n")
    two_100 = c.write_config("two_100.yml", "lab: shardkv\npartitions:\n"
                             "  - name: ctrl\n    sites: [{name: m, port: 7000}]\n"
                             "  - name: g100\n    sites: [{name: a, port: 7001}]\n"
                             "  - name: g0100\n    sites: [{name: b, port: 7002}]\n")
    nshards = c.write_config("nshards.yml", "lab: shardmaster\npartitions:\n"
                             "  - name: ctrl\n    sites: [{name: a, port: 7000}]\n"
                             "options: {nshards: 12}\n")
    kv = c.write_config("kv.yml", "lab: kv\npartitions:\n"
                        "  - name: kv\n    sites: [{name: a, port: 7000}]\n")
    data = ["--data-dir", os.path.join(c.tmp, "data", "a")]
    cases = [
        ([c.server, "--config", no_ctrl, "--site", "a"] + data, 'a partition named "ctrl"'),
        ([c.server, "--config", bad_name, "--site", "a"] + data, 'partition "grp"'),
        ([c.server, "--config", two_100, "--site", "a"] + data, '"g0100" are both group 100'),
        ([c.server, "--config", nshards, "--site", "a"] + data, "options.nshards is 12"),
        ([c.cli, "--config", no_ctrl, "get", "k"], 'a partition named "ctrl"'),
        ([c.cli, "--config", c.config, "move", "10", "100"], "move takes SHARD GID"),
        ([c.cli, "--config", c.config, "join", "105"], "no partition g105"),
        ([c.cli, "--config", c.config, "leave", "x"], "'x' is not a gid"),
        ([c.cli, "--config", kv, "query"], "needs a config of lab shardmaster, shardkv or txn"),
    ]
    for cmd, message in cases:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        check(r.returncode == 2 and message in r.stderr,
              f"{' '.join(cmd[1:])}: want exit 2 and '{message}', got exit {r.returncode}: "
              f"{r.stderr.strip()}")
    check(not os.path.exists(os.path.join(c.tmp, "data")), "a refused site created a data dir")
    print(f"bad input: {len(cases)} cases exit 2 with a clear message", flush=True)


def crash_and_restart(c, w, partition):
    """kill -9 the leader of `partition`, let the clients go on, restart it from its data; then
    the same with another site, so that the restarted one is needed for a majority."""
    first = c.leader(partition)
    c.kill9(first)
    w.wait_progress(PROGRESS, f"after killing {first}")
    c.start(first)
    second = next(s for s in c.partitions[partition] if s != first)
    c.kill9(second)
    w.wait_progress(PROGRESS, f"after killing {second}")
    c.start(second)


def scenario(c, w):
    print(f"start {len(c.sites)} servers", flush=True)
    for site in c.sites:
        c.start(site)
    c.cli_ok("join", "100", "101")
    w.start()
    w.wait_progress(PROGRESS, "on groups 100 and 101")

    print("join 102, move shards, kill -9 one process of each group", flush=True)
    c.cli_ok("join", "102")
    crash_and_restart(c, w, "g100")
    c.cli_ok("move", "0", "102")
    c.cli_ok("move", "5", "100")
    crash_and_restart(c, w, "ctrl")
    print("leave 101 (its shards move away), then join it again", flush=True)
    c.cli_ok("leave", "101")
    crash_and_restart(c, w, "g101")
    w.wait_progress(PROGRESS, "after leave 101")
    c.cli_ok("join", "101")
    crash_and_restart(c, w, "g102")
    w.wait_progress(PROGRESS, "after join 101")
    w.stop()

    latest = c.cli_ok("query").splitlines()
    print(f"  {latest[0]}", flush=True)
    check(len(latest) == 1 + len(GROUPS), f"query: want {len(GROUPS)} groups: {latest}")
    for site, p in c.procs.items():
        check(p.poll() is None, f"{site} exited with {p.returncode}")
    w.check_values()
    sizes = []
    for site in c.sites:
        if not site.startswith("m"):
            state, snapshot = c.saved_sizes(site)
            sizes.append(f"{site} {state}+{snapshot}")
            check(state <= 8 * c.maxraftstate,
                  f"{site}: raft state {state} bytes on disk, over 8 x maxraftstate = "
                  f"{8 * c.maxraftstate}: the group did not snapshot")
    print(f"  saved raft state + snapshot bytes: {', '.join(sizes)}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="shardkv_cluster_")
    c = Cluster(os.path.abspath(args.server), os.path.abspath(args.cli), tmp, GROUPS)
    w = Workload(c, CLIENTS)
    # CTest's timeout sends SIGTERM: turn it into an exception so the processes get killed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("shardkv_cluster_test: terminated"))
    start = time.monotonic()
    ok = False
    try:
        bad_input_checks(c)
        scenario(c, w)
        ok = True
    except (TestFailure, subprocess.TimeoutExpired) as e:
        print(f"FAIL: {e}", flush=True)
    finally:
        w.kill()
        c.stop_all()
    if not ok or args.keep:
        c.print_log_tails()
        print(f"files kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'PASS' if ok else 'FAIL'} in {time.monotonic() - start:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
