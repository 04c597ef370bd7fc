#include "labs/harness/core/trace_event.h"

#include <cstdio>

#include "labs/harness/core/trace.h"
#include "rrr/reactor/reactor.h"

namespace janus {
namespace harness {

namespace trace_detail {
bool g_structured = false;
}  // namespace trace_detail

namespace {

struct Clock {
  rrr::Reactor* reactor = nullptr;  // the running test's reactor, or null
  uint64_t base_us = 0;
  uint64_t last_us = 0;
};

Clock& C() {
  static Clock clock;
  return clock;
}

uint64_t g_next_frame_id = 1;

}  // namespace

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\t': *out += "\\t"; break;
      case '\r': *out += "\\r"; break;
      case '\b': *out += "\\b"; break;
      case '\f': *out += "\\f"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          *out += buf;
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

TraceEvent::TraceEvent(const char* ev, bool with_time) {
  line_.reserve(96);
  line_ = "{\"ev\":";
  AppendJsonString(&line_, ev);
  if (with_time) Uint("t_us", TraceNowUs());
}

void TraceEvent::Key(const char* key) {
  line_.push_back(',');
  AppendJsonString(&line_, key);
  line_.push_back(':');
}

TraceEvent& TraceEvent::Int(const char* key, int64_t v) {
  Key(key);
  line_ += std::to_string(v);
  return *this;
}

TraceEvent& TraceEvent::Uint(const char* key, uint64_t v) {
  Key(key);
  line_ += std::to_string(v);
  return *this;
}

TraceEvent& TraceEvent::Bool(const char* key, bool v) {
  Key(key);
  line_ += v ? "true" : "false";
  return *this;
}

TraceEvent& TraceEvent::Str(const char* key, std::string_view v) {
  Key(key);
  AppendJsonString(&line_, v);
  return *this;
}

TraceEvent& TraceEvent::Raw(const char* key, std::string_view json) {
  Key(key);
  line_ += json;
  return *this;
}

void TraceEvent::Emit() {
  line_.push_back('}');
  WriteTraceEvent(line_);
}

uint64_t TraceNowUs() {
  Clock& c = C();
  if (c.reactor != nullptr && rrr::Reactor::CurrentOrNull() == c.reactor) {
    const uint64_t now = c.reactor->NowUs();
    c.last_us = now > c.base_us ? now - c.base_us : 0;
  }
  return c.last_us;
}

void TraceClockStart(rrr::Reactor* reactor) {
  Clock& c = C();
  c.reactor = reactor;
  c.base_us = reactor->NowUs();
  c.last_us = 0;
}

void TraceClockStop() {
  TraceNowUs();
  C().reactor = nullptr;
}

uint64_t NextTraceFrameId() { return g_next_frame_id++; }

void TraceGetState(int node, uint64_t term, bool is_leader) {
  if (!StructuredTrace()) return;
  TraceEvent("get_state").Int("node", node).Uint("term", term).Bool("is_leader", is_leader).Emit();
}

}  // namespace harness
}  // namespace janus
