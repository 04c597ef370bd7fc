// SOLUTION FILE: instructor-only (students add their own methods to the .rpc files of
// shardkv and txn, which these service classes could not follow).
// Services for test/fuzz/rpc_args_fuzz.cc: one implementation of each lab's generated service
// class (build/labs/<lab>/<lab>_rpc.h, from labs/<lab>/*.rpc) whose every method replies at once
// with default outputs. The fuzzer exercises the generated request decoding in front of them;
// what the methods do does not matter. A method added to a .rpc file fails to compile here
// (the class stays abstract): add it below, with unnamed parameters, replying at once.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "deptran/marshallable.h"
#include "kv_rpc.h"
#include "raft_rpc.h"
#include "shardkv_rpc.h"
#include "shardmaster_rpc.h"
#include "txn_rpc.h"

namespace janus {
namespace fuzz_services {

class FuzzRaftService : public RaftService {
 public:
  void RequestVote(const uint64_t&, const int32_t&, const uint64_t&, const uint64_t&, uint64_t*,
                   bool*, rrr::DeferredReply* defer) override {
    defer->reply();
  }
  void AppendEntries(const uint64_t&, const int32_t&, const uint64_t&, const uint64_t&,
                     const std::vector<RaftEntry>&, const uint64_t&, uint64_t*, bool*, uint64_t*,
                     uint64_t*, rrr::DeferredReply* defer) override {
    defer->reply();
  }
  void InstallSnapshot(const uint64_t&, const int32_t&, const uint64_t&, const uint64_t&,
                       const std::string&, uint64_t*, rrr::DeferredReply* defer) override {
    defer->reply();
  }
};

class FuzzKvService : public KvService {
 public:
  void Put(const std::string&, const std::string&, const uint64_t&, const uint64_t&, KvErr*,
           rrr::DeferredReply* defer) override {
    defer->reply();
  }
  void Append(const std::string&, const std::string&, const uint64_t&, const uint64_t&, KvErr*,
              rrr::DeferredReply* defer) override {
    defer->reply();
  }
  void Get(const std::string&, const uint64_t&, const uint64_t&, KvErr*, std::string*,
           rrr::DeferredReply* defer) override {
    defer->reply();
  }
};

class FuzzShardMasterService : public ShardMasterService {
 public:
  void Join(const std::map<uint64_t, std::vector<std::string>>&, const uint64_t&, const uint64_t&,
            SmErr*, rrr::DeferredReply* defer) override {
    defer->reply();
  }
  void Leave(const std::vector<uint64_t>&, const uint64_t&, const uint64_t&, SmErr*,
             rrr::DeferredReply* defer) override {
    defer->reply();
  }
  void Move(const uint32_t&, const uint64_t&, const uint64_t&, const uint64_t&, SmErr*,
            rrr::DeferredReply* defer) override {
    defer->reply();
  }
  void Query(const int64_t&, const uint64_t&, const uint64_t&, SmErr*, ShardConfig*,
             rrr::DeferredReply* defer) override {
    defer->reply();
  }
};

class FuzzShardKvService : public ShardKvService {
 public:
  void Put(const std::string&, const std::string&, const uint64_t&, const uint64_t&, SkvErr*,
           rrr::DeferredReply* defer) override {
    defer->reply();
  }
  void Append(const std::string&, const std::string&, const uint64_t&, const uint64_t&, SkvErr*,
              rrr::DeferredReply* defer) override {
    defer->reply();
  }
  void Get(const std::string&, const uint64_t&, const uint64_t&, SkvErr*, std::string*,
           rrr::DeferredReply* defer) override {
    defer->reply();
  }
  void PullShards(const uint64_t&, const std::vector<uint32_t>&, SkvErr*, std::vector<ShardData>*,
                  rrr::DeferredReply* defer) override {
    defer->reply();
  }
  void DeleteShards(const uint64_t&, const std::vector<uint32_t>&, SkvErr*,
                    rrr::DeferredReply* defer) override {
    defer->reply();
  }
};

class FuzzTxnService : public TxnService {
 public:
  void Put(const std::string&, const std::string&, const uint64_t&, const uint64_t&, TxnErr*,
           uint64_t*, rrr::DeferredReply* defer) override {
    defer->reply();
  }
  void Append(const std::string&, const std::string&, const uint64_t&, const uint64_t&, TxnErr*,
              uint64_t*, rrr::DeferredReply* defer) override {
    defer->reply();
  }
  void Get(const std::string&, const uint64_t&, const uint64_t&, TxnErr*, std::string*, uint64_t*,
           rrr::DeferredReply* defer) override {
    defer->reply();
  }
  void TxGet(const uint64_t&, const uint64_t&, const std::string&, TxnErr*, std::string*, uint64_t*,
             rrr::DeferredReply* defer) override {
    defer->reply();
  }
  void Prepare(const uint64_t&, const uint64_t&, const uint64_t&, const std::vector<TxRead>&,
               const std::vector<TxWrite>&, TxnErr*, rrr::DeferredReply* defer) override {
    defer->reply();
  }
  void Decide(const uint64_t&, const bool&, TxnErr*, rrr::DeferredReply* defer) override {
    defer->reply();
  }
  void Resolve(const uint64_t&, const bool&, TxnErr*, bool*, rrr::DeferredReply* defer) override {
    defer->reply();
  }
};

// Every method id of the services above.
inline const std::vector<uint32_t>& AllMethodIds() {
  static const std::vector<uint32_t> ids = {
      RaftService::kRequestVote,
      RaftService::kAppendEntries,
      RaftService::kInstallSnapshot,
      KvService::kPut,
      KvService::kAppend,
      KvService::kGet,
      ShardMasterService::kJoin,
      ShardMasterService::kLeave,
      ShardMasterService::kMove,
      ShardMasterService::kQuery,
      ShardKvService::kPut,
      ShardKvService::kAppend,
      ShardKvService::kGet,
      ShardKvService::kPullShards,
      ShardKvService::kDeleteShards,
      TxnService::kPut,
      TxnService::kAppend,
      TxnService::kGet,
      TxnService::kTxGet,
      TxnService::kPrepare,
      TxnService::kDecide,
      TxnService::kResolve,
  };
  return ids;
}

}  // namespace fuzz_services
}  // namespace janus
