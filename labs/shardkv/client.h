// Lab 3: the clerk of the sharded key/value store.
//
//   ShardKvClient ck(master_addrs);  // with the client's node current
//   ck.Put("k", "a");                // inside a coroutine
//   std::string v = ck.Get("k");
//
// The clerk keeps the latest configuration it got from the shard master. For an operation it
// finds the key's shard (KeyToShard), the group serving it and that group's servers, and sends
// the request there, retrying on the group's other servers as the KV clerk does. On
// ErrWrongGroup, or when no server of the group answers, it asks the shard master for the
// latest configuration and tries again. Each call returns only once its operation took effect
// exactly once (same client id and sequence number on every retry). One operation at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "labs/shardkv/common.h"
#include "labs/shardmaster/client.h"
#include "rrr/rpc/client_pool.h"

namespace janus {

class ShardKvClient {
 public:
  // A clerk whose shard master listens on `master_addrs`. Group servers are reached at the
  // addresses the configurations name. Construct it with the client's node current.
  explicit ShardKvClient(const std::vector<std::string>& master_addrs);
  ~ShardKvClient();

  ShardKvClient(const ShardKvClient&) = delete;
  ShardKvClient& operator=(const ShardKvClient&) = delete;

  // The value of `key`, or "" if it has none. REQUIRES: inside a coroutine.
  std::string Get(const std::string& key);
  // Sets `key` to `value`. REQUIRES: inside a coroutine.
  void Put(const std::string& key, const std::string& value);
  // Appends `value` to the value of `key`. REQUIRES: inside a coroutine.
  void Append(const std::string& key, const std::string& value);

 private:
  ShardMasterClient master_;
  rrr::ClientPool pool_;  // connections to group servers, (re)opened on demand

  // BEGIN SOLUTION
  // How long one RPC may take before the clerk tries the group's next server, and the pause
  // before asking the shard master again after the whole group could not help.
  static constexpr uint64_t kRpcTimeoutUs = 250 * 1000;
  static constexpr uint64_t kRetryPauseUs = 100 * 1000;

  // Runs one operation until a group serving the key's shard executed it; the value for a Get.
  std::string Run(KvOpKind op, const std::string& key, const std::string& value);
  // Sends the operation once to `addr`. False without a usable answer (no connection, RPC error
  // or timeout); otherwise sets *err (and *out for a Get).
  bool CallOnce(const std::string& addr, KvOpKind op, const std::string& key,
                const std::string& value, uint64_t seq, SkvErr* err, std::string* out);

  uint64_t client_id_ = 0;
  uint64_t next_seq_ = 1;
  ShardConfig config_ = InitialShardConfig();
  std::map<uint64_t, size_t> leader_;  // gid -> index of the server to ask first
  // END SOLUTION
  // BEGIN STUB
  // // TODO: a client id, the next sequence number, the latest configuration.
  // END STUB
};

}  // namespace janus
