#!/usr/bin/env python3
"""deptran_server as an operator's disk and config can break it (issue 14, items 5 and 8), on a
one-site kv cluster driven by kv_cli:

- fail-stop: a directory put in the way of raft.state.tmp makes the next save fail (EISDIR); the
  server must exit 1 at once with one line naming the file and the errno text, kv_cli must get no
  acknowledgement for that write, and a restart must come back without it;
- the lock: deleting DIR/LOCK while a server runs must not let a second one start on DIR;
- a host that does not resolve: deptran_server and kv_cli exit 2 at once, with a one-line error
  naming the site and the host.

usage: fail_stop_test.py --server PATH/deptran_server --cli PATH/kv_cli [--keep]

Every wait is bounded; every server is killed on exit. On failure the temp dir is kept and the
tails of the logs are printed.
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


def fail_stop(c):
    data = os.path.join(c.tmp, "data", "kv0")
    c.start("kv0")
    c.leader("kv")
    check(c.cli_ok("put", "a", "1") == "OK", "the first put was not acknowledged")
    print("put a 1: OK (durable); now a directory in the way of raft.state.tmp", flush=True)
    os.mkdir(os.path.join(data, "raft.state.tmp"))
    r = subprocess.run([c.cli, "--config", c.config, "--timeout-ms", "3000", "put", "a", "2"],
                       capture_output=True, text=True, timeout=20)
    check(r.returncode != 0 and "OK" not in r.stdout,
          f"put a 2 was acknowledged although it could not be saved: exit {r.returncode}, "
          f"stdout {r.stdout.strip()!r}")
    print(f"put a 2: no acknowledgement (kv_cli exit {r.returncode})", flush=True)
    p = c.procs.pop("kv0")
    rc = p.wait(timeout=10)  # it has stopped already: the write that failed was the put's
    with open(c.log("kv0", "err")) as f:
        lines = [l for l in f.read().splitlines() if "stops:" in l]
    want = (f"deptran_server: site kv0 stops: persister: cannot create {data}/raft.state.tmp: "
            f"Is a directory; it answers nothing more")
    check(rc == 1, f"the server exited with {rc}, want 1 (fail-stop)")
    check(len(lines) == 1 and lines[0].startswith(want),
          f"want one line starting {want!r}, got {lines}")
    print(f"server exited 1: {lines[0][:110]}...", flush=True)
    os.rmdir(os.path.join(data, "raft.state.tmp"))
    c.start("kv0")
    got = c.cli_ok("get", "a")
    check(got == "1", f"after the restart get a = {got!r}, want '1' (the failed put is not durable)")
    print("restarted: get a -> '1'", flush=True)


def lock(c):
    data = os.path.join(c.tmp, "data", "kv0")
    os.remove(os.path.join(data, "LOCK"))
    r = subprocess.run([c.server, "--config", c.config, "--site", "kv0", "--data-dir", data],
                       capture_output=True, text=True, timeout=10)
    check(r.returncode == 1 and "in use by another process" in r.stderr,
          f"LOCK deleted, a second kv0 on the same data dir: exit {r.returncode}: "
          f"{r.stderr.strip()} {r.stdout.strip()}")
    print("LOCK deleted: a second server on the directory is still refused", flush=True)


def bad_host(c):
    path = c.write_config("bad_host.yml", "lab: kv\npartitions:\n  - name: kv\n    sites:\n"
                          "      - {name: a, host: 127.0.0.1, port: 7000}\n"
                          "      - {name: b, host: no-such-host.invalid, port: 7001}\n")
    start = time.monotonic()
    r = subprocess.run([c.server, "--config", path, "--site", "a", "--data-dir",
                        os.path.join(c.tmp, "data", "bad_host")], capture_output=True, text=True,
                       timeout=10)
    took = time.monotonic() - start
    want = f"{path}: site b: host 'no-such-host.invalid' does not resolve"
    check(r.returncode == 2 and want in r.stderr and r.stderr.count("\n") == 1 and took < 5,
          f"unresolvable host: want exit 2 at once with {want!r}, got exit {r.returncode} after "
          f"{took:.1f} s: {r.stderr.strip()}")
    start = time.monotonic()
    r = subprocess.run([c.cli, "--config", path, "get", "k"], capture_output=True, text=True,
                       timeout=30)
    took_cli = time.monotonic() - start
    check(r.returncode == 2 and want in r.stderr and took_cli < 5,
          f"kv_cli, unresolvable host: want exit 2 at once with {want!r}, got exit "
          f"{r.returncode} after {took_cli:.1f} s: {r.stderr.strip()}")
    print(f"unresolvable host: deptran_server exits 2 after {took:.2f} s, kv_cli after "
          f"{took_cli:.2f} s", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="fail_stop_")
    c = SiteCluster(os.path.abspath(args.server), os.path.abspath(args.cli), tmp, "kv",
                    {"kv": ["kv0"]}, {})
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("fail_stop_test: terminated"))
    start = time.monotonic()
    ok = False
    try:
        bad_host(c)
        fail_stop(c)
        lock(c)
        ok = True
    except (TestFailure, subprocess.TimeoutExpired) as e:
        print(f"FAIL: {e}", flush=True)
    finally:
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
