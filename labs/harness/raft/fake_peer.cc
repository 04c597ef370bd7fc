#include "labs/harness/raft/fake_peer.h"

#include <stdexcept>
#include <utility>

#include "rrr/base/time.h"
#include "rrr/base/verify.h"

namespace janus {

namespace {

std::string U(uint64_t v) { return std::to_string(v); }

}  // namespace

std::string RaftCall::Describe() const {
  std::string head = "s" + std::to_string(from) + " -> s" + std::to_string(to) + "  ";
  if (kind == kRequestVote) {
    return head + "RequestVote(term=" + U(term) + " candidate=" + std::to_string(sender) +
           " lastLog=" + U(last_log_index) + "/t" + U(last_log_term) + ")";
  }
  if (kind == kInstallSnapshot) {
    return head + "InstallSnapshot(term=" + U(term) + " leader=" + std::to_string(sender) +
           " last=" + U(last_included_index) + "/t" + U(last_included_term) + " data=\"" + data +
           "\")";
  }
  std::string entries;
  for (size_t k = 0; k < entry_terms.size(); k++) {
    if (k == 6 && entry_terms.size() > 8) {
      entries += " ... (" + std::to_string(entry_terms.size()) + " entries)";
      break;
    }
    entries += (k ? " " : "") + U(prev_log_index + 1 + k) + ":t" + U(entry_terms[k]);
  }
  return head + "AppendEntries(term=" + U(term) + " leader=" + std::to_string(sender) +
         " prev=" + U(prev_log_index) + "/t" + U(prev_log_term) + " entries=[" + entries +
         "] commit=" + U(leader_commit) + ")";
}

std::string RaftCall::DescribeReply() const {
  std::string head =
      "s" + std::to_string(to) + " -> s" + std::to_string(from) + "  reply(term=" + U(reply_term);
  if (kind == kRequestVote) return head + " granted=" + (reply_ok ? "yes" : "no") + ")";
  if (kind == kInstallSnapshot) return head + ")";
  if (reply_ok) return head + " success=true)";
  return head + " success=false conflict=" + U(reply_conflict_index) + "/t" +
         U(reply_conflict_term) + ")";
}

void RaftCall::Reply(uint64_t term, bool ok, uint64_t conflict_index, uint64_t conflict_term) {
  verify_msg(!answered && defer_ != nullptr, "RaftCall answered twice");
  answered = true;
  reply_term = term;
  reply_ok = ok;
  reply_conflict_index = conflict_index;
  reply_conflict_term = conflict_term;
  *out_term_ = term;
  *out_ok_ = ok;
  if (kind == kAppendEntries) {
    *out_conflict_index_ = conflict_index;
    *out_conflict_term_ = conflict_term;
  }
  rrr::DeferredReply* defer = defer_;
  defer_ = nullptr;
  defer->reply();
}

// Turns each request into a RaftCall and hands it to the script; never answers by itself.
class FakePeer::Service : public RaftService {
 public:
  Service(int index, int from, OnCall on_call)
      : index_(index), from_(from), on_call_(std::move(on_call)) {}

  void RequestVote(const uint64_t& term, const int32_t& candidate_id,
                   const uint64_t& last_log_index, const uint64_t& last_log_term,
                   uint64_t* reply_term, bool* vote_granted, rrr::DeferredReply* defer) override {
    auto call =
        NewCall(RaftCall::kRequestVote, term, candidate_id, defer, reply_term, vote_granted);
    call->last_log_index = last_log_index;
    call->last_log_term = last_log_term;
    on_call_(call);
  }

  void AppendEntries(const uint64_t& term, const int32_t& leader_id, const uint64_t& prev_log_index,
                     const uint64_t& prev_log_term, const std::vector<RaftEntry>& entries,
                     const uint64_t& leader_commit, uint64_t* reply_term, bool* success,
                     uint64_t* conflict_index, uint64_t* conflict_term,
                     rrr::DeferredReply* defer) override {
    auto call = NewCall(RaftCall::kAppendEntries, term, leader_id, defer, reply_term, success);
    call->prev_log_index = prev_log_index;
    call->prev_log_term = prev_log_term;
    for (const RaftEntry& e : entries) call->entry_terms.push_back(e.term);
    call->leader_commit = leader_commit;
    call->out_conflict_index_ = conflict_index;
    call->out_conflict_term_ = conflict_term;
    on_call_(call);
  }

  // The Figure 2 scripts use no snapshots: one is accepted at once, without reaching the script.
  void InstallSnapshot(const uint64_t& term, const int32_t& leader_id,
                       const uint64_t& last_included_index, const uint64_t& last_included_term,
                       const std::string& data, uint64_t* reply_term,
                       rrr::DeferredReply* defer) override {
    (void)leader_id; (void)last_included_index; (void)last_included_term; (void)data;
    *reply_term = term;
    defer->reply();
  }

 private:
  std::shared_ptr<RaftCall> NewCall(RaftCall::Kind kind, uint64_t term, int32_t sender,
                                    rrr::DeferredReply* defer, uint64_t* out_term, bool* out_ok) {
    auto call = std::make_shared<RaftCall>();
    call->kind = kind;
    call->from = from_;
    call->to = index_;
    call->at_us = rrr::Time::Now();
    call->term = term;
    call->sender = sender;
    call->defer_ = defer;
    call->out_term_ = out_term;
    call->out_ok_ = out_ok;
    return call;
  }

  int index_;
  int from_;
  OnCall on_call_;
};

FakePeer::FakePeer(std::shared_ptr<const Config> config, int site_id, int target_site,
                   OnCall on_call)
    : config_(std::move(config)),
      index_(config_->Site(site_id).index_in_partition),
      target_site_(target_site),
      target_index_(config_->Site(target_site).index_in_partition) {
  server_ = std::make_unique<rrr::Server>();
  service_ = std::make_unique<Service>(index_, target_index_, std::move(on_call));
  server_->RegisterService(service_.get());
  const std::string address = config_->Site(site_id).Address();
  if (server_->Listen(address) != 0) {
    throw std::runtime_error("fake raft peer " + std::to_string(site_id) + " cannot listen on " +
                             address);
  }
  commo_ = std::make_unique<Communicator>(site_id, config_);
}

FakePeer::~FakePeer() {
  server_.reset();  // stop serving before the service goes
  service_.reset();
  commo_.reset();
}

RaftProxy* FakePeer::proxy() { return commo_->GetProxy<RaftProxy>(target_site_); }

}  // namespace janus
