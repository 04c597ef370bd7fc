// libFuzzer target for the rpc wire: length-prefixed framing (rrr/net/frame.h), the hello, and
// the request/reply header codec (rrr/rpc/frame.h).
//
// Input: [mode byte][chunk byte][stream bytes...]. The stream is parsed as a tcp connection
// would receive it, as requests (mode even) or replies (mode odd). Checks:
//  - ParseFrameStream never crashes and returns -1 or a frame count;
//  - a FrameDecoder fed the stream in chunks of (chunk byte % 61 + 1) bytes yields exactly the
//    frames (and the error verdict) of one fed the whole stream at once;
//  - every frame that parses as a request/reply re-encodes to the same header bytes, and its
//    payload is readable as a few marshalled types without anything but MarshalError.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "rrr/marshal/marshal.h"
#include "rrr/net/frame.h"
#include "rrr/rpc/frame.h"

namespace {

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "frame_fuzz: %s\n", what);
  std::abort();
}

// Splits the stream with one decoder fed `chunk` bytes at a time. Returns false on error.
bool Split(const char* data, size_t size, size_t chunk, std::vector<std::string>* frames) {
  rrr::FrameDecoder d;
  std::string f;
  for (size_t off = 0; off < size; off += chunk) {
    d.Append(data + off, std::min(chunk, size - off));
    for (;;) {
      rrr::FrameDecoder::Status st = d.Next(&f);
      if (st == rrr::FrameDecoder::kError) return false;
      if (st == rrr::FrameDecoder::kNeedMore) break;
      frames->push_back(f);
    }
  }
  return true;
}

void ProbePayload(rrr::Marshal payload) {
  try {
    std::string s;
    std::vector<int32_t> v;
    std::map<std::string, rrr::v64> m;
    payload >> s >> v >> m;
  } catch (const rrr::MarshalError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const bool requests = data[0] % 2 == 0;
  const size_t chunk = data[1] % 61 + 1;
  const char* stream = reinterpret_cast<const char*>(data + 2);
  const size_t n = size - 2;

  int parsed = rrr::ParseFrameStream(stream, n, requests);
  if (parsed < -1) Fail("ParseFrameStream returned a bad count");

  std::vector<std::string> whole, chunked;
  bool ok_whole = Split(stream, n, n == 0 ? 1 : n, &whole);
  bool ok_chunked = Split(stream, n, chunk, &chunked);
  if (ok_whole != ok_chunked || whole != chunked) Fail("chunking changed the frames");

  for (size_t i = 0; i < whole.size(); i++) {
    std::string body = whole[i];
    if (i == 0) {
      int node = 0;
      rrr::DecodeHello(body, &node);
      continue;
    }
    rrr::Marshal payload;
    char header[12];
    if (requests) {
      rrr::RequestHeader h;
      if (!rrr::ParseRequest(std::move(body), &h, &payload)) continue;
      rrr::EncodeRequestHeader(h, header);
    } else {
      rrr::ReplyHeader h;
      if (!rrr::ParseReply(std::move(body), &h, &payload)) continue;
      rrr::EncodeReplyHeader(h, header);
    }
    if (whole[i].compare(0, sizeof(header), header, sizeof(header)) != 0) {
      Fail("header does not re-encode to the same bytes");
    }
    if (payload.ContentSize() != whole[i].size() - sizeof(header)) Fail("payload size");
    ProbePayload(std::move(payload));
  }
  return 0;
}
