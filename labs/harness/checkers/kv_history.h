// KvHistory: what every client of a key/value service asked and got back, with the moments
// each request was sent and answered, plus the faults the test injected meanwhile. The input of
// the linearizability checker (linearizability.h) and of its HTML report (lin_html.h).
//
//   KvHistory h;
//   size_t id = h.Call(/*client=*/3, KvOpKind::kGet, "k", "");
//   ... the clerk's Get returns v ...
//   h.Return(id, v);
//   h.AddEvent("disconnect s2");
//
// Ordering: each operation carries two ordering points, `call` and `ret`. Operation a happened
// before operation b iff a.ret < b.call; otherwise they overlap and may take effect in either
// order. The recorder draws both points from one counter incremented at every Call/Return, so
// the order is exactly the order in which the test observed the events (several events in the
// same virtual microsecond stay ordered). Hand-made histories may use any numbers; equal points
// count as overlapping. call_us/return_us are only for display (reactor time: virtual in sim).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "deptran/kv_op.h"

namespace janus {
namespace harness {

// Get, Put or Append: the enum shared with the KV lab and kv_cli (deptran/kv_op.h).
using janus::KvOpKind;
using janus::KvOpKindName;

// One client operation on one key.
struct KvOp {
  int client = 0;
  KvOpKind kind = KvOpKind::kGet;
  std::string key;
  std::string value;   // Put/Append: the argument. Get: unused.
  std::string output;  // Get: the value returned ("" for a missing key). Put/Append: unused.
  uint64_t call = 0;   // ordering point of the request (see the file comment)
  uint64_t ret = 0;    // ordering point of the answer; REQUIRES: ret >= call when returned
  // False if the operation never returned (the test ended first). Such a Put/Append may or may
  // not have taken effect (its return counts as later than everything); such a Get says nothing
  // and is ignored by the checker.
  bool returned = true;
  uint64_t call_us = 0;    // display time of the request
  uint64_t return_us = 0;  // display time of the answer (0 if it never returned)
};

// A fault or other scenario event, shown on the HTML timeline (e.g. "partition [0 1] [2 3 4]").
struct TimedEvent {
  uint64_t time_us = 0;
  std::string description;
};

// Records a history as it happens. Single-threaded (the test's reactor thread).
class KvHistory {
 public:
  // Records the request of an operation at rrr::Time::Now(); returns its id (index in ops()).
  // `value` is the Put/Append argument ("" for Get).
  size_t Call(int client, KvOpKind kind, const std::string& key, const std::string& value);
  // Records the answer of operation `id` now; `output` is what a Get returned ("" otherwise).
  // REQUIRES: id came from Call and has not returned yet.
  void Return(size_t id, const std::string& output);

  // Records a scenario event at rrr::Time::Now() (or at `time_us`).
  void AddEvent(const std::string& description);
  void AddEventAt(uint64_t time_us, const std::string& description);

  // Appends a complete hand-made operation as given (for tests and tools).
  void Add(const KvOp& op);

  const std::vector<KvOp>& ops() const { return ops_; }
  const std::vector<TimedEvent>& events() const { return events_; }
  // Number of operations that returned.
  size_t completed() const { return completed_; }

 private:
  uint64_t next_point_ = 1;
  size_t completed_ = 0;
  std::vector<KvOp> ops_;
  std::vector<TimedEvent> events_;
};

}  // namespace harness
}  // namespace janus
