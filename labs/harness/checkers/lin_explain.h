// Explanations for the linearizability checker's failure messages (linearizability.h): how a
// Get's answer differs from the value the checker expected, shown as a diff that never hides
// the differing bytes, and the likely cause of the violation, read from the key's history.
//
//   DescribeMismatch("abXc", "abc")
//     -> "\"abXc\" but the value was \"abc\""
//   DescribeMismatch(<1216 bytes>, <1208 bytes>)
//     -> "1216 bytes but the value was 1208 bytes: both start with the same 1000 bytes
//         (...\"x 3 11 y\"), then the Get has \"x 3 12 y\" where the value has \"\", then both
//         end with the same 208 bytes"   (one line)
//   LikelyCause(...)
//     -> "a duplicate: client 3's Append(\"x 3 12 y\") appears 2 times in what client 5's Get
//         at 2.099s returned (at bytes 1000, 1008) but was sent once; ..."
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "labs/harness/checkers/kv_history.h"

namespace janus {
namespace harness {

// Values up to this many bytes are shown whole in the explanations.
constexpr size_t kLinShortValue = 40;

// A value for a message: quoted and whole when short; otherwise its first `max_bytes` bytes
// quoted, then "..." and the total size. Never elides the middle.
std::string ShowKvHead(const std::string& value, size_t max_bytes = kLinShortValue);

// What follows "Get returned " when a Get returned `got` but the value was `expected`: both
// quoted when short, else their sizes, the lengths of the common prefix and suffix (with a few
// of their bytes as context) and, whole up to a generous limit, the bytes in between that
// differ. When one value is the other with bytes inserted, and the insertion could be placed at
// several offsets (repeated text), it is placed where the inserted bytes equal one of `pieces`
// if any does (pass the Appends' texts, so a duplicate shows as the whole Append).
std::string DescribeMismatch(const std::string& got, const std::string& expected,
                             const std::vector<std::string>& pieces = {});

// The likely cause of the violation that Get `get` (an index into `ops`) exposes, derived from
// the history of its key: `key_ops` are the key's operations (indices into `ops`), and
// `best_order`/`best_values` the longest linearization the checker found and the value after
// each of its operations (see LinKeyResult), or both empty for a Get that is not where the
// search got stuck. One of
//   "a duplicate: ..."   an Append's text appears in the Get's answer more often than sent;
//   "a stale read: ..."  the answer is an earlier value of the key (in the linearization, or as
//                        another Get saw it followed by a write acknowledged before this Get);
//   "a lost write: ..."  a write acknowledged before the Get was called is missing from it, and
//                        no Put can have overwritten it;
// or "" when none of these fits. Each names the operations involved and ends with a question
// pointing at the usual bug.
std::string LikelyCause(const std::vector<KvOp>& ops, const std::vector<size_t>& key_ops,
                        const std::vector<size_t>& best_order,
                        const std::vector<std::string>& best_values, size_t get);

}  // namespace harness
}  // namespace janus
