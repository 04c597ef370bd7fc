"""The client workload of shardkv_cluster_test.py: CLIENTS `kv_cli shell` processes, each fed by
a thread that appends "c<client>.<n>;" (n = 0, 1, 2, ...) to the keys "0key" .. "9key" in turn
(one key per shard: KeyToShard is the first byte modulo 10), one command at a time, and records
which appends were acknowledged ("OK" on stdout) and which failed ("kv_cli: ..." on stderr).

check_values() then reads every key and checks, per key: each acknowledged append appears
exactly once, no append appears twice (a failed one may or may not have taken effect), and each
client's appends appear in the order it made them.
"""
import queue
import subprocess
import threading
import time

from shardkv_cluster import TestFailure, check

KEYS = [f"{d}key" for d in range(10)]
REPLY_TIMEOUT_S = 30   # one append; kv_cli itself gives up after CLI_TIMEOUT_MS
CLI_TIMEOUT_MS = 20000


class Client:
    def __init__(self, cluster, index):
        self.index = index
        self.issued = {k: [] for k in KEYS}  # key -> n of every append sent, in order
        self.acked = {k: set() for k in KEYS}
        self.failed = []                     # stderr lines of appends that failed
        self.error = None                    # why the thread stopped early
        self.proc = subprocess.Popen(
            [cluster.cli, "--config", cluster.config, "--timeout-ms", str(CLI_TIMEOUT_MS),
             "shell"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, bufsize=1)
        self.replies = queue.Queue()
        for stream, tag in ((self.proc.stdout, "out"), (self.proc.stderr, "err")):
            threading.Thread(target=self._read, args=(stream, tag), daemon=True).start()

    def _read(self, stream, tag):
        for line in stream:
            self.replies.put((tag, line.rstrip("\n")))
        self.replies.put((tag, None))

    def _reply(self):
        """The outcome of the command just sent: True (OK), False (kv_cli: ...), raises
        TestFailure if there is none in time or kv_cli exited."""
        deadline = time.monotonic() + REPLY_TIMEOUT_S
        while True:
            try:
                tag, line = self.replies.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise TestFailure(f"client {self.index}: no reply within {REPLY_TIMEOUT_S} s")
            if line is None:
                raise TestFailure(f"client {self.index}: kv_cli shell exited "
                                  f"({self.proc.poll()})")
            if tag == "out":
                check(line == "OK", f"client {self.index}: append answered {line!r}")
                return True
            if line.startswith("kv_cli: "):
                self.failed.append(line)
                return False
            # Anything else on stderr is a log line of the clerk's runtime.

    def run(self, stop):
        n = 0
        try:
            while not stop.is_set():
                key = KEYS[(n + self.index) % len(KEYS)]
                self.issued[key].append(n)
                self.proc.stdin.write(f"append {key} c{self.index}.{n};\n")
                self.proc.stdin.flush()
                if self._reply():
                    self.acked[key].add(n)
                n += 1
        except (TestFailure, OSError) as e:
            self.error = str(e)

    def n_acked(self):
        return sum(len(a) for a in self.acked.values())


class Workload:
    def __init__(self, cluster, n_clients):
        self.cluster, self.n_clients = cluster, n_clients
        self.clients, self.threads = [], []
        self.stop_event = threading.Event()

    def start(self):
        self.clients = [Client(self.cluster, i) for i in range(self.n_clients)]
        self.threads = [threading.Thread(target=c.run, args=(self.stop_event,), daemon=True)
                        for c in self.clients]
        for t in self.threads:
            t.start()

    def total_acked(self):
        return sum(c.n_acked() for c in self.clients)

    def _check_running(self):
        for c in self.clients:
            check(c.error is None, f"client {c.index} stopped: {c.error}")

    def wait_progress(self, more, what, timeout_s=20):
        """Waits until `more` further appends were acknowledged."""
        want = self.total_acked() + more
        deadline = time.monotonic() + timeout_s
        while self.total_acked() < want:
            self._check_running()
            check(time.monotonic() < deadline,
                  f"{what}: {self.total_acked()} appends acknowledged, want {want} within "
                  f"{timeout_s} s")
            time.sleep(0.05)
        print(f"  {self.total_acked()} appends acknowledged ({what})", flush=True)

    def stop(self):
        """Lets every client finish its current append, then ends the shells."""
        self.stop_event.set()
        for t in self.threads:
            t.join(timeout=REPLY_TIMEOUT_S + 5)
            check(not t.is_alive(), "a client did not finish its last append")
        self._check_running()
        for c in self.clients:
            c.proc.stdin.close()
            c.proc.wait(timeout=10)
        failed = sum(len(c.failed) for c in self.clients)
        print(f"  workload stopped: {self.total_acked()} appends acknowledged, {failed} failed",
              flush=True)

    def kill(self):
        for c in self.clients:
            if c.proc.poll() is None:
                c.proc.kill()
                c.proc.wait(timeout=5)

    def check_values(self):
        for key in KEYS:
            value = self.cluster.cli_ok("get", key)
            tokens = [t for t in value.split(";") if t]
            check(len(set(tokens)) == len(tokens),
                  f"{key}: an append appears twice: {sorted(t for t in set(tokens) if tokens.count(t) > 1)}")
            for c in self.clients:
                mine = [int(t.split(".")[1]) for t in tokens if t.startswith(f"c{c.index}.")]
                check(mine == sorted(mine),
                      f"{key}: client {c.index}'s appends out of order: {mine}")
                missing = sorted(c.acked[key] - set(mine))
                check(not missing, f"{key}: acknowledged appends of client {c.index} lost: "
                                   f"{missing} (value has {mine})")
                check(set(mine) <= set(c.issued[key]),
                      f"{key}: appends client {c.index} never made: {sorted(set(mine) - set(c.issued[key]))}")
        print(f"  every key holds each of its {self.total_acked()} acknowledged appends once, "
              f"in order", flush=True)
