#include "labs/harness/core/network.h"

#include <string>

#include "labs/harness/core/graded_test.h"
#include "rrr/base/logging.h"
#include "rrr/base/verify.h"
#include "rrr/net/transport.h"
#include "rrr/reactor/reactor.h"

namespace janus {
namespace harness {
namespace {

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
  Log_debug("net: fault policy installed on the %s transport", transport->name());
  return net;
}

void FaultyNetwork::Connect(int node) {
  disconnected_.erase(node);
  Log_debug("net: connect %d", node);
}

void FaultyNetwork::Disconnect(int node) {
  disconnected_.insert(node);
  Log_debug("net: disconnect %d", node);
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
  Log_debug("net: partition %s", GroupsText(groups).c_str());
}

void FaultyNetwork::Heal() {
  group_.clear();
  Log_debug("net: heal partition");
}

void FaultyNetwork::SetLink(int from, int to, bool up) {
  if (up) {
    blocked_.erase({from, to});
  } else {
    blocked_.insert({from, to});
  }
  Log_debug("net: link %d->%d %s", from, to, up ? "up" : "blocked");
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
  Log_debug("net: unreliable %s", on ? "on" : "off");
}

void FaultyNetwork::SetLongReordering(bool on) {
  long_reordering_ = on;
  Log_debug("net: long reordering %s", on ? "on" : "off");
}

void FaultyNetwork::SetRequestReordering(bool on) {
  request_reordering_ = on;
  Log_debug("net: request reordering %s", on ? "on" : "off");
}

void FaultyNetwork::SetDuplication(bool on) {
  duplication_ = on;
  Log_debug("net: duplication %s", on ? "on" : "off");
}

void FaultyNetwork::HealAll() {
  disconnected_.clear();
  group_.clear();
  blocked_.clear();
  unreliable_ = long_reordering_ = request_reordering_ = duplication_ = long_delays_ = false;
  Log_debug("net: heal everything (all connected, no partition, no blocked link, reliable)");
}

void FaultyNetwork::SetLongDelays(bool on) {
  long_delays_ = on;
  Log_debug("net: long delays %s", on ? "on" : "off");
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
    fate.drop = true;
    stats_.dropped_unreachable++;
    c.frames_dropped++;
    if (is_reply) {
      Log_debug("net: drop reply %d->%d (%zu B): %s", from, to, bytes, why);
      return fate;
    }
    const uint64_t max_us =
        long_delays_ ? params_.long_delay_fail_max_us : params_.unreachable_fail_max_us;
    ReportDrop(&fate, max_us > 0 ? rand_.Below(max_us) : 0);
    Log_debug("net: drop request %d->%d (%zu B): %s; caller fails in %llu us", from, to, bytes,
              why, static_cast<unsigned long long>(fate.fail_after_us));
    return fate;
  }
  if (from == rrr::kNoNode || to == rrr::kNoNode) return fate;

  if (unreliable_) {
    if (!is_reply && params_.request_delay_max_us > 0) {
      fate.extra_delay_us = rand_.Below(params_.request_delay_max_us + 1);
    }
    if (rand_.Chance(is_reply ? params_.reply_drop : params_.request_drop)) {
      fate.drop = true;
      stats_.dropped_unreliable++;
      (is_reply ? stats_.replies_dropped_unreliable : stats_.requests_dropped_unreliable)++;
      c.frames_dropped++;
      if (is_reply) {
        Log_debug("net: drop reply %d->%d (%zu B): unreliable", from, to, bytes);
      } else {
        // Like MIT: the request waited out its delay, then the caller is told it was lost.
        ReportDrop(&fate, fate.extra_delay_us);
        Log_debug("net: drop request %d->%d (%zu B): unreliable; caller fails in %llu us", from,
                  to, bytes, static_cast<unsigned long long>(fate.fail_after_us));
      }
      fate.extra_delay_us = 0;
      return fate;
    }
    if (fate.extra_delay_us > 0) {
      stats_.delayed++;
      Log_debug("net: delay %s %d->%d (%zu B) by %llu us: unreliable", Kind(is_reply), from, to,
                bytes, static_cast<unsigned long long>(fate.extra_delay_us));
    }
  }
  if (!is_reply) ReorderOrDuplicate(from, to, bytes, &fate);
  if (is_reply && long_reordering_ && rand_.Chance(params_.reorder_chance)) {
    const uint64_t spread = Skewed(params_.reorder_spread_us);
    const uint64_t hold = params_.reorder_min_us + spread;
    fate.extra_delay_us += hold;
    stats_.reordered++;
    Log_debug("net: hold back reply %d->%d (%zu B) by %llu us: reordering", from, to, bytes,
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
    stats_.requests_reordered++;
    Log_debug("net: hold back request %d->%d (%zu B) by %llu us: reordering", from, to, bytes,
              static_cast<unsigned long long>(hold));
  }
  if (duplication_ && rand_.Chance(params_.duplicate_chance)) {
    fate->duplicate = true;
    fate->duplicate_delay_us = Skewed(params_.duplicate_delay_max_us);
    stats_.duplicated++;
    Log_debug("net: duplicate request %d->%d (%zu B), the copy %llu us later", from, to, bytes,
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
  if (why == nullptr) return true;
  stats_.dropped_unreachable++;
  counters_[from].frames_dropped++;
  Log_debug("net: drop %s %d->%d at delivery: %s", Kind(is_reply), from, to, why);
  return false;
}

}  // namespace harness
}  // namespace janus
