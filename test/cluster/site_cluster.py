"""The processes of a cluster-mode cluster for the tests in test/cluster/: a config on free
loopback ports, deptran_server per site (start, kill -9, logs, who leads a partition), one-shot
kv_cli commands and the sizes a site saved. Every wait is bounded. shardkv_cluster.py lays out a
sharded cluster on it; cluster_mode_test.py a single KV partition.
"""
import json
import os
import re
import socket
import struct
import subprocess
import time


class TestFailure(Exception):
    pass


def check(cond, message):
    if not cond:
        raise TestFailure(message)


def free_ports(n):
    """n distinct free loopback ports (all bound at once, then released)."""
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


class SiteCluster:
    """The sites of `partitions` (partition name -> site names, in config order) on free ports,
    in a config of `lab` with `options`, written to <tmp>/<lab>_cluster.yml; data dirs and logs
    under tmp. No process runs until start(site)."""

    def __init__(self, server, cli, tmp, lab, partitions, options):
        self.server, self.cli, self.tmp = server, cli, tmp
        self.partitions = partitions
        self.sites = [s for sites in self.partitions.values() for s in sites]
        ports = iter(free_ports(len(self.sites)))
        self.maxraftstate = options.get("maxraftstate", -1)
        doc = {"lab": lab,
               "partitions": [{"name": name, "sites": [{"name": s, "host": "127.0.0.1",
                                                         "port": next(ports)} for s in sites]}
                              for name, sites in self.partitions.items()],
               "options": options}
        # JSON is YAML: the config is written as data.
        self.config = self.write_config(f"{lab}_cluster.yml", json.dumps(doc, indent=2))
        self.server_args = {}  # site -> extra deptran_server arguments (e.g. --fault-control)
        self.procs = {}        # site -> Popen of the live incarnation
        self.incarnation = {}  # site -> number of starts so far (names the log files)

    def write_config(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def log(self, site, ext):
        return os.path.join(self.tmp, f"{site}.{self.incarnation[site]}.{ext}")

    def start(self, site):
        self.incarnation[site] = self.incarnation.get(site, 0) + 1
        with open(self.log(site, "out"), "w") as out, open(self.log(site, "err"), "w") as err:
            self.procs[site] = subprocess.Popen(
                [self.server, "--config", self.config, "--site", site,
                 "--data-dir", os.path.join(self.tmp, "data", site)] +
                self.server_args.get(site, []), stdout=out, stderr=err)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with open(self.log(site, "out")) as f:
                if "listening on" in f.read():
                    return
            check(self.procs[site].poll() is None,
                  f"{site} exited with {self.procs[site].returncode} while starting")
            time.sleep(0.05)
        raise TestFailure(f"{site} did not report 'listening on' within 10 s")

    def kill9(self, site):
        p = self.procs.pop(site)
        p.kill()
        p.wait(timeout=5)
        print(f"  killed -9 {site}", flush=True)

    def leader(self, partition, timeout_s=10):
        """The live site of `partition` whose latest leadership line says leader, in the
        highest term."""
        deadline = time.monotonic() + timeout_s
        live = [s for s in self.partitions[partition] if s in self.procs]
        while time.monotonic() < deadline:
            best = None
            for site in live:
                with open(self.log(site, "err")) as f:
                    lines = re.findall(r"site \w+: (leader|follower) in term (\d+)", f.read())
                if lines and lines[-1][0] == "leader":
                    term = int(lines[-1][1])
                    if best is None or term > best[1]:
                        best = (site, term)
            if best is not None:
                return best[0]
            time.sleep(0.1)
        raise TestFailure(f"no leader among {live} within {timeout_s} s")

    def cli_ok(self, *args, timeout_ms=15000):
        """Runs kv_cli; returns its stdout. Fails the test on a non-zero exit."""
        cmd = [self.cli, "--config", self.config, "--timeout-ms", str(timeout_ms)] + list(args)
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_ms / 1000 + 10)
        check(r.returncode == 0, f"kv_cli {' '.join(args)}: exit {r.returncode}: {r.stderr.strip()}")
        return r.stdout.rstrip("\n")

    def saved_sizes(self, site):
        """(state bytes, snapshot bytes) of the site's raft.state (layout: deptran/file_persister.h)."""
        with open(os.path.join(self.tmp, "data", site, "raft.state"), "rb") as f:
            header = f.read(24)
        check(len(header) == 24 and header[:4] == b"JNSP", f"{site}: raft.state has no JNSP header")
        return struct.unpack("<QQ", header[8:24])

    def stop_all(self):
        for site in list(self.procs):
            p = self.procs.pop(site)
            p.kill()
            p.wait(timeout=5)

    def print_log_tails(self):
        for name in sorted(os.listdir(self.tmp)):
            if name.endswith((".out", ".err")):
                with open(os.path.join(self.tmp, name)) as f:
                    tail = f.readlines()[-5:]
                print(f"--- {name} (last lines)\n" + "".join(tail), end="")
