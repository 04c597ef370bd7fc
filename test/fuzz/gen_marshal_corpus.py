#!/usr/bin/env python3
"""Writes the seed corpus of marshal_fuzz into test/fuzz/corpus/marshal/.

An independent encoder of the rrr::Marshal wire format (see rrr/marshal/marshal.h), so the seeds
also cross-check the C++ encoder: every valid seed must decode and re-encode to the same bytes.
Each input is a sequence of [selector byte][encoded value]; selectors index kDecoders in
marshal_fuzz.cc. Usage: test/fuzz/gen_marshal_corpus.py [OUT_DIR]
"""
import os
import struct
import sys

# Selectors (order of kDecoders in marshal_fuzz.cc).
U8, I16, U32, I64, V32, V64, BOOL, F64, F32, STR, BLOB = range(11)
VEC_V32, VEC_U8, LIST_STR, VEC_BOOL, SET_I16, MAP_STR_BYTES = range(11, 17)
UMAP_V64_BOOL, USET_STR, PAIR_V32_STR, OPT_VEC_OPT_BOOL, VEC_MAP_SET, REC, LEN, PEEK = range(17, 25)


def varint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def zigzag(v, bits):
    return ((v << 1) ^ (v >> (bits - 1))) & ((1 << bits) - 1)


def v32(v):
    return varint(zigzag(v, 32))


def v64(v):
    return varint(zigzag(v, 64))


def string(b):
    b = b.encode() if isinstance(b, str) else b
    return varint(len(b)) + b


def seq(items, enc):
    return varint(len(items)) + b"".join(enc(x) for x in items)


def opt(x, enc):
    return b"\x00" if x is None else b"\x01" + enc(x)


def boolean(b):
    return b"\x01" if b else b"\x00"


def sel(s, payload):
    return bytes([s]) + payload


def rec(id_, name, score, kv):
    return (v32(id_) + string(name) + opt(score, lambda d: struct.pack("<d", d)) +
            seq(kv, lambda p: struct.pack("<H", p[0]) + v64(p[1])))


SEEDS = {
    "scalars": b"".join([
        sel(U8, b"\xff"), sel(I16, struct.pack("<h", -2)), sel(U32, struct.pack("<I", 0xDEADBEEF)),
        sel(I64, struct.pack("<q", -2**63)), sel(BOOL, b"\x01"), sel(BOOL, b"\x00"),
        sel(F64, struct.pack("<d", 1.5)), sel(F32, struct.pack("<f", -0.25)),
    ]),
    "varints": b"".join(
        [sel(V32, v32(x)) for x in (0, -1, 63, 64, 8191, 8192, -2**31, 2**31 - 1)] +
        [sel(V64, v64(x)) for x in (0, -1, 2**35, -2**62, -2**63, 2**63 - 1)]),
    "strings": b"".join([
        sel(STR, string("")), sel(STR, string("hello")), sel(STR, string(b"\x00\xff\x80")),
        sel(STR, string("x" * 200)), sel(BLOB, string(struct.pack("<I", 7) + string("in"))),
        sel(PEEK, string("peek")), sel(LEN, varint(1) + b"abcd"),
    ]),
    "sequences": b"".join([
        sel(VEC_V32, seq([0, -5, 1000, -2**31], v32)), sel(VEC_U8, string(b"\x01\x02\x03")),
        sel(VEC_U8, string(b"")),
        sel(LIST_STR, seq(["a", "", "ccc"], string)), sel(VEC_BOOL, seq([1, 0, 1], boolean)),
    ]),
    "sets_maps": b"".join([
        sel(SET_I16, seq([-3, 0, 9], lambda x: struct.pack("<h", x))),
        sel(MAP_STR_BYTES, varint(2) + string("a") + string(b"\x01") + string("b") + string(b"")),
        sel(UMAP_V64_BOOL, varint(2) + v64(5) + b"\x01" + v64(-5) + b"\x00"),
        sel(USET_STR, seq(["x", "y"], string)),
    ]),
    "nested": b"".join([
        sel(PAIR_V32_STR, v32(-7) + string("seven")),
        sel(OPT_VEC_OPT_BOOL, opt([None, True, False], lambda v: seq(v, lambda o: opt(o, boolean)))),
        sel(OPT_VEC_OPT_BOOL, opt(None, None)),
        sel(VEC_MAP_SET, varint(2) + varint(1) + v32(3) + seq(["s", "t"], string) + varint(0)),
        sel(REC, rec(42, "rec", 0.5, [(1, -1), (65535, 2**40)])),
        sel(REC, rec(-1, "", None, [])),
    ]),
}

# Malformed inputs, one per file (after a rejected value the next byte is read as a selector).
MALFORMED = {
    "varint_11_bytes": sel(V64, b"\x80" * 10 + b"\x01"),
    "varint_overflow": sel(V64, b"\xff" * 9 + b"\x02"),
    "varint_over_32_bits": sel(V32, b"\x80\x80\x80\x80\x10"),
    "varint_non_canonical": sel(V32, b"\x80\x00"),
    "bad_bool": sel(BOOL, b"\x02"),
    "bad_optional_tag": sel(OPT_VEC_OPT_BOOL, b"\x07"),
    "length_over_limit": sel(STR, varint((64 << 20) + 1) + b"x"),
    "huge_count": sel(VEC_V32, varint(2**40)),
    "duplicate_key": sel(SET_I16, varint(2) + b"\x05\x00\x05\x00"),
    "string_past_end": sel(STR, varint(9) + b"short"),
}
for _name, _data in MALFORMED.items():
    SEEDS["malformed_" + _name] = _data


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "marshal")
    os.makedirs(out_dir, exist_ok=True)
    for name, data in sorted(SEEDS.items()):
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(data)
    print(f"wrote {len(SEEDS)} seeds to {out_dir}")


if __name__ == "__main__":
    main()
