// FakePeer: a Raft peer played by a test script (instructor machinery for Figure2Tester). It is
// a real node of the cluster: it listens on its site's address with a RaftService of its own and
// sends to the server under test through a RaftProxy of its own, so every message it exchanges
// is a real frame that passes the FaultyNetwork and the transport. It has no Raft logic: each
// call the server under test sends it is handed to the script as a RaftCall, which the script
// answers now, later, or never.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "deptran/communicator.h"
#include "deptran/config.h"
#include "deptran/marshallable.h"
#include "raft_rpc.h"
#include "rrr/rpc/server.h"

namespace janus {

// One RequestVote or AppendEntries the server under test sent to a fake peer, with its
// arguments and, once answered, the reply. A call is answered at most once; one never answered
// is dropped (the caller hears nothing). (kInstallSnapshot describes the script's own
// InstallSnapshot calls to the server under test; the fake peers accept the server's at once.)
class RaftCall {
 public:
  enum Kind { kRequestVote, kAppendEntries, kInstallSnapshot };

  Kind kind = kRequestVote;
  int from = 0;        // index of the peer that sent it (the server under test)
  int to = 0;          // index of the fake peer that received it
  int seq = 0;         // position among every call the fake peers received (0, 1, ...)
  uint64_t at_us = 0;  // reactor time of arrival
  uint64_t term = 0;
  int32_t sender = 0;  // candidate_id or leader_id
  // RequestVote.
  uint64_t last_log_index = 0;
  uint64_t last_log_term = 0;
  // AppendEntries (entry_terms[k] is the term of entry prev_log_index + 1 + k).
  uint64_t prev_log_index = 0;
  uint64_t prev_log_term = 0;
  std::vector<uint64_t> entry_terms;
  uint64_t leader_commit = 0;
  // InstallSnapshot (the snapshot's last index and term, and its bytes).
  uint64_t last_included_index = 0;
  uint64_t last_included_term = 0;
  std::string data;
  // The reply, once sent.
  bool answered = false;
  uint64_t reply_term = 0;
  bool reply_ok = false;  // vote_granted or success
  uint64_t reply_conflict_index = 0;
  uint64_t reply_conflict_term = 0;

  // "s0 -> s1  AppendEntries(term=2 leader=0 prev=3/t1 entries=[4:t2] commit=3)", or
  // "s1 -> s0  InstallSnapshot(term=2 leader=1 last=5/t1 data=\"s5\")"; peers are named
  // s<index>. (The tester also describes the calls it sends with a RaftCall.)
  std::string Describe() const;
  // "s1 -> s0  reply(term=2 granted=yes)" for the reply sent (InstallSnapshot: "reply(term=2)").
  // REQUIRES: answered.
  std::string DescribeReply() const;

  // Sends the reply (RequestVote: term and vote_granted = ok; AppendEntries: term, success = ok
  // and the back-off hints). REQUIRES: !answered, the fake peer's node still exists.
  void Reply(uint64_t term, bool ok, uint64_t conflict_index = 0, uint64_t conflict_term = 0);

 private:
  friend class FakePeer;
  rrr::DeferredReply* defer_ = nullptr;
  uint64_t* out_term_ = nullptr;
  bool* out_ok_ = nullptr;
  uint64_t* out_conflict_index_ = nullptr;
  uint64_t* out_conflict_term_ = nullptr;
};

class FakePeer {
 public:
  // Receives each call as it arrives, in the fake peer's handler coroutine; it may answer it at
  // once or keep it for later.
  using OnCall = std::function<void(const std::shared_ptr<RaftCall>& call)>;

  // The fake peer of site `site_id` of `config`, talking to site `target_site`. Must be built
  // with its own node context current (the Cluster factory does). Throws std::runtime_error if
  // it cannot listen.
  FakePeer(std::shared_ptr<const Config> config, int site_id, int target_site, OnCall on_call);
  ~FakePeer();
  FakePeer(const FakePeer&) = delete;
  FakePeer& operator=(const FakePeer&) = delete;

  int index() const { return index_; }
  // The stub for calls to the server under test. Use it with the fake peer's node current, so
  // the frames are sent from this peer.
  RaftProxy* proxy();

 private:
  class Service;
  std::shared_ptr<const Config> config_;
  int index_;
  int target_site_;
  int target_index_;
  std::unique_ptr<rrr::Server> server_;
  std::unique_ptr<Communicator> commo_;
  std::unique_ptr<Service> service_;
};

}  // namespace janus
