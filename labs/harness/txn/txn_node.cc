#include "labs/harness/txn/txn_node.h"

#include <utility>
#include <vector>

#include "rrr/reactor/node.h"

namespace janus {

Concurrency ConcurrencyOfConfig(const Config& config) {
  const std::string text = config.GetString("concurrency", "occ");
  Concurrency mode = Concurrency::kOcc;
  if (!ParseConcurrency(text, &mode)) {
    throw ConfigError(config.source() + ": option concurrency is \"" + text +
                      "\"; it is occ or 2pl");
  }
  return mode;
}

TxnNode::TxnNode(std::shared_ptr<const Config> config, int site_id, Persister* persister) {
  const PartitionInfo& part = config->Partition(config->Site(site_id).partition_id);
  const uint64_t gid = GidOfPartition(part.name);
  if (gid == 0) {
    throw ConfigError(config->source() + ": partition \"" + part.name + "\" of site " +
                      config->Site(site_id).name +
                      ": a transaction group's partition is named g<gid>, gid > 0 (e.g. g100)");
  }
  const PartitionInfo* master = config->FindPartition(kShardMasterPartition);
  if (master == nullptr) {
    throw ConfigError(config->source() + ": no partition named \"" +
                      std::string(kShardMasterPartition) + "\" (the shard master)");
  }
  std::vector<std::string> master_addrs;
  for (int id : master->site_ids) master_addrs.push_back(config->Site(id).Address());
  const int64_t maxraftstate = config->GetInt("maxraftstate", -1);
  const Concurrency mode = ConcurrencyOfConfig(*config);

  // As in ShardKvNode: a persisted snapshot is delivered from inside RaftNode's constructor,
  // before server_ exists; it is kept and handed over once the server is built.
  raft_node_ = std::make_unique<RaftNode>(
      std::move(config), site_id, persister,
      [this](uint64_t i, std::shared_ptr<Marshallable> cmd) {
        if (server_ != nullptr) server_->OnApply(i, std::move(cmd));
      },
      [this](uint64_t index, uint64_t term, const std::string& snapshot) {
        if (server_ != nullptr) {
          server_->OnSnapshot(index, term, snapshot);
        } else {
          startup_snapshot_ =
              std::make_unique<StartupSnapshot>(StartupSnapshot{index, term, snapshot});
        }
      });
  // A node that fails to start is a crashed node (rrr/reactor/node.h).
  rrr::CancelNodeIfStartThrows([&] {
    server_ = std::make_unique<TxnServer>(&raft_node_->raft(), gid, master_addrs, maxraftstate,
                                          mode);
    if (startup_snapshot_ != nullptr) {
      server_->OnSnapshot(startup_snapshot_->index, startup_snapshot_->term,
                          startup_snapshot_->bytes);
      startup_snapshot_.reset();
    }
  });
  service_ = std::make_unique<TxnServiceImpl>(server_.get());
  raft_node_->rpc_server().RegisterService(service_.get());
}

TxnNode::~TxnNode() {
  if (server_ != nullptr) server_->Shutdown();
  raft_node_.reset();
  service_.reset();
  server_.reset();
}

}  // namespace janus
