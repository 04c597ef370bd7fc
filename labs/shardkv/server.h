// Lab 3: one replica of one replica group of the sharded key/value store.
//
// A group is a Raft cluster serving some of the kNShards shards; the shard master decides which
// (labs/shardmaster). The leader of each group polls the shard master about every 100 ms and
// proposes each new configuration through the group's Raft log, one at a time and in order, so
// that every replica switches at the same point of its command stream. When a configuration
// gives the group a shard it did not have, the shard's data (its keys and its duplicate table)
// comes from the group that served it in the previous configuration (README.md, "Moving
// shards"). A replica serves a key only if its group serves the key's shard in the replica's
// current configuration and has the shard's data; otherwise it answers ErrWrongGroup.
//
// As in lab 2: requests become commands proposed through Raft and answered once applied; a
// client's retried operation is applied once; with a maxraftstate >= 0 the server snapshots its
// whole state (shard data, duplicate tables, configuration state) through Raft once the Raft
// state reaches maxraftstate bytes, and OnSnapshot restores it.
//
// Everything runs on the node's reactor thread: no locks.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "deptran/marshallable.h"
#include "labs/raft/server.h"
#include "labs/shardkv/common.h"
#include "labs/shardmaster/client.h"
#include "rrr/reactor/event.h"

namespace janus {

class ShardKvServer {
 public:
  // `raft`: this replica's Raft peer (must outlive the server). `gid`: this replica's group.
  // `master_addrs`: the shard master's servers. `maxraftstate`: bytes of Raft state at which to
  // snapshot, -1 for never. Construct with the node's context current: the server starts its
  // own coroutines (the configuration poller, shard moves), which belong to the node.
  ShardKvServer(RaftServer* raft, uint64_t gid, const std::vector<std::string>& master_addrs,
                int64_t maxraftstate);
  ~ShardKvServer();

  ShardKvServer(const ShardKvServer&) = delete;
  ShardKvServer& operator=(const ShardKvServer&) = delete;

  // The clerk's requests, called by the service in a coroutine of this node. Each returns OK (or
  // ErrNoKey) once applied exactly once, ErrWrongGroup if the group does not serve the key's
  // shard (now, at the point of the log where the request was applied), ErrWrongLeader or
  // ErrTimeout as in lab 2.
  SkvErr Put(const std::string& key, const std::string& value, uint64_t client_id, uint64_t seq);
  SkvErr Append(const std::string& key, const std::string& value, uint64_t client_id,
                uint64_t seq);
  SkvErr Get(const std::string& key, uint64_t client_id, uint64_t seq, std::string* value);

  // The Raft apply callback: each committed command once, in index order.
  void OnApply(uint64_t index, std::shared_ptr<Marshallable> cmd);
  // The Raft snapshot callback: replaces the whole state with the one `snapshot` encodes.
  void OnSnapshot(uint64_t index, uint64_t term, const std::string& snapshot);

  // Stops answering and stops the server's own coroutines; pending and later requests return
  // ErrWrongLeader.
  void Shutdown();

  uint64_t gid() const { return gid_; }

 private:
  RaftServer* const raft_;
  const uint64_t gid_;
  const int64_t maxraftstate_;
  ShardMasterClient master_;

  // BEGIN SOLUTION
  // END SOLUTION
  // BEGIN STUB
  // // TODO: the shards' data and duplicate tables, the current (and previous) configuration,
  // // the state of each shard (served, waiting for its data, ...), the requests waiting for
  // // their log index. Define your commands (client operations, configuration changes, shard
  // // data received, ...) as Marshallable subclasses with kinds in kKindShardKvFirst ..
  // // kKindShardKvLast.
  // END STUB
};

}  // namespace janus
