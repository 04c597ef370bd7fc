#include "labs/harness/core/network.h"

#include <string>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/core/trace_event.h"
#include "rrr/base/logging.h"
#include "rrr/base/verify.h"
#include "rrr/net/transport.h"
#include "rrr/reactor/reactor.h"

namespace janus {
namespace harness {
namespace {

// The fault log lines: a text trace's content. A structured trace has typed events instead.
#define NET_LOG(...)                                \
  do {                                              \
    if (!StructuredTrace()) Log_debug(__VA_ARGS__); \
  } while (0)

std::string GroupsJson(const std::vector<std::vector<int>>& groups) {
  std::string s = "[";
  for (size_t g = 0; g < groups.size(); g++) {
    s += g ? ",[" : "[";
    for (size_t i = 0; i < groups[g].size(); i++) {
      s += (i ? "," : "") + std::to_string(groups[g][i]);
    }
    s += "]";
  }
  return s + "]";
}

const char* Kind(bool is_reply) { return is_reply ? "reply" : "request"; }

std::string GroupsText(const std::vector<std::vector<int>>& groups) {
  std::string s;
  for (const auto& g : groups) {
    s += s.empty() ? "{" : " {";
    for (size_t i = 0; i < g.size(); i++) s += (i ? "," : "") + std::to_string(g[i]);
    s += "}";
  }
  return s;
}

}  // namespace

FaultyNetwork::FaultyNetwork(uint64_t seed) : rand_(seed) {}

std::shared_ptr<FaultyNetwork> FaultyNetwork::Install(rrr::Transport* transport) {
  if (transport == nullptr) transport = rrr::Transport::Default();
  const uint64_t seed = rrr::Rand::Mix(transport->reactor()->seed() ^ 0x6e6574776f726bull);
  auto net = std::make_shared<FaultyNetwork>(seed);
  transport->SetPolicy(net);
  NET_LOG("net: fault policy installed on the %s transport", transport->name());
  return net;
}

void FaultyNetwork::Connect(int node) {
  disconnected_.erase(node);
  NET_LOG("net: connect %d", node);
  if (StructuredTrace()) TraceEvent("connect").Int("node", node).Emit();
}

void FaultyNetwork::Disconnect(int node) {
  disconnected_.insert(node);
  NET_LOG("net: disconnect %d", node);
  if (StructuredTrace()) TraceEvent("disconnect").Int("node", node).Emit();
}

bool FaultyNetwork::IsConnected(int node) const { return disconnected_.count(node) == 0; }

void FaultyNetwork::Partition(const std::vector<std::vector<int>>& groups) {
  group_.clear();
  for (size_t g = 0; g < groups.size(); g++) {
    for (int node : groups[g]) {
      verify_msg(group_.count(node) == 0, "Partition: a node is in two groups");
      group_[node] = static_cast<int>(g) + 1;
    }
  }
  NET_LOG("net: partition %s", GroupsText(groups).c_str());
  if (StructuredTrace()) TraceEvent("partition").Raw("groups", GroupsJson(groups)).Emit();
}

void FaultyNetwork::Heal() {
  group_.clear();
  NET_LOG("net: heal partition");
  if (StructuredTrace()) TraceEvent("heal").Emit();
}

void FaultyNetwork::SetLink(int from, int to, bool up) {
  if (up) {
    blocked_.erase({from, to});
  } else {
    blocked_.insert({from, to});
  }
  NET_LOG("net: link %d->%d %s", from, to, up ? "up" : "blocked");
  if (StructuredTrace()) {
    TraceEvent("net_mode")
        .Str("mode", "blocked " + std::to_string(from) + "->" + std::to_string(to))
        .Bool("on", !up)
        .Emit();
  }
}

int FaultyNetwork::GroupOf(int node) const {
  auto it = group_.find(node);
  return it == group_.end() ? 0 : it->second;
}

const char* FaultyNetwork::Unreachable(int from, int to) const {
  if (disconnected_.count(from) != 0) return "sender disconnected";
  if (disconnected_.count(to) != 0) return "receiver disconnected";
  if (from == rrr::kNoNode || to == rrr::kNoNode) return nullptr;
  if (GroupOf(from) != GroupOf(to)) return "partitioned";
  if (blocked_.count({from, to}) != 0) return "link blocked";
  return nullptr;
}

bool FaultyNetwork::Reachable(int from, int to) const { return Unreachable(from, to) == nullptr; }

void FaultyNetwork::SetUnreliable(bool on) {
  unreliable_ = on;
  NET_LOG("net: unreliable %s", on ? "on" : "off");
  TraceMode("unreliable", on);
}

void FaultyNetwork::SetLongReordering(bool on) {
  long_reordering_ = on;
  NET_LOG("net: long reordering %s", on ? "on" : "off");
  TraceMode("long_reordering", on);
}

void FaultyNetwork::SetRequestReordering(bool on) {
  request_reordering_ = on;
  NET_LOG("net: request reordering %s", on ? "on" : "off");
  TraceMode("request_reordering", on);
}

void FaultyNetwork::SetDuplication(bool on) {
  duplication_ = on;
  NET_LOG("net: duplication %s", on ? "on" : "off");
  TraceMode("duplication", on);
}

void FaultyNetwork::HealAll() {
  disconnected_.clear();
  group_.clear();
  blocked_.clear();
  if (StructuredTrace()) {
    TraceEvent("heal").Emit();
    if (unreliable_) TraceMode("unreliable", false);
    if (long_reordering_) TraceMode("long_reordering", false);
    if (request_reordering_) TraceMode("request_reordering", false);
    if (duplication_) TraceMode("duplication", false);
    if (long_delays_) TraceMode("long_delays", false);
  }
  unreliable_ = long_reordering_ = request_reordering_ = duplication_ = long_delays_ = false;
  NET_LOG("net: heal everything (all connected, no partition, no blocked link, reliable)");
}

void FaultyNetwork::SetLongDelays(bool on) {
  long_delays_ = on;
  NET_LOG("net: long delays %s", on ? "on" : "off");
  TraceMode("long_delays", on);
}

rrr::NodeCounters FaultyNetwork::Counters(int node) const {
  auto it = counters_.find(node);
  return it == counters_.end() ? rrr::NodeCounters{} : it->second;
}

uint64_t FaultyNetwork::TotalRpcs() const {
  uint64_t n = 0;
  for (const auto& kv : counters_) n += kv.second.rpcs_sent;
  return n;
}

uint64_t FaultyNetwork::TotalBytes() const {
  uint64_t n = 0;
  for (const auto& kv : counters_) n += kv.second.bytes_sent;
  return n;
}

void FaultyNetwork::ResetCounters() {
  counters_.clear();
  stats_ = FaultStats();
}

rrr::FrameFate FaultyNetwork::Decide(int from, int to, bool is_reply, size_t bytes) {
  rrr::NodeCounters& c = counters_[from];
  (is_reply ? c.replies_sent : c.rpcs_sent)++;
  c.bytes_sent += bytes;
  if (!is_reply) TestEnv::CountRpc();

  rrr::FrameFate fate;
  if (const char* why = Unreachable(from, to)) {
    why_.drop = why;
    fate.drop = true;
    stats_.dropped_unreachable++;
    c.frames_dropped++;
    if (is_reply) {
      NET_LOG("net: drop reply %d->%d (%zu B): %s", from, to, bytes, why);
      return fate;
    }
    const uint64_t max_us =
        long_delays_ ? params_.long_delay_fail_max_us : params_.unreachable_fail_max_us;
    ReportDrop(&fate, max_us > 0 ? rand_.Below(max_us) : 0);
    NET_LOG("net: drop request %d->%d (%zu B): %s; caller fails in %llu us", from, to, bytes,
              why, static_cast<unsigned long long>(fate.fail_after_us));
    return fate;
  }
  if (from == rrr::kNoNode || to == rrr::kNoNode) return fate;

  if (unreliable_) {
    if (!is_reply && params_.request_delay_max_us > 0) {
      fate.extra_delay_us = rand_.Below(params_.request_delay_max_us + 1);
    }
    if (rand_.Chance(is_reply ? params_.reply_drop : params_.request_drop)) {
      why_.drop = "unreliable";
      fate.drop = true;
      stats_.dropped_unreliable++;
      (is_reply ? stats_.replies_dropped_unreliable : stats_.requests_dropped_unreliable)++;
      c.frames_dropped++;
      if (is_reply) {
        NET_LOG("net: drop reply %d->%d (%zu B): unreliable", from, to, bytes);
      } else {
        // Like MIT: the request waited out its delay, then the caller is told it was lost.
        ReportDrop(&fate, fate.extra_delay_us);
        NET_LOG("net: drop request %d->%d (%zu B): unreliable; caller fails in %llu us", from,
                  to, bytes, static_cast<unsigned long long>(fate.fail_after_us));
      }
      fate.extra_delay_us = 0;
      return fate;
    }
    if (fate.extra_delay_us > 0) {
      stats_.delayed++;
      NET_LOG("net: delay %s %d->%d (%zu B) by %llu us: unreliable", Kind(is_reply), from, to,
                bytes, static_cast<unsigned long long>(fate.extra_delay_us));
    }
  }
  if (!is_reply) ReorderOrDuplicate(from, to, bytes, &fate);
  if (is_reply && long_reordering_ && rand_.Chance(params_.reorder_chance)) {
    const uint64_t spread = Skewed(params_.reorder_spread_us);
    const uint64_t hold = params_.reorder_min_us + spread;
    fate.extra_delay_us += hold;
    why_.delay = "reordering";
    stats_.reordered++;
    NET_LOG("net: hold back reply %d->%d (%zu B) by %llu us: reordering", from, to, bytes,
              static_cast<unsigned long long>(hold));
  }
  return fate;
}

uint64_t FaultyNetwork::Skewed(uint64_t max_us) {
  return max_us > 0 ? rand_.Below(rand_.Below(max_us) + 1) : 0;
}

void FaultyNetwork::ReorderOrDuplicate(int from, int to, size_t bytes, rrr::FrameFate* fate) {
  if (request_reordering_ && rand_.Chance(params_.request_reorder_chance)) {
    const uint64_t hold = params_.request_reorder_min_us + Skewed(params_.request_reorder_spread_us);
    fate->extra_delay_us += hold;
    why_.delay = "reordering";
    stats_.requests_reordered++;
    NET_LOG("net: hold back request %d->%d (%zu B) by %llu us: reordering", from, to, bytes,
              static_cast<unsigned long long>(hold));
  }
  if (duplication_ && rand_.Chance(params_.duplicate_chance)) {
    fate->duplicate = true;
    fate->duplicate_delay_us = Skewed(params_.duplicate_delay_max_us);
    stats_.duplicated++;
    NET_LOG("net: duplicate request %d->%d (%zu B), the copy %llu us later", from, to, bytes,
              static_cast<unsigned long long>(fate->duplicate_delay_us));
  }
}

void FaultyNetwork::ReportDrop(rrr::FrameFate* fate, uint64_t fail_after_us) {
  fate->notify_sender = true;
  fate->fail_after_us = fail_after_us;
  stats_.drops_reported++;
}

bool FaultyNetwork::Deliverable(int from, int to, bool is_reply) {
  const char* why = Unreachable(from, to);
  undeliverable_why_ = why;
  if (why == nullptr) return true;
  stats_.dropped_unreachable++;
  counters_[from].frames_dropped++;
  NET_LOG("net: drop %s %d->%d at delivery: %s", Kind(is_reply), from, to, why);
  return false;
}

void FaultyNetwork::TraceMode(const char* mode, bool on) {
  if (StructuredTrace()) TraceEvent("net_mode").Str("mode", mode).Bool("on", on).Emit();
}

void FaultyNetwork::NodeCrashed(int node) {
  if (StructuredTrace()) rpc_trace_.ForgetNode(node);
}

rrr::FrameFate FaultyNetwork::DecideFrame(int from, int to, bool is_reply, std::string_view head,
                                          std::string_view body) {
  if (!StructuredTrace()) return Decide(from, to, is_reply, head.size() + body.size());
  why_ = RpcTrace::Why();
  rrr::FrameFate fate = Decide(from, to, is_reply, head.size() + body.size());
  RpcTrace::Why why = why_;
  if (why.drop != nullptr) why.drop = TraceDropReason(why.drop);
  rpc_trace_.OnSend(from, to, is_reply, head, body, fate, why);
  return fate;
}

bool FaultyNetwork::DeliverableFrame(int from, int to, bool is_reply, std::string_view frame) {
  const bool ok = Deliverable(from, to, is_reply);
  if (StructuredTrace()) {
    rpc_trace_.OnDeliver(from, to, is_reply, frame, ok, TraceDropReason(undeliverable_why_));
  }
  return ok;
}

}  // namespace harness
}  // namespace janus
