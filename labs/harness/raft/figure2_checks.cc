// Figure2Tester, second half: s0's state, the checks, the transcript and the apply record.
#include <gtest/gtest.h>

#include <cstdio>

#include "labs/harness/core/trace_event.h"
#include "labs/harness/raft/figure2_tester.h"
#include "labs/harness/raft/raft_tester.h"
#include "rrr/base/logging.h"

namespace janus {

namespace {

std::string U(uint64_t v) { return std::to_string(v); }

std::string ShowApplied(const std::map<uint64_t, std::string>& m) {
  std::string s = "{";
  for (const auto& [index, cmd] : m) s += (s.size() > 1 ? ", " : "") + U(index) + ":" + cmd;
  return s + "}";
}

std::string ShowState(bool leader, uint64_t term) {
  return std::string(leader ? "leader" : "not leader") + " in term " + U(term);
}

constexpr size_t kTranscriptLines = 60;  // the most recent lines a failure prints

// "Figure 2 rule broken: <rule>", or Figure 13 for the InstallSnapshot receiver's rules.
std::string Broken(const std::string& rule) {
  const bool fig13 = rule.rfind("InstallSnapshot", 0) == 0;
  return std::string(fig13 ? "Figure 13" : "Figure 2") + " rule broken: " + rule;
}

}  // namespace

void Figure2Tester::GetState(bool* is_leader, uint64_t* term) {
  cluster().At(kServer, [&](ScriptedPeer& p) { p.raft->raft().GetState(is_leader, term); });
  harness::TraceGetState(cluster().NodeId(kServer), *term, *is_leader);
}

bool Figure2Tester::Start(const std::string& cmd, uint64_t* index, uint64_t* term) {
  auto c = std::make_shared<RaftTestCommand>(cmd);
  bool ok = cluster().At(
      kServer, [&](ScriptedPeer& p) { return p.raft->raft().Start(std::move(c), index, term); });
  Note("Start(" + cmd +
       ") on s0: " + (ok ? "index " + U(*index) + " term " + U(*term) : std::string("refused")));
  return ok;
}

void Figure2Tester::ExpectState(bool leader, uint64_t term, const std::string& rule,
                                const char* file, int line) {
  bool is_leader = false;
  uint64_t t = 0;
  GetState(&is_leader, &t);
  Note("GetState on s0: " + ShowState(is_leader, t));
  if (is_leader != leader || t != term) {
    FailRule(rule,
             "expected s0 to be " + ShowState(leader, term) + "; GetState says " +
                 ShowState(is_leader, t),
             file, line);
  }
}

void Figure2Tester::ExpectReply(const Reply& r, uint64_t term, bool ok, const std::string& rule,
                                const char* file, int line) {
  if (r.snapshot) {  // only a term to check
    if (r.term == term) return;
    FailRule(rule,
             "s0's reply to the last InstallSnapshot should be (term=" + U(term) + "), got (term=" +
                 U(r.term) + ")",
             file, line);
  }
  if (r.term == term && r.ok == ok) return;
  const char* field = r.vote ? "granted" : "success";
  auto show = [&](uint64_t t, bool b) {
    return "term=" + U(t) + " " + field + "=" +
           (b ? (r.vote ? "yes" : "true") : (r.vote ? "no" : "false"));
  };
  FailRule(rule,
           std::string("s0's reply to the last ") + (r.vote ? "RequestVote" : "AppendEntries") +
               " should be (" + show(term, ok) + "), got (" + show(r.term, r.ok) + ")",
           file, line);
}

void Figure2Tester::ExpectHints(const Reply& r, uint64_t term, uint64_t conflict_index,
                                uint64_t conflict_term, const char* file, int line) {
  ExpectReply(r, term, false, fig2::kPrevLog, file, line);
  if (r.conflict_index == conflict_index && r.conflict_term == conflict_term) return;
  FailRule(fig2::kHints,
           "s0's refusal should carry conflict_index=" + U(conflict_index) +
               " conflict_term=" + U(conflict_term) + ", got conflict_index=" +
               U(r.conflict_index) + " conflict_term=" + U(r.conflict_term),
           file, line);
}

void Figure2Tester::ExpectApplied(const std::map<uint64_t, std::string>& expected,
                                  const std::string& rule, uint64_t wait_us, const char* file,
                                  int line) {
  const uint64_t last = expected.empty() ? 0 : expected.rbegin()->first;
  const uint64_t deadline = Now() + wait_us;
  while (applied_.count(last) == 0 && Now() < deadline && apply_error_.empty()) {
    applied_event_->WaitUntilGreaterOrEqualThan(applied_event_->value_ + 1, deadline - Now());
  }
  CheckBackground();
  if (applied_ != expected) {
    FailRule(rule,
             "s0 should have applied exactly " + ShowApplied(expected) + " by now (waited up to " +
                 U(wait_us / 1000) + " ms); it applied " + ShowApplied(applied_),
             file, line);
  }
}

void Figure2Tester::ExpectNoApplyAbove(uint64_t last, uint64_t us, const std::string& rule,
                                       const char* file, int line) {
  Note("wait " + U(us / 1000) + " ms: s0 must not apply past index " + U(last));
  Sleep(us);
  if (!applied_.empty() && applied_.rbegin()->first > last) {
    FailRule(rule,
             "s0 applied " + ShowApplied(applied_) + "; nothing past index " + U(last) +
                 " was committed",
             file, line);
  }
}

void Figure2Tester::FailRule(const std::string& rule, const std::string& what, const char* file,
                             int line) {
  Fail(Broken(rule) + "\n  " + what + "\n" + Transcript(), file, line);
}

void Figure2Tester::Restart(int i) {
  if (i == kServer) applied_.clear();
  LabTester::Restart(i);
}

void Figure2Tester::Note(const std::string& what) { Record("-- " + what); }

void Figure2Tester::End(const char* file, int line) {
  for (const auto& call : calls_) {
    if (!call->answered) Answer(call, call->term, false);
  }
  LabTester::End(file, line);
}

void Figure2Tester::CheckBackground() {
  if (!apply_error_.empty()) throw harness::ScenarioFailure();
}

void Figure2Tester::OnApply(uint64_t index, const std::shared_ptr<Marshallable>& cmd) {
  applied_event_->Set(applied_event_->value_ + 1);
  if (!apply_error_.empty()) return;
  auto c = std::dynamic_pointer_cast<RaftTestCommand>(cmd);
  const uint64_t last = applied_.empty() ? 0 : applied_.rbegin()->first;
  if (c == nullptr) {
    apply_error_ = "s0 applied index " + U(index) + " with a command that is not the entry's";
  } else if (index != last + 1) {
    apply_error_ = "s0 applied index " + U(index) + " after index " + U(last);
  }
  if (!apply_error_.empty()) return ApplyError(fig2::kApply, apply_error_);
  applied_[index] = c->value;
  Record("-- s0 applied " + U(index) + ":" + c->value);
}

void Figure2Tester::OnSnapshot(uint64_t index, uint64_t term, const std::string& data) {
  applied_event_->Set(applied_event_->value_ + 1);
  if (!apply_error_.empty()) return;
  const uint64_t last = applied_.empty() ? 0 : applied_.rbegin()->first;
  const std::string cmd = SnapshotCmd(term, data);
  if (index <= last) {
    apply_error_ = "s0 delivered the snapshot " + cmd + " through index " + U(index) +
                   " after it had applied index " + U(last) + ": its state moves back";
    return ApplyError(fig2::kSnapshotOld, apply_error_);
  }
  applied_[index] = cmd;
  Record("-- s0 delivered a snapshot through index " + U(index) + ": " + cmd);
}

void Figure2Tester::ApplyError(const std::string& rule, const std::string& error) {
  Record("-- " + error);
  ADD_FAILURE() << Broken(rule) << "\n  " << error << "\n" << Transcript();
}

void Figure2Tester::Record(const std::string& line) {
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%9.3f ms  ", (Now() - start_us_) / 1000.0);
  transcript_.push_back(stamp + line);
  Log_debug("fig2 test: %s", line.c_str());
}

std::string Figure2Tester::Transcript() const {
  std::string out = "  Message exchange (s0 is your RaftServer; s1..s" + std::to_string(n() - 1) +
                    " are played by the test; held = not answered yet):\n";
  size_t first = transcript_.size() > kTranscriptLines ? transcript_.size() - kTranscriptLines : 0;
  if (first > 0) out += "    ... " + std::to_string(first) + " earlier lines ...\n";
  for (size_t i = first; i < transcript_.size(); i++) out += "    " + transcript_[i] + "\n";
  return out;
}

}  // namespace janus
