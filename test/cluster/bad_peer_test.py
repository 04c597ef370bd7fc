#!/usr/bin/env python3
"""Bad-peer suite: a real 3-process KV cluster (deptran_server, lab kv) attacked through raw
sockets, as a hostile client would, one attack after another against the site that leads at the
start. For each attack the suite checks that the attacked server stays up, that its resident
memory stays under RSS_BOUND_KB, that kv_cli put/get keep working during and after the attack,
and (at the end) that its log stays under LOG_BOUND_BYTES. The limits it relies on are the
transport's (rrr/net/tcp_limits.h), set short in the test config (LIMITS) so the suite is quick.

Attacks: huge hello claims and huge frames, many connections, slow one-byte senders, idle
connections held open, descriptor exhaustion (the attacked server restarted with a low
RLIMIT_NOFILE), and a flood of bad requests (unknown method ids, malformed frames).

usage: bad_peer_test.py --server PATH/deptran_server --cli PATH/kv_cli [--keep]

Every wait is bounded; the whole suite takes about 10 s (CTest cluster_bad_peer, timeout 90 s). Servers are killed on exit; on failure
the temp dir is kept and the log tails are printed.
"""
import argparse
import os
import resource
import select
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from site_cluster import SiteCluster, TestFailure, check  # noqa: E402

SITES = ["kv0", "kv1", "kv2"]
LIMITS = {
    "hello_timeout_ms": 1000,
    "idle_timeout_ms": 2000,
    "max_connections": 64,
    "server_buffer_bytes_max": 8 << 20,
    "accept_backoff_ms": 100,
}
RSS_BOUND_KB = 32 * 1024         # resident memory of the attacked server, at every check
LOG_BOUND_BYTES = 256 * 1024     # its stderr log over the whole suite (all incarnations)
NOFILE_LIMIT = 64                # RLIMIT_NOFILE of the attacked server in the fd attack
HELLO_MAGIC = 0x48525252


def frame(body):
    return struct.pack("<I", len(body)) + body


def hello(node=999):
    return frame(struct.pack("<Ii", HELLO_MAGIC, node))


def request(xid, method, args=b""):
    return frame(struct.pack("<QI", xid, method) + args)


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def cpu_s(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def connect(port, data=b""):
    s = socket.create_connection(("127.0.0.1", port), timeout=2)
    if data:
        s.sendall(data)
    return s


def closed_by_server(s):
    """True if the server closed `s` (EOF or reset); drains what it sent. Never blocks."""
    try:
        while True:
            r, _, _ = select.select([s], [], [], 0)
            if not r:
                return False
            if not s.recv(65536):
                return True
    except OSError:
        return True


def wait_all_closed(socks, timeout_s):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if all(closed_by_server(s) for s in socks):
            return True
        time.sleep(0.05)
    return False


class Cluster(SiteCluster):
    def __init__(self, server, cli, tmp):
        super().__init__(server, cli, tmp, "kv", {"kv": SITES}, dict(LIMITS, maxraftstate=-1))
        self.nofile = {}  # site -> RLIMIT_NOFILE soft limit for its next start

    def start(self, site):
        limit = self.nofile.get(site)
        if limit is None:
            return super().start(site)
        # As SiteCluster.start, with the descriptor limit lowered in the child only.
        real_popen = subprocess.Popen

        def popen(*args, **kwargs):
            kwargs["preexec_fn"] = lambda: resource.setrlimit(resource.RLIMIT_NOFILE,
                                                              (limit, limit))
            return real_popen(*args, **kwargs)
        subprocess.Popen = popen
        try:
            return super().start(site)
        finally:
            subprocess.Popen = real_popen

    def port(self, site):
        with open(self.config) as f:
            import json
            doc = json.load(f)
        for p in doc["partitions"]:
            for s in p["sites"]:
                if s["name"] == site:
                    return s["port"]
        raise TestFailure(f"no site {site}")

    def log_bytes(self, site):
        return sum(os.path.getsize(os.path.join(self.tmp, f"{site}.{i}.err"))
                   for i in range(1, self.incarnation[site] + 1))


class Suite:
    def __init__(self, cluster):
        self.c = cluster
        self.target = cluster.leader("kv")
        self.port = cluster.port(self.target)
        self.n = 0
        self.report = []

    def pid(self):
        p = self.c.procs.get(self.target)
        check(p is not None and p.poll() is None, f"{self.target} is not running")
        return p.pid

    def kv_works(self, label):
        self.n += 1
        key, value = f"k{self.n}", f"v{self.n}-{label}"
        self.c.cli_ok("put", key, value, timeout_ms=20000)
        got = self.c.cli_ok("get", key, timeout_ms=20000)
        check(got == value, f"{label}: get {key} -> {got!r}, want {value!r}")

    def attack(self, name, fn):
        t0 = time.monotonic()
        rss0, log0 = rss_kb(self.pid()), self.c.log_bytes(self.target)
        fn()
        rss1 = rss_kb(self.pid())
        check(rss1 <= RSS_BOUND_KB, f"{name}: RSS {rss1} KiB > bound {RSS_BOUND_KB} KiB")
        self.kv_works(name + "/after")
        log1 = self.c.log_bytes(self.target)
        line = (f"  {name:<16} RSS {rss0} -> {rss1} KiB, log +{log1 - log0} B, "
                f"{time.monotonic() - t0:.1f} s")
        print(line, flush=True)
        self.report.append(line)

    # Attack 1: first frames claiming 64 MiB, then frames after a hello claiming 60 MiB with
    # 2 MiB sent on each of 8 connections (16 MiB > server_buffer_bytes_max).
    def huge_frames(self):
        socks = [connect(self.port, struct.pack("<I", 64 << 20) + b"x" * 65536) for _ in range(8)]
        check(wait_all_closed(socks, 2), "huge hello: not every connection was closed at once")
        for s in socks:
            s.close()
        socks = [connect(self.port, hello() + struct.pack("<I", 60 << 20)) for _ in range(8)]
        chunk = b"y" * (2 << 20)

        def push(s):
            try:
                s.settimeout(3)
                s.sendall(chunk)
            except OSError:
                pass
        threads = [threading.Thread(target=push, args=(s,)) for s in socks]
        for t in threads:
            t.start()
        self.kv_works("huge_frames/during")
        for t in threads:
            t.join()
        rss = rss_kb(self.pid())
        check(rss <= RSS_BOUND_KB, f"huge frames: RSS {rss} KiB > {RSS_BOUND_KB} KiB")
        evicted = sum(closed_by_server(s) for s in socks)
        check(evicted >= 4, f"huge frames: only {evicted} of 8 evicted at an 8 MiB budget")
        for s in socks:
            s.close()

    # Attack 2: 300 connections without a hello: those beyond max_connections are closed at
    # once, the rest at hello_timeout_ms.
    def many_connections(self):
        socks = [connect(self.port) for _ in range(300)]
        time.sleep(0.5)
        early = sum(closed_by_server(s) for s in socks)
        check(early >= 300 - LIMITS["max_connections"],
              f"many connections: only {early} of 300 closed at once")
        self.kv_works("many_conns/during")
        check(wait_all_closed(socks, 3), "many connections: some outlived hello_timeout_ms")
        for s in socks:
            s.close()

    # Attack 3: 20 slowloris senders, one byte of a 1000-byte frame every 0.3 s.
    def slowloris(self):
        socks = [connect(self.port, hello() + struct.pack("<I", 1000) + b"z") for _ in range(20)]
        stop = threading.Event()

        def dribble():
            while not stop.is_set():
                for s in socks:
                    try:
                        s.send(b"z")
                    except OSError:
                        pass
                stop.wait(0.3)
        t = threading.Thread(target=dribble)
        t.start()
        try:
            self.kv_works("slowloris/during")
            ok = wait_all_closed(socks, LIMITS["idle_timeout_ms"] / 1000 + 2)
        finally:
            stop.set()
            t.join()
        check(ok, "slowloris: some slow senders outlived idle_timeout_ms")
        for s in socks:
            s.close()

    # Attack 4: 30 connections that never say hello and 20 that say hello and then nothing.
    # The first are closed at hello_timeout_ms; the second stay (a quiet link is not cut: that is
    # what keeps idle Raft peer links up), and kv_cli works beside them.
    def idle_held(self):
        silent = [connect(self.port) for _ in range(30)]
        quiet = [connect(self.port, hello()) for _ in range(20)]
        self.kv_works("idle/during")
        check(wait_all_closed(silent, LIMITS["hello_timeout_ms"] / 1000 + 2),
              "idle: connections without a hello outlived hello_timeout_ms")
        check(not any(closed_by_server(s) for s in quiet), "idle: a greeted quiet link was cut")
        for s in silent + quiet:
            s.close()

    # Attack 5: the attacked server restarted with RLIMIT_NOFILE 64, then 200 greeted
    # connections held open. Its max_connections is lowered to fit the limit, so the persister
    # keeps descriptors; newcomers replace quiet attackers; accept never spins.
    def fd_exhaustion(self):
        self.c.kill9(self.target)
        self.c.nofile[self.target] = NOFILE_LIMIT
        self.c.start(self.target)
        self.kv_works("fd/restarted")
        pid = self.pid()
        cpu0 = cpu_s(pid)
        socks = []
        for _ in range(200):
            try:
                socks.append(connect(self.port, hello()))
            except OSError:
                pass
        time.sleep(1.2)
        self.kv_works("fd/during")
        more = []
        for _ in range(50):
            try:
                more.append(connect(self.port, hello()))
            except OSError:
                pass
        time.sleep(1.0)
        cpu = cpu_s(pid) - cpu0
        check(cpu < 1.5, f"fd exhaustion: {cpu:.2f} s of CPU in ~2.5 s (accept spinning?)")
        open_n = sum(not closed_by_server(s) for s in socks + more)
        check(open_n <= NOFILE_LIMIT, f"fd exhaustion: {open_n} attacker connections open")
        with open(self.c.log(self.target, "err")) as f:
            check("max_connections 64 lowered to" in f.read(),
                  "fd exhaustion: max_connections was not fitted to RLIMIT_NOFILE")
        for s in socks + more:
            s.close()
        print(f"    fd: {open_n} attacker connections open at the end, CPU {cpu:.2f} s",
              flush=True)

    # Attack 6: 4 connections sending 5000 requests for unknown method ids each (the replies
    # left unread), and 200 connections sending one malformed frame each.
    def bad_requests(self):
        socks = [connect(self.port, hello()) for _ in range(4)]
        for s in socks:
            s.sendall(b"".join(request(i, 0xDEAD0000 + i % 7) for i in range(5000)))
        self.kv_works("bad_requests/during")
        for _ in range(200):
            s = connect(self.port, hello() + frame(b"\x01\x02\x03"))
            s.close()
        time.sleep(0.5)
        for s in socks:
            s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="bad_peer_")
    c = Cluster(args.server, args.cli, tmp)
    ok = False
    t0 = time.monotonic()
    try:
        for s in SITES:
            c.start(s)
        suite = Suite(c)
        suite.kv_works("baseline")
        print(f"attacking {suite.target} (port {suite.port}); bounds: RSS <= {RSS_BOUND_KB} KiB, "
              f"log <= {LOG_BOUND_BYTES} B", flush=True)
        failed = []
        for name in ["huge_frames", "many_connections", "slowloris", "idle_held",
                     "bad_requests", "fd_exhaustion"]:
            try:  # every attack runs, so that one report names every weakness
                suite.attack(name, getattr(suite, name))
            except (TestFailure, subprocess.TimeoutExpired, OSError) as e:
                print(f"  {name:<16} FAILED: {e}", flush=True)
                failed.append(name)
                if c.procs[suite.target].poll() is not None:
                    raise TestFailure(f"{suite.target} died during {name}")
        log = c.log_bytes(suite.target)
        check(log <= LOG_BOUND_BYTES, f"log of {suite.target}: {log} B > {LOG_BOUND_BYTES} B")
        check(not failed, f"attacks failed: {', '.join(failed)}")
        print(f"PASS bad_peer: log {log} B, {time.monotonic() - t0:.1f} s", flush=True)
        ok = True
    except (TestFailure, subprocess.TimeoutExpired, OSError) as e:
        print(f"FAIL bad_peer: {e}", flush=True)
        c.print_log_tails()
    finally:
        c.stop_all()
        if ok and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept {tmp}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
