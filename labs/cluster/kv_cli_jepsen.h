// kv_cli's `jepsen` command: a clerk that records its own history. It reads one operation per
// stdin line ("get KEY", "put KEY VALUE", "append KEY VALUE"; blank lines and '#' comments are
// skipped, "quit" ends) and runs them one at a time, printing to stdout, flushed, a Jepsen event
// right before each operation is sent and one right after its outcome is known:
//
//   {:process 3, :type :invoke, :f :put, :key "k1", :value "v7", :time 1796380000123456789}
//   {:process 3, :type :ok, :f :put, :key "k1", :value "v7", :time 1796380000125456789}
//
// :time is the wall clock (CLOCK_REALTIME) in nanoseconds since the Unix epoch, read before the
// request is sent and after the answer arrived, so an operation took effect between its two
// times. :ok means it took effect (a Get's :value is what it read). An operation with no answer
// within --timeout-ms ends with :info (unknown outcome: it may still take effect later); the
// session then drops the clerk for a fresh one, and the process number goes up by STRIDE, as in
// Jepsen, where a process whose operation is in doubt never runs another. Nothing ends in :fail:
// the clerk retries until the operation took effect or the time is up. The format is the one of
// labs/harness/checkers/jepsen_kv.h; test/cluster/jepsen_kv_test.py merges several clients'
// lines by :time into one history for lin_jepsen.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "labs/cluster/kv_cli_session.h"

namespace janus {

// Runs the `jepsen` command; `args` are its arguments after the word "jepsen": PROCESS
// [STRIDE] (defaults 0 and 1000). Returns the exit code: 0 at the end of stdin, 2 for bad
// arguments or a malformed line (with a one-line message on stderr, after the events so far).
// REQUIRES: session.has_keys().
int RunJepsenClient(KvCliSession& session, const std::vector<std::string>& args,
                    uint64_t timeout_us);

}  // namespace janus
