// TxnHistory: what every transaction of a transactional key/value store read, wrote and how it
// ended, recorded by the lab tests as it happens. The input of the serializability checker
// (serializability.h) and of its HTML report (ser_html.h).
//
//   TxnHistory h;
//   size_t t = h.Begin(/*client=*/2, /*id=*/++n, "tx " + std::to_string(tx));  // after TxBegin
//   h.Read(t, "x", value, version, found);              // after TxGet
//   h.Write(t, "y", "v-17");                            // at TxPut
//   h.End(t, TxnOutcome::kCommitted);                   // TxCommit answered TX_COMMITTED
//   h.PlainGet(client, "x", value, TxnRead::kNoVersion, found, begin_us);  // a plain Get
//
// The model the checker relies on (the tests must keep it):
//   - Written values are unique: no two writes in the history (any transaction, any key) write
//     the same value, so a value read names its writer. The empty value "" is never written.
//   - Every key starts missing: a virtual initial transaction "installed" version 0 with value
//     "" (a read of a missing key has found = false, value "" and version 0).
//   - A committed transaction that wrote a key (once or more) bumps the key's version by one and
//     leaves its last value written; a plain Put is a committed one-write transaction. A read
//     outside the reader's own writes reports the version it saw (or kNoVersion if the API does
//     not say, e.g. a plain Get of the KV lab).
//   - A read of a key the transaction already wrote returns the transaction's last value written
//     to it (it reads its own writes); its version is not looked at.
//   - Outcome kUnknown: the commit reply never came (the test ended, the clerk gave up). Such a
//     transaction may or may not have committed; the checker decides (see serializability.h).
// Appends are not modelled: a transactional test writes with Put only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace janus {
namespace harness {

enum class TxnOutcome {
  kCommitted,  // the commit was acknowledged (or a plain operation returned)
  kAborted,    // the transaction was aborted and the client was told so
  kUnknown,    // no answer: committed or not
};

// "committed", "aborted" or "unknown".
const char* TxnOutcomeName(TxnOutcome outcome);

// One read or write of a transaction, in the order the client issued them.
struct TxnOp {
  static constexpr uint64_t kNoVersion = UINT64_MAX;  // the read did not report a version
  bool is_write = false;
  std::string key;
  std::string value;              // write: the value written; read: the value returned
  uint64_t version = kNoVersion;  // read: the version seen; write: the version it installed if
                                  // the store said so (rare), else kNoVersion
  bool found = true;              // read: false if the key was missing (value "", version 0)
};
using TxnRead = TxnOp;  // for TxnRead::kNoVersion

// One transaction (or plain operation).
struct TxnRecord {
  // Unique in the history and not 0 (T0 is the initial state). Ids from 1<<62 up are for plain
  // operations (named P<n> in reports): number transactions from 1.
  uint64_t id = 0;
  int client = 0;          // the client (clerk) number, for the picture
  uint64_t begin_us = 0;   // display times (virtual µs in simulation)
  uint64_t end_us = 0;     // 0 if it never ended
  std::vector<TxnOp> ops;  // reads and writes in issue order
  TxnOutcome outcome = TxnOutcome::kUnknown;
  std::string label;  // optional, e.g. "plain Put", "transfer 3->5"

  // Convenience for hand-made histories; return *this.
  TxnRecord& R(const std::string& key, const std::string& value, uint64_t version,
               bool found = true);
  TxnRecord& RMissing(const std::string& key);  // read of a missing key: "", version 0
  TxnRecord& W(const std::string& key, const std::string& value);
};

// Records a history as it happens. Single-threaded (the test's reactor thread). The functions
// taking an index REQUIRE it to come from Begin and the transaction not to have ended.
class TxnHistory {
 public:
  // Starts a transaction with id `id` at rrr::Time::Now(); returns its index in txns().
  size_t Begin(int client, uint64_t id, const std::string& label = "");
  void Read(size_t index, const std::string& key, const std::string& value, uint64_t version,
            bool found);
  void Write(size_t index, const std::string& key, const std::string& value);
  // Ends it now with `outcome` (kUnknown if the reply never came; or just never call End).
  void End(size_t index, TxnOutcome outcome);

  // Plain operations, recorded as one-operation transactions labelled "plain Get"/"plain Put"
  // with ids from 1<<62 upward (reports name them P0, P1, ...) so that they cannot collide with
  // the store's transaction ids (set_plain_id_base moves the start; ids below 1<<62 are then
  // named T<id>). `begin_us` is when the request was sent; they end now. `version` is
  // TxnOp::kNoVersion if the Get does not report one.
  void PlainGet(int client, const std::string& key, const std::string& value, uint64_t version,
                bool found, uint64_t begin_us);
  // A plain Put that returned (outcome kCommitted) or never did (kUnknown).
  void PlainPut(int client, const std::string& key, const std::string& value, uint64_t begin_us,
                TxnOutcome outcome);
  void set_plain_id_base(uint64_t base) { next_plain_id_ = base; }

  // Appends a complete hand-made record.
  void Add(const TxnRecord& txn) { txns_.push_back(txn); }

  const std::vector<TxnRecord>& txns() const { return txns_; }

 private:
  uint64_t next_plain_id_ = uint64_t{1} << 62;
  std::vector<TxnRecord> txns_;
};

}  // namespace harness
}  // namespace janus
