// Random key/value histories with a known linearizability verdict, for testing and measuring the
// checker (linearizability.h) on histories shaped like those of real KV services under faults.
//
// Linearizable by construction: `clients` processes each run operations one after another on
// random keys; every operation takes effect at one random instant between its call and its
// return on a real atomic map, and a Get returns what the map held then. Some operations are
// slow (a request delayed by a fault, overlapping many others), some hang until the end of the
// history (their client is cut off until the test ends: they all return last, and the client
// does nothing more), and a few never return (a client that crashed or gave up; it goes on as
// a new process id, as Jepsen does); such a write took effect at a random instant after its
// call, or never, half and half. Every written value is a token "x P I y" (process P's I-th
// operation) that no other operation writes.
//
// With bad_keys > 0, that many keys get one Get whose answer is changed so that no order can
// explain it, which makes the history provably NOT linearizable; the changes, in turn:
//   a duplicate      one of the answer's tokens appears twice (each write is applied once);
//   a reordering     two adjacent tokens swapped, whose Appends ran one after the other;
//   a lost write     an Append that returned before the Get was called is missing, and no Put
//                    can have erased it (the answer starts with an Append's token, or with the
//                    token of a Put that returned before that Append was called);
//   a foreign value  a token nobody wrote is appended.
// (If a key has no Get that the chosen change fits, the first that fits is used.)
//
//   KvGenHistory h = GenerateKvHistory(KvGenPreset("c50", /*seed=*/1, /*bad_keys=*/3));
//   std::string text = WriteJepsenKv(h.ops);   // jepsen_kv.h
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "labs/harness/checkers/kv_history.h"

namespace janus {
namespace harness {

struct KvGenOptions {
  uint32_t seed = 1;
  int clients = 10;         // processes running at once
  int keys = 10;            // keys "0" .. "<keys-1>"
  int hot_percent = 0;      // operations on key "0" besides its share (a hot key)
  int ops_per_client = 50;  // operations each client starts (a crash does not stop it)
  int get_percent = 45;     // of operations; Puts put_percent, Appends the rest
  int put_percent = 10;
  uint64_t max_op_ticks = 20;  // an operation lasts 1..max_op_ticks ticks
  uint64_t max_gap_ticks = 3;  // a client pauses 0..max_gap_ticks between operations
  int slow_percent = 3;        // operations lasting 10..50 times longer
  int crash_percent = 1;       // operations that never return
  // Operations that hang until the end of the history (a client cut off by a partition until
  // the test heals it): they return after every other operation, and their client stops.
  int stuck_percent = 1;
  int bad_keys = 0;  // keys given a violation (at most `keys`)
};

// Sizes like the KV histories of porcupine's tests: "c01" (1 client, 10 keys, 300 operations),
// "c10" (10 clients, 1000) and "c50" (50 clients, 2750 at most). Like theirs, the c10 and c50
// ones have clients that hang until the end (2% of operations), and c50 a hot key (10%).
// REQUIRES: one of those names.
KvGenOptions KvGenPreset(const std::string& name, uint32_t seed, int bad_keys);

struct KvGenHistory {
  // The operations, in call order; the ordering points are 1, 2, ... in event order (as
  // ParseJepsenKv numbers the lines of WriteJepsenKv's text), display times 0.
  std::vector<KvOp> ops;
  std::vector<std::string> bad_keys;    // the keys given a violation, sorted
  std::vector<std::string> violations;  // one line per violation, in the order of bad_keys
};

// Deterministic for given options.
KvGenHistory GenerateKvHistory(const KvGenOptions& options);

}  // namespace harness
}  // namespace janus
