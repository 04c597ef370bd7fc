// Lab 3: the shard-master clerk, used by the tests, by the sharded KV store's clerks and servers
// (labs/shardkv), and by kv_cli.
//
//   ShardMasterClient sm(addrs);      // with the client's node current
//   sm.Join({{100, {"a:1", "b:2"}}});  // inside a coroutine
//   ShardConfig latest = sm.Query(-1);
//
// Each call returns only once its request took effect exactly once, retrying on other servers
// as the KV clerk of lab 2 does, with the same client id and sequence number. A call returns the
// server's verdict: OK, or ErrInvalid for arguments that cannot apply (shardmaster_rpc.rpc). A
// clerk does one request at a time.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "labs/shardmaster/common.h"
#include "rrr/rpc/client_pool.h"

namespace janus {

class ShardMasterClient {
 public:
  // A clerk of the shard-master servers listening on `addrs` ("host:port", one per replica).
  // Construct it with the client's node current.
  explicit ShardMasterClient(const std::vector<std::string>& addrs);
  ~ShardMasterClient();

  ShardMasterClient(const ShardMasterClient&) = delete;
  ShardMasterClient& operator=(const ShardMasterClient&) = delete;

  // REQUIRES (all four): inside a coroutine.
  SmErr Join(const std::map<uint64_t, std::vector<std::string>>& servers);
  SmErr Leave(const std::vector<uint64_t>& gids);
  SmErr Move(int shard, uint64_t gid);
  // Configuration `num`, or the latest for -1 (or a number above the latest).
  ShardConfig Query(int64_t num);

 private:
  const std::vector<std::string> addrs_;
  rrr::ClientPool pool_;

  // BEGIN SOLUTION
  static constexpr uint64_t kRpcTimeoutUs = 250 * 1000;
  static constexpr uint64_t kRoundPauseUs = 50 * 1000;

  // Sends the request made by `call` (which issues one RPC to the proxy it is given, with this
  // sequence number, and returns false without a usable answer, or sets *err) until a server
  // answers OK or ErrInvalid; returns that answer.
  template <typename Call>
  SmErr Run(Call call);

  uint64_t client_id_ = 0;
  uint64_t next_seq_ = 1;
  int leader_ = 0;
  // END SOLUTION
  // BEGIN STUB
  // // TODO: a client id, the next sequence number, the server that led last time.
  // END STUB
};

}  // namespace janus
