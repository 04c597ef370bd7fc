#include "labs/harness/shardkv/shardkv_node.h"

#include <utility>
#include <vector>

#include "rrr/base/verify.h"
#include "rrr/reactor/node.h"

namespace janus {

uint64_t GidOfPartition(const std::string& name) {
  if (name.size() < 2 || name[0] != 'g' || name.size() > 20) return 0;
  uint64_t gid = 0;
  for (size_t i = 1; i < name.size(); i++) {
    if (name[i] < '0' || name[i] > '9') return 0;
    gid = gid * 10 + static_cast<uint64_t>(name[i] - '0');
  }
  return gid;
}

std::shared_ptr<const Config> GroupTestConfig(const std::string& lab, const std::string& source,
                                              const std::vector<std::string>& master_names,
                                              const std::vector<std::string>& master_addrs,
                                              uint64_t gid, const std::vector<std::string>& addrs,
                                              const std::map<std::string, std::string>& options) {
  verify(master_names.size() == master_addrs.size());
  ConfigBuilder b(lab, source);
  b.AddPartition(kShardMasterPartition);
  for (size_t k = 0; k < master_addrs.size(); k++) b.AddSiteAt(master_names[k], master_addrs[k]);
  const std::string group = "g" + std::to_string(gid);
  b.AddPartition(group);
  for (size_t k = 0; k < addrs.size(); k++) b.AddSiteAt(group + "-" + std::to_string(k), addrs[k]);
  for (const auto& option : options) b.SetOption(option.first, option.second);
  return std::make_shared<const Config>(b.Build());
}

ShardKvNode::ShardKvNode(std::shared_ptr<const Config> config, int site_id,
                         Persister* persister) {
  const PartitionInfo& part = config->Partition(config->Site(site_id).partition_id);
  const uint64_t gid = GidOfPartition(part.name);
  if (gid == 0) {
    throw ConfigError(config->source() + ": partition \"" + part.name +
                      "\" of site " + config->Site(site_id).name +
                      ": a sharded-KV group's partition is named g<gid>, gid > 0 (e.g. g100)");
  }
  const PartitionInfo* master = config->FindPartition(kShardMasterPartition);
  if (master == nullptr) {
    throw ConfigError(config->source() + ": no partition named \"" +
                      std::string(kShardMasterPartition) + "\" (the shard master)");
  }
  std::vector<std::string> master_addrs;
  for (int id : master->site_ids) master_addrs.push_back(config->Site(id).Address());
  const int64_t maxraftstate = config->GetInt("maxraftstate", -1);

  // As in KvNode: a persisted snapshot is delivered from inside RaftNode's constructor, before
  // server_ exists; it is kept and handed over once the server is built.
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
    server_ =
        std::make_unique<ShardKvServer>(&raft_node_->raft(), gid, master_addrs, maxraftstate);
    if (startup_snapshot_ != nullptr) {
      server_->OnSnapshot(startup_snapshot_->index, startup_snapshot_->term,
                          startup_snapshot_->bytes);
      startup_snapshot_.reset();
    }
  });
  service_ = std::make_unique<ShardKvServiceImpl>(server_.get());
  raft_node_->rpc_server().RegisterService(service_.get());
}

ShardKvNode::~ShardKvNode() {
  if (server_ != nullptr) server_->Shutdown();
  raft_node_.reset();
  service_.reset();
  server_.reset();
}

}  // namespace janus
