// Serializability checker for transactional key/value histories (txn_history.h).
//
// A history is serializable if the committed transactions can be put in one order such that,
// run one after another on a versioned map, every read returns the value and version it
// returned. The checker does not search orders: it builds the direct serialization graph of
// Adya over the committed transactions and looks for a cycle.
//   ww(x)  W1 -> W2: W1 installed an older version of x than W2 (both versions known).
//   wr(x)  W  -> T : T read the value W wrote to x.
//   rw(x)  T  -> W : T read x at version v and W installed a later version of x (the next
//                    known one; the later ones follow through ww edges).
// A cycle means no serial order exists. The checker reports the cycle with the simplest kinds
// of dependency: first a cycle of ww edges only (G0, write cycle), then of ww and wr (G1c,
// circular information flow), then any: G-single if it has one rw edge (read skew), else G2
// (e.g. write skew); and a shortest one of that kind (through the first transaction, in history
// order, of the first strongly connected component found).
//
// Before the graph, it reports what a single read shows is impossible (each an anomaly, and the
// history is then not serializable):
//   - aborted read (G1a): an included transaction read a value written by an aborted one;
//   - intermediate read (G1b): it read a value that its writer later overwrote in the same
//     transaction;
//   - garbage read: a value no transaction wrote, or version 0 with a value, or a missing key at
//     a version > 0;
//   - two writers at one version (lost update): two transactions installed the same version of
//     a key, seen by reads, or implied: a committed transaction that read x at version v and
//     then wrote x installed x@v+1 in any serial order (nothing can come between its read and
//     its write), so two read-modify-writes from x@v both committing is a lost update (one
//     whose value is seen at another version than v+1 is reported as the next kind);
//   - one write at two versions: reads saw one transaction's value at two versions of a key;
//   - own-write violation: a read of a key the transaction wrote earlier did not return its
//     last written value; or a read returned the transaction's own value before it wrote it;
//   - malformed history: duplicate transaction ids, id 0, a value written twice.
//
// Unknown outcomes. A transaction whose commit reply never came is counted as committed iff some
// included transaction read one of its values (repeated until nothing changes), otherwise it is
// dropped: then it installed nothing anyone saw, and leaving it out removes only edges, so no
// cycle is invented.
//
// What it can infer, and what not (it is sound: every cycle and anomaly reported is implied by
// the history and the model of txn_history.h). The version of a write is known when some read
// saw its value with a version, when the writer read the key first (read-modify-write: v+1), or
// when the store reported it; the version of a read reported without one is its writer's
// version if known. Writes whose version is never known (blind writes nobody read) get no ww or
// rw edges on that key (their order among the other writers is unknown), and reads with no
// known version get no rw edge. So a history that hides a non-serializable execution behind
// blind writes nobody read may pass. When the version of every committed write is known
// (SerCounts::writes_no_version == 0: e.g. transactions read each key before writing it, or
// the test reads every key after each write), the versions of each key have no gaps and no
// transaction of unknown outcome installed a version unseen, the checker decides exactly: it
// fails iff no serial order explains the history (ser_random_test.cc checks this against brute
// force). Gaps in the versions (a version nobody was seen at) are not reported: a dropped
// unknown transaction may have installed it.
//
// Cost: O(operations * log) to build the graph, O(edges) per cycle search (at most three);
// 5,000 transactions of two read-modify-writes each take 40-90 ms (RelWithDebInfo, a loaded
// 2-core machine; ser_random_test.cc builds such a history).
//
//   SerResult r = CheckSerializable(history.txns());
//   if (!r.ok) { ... r.explanation ... WriteSerializabilityHtml(...) ... }
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "labs/harness/checkers/txn_history.h"

namespace janus {
namespace harness {

enum class SerEdgeKind { kWW, kWR, kRW };

// "ww", "wr" or "rw".
const char* SerEdgeKindName(SerEdgeKind kind);

// A dependency: `from` must come before `to` in any serial order.
struct SerEdge {
  uint64_t from = 0;  // transaction ids
  uint64_t to = 0;
  SerEdgeKind kind = SerEdgeKind::kWW;
  std::string key;
  // Why, e.g. "T12 read x@3, T15 wrote x@4". Transactions are named T<id>, plain operations
  // recorded by TxnHistory P<n> (n counted from 1<<62).
  std::string why;
};

enum class SerAnomalyKind {
  kAbortedRead,       // G1a
  kIntermediateRead,  // G1b
  kGarbageRead,       // a value nobody wrote, or an impossible version/value pair
  kSameVersion,       // two writers installed one version of a key
  kTwoVersions,       // one write seen at two versions
  kOwnWrite,          // a transaction did not read its own writes (or read them too early)
  kMalformed,         // the history breaks the model (duplicate ids or values, id 0)
};

// "aborted read (G1a)", "intermediate read (G1b)", ...
const char* SerAnomalyKindName(SerAnomalyKind kind);

// A problem one or two reads show directly.
struct SerAnomaly {
  SerAnomalyKind kind = SerAnomalyKind::kGarbageRead;
  std::vector<uint64_t> txns;  // the transactions involved (reader first)
  std::string key;
  std::string description;  // one sentence naming them
};

struct SerCounts {
  size_t committed = 0;  // committed transactions (including plain operations)
  size_t aborted = 0;
  size_t unknown_included = 0;   // unknown outcome, counted as committed (someone read them)
  size_t unknown_dropped = 0;    // unknown outcome, left out
  size_t reads = 0;              // reads of included transactions
  size_t writes = 0;             // writes (last per key) of included transactions
  size_t writes_no_version = 0;  // of which the installed version was never known
  size_t ww_edges = 0;
  size_t wr_edges = 0;
  size_t rw_edges = 0;
};

struct SerResult {
  bool ok = true;  // serializable as far as the checker can tell (see the file comment)
  // One paragraph: what was checked and, if not ok, the first anomaly and the cycle edge by edge.
  std::string explanation;
  // The reported cycle (empty if none): cycle[i] -cycle_edges[i]-> cycle[(i + 1) % n].
  std::vector<uint64_t> cycle;
  std::vector<SerEdge> cycle_edges;
  // "G0 (write cycle)", "G1c (circular information flow)", "G-single (...)" or "G2 (...)".
  std::string cycle_kind;
  // In the order found (malformed input first, then by reader in history order, then those
  // the versions imply); at most 20 kept.
  std::vector<SerAnomaly> anomalies;
  size_t anomaly_count = 0;  // all of them
  SerCounts counts;
};

// Checks `txns` (any order). Deterministic: the same history gives the same result.
SerResult CheckSerializable(const std::vector<TxnRecord>& txns);

}  // namespace harness
}  // namespace janus
