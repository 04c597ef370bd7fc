// A process-wide table of RPC methods by id: their service and method names and functions that
// turn marshalled arguments or results into a short one-line text. Generated services
// (rpcgen) fill it from RegisterTo; tools that watch frames on the wire (the harness's trace)
// read it to name and summarize what they see. Nothing in rrr's RPC path reads it, so a method
// missing from the table changes nothing but those tools' output.
#pragma once

#include <cstdint>
#include <string>

#include "rrr/marshal/buffer.h"

namespace rrr {

// Turns a marshalled payload (read from its start; the function may consume it) into a short
// text such as "term=3 entries=[2]". May throw MarshalError on bytes that do not decode.
using PayloadSummarizer = std::string (*)(Marshal& payload);

struct MethodInfo {
  const char* service = nullptr;  // "RaftService" (static storage)
  const char* method = nullptr;   // "AppendEntries" (static storage)
  PayloadSummarizer args = nullptr;     // the request's arguments (null: none known)
  PayloadSummarizer results = nullptr;  // a successful reply's outputs (null: none known)
};

// Records (or replaces) the entry for `method_id`. Thread-safe.
void RegisterMethodInfo(uint32_t method_id, const MethodInfo& info);

// The entry for `method_id`, or false if none. Thread-safe.
bool FindMethodInfo(uint32_t method_id, MethodInfo* out);

// Calls `fn` on a copy of `payload`'s bytes and returns its text, cut to `max_chars` (with
// "..." at the end), or "<undecodable>" if it throws. `fn` null: "".
std::string SummarizePayload(PayloadSummarizer fn, const char* data, size_t size,
                             size_t max_chars = 200);

}  // namespace rrr
