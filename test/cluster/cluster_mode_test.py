#!/usr/bin/env python3
"""Cluster mode end to end: three deptran_server processes (lab kv) on free loopback ports, driven
by kv_cli, with kill -9 crashes, restarts from the data dirs and a full-cluster restart, and a
data dir that stays bounded by maxraftstate (the saved Raft state; the snapshot holds the keys).

usage: cluster_mode_test.py --server PATH/deptran_server --cli PATH/kv_cli [--keep]

Every wait is bounded (the whole test takes well under 60 s); every server is killed on exit,
however the test ends. On failure the temp dir (config, data dirs, server logs) is kept and the
tails of the logs are printed. --keep keeps it on success too.
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
from site_cluster import SiteCluster, TestFailure, check  # noqa: E402

SITES = ["kv0", "kv1", "kv2"]
MAXRAFTSTATE = 1000  # bytes; the config's options.maxraftstate (labs/kv/README.md, part C)
BENCH_PUTS = 1000    # distinct keys: their snapshot alone is well over 8 x MAXRAFTSTATE


class Cluster(SiteCluster):
    """One KV partition of the sites SITES, with maxraftstate MAXRAFTSTATE."""

    def __init__(self, server, cli, tmp):
        super().__init__(server, cli, tmp, "kv", {"kv": SITES}, {"maxraftstate": MAXRAFTSTATE})

    def leader(self, timeout_s=10):
        return super().leader("kv", timeout_s)

    def kv(self, *args, timeout_ms=15000):
        """Runs kv_cli; returns its stdout line. Fails the test on a non-zero exit."""
        return self.cli_ok(*args, timeout_ms=timeout_ms)

    def expect(self, key, want):
        got = self.kv("get", key)
        check(got == want, f"get {key}: got {got!r}, want {want!r}")
        print(f"  get {key} -> {got!r}", flush=True)


def bad_input_checks(server, cli, tmp):
    """Bad input exits with code 2 and says what is wrong."""
    bad_yaml = os.path.join(tmp, "bad.yml")
    with open(bad_yaml, "w") as f:
        f.write("lab: [kv\n")
    port0 = os.path.join(tmp, "port0.yml")
    with open(port0, "w") as f:
        f.write("lab: kv\npartitions:\n  - name: kv\n    sites: [{name: a, port: 7000}, {name: b}]\n")
    cases = [
        ([server, "--config", port0], "missing --site"),
        ([server, "--config", port0, "--site", "zz"], "no site named 'zz'"),
        ([server, "--config", bad_yaml, "--site", "a"], "YAML syntax error"),
        ([server, "--config", port0, "--site", "a"], "b has port 0"),
        ([server, "--config", port0, "--site", "a", "--frob"], "unknown flag"),
        ([cli, "--config", port0, "get", "k"], "b has port 0"),
        ([cli, "--config", bad_yaml, "get", "k"], "YAML syntax error"),
        ([cli, "--config", port0, "frob", "k"], "unknown command"),
    ]
    for cmd, message in cases:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        check(r.returncode == 2 and message in r.stderr,
              f"{' '.join(cmd[1:])}: want exit 2 and '{message}', got exit {r.returncode}: "
              f"{r.stderr.strip()}")
    print(f"bad input: {len(cases)} cases exit 2 with a clear message", flush=True)


def scenario(c):
    print("start 3 servers", flush=True)
    for site in SITES:
        c.start(site)
    c.kv("put", "k", "a")
    c.kv("append", "k", "b")
    c.kv("put", "other", "x")
    c.expect("k", "ab")
    r = subprocess.run([c.server, "--config", c.config, "--site", "kv0", "--data-dir",
                        os.path.join(c.tmp, "data", "kv0")], capture_output=True, text=True,
                       timeout=10)
    check(r.returncode == 1 and "in use by another process" in r.stderr,
          f"a second kv0 on the same data dir: exit {r.returncode}: {r.stderr.strip()}")

    first = c.leader()
    print(f"crash the leader {first}", flush=True)
    c.kill9(first)
    c.kv("append", "k", "c")
    c.expect("k", "abc")

    print(f"restart {first} from its data dir, then crash another server", flush=True)
    c.start(first)
    now = c.leader()
    second = now if now != first else next(s for s in SITES if s != first)
    c.kill9(second)  # the survivors: the restarted one and the third, a bare majority
    c.kv("append", "k", "d")
    c.expect("k", "abcd")
    c.expect("other", "x")
    c.start(second)
    c.kv("append", "k", "e")

    print("crash all three, restart all three: the state comes back from disk", flush=True)
    for site in SITES:
        c.kill9(site)
    for site in SITES:
        c.start(site)
    c.expect("k", "abcde")
    c.expect("other", "x")

    print(f"{BENCH_PUTS} puts: every data dir stays bounded by maxraftstate", flush=True)
    out = c.kv("bench", str(BENCH_PUTS), "4", timeout_ms=120000)
    print(f"  {out}", flush=True)
    for site in SITES:
        state, snapshot = c.saved_sizes(site)
        print(f"  {site}: raft state {state} bytes, snapshot {snapshot} bytes", flush=True)
        # The snapshot holds all the keys, so the log they came through could not have been
        # kept: a server that never snapshots fails the first check, one that did not keep its
        # snapshot the second (the same 8x bound as the simulated tests, kv_tester_state.cc).
        check(state <= 8 * MAXRAFTSTATE,
              f"{site}: raft state {state} bytes on disk, over 8 x maxraftstate = "
              f"{8 * MAXRAFTSTATE}: the server did not snapshot")
        check(snapshot > 8 * MAXRAFTSTATE,
              f"{site}: snapshot {snapshot} bytes after {BENCH_PUTS} puts of distinct keys")
    crashed = SITES[0]
    c.kill9(crashed)
    c.start(crashed)
    c.kill9(SITES[1])  # the restarted site is needed for a majority: it must have its keys
    c.expect(f"bench-0-{BENCH_PUTS // 4 - 1}", str(BENCH_PUTS // 4 - 1))
    c.start(SITES[1])

    print("SIGTERM: clean shutdown", flush=True)
    for site, p in list(c.procs.items()):
        p.send_signal(signal.SIGTERM)
        rc = p.wait(timeout=10)
        check(rc == 0, f"{site} exited with {rc} after SIGTERM")
        with open(c.log(site, "out")) as f:
            check("stopped" in f.read(), f"{site} did not report 'stopped'")
        del c.procs[site]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="cluster_mode_")
    c = Cluster(os.path.abspath(args.server), os.path.abspath(args.cli), tmp)
    # CTest's timeout sends SIGTERM: turn it into an exception so the servers get killed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("cluster_mode_test: terminated"))
    start = time.monotonic()
    ok = False
    try:
        bad_input_checks(c.server, c.cli, tmp)
        scenario(c)
        ok = True
    except (TestFailure, subprocess.TimeoutExpired) as e:
        print(f"FAIL: {e}", flush=True)
    finally:
        c.stop_all()
    if not ok or args.keep:
        for name in sorted(os.listdir(tmp)):
            if name.endswith((".out", ".err")):
                with open(os.path.join(tmp, name)) as f:
                    tail = f.readlines()[-5:]
                print(f"--- {name} (last lines)\n" + "".join(tail), end="")
        print(f"files kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'PASS' if ok else 'FAIL'} in {time.monotonic() - start:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
