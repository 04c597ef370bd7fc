#!/usr/bin/env python3
"""Writes the seed corpora of the issue-14 fuzz targets: test/fuzz/corpus/rpc_args/ (requests to
the lab services, rpc_args_fuzz.cc) and test/fuzz/corpus/raft_state/ (saved states,
raft_state_fuzz.cc). Encodings as in rrr/marshal (little-endian fixed-width integers, LEB128
lengths) and labs/raft/server.cc (Persist). Run from anywhere; rewrites the files."""
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def u64(v): return struct.pack("<Q", v)
def i32(v): return struct.pack("<i", v)
def i64(v): return struct.pack("<q", v)


def varint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        out += bytes([b | (0x80 if n else 0)])
        if not n:
            return out


def string(s): return varint(len(s)) + s
def deputy_none(): return i32(0) + varint(0)
def entry(term): return u64(term) + deputy_none()


def record(selector, args):
    return bytes([selector]) + struct.pack("<H", len(args)) + args


# Method order of rpc_args_services.h: Raft (3), Kv (3), ShardMaster (4), ShardKv (5), Txn (7).
RPC = {
    "raft_request_vote": record(0, u64(3) + i32(1) + u64(7) + u64(2)),
    "raft_append_entries_heartbeat": record(1, u64(3) + i32(0) + u64(0) + u64(0) + varint(0) + u64(0)),
    "raft_append_entries_two": record(1, u64(3) + i32(0) + u64(0) + u64(0) + varint(2) + entry(1) +
                                      entry(3) + u64(1)),
    "raft_install_snapshot": record(2, u64(3) + i32(0) + u64(9) + u64(2) + string(b"snapshot")),
    "kv_put": record(3, string(b"k") + string(b"v") + u64(11) + u64(1)),
    "kv_get": record(5, string(b"k") + u64(11) + u64(2)),
    "shardmaster_query": record(9, i64(-1) + u64(1) + u64(1)),
    "shardmaster_join": record(6, varint(1) + u64(100) + varint(1) + string(b"127.0.0.1:7410") +
                               u64(1) + u64(1)),
    "truncated_args": record(0, u64(3)),
    "unknown_method": record(255, b"abc"),
}
RPC["every_method_empty"] = b"".join(record(i, b"") for i in range(22))
RPC["mixed_session"] = b"".join(RPC[k] for k in sorted(RPC) if k != "every_method_empty")


def raft_state(term, voted, start, terms, count=None, tail=b""):
    body = u64(term) + i32(voted) + u64(start) + u64(len(terms) if count is None else count)
    return body + b"".join(entry(t) for t in terms) + tail


def structured(state, snapshot, lab_raft=False):
    return bytes([2 if lab_raft else 0]) + struct.pack("<H", len(state)) + state + snapshot


def image(state, snapshot):
    head = b"JNSP" + struct.pack("<IQQ", 1, len(state), len(snapshot)) + state + snapshot
    return head + struct.pack("<I", zlib.crc32(head) & 0xFFFFFFFF)


KV_EMPTY = bytes([1]) + varint(0) + u64(0)  # format 1, no keys, no clients
KV_ONE = bytes([1]) + varint(1) + string(b"k") + string(b"v") + u64(1) + u64(7) + u64(3) + \
    i32(0) + string(b"")
STATE = {
    "good_fresh": structured(raft_state(2, 0, 0, [0, 1, 2]), b""),
    "good_snapshot": structured(raft_state(3, -1, 4, [2, 3]), KV_EMPTY),
    "good_snapshot_keys": structured(raft_state(3, -1, 4, [2]), KV_ONE),
    "raft_lab": structured(raft_state(1, 0, 0, [0, 1]), b"", lab_raft=True),
    "zero_entries": structured(raft_state(1, -1, 0, []), b""),
    "trailing_bytes": structured(raft_state(1, -1, 0, [0], tail=b"xx"), b""),
    "term_wraps": structured(raft_state(2**64 - 1, -1, 0, [0]), b""),
    "log_start_huge": structured(raft_state(1, -1, 2**62, [1]), KV_EMPTY),
    "terms_decrease": structured(raft_state(3, -1, 0, [0, 2, 1]), b""),
    "huge_count": structured(raft_state(1, -1, 0, [0], count=2**60), b""),
    "bad_kv_snapshot": structured(raft_state(1, -1, 4, [1]), b"\x07garbage"),
    "empty_kv_snapshot": structured(raft_state(1, -1, 4, [1]), b""),
    "raw_good_image": b"\x01" + image(raft_state(2, 0, 0, [0, 1]), b""),
    "raw_bad_crc": b"\x01" + image(raft_state(2, 0, 0, [0, 1]), b"")[:-1] + b"\x00",
    "raw_not_an_image": b"\x01{\"term\": 3}",
}


def write(sub, files):
    d = os.path.join(HERE, "corpus", sub)
    os.makedirs(d, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    write("rpc_args", RPC)
    write("raft_state", STATE)
