#!/usr/bin/env python3
"""Jepsen-style test of cluster mode: a KV cluster of deptran_server processes (snapshots on, a
small maxraftstate) on free loopback ports; concurrent clients (jepsen_client.py), each a
`kv_cli jepsen` process that prints every operation's invocation and completion (:ok, or :info
when its outcome is unknown) with wall times; a nemesis (jepsen_nemesis.py) that kill -9s and
restarts sites, pauses them (SIGSTOP/SIGCONT) and partitions them on a seeded schedule printed
first. The clients' events are merged by time into one history in the Jepsen format of
labs/harness/checkers/jepsen_kv.h, with the nemesis' lines, and checked by lin_jepsen; a history
found not linearizable gets lin_jepsen's HTML report, whose path is printed.

usage: jepsen_kv_test.py --server PATH --cli PATH --checker PATH/lin_jepsen [--seed N]
         [--seconds S] [--sites 3|5] [--clients C] [--readers R] [--keys K]
         [--expect-violation] [--keep]

The run is bounded: S seconds of workload (default 30), then the faults are healed, every key is
read once more (the cluster must answer), and the check (at most 30 s). Then, to show that the
check can fail, one :ok Get of the history is changed to a value nobody wrote and lin_jepsen must
reject that copy. --expect-violation (the instructor check on a broken server) inverts the
verdict: the test passes only if the real history is rejected. Exit 0 on success, 1 otherwise;
on failure the temp dir (config, data dirs, logs, history) is kept.
"""
import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from jepsen_client import OP_TIMEOUT_MS, Client  # noqa: E402
from jepsen_nemesis import Nemesis, schedule  # noqa: E402
from site_cluster import SiteCluster, TestFailure, check  # noqa: E402

MAXRAFTSTATE = 2000  # bytes: small, so that sites snapshot (and install snapshots) under faults


def check_history(checker, path, html, title):
    """Runs lin_jepsen on `path`; returns (exit code, its output)."""
    r = subprocess.run([checker, "check", path, "--timeout-ms=30000", f"--html={html}",
                        f"--title={title}"], capture_output=True, text=True, timeout=60)
    return r.returncode, (r.stdout + r.stderr).strip()


def tamper(lines):
    """The history with the last :ok Get's value replaced by one nobody wrote."""
    out = list(lines)
    for i in range(len(out) - 1, -1, -1):
        if ":type :ok, :f :get" in out[i]:
            out[i] = re.sub(r':value "(?:[^"\\]|\\.)*"', ':value "never-written"', out[i])
            return out
    raise TestFailure("no :ok Get in the history to tamper with")


def run(args, tmp):
    sites = [f"kv{i}" for i in range(args.sites)]
    c = SiteCluster(args.server, args.cli, tmp, "kv", {"kv": sites},
                    {"maxraftstate": MAXRAFTSTATE})
    faults = schedule(args.seed, sites, args.seconds)
    print(f"seed {args.seed} (re-run: {os.path.basename(__file__)} ... --seed {args.seed}); "
          f"{args.sites} sites, {args.clients} clients ({args.readers} only reading), "
          f"{args.keys} keys, {args.seconds:g} s; "
          f"nemesis schedule:", flush=True)
    for f in faults:
        print(f"  {f}", flush=True)
    nemesis_lines = []

    def record(f, value, t_ns):
        v = "nil" if value is None else f'"{value}"'
        nemesis_lines.append((t_ns, 2, f"{{:process :nemesis, :type :info, :f :{f}, "
                                        f":value {v}, :time {t_ns}}}"))
        print(f"  nemesis: {f} {value or ''}", flush=True)

    nemesis = Nemesis(c, "kv", os.path.join(tmp, "faults"), record)
    start_ns = time.time_ns()
    clients = []
    try:
        for site in sites:
            c.start(site)
        c.leader("kv")
        keys = [f"k{i}" for i in range(args.keys)]
        clients = [Client(c, i, args.clients, keys, args.seed, i >= args.clients - args.readers)
                   for i in range(args.clients)]
        t0 = time.monotonic()
        done = threading.Event()
        stop = lambda: done.is_set() or time.monotonic() - t0 >= args.seconds  # noqa: E731
        threads = [threading.Thread(target=cl.run, args=(stop,)) for cl in clients]
        for t in threads:
            t.start()
        try:
            nemesis.run(faults, t0, lambda: any(cl.error for cl in clients))
        finally:
            if any(cl.error for cl in clients):
                done.set()  # the others stop too
            for t in threads:
                t.join()
        for cl in clients:
            check(cl.error is None, f"client {cl.index}: {cl.error}")
        workload_s = time.monotonic() - t0
        # Healed: the cluster must answer again (within three tries of OP_TIMEOUT_MS each, to
        # allow for an election on a loaded machine); these reads are part of the history.
        for key in keys:
            check(any(clients[0].op(f"get {key}") == "ok" for _ in range(3)),
                  f"final get {key}: no answer in 3 x {OP_TIMEOUT_MS} ms after the faults "
                  f"were healed")
        for cl in clients:
            rc = cl.close()
            with open(cl.stderr_path) as f:
                check(rc == 0, f"kv_cli jepsen (client {cl.index}) exited with {rc}: "
                      f"{f.read().strip()[-500:]}")
        for site, p in c.procs.items():
            check(p.poll() is None, f"{site} exited with {p.returncode} during the run")
    finally:
        for cl in clients:
            if cl.proc.poll() is None:
                cl.proc.kill()
        c.stop_all()

    # Every site saw every partition (no other fault runs meanwhile): the hook did cut.
    cuts = 0
    for name in os.listdir(tmp):
        if name.startswith("kv") and name.endswith(".err"):
            with open(os.path.join(tmp, name)) as f:
                cuts += f.read().count("fault control: cut off from")
    check(cuts >= nemesis.counts["partition"] * len(sites),
          f"{cuts} 'fault control: cut off' lines in the server logs for "
          f"{nemesis.counts['partition']} partitions of {len(sites)} sites")

    # Merged by wall time (at equal times :invoke lines first, so such operations overlap); the
    # :time fields become nanoseconds since the run started, as in Jepsen's histories.
    events = sorted(nemesis_lines + [e for cl in clients for e in cl.lines])
    history = os.path.join(tmp, "history.edn")
    with open(history, "w") as f:
        for t_ns, _, line in events:
            f.write(line.replace(f":time {t_ns}}}", f":time {max(0, t_ns - start_ns)}}}") + "\n")
    ok = sum(cl.counts["ok"] for cl in clients)
    info = sum(cl.counts["info"] for cl in clients)
    n = nemesis.counts
    print(f"workload {workload_s:.1f} s: {ok + info} operations ({ok} :ok, {info} :info), "
          f"{n['kill']} kills, {n['pause']} pauses, {n['partition']} partitions; "
          f"history: {history}", flush=True)
    check(ok >= 10 * args.seconds, f"only {ok} operations succeeded in {args.seconds} s")

    html = os.path.join(tmp, "report.html")
    title = f"cluster_jepsen_kv seed {args.seed}"
    t1 = time.monotonic()
    rc, out = check_history(args.checker, history, html, title)
    print(f"lin_jepsen ({time.monotonic() - t1:.1f} s): exit {rc}\n{out}", flush=True)
    if args.expect_violation:
        check(rc == 1, f"expected the checker to reject the broken server's history, got {rc}")
        check(os.path.exists(html), "lin_jepsen wrote no HTML report")
        print(f"as expected, NOT linearizable; HTML report: {html}"
              f"{'' if args.keep else ' (removed with the temp dir unless --keep)'}", flush=True)
        return
    if rc != 0:
        raise TestFailure(f"the history is {'NOT linearizable' if rc == 1 else 'undecided'}"
                          + (f"; HTML report: {html}" if os.path.exists(html) else ""))
    bad = os.path.join(tmp, "history-tampered.edn")
    with open(history) as f:
        lines = f.read().splitlines()
    with open(bad, "w") as f:
        f.write("".join(line + "\n" for line in tamper(lines)))
    rc, out = check_history(args.checker, bad, os.path.join(tmp, "report-tampered.html"),
                            title + " (tampered)")
    check(rc == 1, f"lin_jepsen accepted a history with a tampered Get value (exit {rc}): {out}")
    print("tampered copy (one Get value changed): rejected, as it must be", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--checker", required=True)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--sites", type=int, choices=(3, 5), default=5)
    ap.add_argument("--clients", type=int, default=5)
    ap.add_argument("--keys", type=int, default=6)
    ap.add_argument("--readers", type=int, default=1)  # of the clients, how many only read
    ap.add_argument("--expect-violation", action="store_true")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1, 1 << 31)
    for name in ("server", "cli", "checker"):
        setattr(args, name, os.path.abspath(getattr(args, name)))
    tmp = tempfile.mkdtemp(prefix="jepsen_kv_")
    # CTest's timeout sends SIGTERM: turn it into an exception so the processes get killed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("jepsen_kv_test: terminated"))
    start = time.monotonic()
    ok = False
    try:
        run(args, tmp)
        ok = True
    except (TestFailure, subprocess.TimeoutExpired) as e:
        print(f"FAIL: {e}", flush=True)
    if not ok or args.keep:
        print(f"files kept in {tmp} (seed {args.seed})")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'PASS' if ok else 'FAIL'} in {time.monotonic() - start:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
