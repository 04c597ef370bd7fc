"""Synthetic traces in the format of docs/trace-format.md, for the viewer's tests.

big_trace(messages, duration_us): one test of 5 Raft-like servers and 2 clients exchanging
`messages` requests over `duration_us` of virtual time, with elections, a partition, drops,
delays, a crash and a restart: what a long real test looks like, at any size.
split_vote_trace(): two tests, a passing one and a failing split-vote election (small).
Both are deterministic (seeded random.Random), standard library only.
"""
import json
import random


class _Writer:
    """Collects events and hands out message ids."""

    def __init__(self):
        self.events = []
        self.next_id = 1

    def add(self, ev, t, **fields):
        e = {"ev": ev}
        if t is not None:
            e["t_us"] = int(t)
        e.update(fields)
        self.events.append(e)

    def rpc(self, t, src, dst, method, args, result, latency, reply_latency=None,
            drop=None, reason="partitioned"):
        """One request (and its reply unless dropped). drop: None, "request", "reply"."""
        mid = self.next_id
        self.next_id += 1
        self.add("send", t, id=mid, **{"from": src}, to=dst, service="Raft", method=method,
                 bytes=60 + len(args), args=args)
        if drop == "request":
            self.add("drop", t + latency, id=mid, what="request", at="delivery", reason=reason)
            return mid
        self.add("deliver", t + latency, id=mid)
        self.add("reply", t + latency + 5, id=mid, bytes=40, result=result)
        rl = latency if reply_latency is None else reply_latency
        if drop == "reply":
            self.add("drop", t + latency + 5, id=mid, what="reply", at="send", reason=reason)
        else:
            self.add("reply_deliver", t + latency + 5 + rl, id=mid)
        return mid


def _sorted(events):
    """Events in time order within each test (a stable sort keeps same-time order)."""
    out, block = [], []
    for e in events:
        if e["ev"] in ("meta", "test_start") and block:
            out += sorted(block, key=lambda x: x.get("t_us", 0))
            block = []
        (out if e["ev"] in ("meta", "test_start") else block).append(e)
    return out + sorted(block, key=lambda x: x.get("t_us", 0))


def big_trace(messages=10000, duration_us=5000000, seed=1, test="Gen.Big"):
    rnd = random.Random(seed)
    w = _Writer()
    w.add("meta", None, format="janus-trace", version=1, driver="gen_trace", seed=seed, net="sim")
    w.add("test_start", 0, test=test, seed=seed)
    servers, clients = list(range(5)), [100, 101]
    for s in servers:
        w.add("node", 0, node=s, name="raft%d" % s, kind="server")
        w.add("role", 0, node=s, role="follower", term=0)
    for c in clients:
        w.add("node", 0, node=c, name="ck%d" % (c - 100), kind="client")
    w.add("step", 1000, text="start %d servers" % len(servers))
    w.add("partition", duration_us * 0.4, groups=[[0, 1], [2, 3, 4]])
    w.add("heal", duration_us * 0.6)
    w.add("crash", duration_us * 0.7, node=3)
    w.add("restart", duration_us * 0.75, node=3)
    gap = duration_us / messages
    leader, term = 0, 1
    for i in range(messages):
        t = int(i * gap)
        if i % 800 == 0:
            leader, term = rnd.choice(servers), term + 1
            w.add("role", t, node=leader, role="candidate", term=term)
            w.add("role", t + 300, node=leader, role="leader", term=term)
            w.add("note", t + 300, node=leader, text="became leader", fields={"term": term})
        src = leader if i % 7 else rnd.choice(clients)
        dst = rnd.choice([s for s in servers if s != src])
        method = "AppendEntries" if src in servers else "Put"
        parted = duration_us * 0.4 <= t < duration_us * 0.6 and (src < 2) != (dst < 2)
        drop = "request" if parted else ("reply" if rnd.random() < 0.01 else None)
        w.rpc(t, src, dst, method, "term=%d prev=%d/%d entries=1 commit=%d" % (term, i, term, i),
              "term=%d success=true" % term, rnd.randint(100, 900), drop=drop,
              reason="partitioned" if parted else "unreliable")
        if i % 50 == 0:
            w.add("apply", t + 1000, node=dst, index=i // 50 + 1, command="put k%d" % i)
    w.add("test_end", duration_us, test=test, passed=True, message="")
    return _sorted(w.events)


def split_vote_trace():
    w = _Writer()
    w.add("meta", None, format="janus-trace", version=1, driver="raft_test", seed=7, net="sim")
    w.add("test_start", 0, test="RaftA.InitialElection", seed=7)
    for s in range(3):
        w.add("node", 0, node=s, name="raft%d" % s, kind="server")
        w.add("role", 0, node=s, role="follower", term=0)
    w.add("role", 150000, node=1, role="candidate", term=1)
    for d in (0, 2):
        w.rpc(150010, 1, d, "RequestVote", "term=1 cand=1 last=0/0", "term=1 granted=true", 400)
    w.add("role", 151000, node=1, role="leader", term=1)
    w.add("get_state", 200000, node=1, term=1, is_leader=True)
    w.add("test_end", 300000, test="RaftA.InitialElection", passed=True, message="")
    test = "RaftA.ReElection"
    w.add("test_start", 0, test=test, seed=7)
    for s in range(3):
        w.add("node", 0, node=s, name="raft%d" % s, kind="server")
        w.add("role", 0, node=s, role="follower", term=0)
    w.add("step", 1000, text="elect a first leader")
    w.add("role", 160000, node=0, role="candidate", term=1)
    w.add("role", 160100, node=2, role="candidate", term=1)
    w.add("note", 160000, node=0, text="election timeout", fields={"term": 1})
    w.add("note", 160100, node=2, text="election timeout", fields={"term": 1})
    w.rpc(160010, 0, 1, "RequestVote", "term=1 cand=0 last=0/0", "term=1 granted=true", 500)
    w.rpc(160010, 0, 2, "RequestVote", "term=1 cand=0 last=0/0", "term=1 granted=false", 700)
    w.rpc(160110, 2, 1, "RequestVote", "term=1 cand=2 last=0/0", "term=1 granted=false", 300)
    w.rpc(160110, 2, 0, "RequestVote", "term=1 cand=2 last=0/0", "term=1 granted=false", 600)
    w.add("role", 161000, node=0, role="leader", term=1)
    w.add("note", 161000, node=0, text="became leader", fields={"term": 1, "votes": 2})
    w.add("role", 161500, node=2, role="follower", term=1)
    for k in range(4):
        t = 170000 + k * 50000
        for d in (1, 2):
            w.rpc(t, 0, d, "AppendEntries", "term=1 prev=0/0 entries=0 commit=0",
                  "term=1 success=true", 300)
    w.add("step", 400000, text="disconnect leader 0")
    w.add("disconnect", 400000, node=0)
    w.rpc(420000, 0, 1, "AppendEntries", "term=1 prev=0/0 entries=0 commit=0", "", 300,
          drop="request", reason="disconnected")
    w.add("role", 560000, node=1, role="candidate", term=2)
    w.add("role", 560050, node=2, role="candidate", term=2)
    w.rpc(560010, 1, 2, "RequestVote", "term=2 cand=1 last=0/0", "term=2 granted=false", 400)
    w.rpc(560060, 2, 1, "RequestVote", "term=2 cand=2 last=0/0", "term=2 granted=false", 400)
    w.rpc(560010, 1, 0, "RequestVote", "term=2 cand=1 last=0/0", "", 400, drop="request",
          reason="disconnected")
    w.add("note", 561000, node=1, text="split vote: 1 of 3 votes", fields={"term": 2})
    w.add("note", 561000, node=2, text="split vote: 1 of 3 votes", fields={"term": 2})
    w.add("get_state", 900000, node=1, term=2, is_leader=False)
    w.add("get_state", 900000, node=2, term=2, is_leader=False)
    w.add("test_end", 900000, test=test, passed=False,
          message="expected one leader, got none (servers 1 and 2 both candidates in term 2)")
    return _sorted(w.events)


def write(events, path):
    with open(path, "w", encoding="utf-8") as f:
        for e in events:
            f.write(json.dumps(e, separators=(",", ":")) + "\n")
