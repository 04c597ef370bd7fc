"""The nemesis of the Jepsen-style cluster test (jepsen_kv_test.py): a schedule of faults drawn
from a seed and printed before the run, so that a failing run can be re-run with the same faults,
and the code that injects them into a SiteCluster:

  kill       kill -9 a site, restart it from its data dir when the fault ends
  pause      SIGSTOP a site, SIGCONT it when the fault ends
  partition  split the sites in two sides that drop each other's frames, heal when it ends

Partitions go through deptran_server's test-only fault hook (--fault-control FILE,
deptran/fault_control.h): each site gets a file naming the sites it is cut off from, written
atomically. That needs no privileges and works where iptables is missing or not allowed.

A fault hits `count` sites: with `leader` set, the site that leads when the fault starts (the
live site that last said it leads) and then the first others of a drawn order of the sites;
otherwise the first `count` of that order. So the schedule is the same on every re-run even
though who leads is not. Kills hit a minority, half the pauses a majority (the cluster then
cannot answer: operations time out and end :info), partitions cut a minority off the rest. Faults do
not overlap: each one ends before the next starts.
"""
import os
import random
import signal
import time

KINDS = ("kill", "pause", "partition")


class Fault:
    """One scheduled fault: `kind` at `start_s` seconds into the run, for `duration_s` seconds,
    on `count` sites: the leader first if `leader`, then sites in the order `order`."""

    def __init__(self, start_s, kind, count, leader, order, duration_s):
        self.start_s, self.kind, self.duration_s = start_s, kind, duration_s
        self.count, self.leader, self.order = count, leader, order

    def sites(self, leader):
        """The sites hit, given the site that leads now (None if unknown)."""
        first = [leader] if self.leader and leader is not None else []
        return first + [s for s in self.order if s not in first][:self.count - len(first)]

    def __str__(self):
        target = f"{self.count} site{'s' if self.count > 1 else ''}" + \
            (" (leader first)" if self.leader else "")
        return f"t={self.start_s:5.1f}s {self.kind:9} {target:22} for {self.duration_s:.1f}s"


def schedule(seed, sites, seconds):
    """The faults of a run of `seconds` seconds over `sites`, drawn from `seed`: one fault after
    another, each 0.8 to 3 s long with a gap of 0.3 to 1 s before it, kinds taking turns in
    a shuffled order so that every kind occurs."""
    rng = random.Random(seed)
    faults = []
    t = 1.0 + rng.uniform(0, 1)  # let the first requests through
    kinds = []
    while True:
        duration = rng.uniform(0.8, 3.0)
        if t + duration > seconds - 1.0:
            break
        if not kinds:
            kinds = list(KINDS)
            rng.shuffle(kinds)
        kind = kinds.pop()
        minority = (len(sites) - 1) // 2
        count = rng.randint(1, minority)
        if kind == "pause" and rng.random() < 0.5:
            count = minority + 1  # a majority: no quorum until it resumes
        order = rng.sample(sites, len(sites))
        faults.append(Fault(t, kind, count, rng.random() < 0.6, order, duration))
        t += duration + rng.uniform(0.3, 1.0)
    return faults


class Nemesis:
    """Injects faults into `cluster` (a SiteCluster of one partition named `partition`) and
    records each start and end with the wall time (ns) through record(f, value, time_ns)."""

    def __init__(self, cluster, partition, fault_dir, record):
        self.c, self.partition, self.record = cluster, partition, record
        self.sites = list(cluster.partitions[partition])
        self.fault_dir = fault_dir
        os.makedirs(fault_dir, exist_ok=True)
        for site in self.sites:
            self.write_cut(site, [])
            cluster.server_args[site] = ["--fault-control", self.fault_file(site)]
        self.counts = {kind: 0 for kind in KINDS}

    def fault_file(self, site):
        return os.path.join(self.fault_dir, site)

    def write_cut(self, site, others):
        tmp = self.fault_file(site) + ".tmp"
        with open(tmp, "w") as f:
            f.write(" ".join(others) + "\n")
        os.replace(tmp, self.fault_file(site))

    def leader(self):
        try:
            return self.c.leader(self.partition, timeout_s=1)
        except Exception:  # no leader in sight
            return None

    def start(self, fault):
        """Starts `fault`; returns the sites it hit."""
        self.counts[fault.kind] += 1
        hit = fault.sites(self.leader() if fault.leader else None)
        if fault.kind == "partition":
            rest = [s for s in self.sites if s not in hit]
            for site in self.sites:
                self.write_cut(site, rest if site in hit else hit)
            self.record("partition", " ".join(hit) + " | " + " ".join(rest), time.time_ns())
        elif fault.kind == "kill":
            for site in hit:
                self.c.procs[site].kill()
            self.record("kill", " ".join(hit), time.time_ns())
            for site in hit:
                self.c.procs.pop(site).wait(timeout=5)
        else:
            for site in hit:
                self.c.procs[site].send_signal(signal.SIGSTOP)
            self.record("pause", " ".join(hit), time.time_ns())
        return hit

    def end(self, fault, hit):
        if fault.kind == "partition":
            for s in self.sites:
                self.write_cut(s, [])
            self.record("heal", None, time.time_ns())
        elif fault.kind == "kill":
            for site in hit:
                self.c.start(site)
            self.record("restart", " ".join(hit), time.time_ns())
        else:
            for site in hit:
                self.c.procs[site].send_signal(signal.SIGCONT)
            self.record("resume", " ".join(hit), time.time_ns())

    def run(self, faults, t0, stop):
        """Runs `faults` against the clock started at monotonic time t0, until they are done or
        stop() is true between faults; every fault started is also ended."""
        for fault in faults:
            while time.monotonic() - t0 < fault.start_s:
                if stop():
                    return
                time.sleep(0.02)
            hit = self.start(fault)
            try:
                end_at = fault.start_s + fault.duration_s
                while time.monotonic() - t0 < end_at and not stop():
                    time.sleep(0.02)
            finally:
                self.end(fault, hit)
