#include "rrr/rpc/frame.h"

#include "rrr/net/frame.h"

namespace rrr {

namespace {

void PutU64(char* out, uint64_t v) {
  PutU32(out, static_cast<uint32_t>(v));
  PutU32(out + 4, static_cast<uint32_t>(v >> 32));
}

uint64_t GetU64(const char* in) {
  return static_cast<uint64_t>(GetU32(in)) | (static_cast<uint64_t>(GetU32(in + 4)) << 32);
}

}  // namespace

void EncodeRequestHeader(const RequestHeader& h, char* out) {
  PutU64(out, h.xid);
  PutU32(out + 8, h.method_id);
}

void EncodeReplyHeader(const ReplyHeader& h, char* out) {
  PutU64(out, h.xid);
  PutU32(out + 8, static_cast<uint32_t>(h.error_code));
}

bool ParseRequest(std::string&& body, RequestHeader* h, Marshal* payload) {
  if (body.size() < kRequestHeaderBytes) return false;
  h->xid = GetU64(body.data());
  h->method_id = GetU32(body.data() + 8);
  *payload = Marshal(std::move(body));
  payload->Skip(kRequestHeaderBytes);
  return true;
}

bool ParseReply(std::string&& body, ReplyHeader* h, Marshal* payload) {
  if (body.size() < kReplyHeaderBytes) return false;
  h->xid = GetU64(body.data());
  h->error_code = static_cast<int32_t>(GetU32(body.data() + 8));
  *payload = Marshal(std::move(body));
  payload->Skip(kReplyHeaderBytes);
  return true;
}

int ParseFrameStream(const char* data, size_t size, bool requests) {
  FrameDecoder decoder;
  decoder.Append(data, size);
  std::string body;
  int frames = 0;
  bool hello_seen = false;
  for (;;) {
    FrameDecoder::Status st = decoder.Next(&body);
    if (st == FrameDecoder::kNeedMore) return frames;
    if (st == FrameDecoder::kError) return -1;
    if (!hello_seen) {
      int node = 0;
      if (!DecodeHello(body, &node)) return -1;
      hello_seen = true;
      continue;
    }
    Marshal payload;
    RequestHeader request;
    ReplyHeader reply;
    bool ok = requests ? ParseRequest(std::move(body), &request, &payload)
                       : ParseReply(std::move(body), &reply, &payload);
    if (!ok) return -1;
    frames++;
  }
}

}  // namespace rrr
