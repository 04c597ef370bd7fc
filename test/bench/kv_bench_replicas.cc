#include "test/bench/kv_bench_replicas.h"

#include <memory>
#include <stdexcept>

#include "deptran/file_persister.h"
#include "deptran/persister.h"
#include "labs/harness/kv/kv_node.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/reactor/node.h"
#include "rrr/reactor/reactor.h"

namespace janus {
namespace bench {

Config BenchConfig(const std::vector<std::string>& addrs,
                   const std::map<std::string, std::string>& options) {
  Config config = Config::FromAddresses("kv", addrs);
  for (const auto& option : options) config.SetOption(option.first, option.second);
  return config;
}

ReplicaThread::ReplicaThread(int index, const std::vector<std::string>& addrs,
                             const std::map<std::string, std::string>& options,
                             const std::string& data_dir)
    : thread_([=] { Main(index, addrs, options, data_dir); }) {
  while (state_.load() == 0) std::this_thread::yield();
  if (state_.load() < 0) {
    thread_.join();
    throw std::runtime_error(start_error_);
  }
}

ReplicaThread::~ReplicaThread() { Stop(); }

void ReplicaThread::Stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

void ReplicaThread::Main(int index, const std::vector<std::string>& addrs,
                         const std::map<std::string, std::string>& options,
                         const std::string& data_dir) {
  auto reactor =
      rrr::Reactor::Create(rrr::ReactorOptions{false, 1000 + static_cast<uint64_t>(index)});
  std::unique_ptr<Persister> persister;
  auto node = rrr::NodeContext::Create(index, "s" + std::to_string(index));
  std::unique_ptr<KvNode> replica;
  try {
    if (data_dir.empty()) {
      persister = std::make_unique<MemoryPersister>();
    } else {
      persister = FilePersister::Open(data_dir + "/s" + std::to_string(index));
    }
    auto config = std::make_shared<const Config>(BenchConfig(addrs, options));
    rrr::NodeScope scope(node.get());
    replica = std::make_unique<KvNode>(config, index, persister.get());
  } catch (const std::exception& e) {
    start_error_ = "replica " + std::to_string(index) + ": " + e.what();
    state_.store(-1);
    return;
  }
  state_.store(1);
  reactor->RunUntil([this] { return stop_.load(); }, 24ull * 3600 * 1000 * 1000);
  node->Cancel();
  {
    rrr::NodeScope scope(node.get());
    replica.reset();
  }
  sizes_.state_bytes = persister->RaftStateSize();
  sizes_.snapshot_bytes = persister->SnapshotSize();
}

}  // namespace bench
}  // namespace janus
