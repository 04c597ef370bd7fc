// Key/value histories in the text format of Jepsen's logs, one event per line, e.g.
//
//   {:process 3, :type :invoke, :f :append, :key "4", :value "x 3 0 y"}
//   {:process 7, :type :invoke, :f :get, :key "4", :value nil}
//   {:process 3, :type :ok, :f :append, :key "4", :value "x 3 0 y"}
//   {:process 7, :type :ok, :f :get, :key "4", :value "x 3 0 y"}
//
// A process runs one operation at a time: its :invoke line starts it and the next line of the
// same process ends it: :ok (it took effect; a Get's :value is what it returned), :fail (it did
// not take effect: dropped) or :info (unknown: kept as an operation that never returned). An
// :invoke with no later line never returned either. The line order is the real-time order: the
// 1-based line number is the operation's ordering point (KvOp::call / KvOp::ret, see
// kv_history.h), so an operation happened before another iff its end line precedes the other's
// :invoke line. Strings are Clojure strings: double quotes, with \" \\ \n \t escapes.
//
// A line may also carry :time, the event's wall time in nanoseconds as Jepsen writes it (kv_cli's
// `jepsen` command does, labs/cluster/kv_cli_jepsen.h): it only dates the operation for the HTML
// report (KvOp::call_us / return_us); the order is still the line order. A line of the nemesis,
//
//   {:process :nemesis, :type :info, :f :kill, :value "kv1", :time 1796380000123456789}
//
// is no operation: it becomes a TimedEvent ("kill kv1") shown on the report's timeline.
//
// Used to feed the linearizability checker (linearizability.h) histories written elsewhere, and
// by its tests and the lin_jepsen tool (lin_jepsen_main.cc) together with the generator of
// histories with a known verdict (kv_history_gen.h).
#pragma once

#include <string>
#include <vector>

#include "labs/harness/checkers/kv_history.h"

namespace janus {
namespace harness {

// Parses `text` (lines as above; empty lines are skipped) into *ops, in the order of their
// :invoke lines. Returns false with *error = "line N: <problem>" on the first malformed line, a
// :type other than invoke/ok/fail/info, an end line with no operation in progress for its
// process, or one whose :f or :key differs from its :invoke. *ops is cleared first. Nemesis lines
// go to *events (if not null; cleared first), in line order.
bool ParseJepsenKv(const std::string& text, std::vector<KvOp>* ops, std::string* error,
                   std::vector<TimedEvent>* events = nullptr);

// Writes `ops` as Jepsen lines (:invoke, and :ok for those that returned), ordered by their
// ordering points; at equal points :invoke lines come first, so operations that overlapped
// still overlap when parsed back. REQUIRES: a client runs one operation at a time (the format
// cannot say otherwise): its operations do not overlap, and one that never returned is its last.
std::string WriteJepsenKv(const std::vector<KvOp>& ops);

}  // namespace harness
}  // namespace janus
