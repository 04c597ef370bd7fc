#include "labs/harness/raft/raft_tester.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/core/trace_event.h"
#include "rrr/base/logging.h"
#include "rrr/base/time.h"

namespace janus {

rrr::Marshal& RaftTestCommand::ToMarshal(rrr::Marshal& m) const { return m << value; }
rrr::Marshal& RaftTestCommand::FromMarshal(rrr::Marshal& m) { return m >> value; }
JANUS_REGISTER_MARSHALLABLE(kKindRaftTestCommand, RaftTestCommand);

namespace {

// Commands are shown abbreviated in messages (RPCBytes uses 5000-byte ones).
std::string Show(const std::string& cmd) {
  if (cmd.size() <= 24) return "\"" + cmd + "\"";
  return "\"" + cmd.substr(0, 16) + "...\" (" + std::to_string(cmd.size()) + " bytes)";
}

}  // namespace

RaftTester::RaftTester(int n, bool unreliable, bool snapshots)
    : LabTester(n),
      snapshots_(snapshots),
      logs_(n),
      last_applied_(n, 0),
      applied_(std::make_shared<rrr::SharedIntEvent>()) {
  StartCluster([this](int i, Persister* p, const std::vector<std::string>& addrs) {
    return MakeNode(i, p, addrs);
  });
  // As MIT's Raft tests do: a call to an unreachable peer fails only after a long random delay
  // (up to 7 s), so a solution must not wait for one peer's reply before contacting the others.
  cluster().SetLongDelays(true);
  if (unreliable) SetUnreliable(true);
}

RaftTester::~RaftTester() {
  // Ask every peer to stop first: when this runs while a failure unwinds the test, cancelled
  // waits may return instead of throwing, and the peers' loops must then end on their own.
  for (int i = 0; i < n(); i++) {
    if (IsUp(i)) cluster().At(i, [](RaftNode& node) { node.raft().Shutdown(); });
  }
  // Stop the peers before the checker state they call into goes away.
  StopCluster();
}

std::unique_ptr<RaftNode> RaftTester::MakeNode(int i, Persister* persister,
                                               const std::vector<std::string>& addrs) {
  auto apply = [this, i](uint64_t index, std::shared_ptr<Marshallable> cmd) {
    OnApply(i, index, cmd);
  };
  auto snapshot = [this, i](uint64_t index, uint64_t term, const std::string& bytes) {
    OnSnapshot(i, index, term, bytes);
  };
  auto config = std::make_shared<const Config>(Config::FromAddresses("raft", addrs));
  return std::make_unique<RaftNode>(std::move(config), i, persister, apply, snapshot);
}

void RaftTester::OnApply(int i, uint64_t index, const std::shared_ptr<Marshallable>& cmd) {
  applied_->Set(applied_->value_ + 1);
  if (!apply_error_.empty()) return;
  auto c = std::dynamic_pointer_cast<RaftTestCommand>(cmd);
  std::string error;
  if (c == nullptr) {
    error = "peer " + std::to_string(i) +
            " applied a command that is not the one started at index " + std::to_string(index);
  } else if (index != last_applied_[i] + 1) {
    error = "peer " + std::to_string(i) + " applied index " + std::to_string(index) +
            " out of order: its previous one was " + std::to_string(last_applied_[i]);
    if (snapshots_ && last_applied_[i] == 0 && index > 1) {
      error += " (a peer whose persister holds a snapshot must first deliver it, through the "
               "snapshot callback, when it starts)";
    }
  } else {
    for (int j = 0; j < n() && error.empty(); j++) {
      auto it = logs_[j].find(index);
      if (it != logs_[j].end() && it->second != c->value) {
        error = "commit index=" + std::to_string(index) + " peer=" + std::to_string(i) + " " +
                Show(c->value) + " != peer=" + std::to_string(j) + " " + Show(it->second);
      }
    }
    // Committed entries survive crashes: what any incarnation applied at this index stays.
    auto was = ever_applied_.find(index);
    if (error.empty() && was != ever_applied_.end() && was->second != c->value) {
      error = "commit index=" + std::to_string(index) + " peer=" + std::to_string(i) + " " +
              Show(c->value) + " != " + Show(was->second) +
              " applied there before a crash (a committed entry was lost)";
    }
  }
  if (!error.empty()) return ApplyError(error);
  last_applied_[i] = index;
  logs_[i][index] = c->value;
  ever_applied_.emplace(index, c->value);
  if (snapshots_) MaybeSnapshot(i, index);
}

void RaftTester::ApplyError(const std::string& error) {
  if (!apply_error_.empty()) return;
  apply_error_ = error;
  Log_debug("apply checker: %s", error.c_str());
  ADD_FAILURE() << "apply checker: " << error;
}

void RaftTester::CheckBackground() {
  if (!apply_error_.empty()) throw harness::ScenarioFailure();
}

std::string RaftTester::RandomCommand() { return std::to_string(Rand(0, (1LL << 31) - 1)); }

void RaftTester::Restart(int i) {
  logs_[i].clear();
  last_applied_[i] = 0;
  LabTester::Restart(i);
}

void RaftTester::Reboot(int i) {
  if (IsUp(i)) Crash(i);
  Restart(i);
}

bool RaftTester::Start(int i, const std::string& cmd, uint64_t* index, uint64_t* term) {
  if (!cluster().IsUp(i)) return false;
  auto c = std::make_shared<RaftTestCommand>(cmd);
  return cluster().At(i,
                      [&](RaftNode& node) { return node.raft().Start(std::move(c), index, term); });
}

void RaftTester::GetState(int i, bool* is_leader, uint64_t* term) {
  cluster().At(i, [&](RaftNode& node) { node.raft().GetState(is_leader, term); });
  harness::TraceGetState(cluster().NodeId(i), *term, *is_leader);
}

int RaftTester::CheckOneLeader(const char* file, int line) {
  return CheckOneLeader(Connected(), file, line);
}

int RaftTester::CheckOneLeader(const std::vector<int>& among, const char* file, int line) {
  for (int iter = 0; iter < 10; iter++) {
    Sleep(Rand(450, 550) * 1000);
    std::map<uint64_t, std::vector<int>> leaders;  // term -> peers claiming to lead it
    for (int i : among) {
      if (!cluster().IsUp(i)) continue;
      bool is_leader = false;
      uint64_t term = 0;
      GetState(i, &is_leader, &term);
      if (is_leader) leaders[term].push_back(i);
    }
    for (const auto& [term, peers] : leaders) {
      if (peers.size() > 1) {
        Fail("term " + std::to_string(term) + " has " + std::to_string(peers.size()) +
                 " (>1) leaders",
             file, line);
      }
    }
    if (!leaders.empty()) return leaders.rbegin()->second[0];
  }
  Fail("expected one leader, got none", file, line);
}

void RaftTester::CheckNoLeader(const char* file, int line) {
  for (int i : Connected()) {
    bool is_leader = false;
    uint64_t term = 0;
    GetState(i, &is_leader, &term);
    if (is_leader) {
      Fail("expected no leader among connected servers, but " + std::to_string(i) +
               " claims to be leader",
           file, line);
    }
  }
}

uint64_t RaftTester::CheckTerms(const char* file, int line) {
  std::optional<uint64_t> agreed;
  for (int i : Connected()) {
    bool is_leader = false;
    uint64_t term = 0;
    GetState(i, &is_leader, &term);
    if (!agreed) {
      agreed = term;
    } else if (*agreed != term) {
      Fail("servers disagree on term (" + std::to_string(*agreed) + " vs " + std::to_string(term) +
               ")",
           file, line);
    }
  }
  return agreed.value_or(0);
}

int RaftTester::NCommitted(uint64_t index, std::string* cmd, const char* file, int line) {
  CheckBackground();
  int count = 0;
  std::optional<std::string> seen;
  for (int i = 0; i < n(); i++) {
    auto it = logs_[i].find(index);
    if (it == logs_[i].end()) continue;
    if (seen && *seen != it->second) {
      Fail("committed values do not match: index " + std::to_string(index) + ", " + Show(*seen) +
               ", " + Show(it->second),
           file, line);
    }
    seen = it->second;
    count++;
  }
  if (cmd != nullptr) *cmd = seen.value_or("");
  return count;
}

uint64_t RaftTester::One(const std::string& cmd, int expected, bool retry, const char* file,
                         int line) {
  const uint64_t t0 = rrr::Time::Now();
  int next = 0;
  while (rrr::Time::Now() - t0 < 10 * 1000 * 1000) {
    // Try the peers in turn until one accepts as leader.
    std::optional<uint64_t> index;
    for (int k = 0; k < n() && !index; k++) {
      next = (next + 1) % n();
      uint64_t i1 = 0, term = 0;
      if (cluster().IsUp(next) && cluster().IsConnected(next) && Start(next, cmd, &i1, &term)) {
        index = i1;
      }
    }
    if (!index) {
      Sleep(50 * 1000);
      continue;
    }
    // Wait for agreement, waking on every apply (at most 20 ms apart).
    const uint64_t t1 = rrr::Time::Now();
    while (rrr::Time::Now() - t1 < 2 * 1000 * 1000) {
      std::string got;
      int nd = NCommitted(*index, &got, file, line);
      if (nd > 0 && nd >= expected && got == cmd) return *index;
      applied_->WaitUntilGreaterOrEqualThan(applied_->value_ + 1, 20 * 1000);
      CheckBackground();
    }
    if (!retry) Fail("one(" + Show(cmd) + ") failed to reach agreement", file, line);
  }
  Fail("one(" + Show(cmd) + ") failed to reach agreement", file, line);
}

std::optional<std::string> RaftTester::Wait(uint64_t index, int n,
                                            std::optional<uint64_t> start_term, const char* file,
                                            int line) {
  uint64_t backoff_us = 10 * 1000;
  for (int iter = 0; iter < 30; iter++) {
    if (NCommitted(index, nullptr, file, line) >= n) break;
    Sleep(backoff_us);
    if (backoff_us < 1000 * 1000) backoff_us *= 2;
    if (start_term) {
      for (int i = 0; i < this->n(); i++) {
        if (!cluster().IsUp(i)) continue;
        bool is_leader = false;
        uint64_t term = 0;
        GetState(i, &is_leader, &term);
        if (term > *start_term) return std::nullopt;  // someone moved on: the caller retries
      }
    }
  }
  std::string cmd;
  int nd = NCommitted(index, &cmd, file, line);
  if (nd < n) {
    Fail("only " + std::to_string(nd) + " decided for index " + std::to_string(index) +
             "; wanted " + std::to_string(n),
         file, line);
  }
  return cmd;
}

}  // namespace janus
