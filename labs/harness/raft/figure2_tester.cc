#include "labs/harness/raft/figure2_tester.h"

#include <algorithm>
#include <utility>

#include "labs/harness/raft/raft_tester.h"
#include "rrr/rpc/errors.h"

namespace janus {

namespace {

std::string U(uint64_t v) { return std::to_string(v); }
std::string S(int i) { return "s" + std::to_string(i); }

}  // namespace

Figure2Tester::Figure2Tester(int n)
    : LabTester(n, "fig2 test"),
      arrivals_(std::make_shared<rrr::SharedIntEvent>()),
      vote_policy_(n, VotePolicy::kHold),
      followers_(n),
      applied_event_(std::make_shared<rrr::SharedIntEvent>()) {
  start_us_ = Now();
  StartCluster([this](int i, Persister* p, const std::vector<std::string>& addrs) {
    return MakePeer(i, p, addrs);
  });
}

Figure2Tester::~Figure2Tester() {
  if (IsUp(kServer)) cluster().At(kServer, [](ScriptedPeer& p) { p.raft->raft().Shutdown(); });
  StopCluster();  // before the state the callbacks use goes away
}

std::unique_ptr<ScriptedPeer> Figure2Tester::MakePeer(int i, Persister* persister,
                                                      const std::vector<std::string>& addrs) {
  auto config = std::make_shared<const Config>(Config::FromAddresses("raft", addrs));
  auto peer = std::make_unique<ScriptedPeer>();
  if (i == kServer) {
    auto apply = [this](uint64_t index, std::shared_ptr<Marshallable> cmd) { OnApply(index, cmd); };
    auto snapshot = [this](uint64_t index, uint64_t term, const std::string& data) {
      OnSnapshot(index, term, data);
    };
    peer->raft = std::make_unique<RaftNode>(std::move(config), i, persister, apply, snapshot);
  } else {
    auto on_call = [this](const std::shared_ptr<RaftCall>& call) { OnCall(call); };
    peer->fake = std::make_unique<FakePeer>(std::move(config), i, kServer, on_call);
  }
  return peer;
}

std::string Figure2Tester::EntryCmd(uint64_t index, uint64_t term) {
  return "e" + U(index) + "t" + U(term);
}

std::string Figure2Tester::SnapshotCmd(uint64_t term, const std::string& data) {
  return "[snapshot t" + U(term) + " " + data + "]";
}

// ---- Calls to s0. ----

Figure2Tester::Reply Figure2Tester::RequestVote(int from, uint64_t term, uint64_t last_log_index,
                                                uint64_t last_log_term, const char* file,
                                                int line) {
  RaftCall call;
  call.kind = RaftCall::kRequestVote;
  call.from = call.sender = from;
  call.term = term;
  call.last_log_index = last_log_index;
  call.last_log_term = last_log_term;
  return Send(call, {}, file, line);
}

Figure2Tester::Reply Figure2Tester::AppendEntries(int from, uint64_t term, uint64_t prev_log_index,
                                                  uint64_t prev_log_term,
                                                  const std::vector<uint64_t>& entry_terms,
                                                  uint64_t leader_commit, const char* file,
                                                  int line) {
  RaftCall call;
  call.kind = RaftCall::kAppendEntries;
  call.from = call.sender = from;
  call.term = term;
  call.prev_log_index = prev_log_index;
  call.prev_log_term = prev_log_term;
  call.entry_terms = entry_terms;
  call.leader_commit = leader_commit;
  std::vector<RaftEntry> entries;
  for (size_t k = 0; k < entry_terms.size(); k++) {
    RaftEntry e;
    e.term = entry_terms[k];
    e.cmd = MarshallDeputy(
        std::make_shared<RaftTestCommand>(EntryCmd(prev_log_index + 1 + k, entry_terms[k])));
    entries.push_back(std::move(e));
  }
  return Send(call, entries, file, line);
}

Figure2Tester::Reply Figure2Tester::InstallSnapshot(int from, uint64_t term,
                                                    uint64_t last_included_index,
                                                    uint64_t last_included_term,
                                                    const std::string& data, const char* file,
                                                    int line) {
  RaftCall call;
  call.kind = RaftCall::kInstallSnapshot;
  call.from = call.sender = from;
  call.term = term;
  call.last_included_index = last_included_index;
  call.last_included_term = last_included_term;
  call.data = data;
  return Send(call, {}, file, line);
}

Figure2Tester::Reply Figure2Tester::Send(RaftCall& call, const std::vector<RaftEntry>& entries,
                                         const char* file, int line) {
  verify_msg(call.from != kServer && call.from > 0 && call.from < n(), "not a fake peer");
  call.to = kServer;
  Record(call.Describe());
  rrr::FutureAttr attr;
  attr.timeout_us = kReplyTimeoutUs;
  rrr::FuturePtr f;
  {
    rrr::NodeScope scope(cluster().Context(call.from));
    RaftProxy* proxy = cluster().node(call.from)->fake->proxy();
    if (call.kind == RaftCall::kRequestVote) {
      f = proxy->async_RequestVote(call.term, call.sender, call.last_log_index, call.last_log_term,
                                   attr);
    } else if (call.kind == RaftCall::kInstallSnapshot) {
      f = proxy->async_InstallSnapshot(call.term, call.sender, call.last_included_index,
                                       call.last_included_term, call.data, attr);
    } else {
      f = proxy->async_AppendEntries(call.term, call.sender, call.prev_log_index,
                                     call.prev_log_term, entries, call.leader_commit, attr);
    }
  }
  f->Wait();
  Reply r;
  r.vote = call.kind == RaftCall::kRequestVote;
  r.snapshot = call.kind == RaftCall::kInstallSnapshot;
  int error = rrr::kOk;
  if (r.vote) {
    RaftProxy::RequestVoteReply d = RaftProxy::DecodeRequestVote(f);
    error = d.error_code;
    r.term = d.reply_term;
    r.ok = d.vote_granted;
  } else if (r.snapshot) {
    RaftProxy::InstallSnapshotReply d = RaftProxy::DecodeInstallSnapshot(f);
    error = d.error_code;
    r.term = d.reply_term;
  } else {
    RaftProxy::AppendEntriesReply d = RaftProxy::DecodeAppendEntries(f);
    error = d.error_code;
    r.term = d.reply_term;
    r.ok = d.success;
    r.conflict_index = call.reply_conflict_index = d.conflict_index;
    r.conflict_term = call.reply_conflict_term = d.conflict_term;
  }
  if (error != rrr::kOk) {
    Record("   (no reply from s0: " + std::string(rrr::ErrorString(error)) + ")");
    FailRule(
        "every RPC handler replies (service.cc calls defer->reply())",
        "s0 did not answer " + S(call.from) + "'s call within " + U(kReplyTimeoutUs / 1000) + " ms",
        file, line);
  }
  call.answered = true;
  call.reply_term = r.term;
  call.reply_ok = r.ok;
  Record(call.DescribeReply());
  CheckBackground();
  return r;
}

// ---- s0's own calls. ----

void Figure2Tester::SetVotePolicy(int peer, VotePolicy policy) { vote_policy_.at(peer) = policy; }

void Figure2Tester::SetFollower(int peer, uint64_t term, const std::vector<uint64_t>& log_terms) {
  Follower& f = followers_.at(peer);
  f.on = true;
  f.term = std::max(f.term, term);
  f.log.assign(1, 0);
  f.log.insert(f.log.end(), log_terms.begin(), log_terms.end());
}

void Figure2Tester::StopFollower(int peer) { followers_.at(peer).on = false; }

uint64_t Figure2Tester::FollowerLogLength(int peer) const {
  const Follower& f = followers_.at(peer);
  return f.on ? f.log.size() - 1 : 0;
}

void Figure2Tester::OnCall(const std::shared_ptr<RaftCall>& call) {
  call->seq = static_cast<int>(calls_.size());
  calls_.push_back(call);
  Follower& f = followers_.at(call->to);
  if (call->kind == RaftCall::kRequestVote && vote_policy_[call->to] != VotePolicy::kHold) {
    Record(call->Describe());
    f.term = std::max(f.term, call->term);
    Answer(call, f.term, vote_policy_[call->to] == VotePolicy::kGrant && f.term == call->term);
  } else if (call->kind == RaftCall::kAppendEntries && f.on) {
    Record(call->Describe());
    AnswerAsFollower(f, call);
  } else {
    Record(call->Describe() + "   [held by the test]");
  }
  arrivals_->Set(arrivals_->value_ + 1);
}

void Figure2Tester::AnswerAsFollower(Follower& f, const std::shared_ptr<RaftCall>& call) {
  if (call->term < f.term) return Answer(call, f.term, false);
  f.term = call->term;
  const uint64_t prev = call->prev_log_index;
  if (prev >= f.log.size()) return Answer(call, f.term, false, f.log.size(), 0);
  if (f.log[prev] != call->prev_log_term) {
    uint64_t first = prev;
    while (first > 1 && f.log[first - 1] == f.log[prev]) first--;
    return Answer(call, f.term, false, first, f.log[prev]);
  }
  uint64_t index = prev;
  for (uint64_t t : call->entry_terms) {
    index++;
    if (index < f.log.size() && f.log[index] == t) continue;
    f.log.resize(index);
    f.log.push_back(t);
  }
  Answer(call, f.term, true);
}

void Figure2Tester::Answer(const std::shared_ptr<RaftCall>& call, uint64_t term, bool ok,
                           uint64_t conflict_index, uint64_t conflict_term) {
  call->Reply(term, ok, conflict_index, conflict_term);
  Record(call->DescribeReply());
}

std::shared_ptr<RaftCall> Figure2Tester::AwaitCall(
    const std::function<bool(const RaftCall&)>& match, int from_seq, uint64_t timeout_us) {
  const uint64_t deadline = Now() + timeout_us;
  size_t next = static_cast<size_t>(std::max(from_seq, 0));
  for (;;) {
    for (; next < calls_.size(); next++) {
      if (match(*calls_[next])) return calls_[next];
    }
    const uint64_t now = Now();
    if (now >= deadline) return nullptr;
    arrivals_->WaitUntilGreaterOrEqualThan(arrivals_->value_ + 1, deadline - now);
    CheckBackground();
  }
}

std::vector<std::shared_ptr<RaftCall>> Figure2Tester::AwaitElection(const char* file, int line) {
  Note("wait for s0's election timeout (its RequestVotes are held by the test)");
  const int from_seq = static_cast<int>(calls_.size());
  auto held_vote = [](const RaftCall& c) {
    return c.kind == RaftCall::kRequestVote && !c.answered;
  };
  auto first = AwaitCall(held_vote, from_seq, kElectionWaitUs);
  if (first == nullptr) {
    FailRule(fig2::kElect,
             "s0 sent no RequestVote within " + U(kElectionWaitUs / 1000) +
                 " ms while no leader contacted it",
             file, line);
  }
  std::vector<std::shared_ptr<RaftCall>> votes(n());
  for (int p = 1; p < n(); p++) {
    votes[p] = AwaitCall(
        [&](const RaftCall& c) { return held_vote(c) && c.to == p && c.term == first->term; },
        from_seq, 100 * 1000);
    if (votes[p] == nullptr) {
      FailRule(fig2::kElect,
               "s0 asked " + S(first->to) + " for its vote in term " + U(first->term) +
                   " but not " + S(p) + " (within 100 ms)",
               file, line);
    }
  }
  return votes;
}

uint64_t Figure2Tester::ElectServer(const std::vector<uint64_t>& log_terms, const char* file,
                                    int line) {
  Note("fake peers grant every vote and follow s0");
  for (int p = 1; p < n(); p++) {
    SetVotePolicy(p, VotePolicy::kGrant);
    if (!followers_[p].on) SetFollower(p, 0, log_terms);
  }
  return AwaitLeader(file, line);
}

uint64_t Figure2Tester::AwaitLeader(const char* file, int line) {
  Note("wait for s0 to become leader");
  const int from_seq = static_cast<int>(calls_.size());
  const uint64_t wait_us = kElectionWaitUs + 1000 * 1000;
  const uint64_t deadline = Now() + wait_us;
  while (Now() < deadline) {
    bool leader = false;
    uint64_t term = 0;
    GetState(&leader, &term);
    if (leader) {
      Note("s0 is leader of term " + U(term));
      return term;
    }
    Sleep(5 * 1000);
  }
  auto vote =
      AwaitCall([](const RaftCall& c) { return c.kind == RaftCall::kRequestVote; }, from_seq, 0);
  if (vote == nullptr) {
    FailRule(fig2::kElect, "s0 sent no RequestVote within " + U(wait_us / 1000) + " ms", file,
             line);
  }
  FailRule(fig2::kCandidateWins,
           "every peer granted s0's votes, yet GetState never said leader (within " +
               U(wait_us / 1000) + " ms)",
           file, line);
}

}  // namespace janus
