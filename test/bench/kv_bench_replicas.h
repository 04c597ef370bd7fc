// The replicas of kv_bench (kv_bench.cc): KvNode replicas over tcp loopback, each on a thread of
// its own with its own real-time reactor, as separate deptran_server processes would run, with
// the lab options (maxraftstate) of a KV config and an in-memory or on-disk persister.
#pragma once

#include <atomic>
#include <cstddef>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "deptran/config.h"

namespace janus {
namespace bench {

// The config a replica (or the one-thread cluster) of kv_bench runs with: one partition whose
// sites listen on `addrs`, with the lab options `options` (e.g. {"maxraftstate", "1000"}).
Config BenchConfig(const std::vector<std::string>& addrs,
                   const std::map<std::string, std::string>& options);

// What a replica's persister held when it stopped.
struct PersistedSizes {
  size_t state_bytes = 0;
  size_t snapshot_bytes = 0;
};

// Replica `index` of the cluster at `addrs`, running from construction (which returns once it
// listens) until Stop() or destruction.
class ReplicaThread {
 public:
  // data_dir empty: a MemoryPersister; otherwise a FilePersister in <data_dir>/s<index>, as
  // deptran_server keeps one (an fsync per save). Throws std::runtime_error if the replica
  // cannot start (the message says why).
  ReplicaThread(int index, const std::vector<std::string>& addrs,
                const std::map<std::string, std::string>& options, const std::string& data_dir);
  ~ReplicaThread();
  ReplicaThread(const ReplicaThread&) = delete;
  ReplicaThread& operator=(const ReplicaThread&) = delete;

  // Stops the reactor and destroys the replica (idempotent); then sizes() is final.
  void Stop();
  // What the persister held at Stop(). REQUIRES: Stop() was called.
  PersistedSizes sizes() const { return sizes_; }

 private:
  void Main(int index, const std::vector<std::string>& addrs,
            const std::map<std::string, std::string>& options, const std::string& data_dir);

  std::atomic<int> state_{0};  // 0 starting, 1 running, -1 failed to start
  std::string start_error_;    // written before state_ becomes -1
  std::atomic<bool> stop_{false};
  PersistedSizes sizes_;       // written by the thread before it ends
  std::thread thread_;
};

}  // namespace bench
}  // namespace janus
