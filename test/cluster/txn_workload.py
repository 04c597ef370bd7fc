"""The bank of txn_cluster_test.py: accounts "0acct" .. "9acct" (one per shard, so every
transfer between two of them is likely to span groups), INITIAL each, moved around by `kv_cli
shell` clients, each fed by a thread, one command at a time:

  transfer  begin; get A; get B; put A (a - x); put B (b + x); commit
  audit     begin; get every account; commit -- a committed audit must sum to TOTAL

A client records the deltas of every transfer acknowledged TX_COMMITTED, and as "unknown" those
whose commit got no answer (kv_cli timed out, or the test killed the client mid-commit).
check_final() reads every account in one committed transaction: each balance must be INITIAL
plus the acknowledged deltas plus those of some subset of the unknown transfers (tried
exhaustively), so a lost acknowledged commit or a half-applied transfer fails it.
"""
import itertools
import queue
import random
import subprocess
import threading
import time

from shardkv_cluster import TestFailure, check

ACCOUNTS = [f"{d}acct" for d in range(10)]
INITIAL = 100
TOTAL = INITIAL * len(ACCOUNTS)
REPLY_TIMEOUT_S = 25   # one command; kv_cli itself gives up after CLI_TIMEOUT_MS
CLI_TIMEOUT_MS = 15000
MAX_UNKNOWN = 12       # check_final tries every subset of the unknown transfers


class Shell:
    """One `kv_cli shell` process; cmd() sends a line and returns its reply."""

    def __init__(self, cluster, name):
        self.name = name
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

    def send(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def reply(self):
        """("out", line) or ("err", "kv_cli: ..."); raises TestFailure on no reply in time or
        when kv_cli exited. Other stderr lines (the clerk's runtime logs) are skipped."""
        deadline = time.monotonic() + REPLY_TIMEOUT_S
        while True:
            try:
                tag, line = self.replies.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise TestFailure(f"{self.name}: no reply within {REPLY_TIMEOUT_S} s")
            if line is None:
                raise TestFailure(f"{self.name}: kv_cli shell exited ({self.proc.poll()})")
            if tag == "out" or line.startswith("kv_cli: "):
                return tag, line

    def cmd(self, line):
        self.send(line)
        return self.reply()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)


class Client:
    def __init__(self, cluster, index, seed):
        self.index = index
        self.shell = Shell(cluster, f"client {index}")
        self.rng = random.Random(seed)
        self.acked = []           # deltas {account: amount} of transfers acknowledged committed
        self.unknown = []         # deltas of transfers whose commit outcome is unknown
        self.aborted = 0
        self.audits = 0           # committed audits (each checked)
        self.error = None         # why the thread stopped early
        self.kill_in_commit = threading.Event()  # the test wants this client killed mid-commit
        self.commit_s = []        # how long acknowledged commits took

    def read(self, account):
        """The balance, or None if the transaction aborted (or timed out)."""
        tag, line = self.shell.cmd(f"get {account}")
        if tag == "err" or line == "TX_ABORTED":
            return None
        check(line.lstrip("-").isdigit(), f"client {self.index}: get {account} answered {line!r}")
        return int(line)

    def begin(self):
        tag, line = self.shell.cmd("begin")
        check(tag == "out" and line.startswith("tx "), f"client {self.index}: begin: {line!r}")

    def transfer(self):
        a, b = self.rng.sample(ACCOUNTS, 2)
        amount = self.rng.randint(1, 10)
        self.begin()
        balances = []
        for account in (a, b):
            balances.append(self.read(account))
            if balances[-1] is None:
                self.aborted += 1
                return
        for account, value in ((a, balances[0] - amount), (b, balances[1] + amount)):
            tag, line = self.shell.cmd(f"put {account} {value}")
            if line != "OK":
                check(tag == "err" or line == "TX_ABORTED", f"client {self.index}: put: {line!r}")
                self.aborted += 1
                return
        delta = {a: -amount, b: amount}
        if self.kill_in_commit.is_set():
            self.shell.send("commit")
            # Half a typical commit: most likely after prepare went out, before the decision.
            time.sleep(sorted(self.commit_s)[len(self.commit_s) // 2] / 2 if self.commit_s else 0)
            self.shell.kill()
            self.unknown.append(delta)
            raise TestFailure("killed mid-commit")  # ends the thread; the test expects it
        t0 = time.monotonic()
        tag, line = self.shell.cmd("commit")
        if line == "TX_COMMITTED":
            self.acked.append(delta)
            self.commit_s.append(time.monotonic() - t0)
        elif tag == "err":
            self.unknown.append(delta)
        else:
            check(line == "TX_ABORTED", f"client {self.index}: commit answered {line!r}")
            self.aborted += 1

    def audit(self):
        self.begin()
        balances = {}
        for account in ACCOUNTS:
            balances[account] = self.read(account)
            if balances[account] is None:
                self.aborted += 1
                return
        tag, line = self.shell.cmd("commit")
        if line != "TX_COMMITTED":
            self.aborted += 1
            return
        self.audits += 1
        check(sum(balances.values()) == TOTAL,
              f"client {self.index}: a committed audit sums to {sum(balances.values())}, not "
              f"{TOTAL}: {balances}")

    def run(self, stop):
        try:
            while not stop.is_set():
                if self.rng.random() < 0.25:
                    self.audit()
                else:
                    self.transfer()
        except (TestFailure, OSError) as e:
            self.error = str(e)


class Bank:
    def __init__(self, cluster, n_clients, seed=1):
        self.cluster, self.n_clients, self.seed = cluster, n_clients, seed
        self.clients, self.threads = [], []
        self.dead = ()  # clients the test killed
        self.stop_event = threading.Event()

    def setup(self):
        """Every account INITIAL, in one committed transaction."""
        shell = Shell(self.cluster, "setup")
        try:
            for _ in range(10):
                check(shell.cmd("begin")[1].startswith("tx "), "setup: begin failed")
                for account in ACCOUNTS:
                    check(shell.cmd(f"put {account} {INITIAL}")[1] == "OK", "setup: put failed")
                if shell.cmd("commit")[1] == "TX_COMMITTED":
                    print(f"  {len(ACCOUNTS)} accounts of {INITIAL}", flush=True)
                    return
            raise TestFailure("setup: 10 transactions aborted")
        finally:
            shell.send("quit")
            shell.proc.wait(timeout=10)

    def add_client(self):
        c = Client(self.cluster, len(self.clients), self.seed * 1000 + len(self.clients))
        t = threading.Thread(target=c.run, args=(self.stop_event,), daemon=True)
        self.clients.append(c)
        self.threads.append(t)
        t.start()
        return c

    def start(self):
        for _ in range(self.n_clients):
            self.add_client()

    def committed(self):
        return sum(len(c.acked) for c in self.clients)

    def _check_running(self, expect_dead=()):
        for c in self.clients:
            if c not in expect_dead:
                check(c.error is None, f"client {c.index} stopped: {c.error}")

    def wait_progress(self, more, what, timeout_s=20):
        """Waits until `more` further transfers were acknowledged committed."""
        want = self.committed() + more
        deadline = time.monotonic() + timeout_s
        while self.committed() < want:
            self._check_running(self.dead)
            check(time.monotonic() < deadline,
                  f"{what}: {self.committed()} transfers committed, want {want} within "
                  f"{timeout_s} s")
            time.sleep(0.05)
        print(f"  {self.committed()} transfers committed ({what})", flush=True)

    def kill_client_mid_commit(self):
        """Kills client 0 (kill -9) right after it sends a commit, and starts a new client."""
        victim = self.clients[0]
        victim.kill_in_commit.set()
        deadline = time.monotonic() + REPLY_TIMEOUT_S
        while victim.shell.proc.poll() is None:
            check(victim.error is None or "killed" in victim.error, f"client 0: {victim.error}")
            check(time.monotonic() < deadline, "client 0 did not reach a commit")
            time.sleep(0.01)
        self.dead = (victim,)
        print(f"  killed -9 client 0 mid-commit", flush=True)
        self.add_client()

    def stop(self):
        self.stop_event.set()
        for t in self.threads:
            t.join(timeout=REPLY_TIMEOUT_S * 2)
            check(not t.is_alive(), "a client did not finish its last transaction")
        self._check_running(self.dead)
        for c in self.clients:
            if c.shell.proc.poll() is None:
                c.shell.send("quit")
                c.shell.proc.wait(timeout=10)
        print(f"  workload stopped: {self.committed()} transfers committed, "
              f"{sum(c.aborted for c in self.clients)} aborted, "
              f"{sum(len(c.unknown) for c in self.clients)} unknown, "
              f"{sum(c.audits for c in self.clients)} committed audits summed to {TOTAL}",
              flush=True)

    def kill(self):
        for c in self.clients:
            c.shell.kill()

    def check_final(self):
        shell = Shell(self.cluster, "final audit")
        try:
            balances = None
            for _ in range(20):
                shell.cmd("begin")
                got = {a: shell.cmd(f"get {a}")[1] for a in ACCOUNTS}
                if all(v.lstrip("-").isdigit() for v in got.values()) and \
                        shell.cmd("commit")[1] == "TX_COMMITTED":
                    balances = {a: int(v) for a, v in got.items()}
                    break
            check(balances is not None, "final audit: 20 transactions aborted (a lock held?)")
        finally:
            shell.kill()
        check(sum(balances.values()) == TOTAL, f"final balances sum to {sum(balances.values())}")
        base = {a: INITIAL for a in ACCOUNTS}
        for c in self.clients:
            for d in c.acked:
                for a, x in d.items():
                    base[a] += x
        unknown = [d for c in self.clients for d in c.unknown]
        check(len(unknown) <= MAX_UNKNOWN, f"{len(unknown)} transfers of unknown outcome")
        for k in range(len(unknown) + 1):
            for subset in itertools.combinations(unknown, k):
                want = dict(base)
                for d in subset:
                    for a, x in d.items():
                        want[a] += x
                if want == balances:
                    print(f"  final balances = {INITIAL} + the {self.committed()} acknowledged "
                          f"transfers + {k} of {len(unknown)} of unknown outcome", flush=True)
                    return
        raise TestFailure(f"final balances {balances} are not {INITIAL} + the acknowledged "
                          f"transfers ({base}) + any subset of the {len(unknown)} unknown ones")
