#!/usr/bin/env python3
"""Cluster mode, transactions (lab txn): a shard master (3 deptran_server processes, partition
ctrl) and three replica groups g100, g101, g102 (3 processes each) on free loopback ports, with
the concurrency control of --concurrency (occ by default). The groups join once; then three
`kv_cli shell` clients move money between ten accounts (one per shard) in transactions and
audit all of them in read-only transactions, while in every group the leader is killed with
kill -9 and restarted from its data dir, then the shard master's leader, and one client is
killed with kill -9 right after sending a commit (a coordinator that disappears mid-commit: the
servers must resolve what it left prepared). Every committed audit must sum to the bank's total,
and at the end one committed read of all accounts must show every acknowledged transfer (and
some subset of those of unknown outcome, nothing else). txn_workload.py has the bank.

usage: txn_cluster_test.py --server PATH/deptran_server --cli PATH/kv_cli
                           [--concurrency occ|2pl] [--keep]

Every wait is bounded (the whole test takes well under 60 s); every process is killed on exit,
however the test ends. On failure the temp dir (config, data dirs, logs) is kept and the tails
of the logs are printed. --keep keeps it on success too. The cluster plumbing is
shardkv_cluster.py's.
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
from txn_workload import Bank  # noqa: E402

GROUPS = [100, 101, 102]
CLIENTS = 3
PROGRESS = 15  # acknowledged transfers (all clients together) required after each step
MAXRAFTSTATE = 4000


def bad_input_checks(c):
    """Bad input exits with code 2 and says what is wrong, before anything runs."""
    mvcc = c.write_config("mvcc.yml", "lab: txn\npartitions:\n"
                          "  - name: ctrl\n    sites: [{name: m, port: 7000}]\n"
                          "  - name: g100\n    sites: [{name: a, port: 7001}]\n"
                          "options: {concurrency: mvcc}\n")
    no_ctrl = c.write_config("no_ctrl.yml", "lab: txn\npartitions:\n"
                             "  - name: g100\n    sites: [{name: a, port: 7000}]\n")
    bad_name = c.write_config("bad_name.yml", "lab: txn\npartitions:\n"
                              "  - name: ctrl\n    sites: [{name: m, port: 7000}]\n"
                              "  - name: shard0\n    sites: [{name: a, port: 7001}]\n")
    kv = c.write_config("kv.yml", "lab: kv\npartitions:\n"
                        "  - name: kv\n    sites: [{name: a, port: 7000}]\n")
    data = ["--data-dir", os.path.join(c.tmp, "data", "a")]
    k = [c.cli, "--config", c.config]
    cases = [
        ([c.server, "--config", mvcc, "--site", "a"] + data, 'options.concurrency is "mvcc"'),
        ([c.server, "--config", no_ctrl, "--site", "a"] + data,
         'lab txn needs a partition named "ctrl"'),
        ([c.server, "--config", bad_name, "--site", "a"] + data, 'partition "shard0"'),
        ([c.cli, "--config", mvcc, "get", "k"], 'options.concurrency is "mvcc"'),
        (k + ["txbench", "--keys", "0"], "--keys"),
        (k + ["txbench", "--keys", "2", "--ops-per-tx", "3"], "is more than --keys"),
        (k + ["txbench", "10"], "txbench takes only flags"),
        (k + ["get", "k", "--clients", "2"], "--clients is a txbench flag"),
        (k + ["begin"], "a transaction command"),
        (k + ["--partition", "g100", "get", "k"], "--partition does not apply to lab txn"),
        ([c.cli, "--config", kv, "txbench"], "txbench needs a config of lab txn"),
    ]
    for cmd, message in cases:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        check(r.returncode == 2 and message in r.stderr,
              f"{' '.join(cmd[1:])}: want exit 2 and '{message}', got exit {r.returncode}: "
              f"{r.stderr.strip()}")
    check(not os.path.exists(os.path.join(c.tmp, "data")), "a refused site created a data dir")
    print(f"bad input: {len(cases)} cases exit 2 with a clear message", flush=True)


def shell_checks(c):
    """The shell's transaction commands on a quiet cluster: results, status names, and the
    errors of a misplaced command (exit 1 at the end, as for any failed shell command)."""
    script = ("begin\nput 1x one\nget 1x\ncommit\nbegin\nget 1x\nget 2x\nput 1x two\nabort\n"
              "get 1x\ncommit\nbegin\nbegin\nappend 1x z\nabort\n")
    r = subprocess.run([c.cli, "--config", c.config, "--timeout-ms", "15000", "shell"],
                       input=script, capture_output=True, text=True, timeout=60)
    out = [line for line in r.stdout.splitlines() if not line.startswith("tx ")]
    want = ["OK", "one", "TX_COMMITTED", "one", "TX_NOTFOUND", "OK", "TX_ABORTED", "one",
            "TX_ABORTED"]
    check(out == want and r.stdout.count("tx ") == 3, f"shell printed {r.stdout!r}, want "
          f"{want} and three 'tx ID' lines")
    errs = [line for line in r.stderr.splitlines() if line.startswith("kv_cli: ")]
    check(r.returncode == 1 and len(errs) == 3 and "no open transaction" in errs[0] and
          "is open" in errs[1] and "use put" in errs[2],
          f"shell: want exit 1 and three errors, got {r.returncode}: {errs}")
    print("shell: begin/get/put/commit/abort print values and status names", flush=True)


def scenario(c, bank):
    print(f"start {len(c.sites)} servers", flush=True)
    for site in c.sites:
        c.start(site)
    c.cli_ok("join", *[str(g) for g in GROUPS])
    shell_checks(c)
    bank.setup()
    bank.start()
    bank.wait_progress(PROGRESS, "all up")
    for partition in [f"g{g}" for g in GROUPS] + ["ctrl"]:
        victim = c.leader(partition)
        c.kill9(victim)
        bank.wait_progress(PROGRESS, f"{victim} down")
        c.start(victim)
        bank.wait_progress(PROGRESS, f"{victim} restarted")
    bank.kill_client_mid_commit()
    bank.wait_progress(PROGRESS, "after the client killed mid-commit")
    bank.stop()
    for site, p in c.procs.items():
        check(p.poll() is None, f"{site} exited with {p.returncode}")
    bank.check_final()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--concurrency", default="occ", choices=["occ", "2pl"])
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="txn_cluster_")
    c = Cluster(os.path.abspath(args.server), os.path.abspath(args.cli), tmp, GROUPS, lab="txn",
                options={"maxraftstate": MAXRAFTSTATE, "concurrency": args.concurrency})
    bank = Bank(c, CLIENTS)
    # CTest's timeout sends SIGTERM: turn it into an exception so the processes get killed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("txn_cluster_test: terminated"))
    start = time.monotonic()
    ok = False
    try:
        print(f"concurrency: {args.concurrency}", flush=True)
        bad_input_checks(c)
        scenario(c, bank)
        ok = True
    except (TestFailure, subprocess.TimeoutExpired) as e:
        print(f"FAIL: {e}", flush=True)
    finally:
        bank.kill()
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
