"""The clients of the Jepsen-style cluster test (jepsen_kv_test.py): each one a `kv_cli jepsen`
process (labs/cluster/kv_cli_jepsen.h) fed a seeded mix of operations, one at a time, whose
printed events it keeps with their wall times for the merged history.
"""
import os
import random
import re
import subprocess
import time

from site_cluster import check

OP_TIMEOUT_MS = 2000  # an operation unanswered this long is :info (a clerk moves after 0.5 s)
EVENT = re.compile(r":type :(\w+),.*:time (\d+)\}$")


class Client:
    """One `kv_cli jepsen` process: runs a seeded mix of get/put/append on `keys` (only gets if
    `reader`), one at a time, and keeps the event lines it printed. A reader's clerk never
    moves for a write, so it keeps asking the server it reached: a server that answers reads
    without the log (a follower, a deposed leader) shows its stale values to it."""

    def __init__(self, cluster, index, stride, keys, seed, reader):
        self.index, self.keys, self.reader = index, keys, reader
        self.rng = random.Random(seed * 1000 + index)
        self.lines = []
        self.counts = {"ok": 0, "info": 0}
        self.error = None
        self.stderr_path = os.path.join(cluster.tmp, f"client{index}.err")
        with open(self.stderr_path, "w") as err:
            self.proc = subprocess.Popen(
                [cluster.cli, "--config", cluster.config, "--timeout-ms", str(OP_TIMEOUT_MS),
                 "jepsen", str(index), str(stride)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True, bufsize=1)
        self.n = 0

    def op(self, line):
        """Sends one operation and reads its two events; returns the completion's type."""
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        for want in ("invoke", "end"):
            event = self.proc.stdout.readline().rstrip("\n")
            m = EVENT.search(event)
            check(m is not None, f"client {self.index}: kv_cli printed {event!r} for {line!r}")
            check((m.group(1) == "invoke") == (want == "invoke"),
                  f"client {self.index}: unexpected event {event!r}")
            self.lines.append((int(m.group(2)), 0 if want == "invoke" else 1, event))
        self.counts[m.group(1)] = self.counts.get(m.group(1), 0) + 1
        return m.group(1)

    def random_op(self):
        key = self.rng.choice(self.keys)
        self.n += 1
        r = self.rng.random()
        if r < 0.4 or self.reader:
            return f"get {key}"
        value = f"{self.index}.{self.n}"
        return f"put {key} {value}," if r < 0.6 else f"append {key} {value},"

    def run(self, stop):
        try:
            while not stop():
                self.op(self.random_op())
                time.sleep(self.rng.uniform(0, 0.02))  # a little think time, as Jepsen staggers
        except Exception as e:  # reported by the main thread
            self.error = e

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=OP_TIMEOUT_MS / 1000 + 5)
        except (subprocess.TimeoutExpired, OSError):
            self.proc.kill()
            self.proc.wait()
        return self.proc.returncode
