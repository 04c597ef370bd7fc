// The RPC frame codec: the bodies that rrr/net connections carry (the transport adds the u32
// length prefix).
//
//   request body: u64 xid, u32 method_id, payload (marshalled arguments)
//   reply body:   u64 xid, i32 error_code, payload (marshalled outputs; empty on error)
//
// All integers little-endian. A body shorter than its 12-byte header is malformed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "rrr/marshal/buffer.h"

namespace rrr {

constexpr size_t kRequestHeaderBytes = 12;
constexpr size_t kReplyHeaderBytes = 12;

struct RequestHeader {
  uint64_t xid = 0;
  uint32_t method_id = 0;
};

struct ReplyHeader {
  uint64_t xid = 0;
  int32_t error_code = 0;
};

// Writes the request header into out[0 .. kRequestHeaderBytes).
void EncodeRequestHeader(const RequestHeader& h, char* out);
// Writes the reply header into out[0 .. kReplyHeaderBytes).
void EncodeReplyHeader(const ReplyHeader& h, char* out);

// Parses a request body. On success returns true, fills *h and sets *payload to the marshalled
// arguments (the frame's storage is moved, not copied). Returns false, leaving *payload
// untouched, if the body is malformed.
bool ParseRequest(std::string&& body, RequestHeader* h, Marshal* payload);
// Same for a reply body.
bool ParseReply(std::string&& body, ReplyHeader* h, Marshal* payload);

// Parses a whole byte stream as a tcp connection would receive it (length-prefixed frames; the
// first frame a hello), decoding each later frame as a request if `requests` else as a reply.
// Returns the number of frames parsed, or -1 at the first protocol error. Used by the fuzz
// target and tests; never aborts on any input.
int ParseFrameStream(const char* data, size_t size, bool requests);

}  // namespace rrr
