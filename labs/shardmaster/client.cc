#include "labs/shardmaster/client.h"

#include <utility>

#include "rrr/base/logging.h"
#include "rrr/base/rand.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/rpc/errors.h"
#include "shardmaster_rpc.h"

namespace janus {

ShardMasterClient::ShardMasterClient(const std::vector<std::string>& addrs) : addrs_(addrs) {
  // BEGIN SOLUTION
  client_id_ = rrr::Rand::Current().Next() >> 2;
  leader_ = static_cast<int>(rrr::Rand::Current().Below(addrs_.size()));
  // END SOLUTION
}

ShardMasterClient::~ShardMasterClient() = default;

// BEGIN SOLUTION
template <typename Call>
SmErr ShardMasterClient::Run(Call call) {
  const uint64_t seq = next_seq_++;
  const int n = static_cast<int>(addrs_.size());
  int moves = 0;
  while (true) {
    rrr::Client* client = pool_.GetClient(addrs_[leader_]);
    SmErr err = SmErr::ErrTimeout;
    if (client != nullptr) {
      ShardMasterProxy proxy(client);
      rrr::FutureAttr attr;
      attr.timeout_us = kRpcTimeoutUs;
      if (call(proxy, attr, seq, &err) && (err == SmErr::OK || err == SmErr::ErrInvalid)) {
        return err;
      }
    }
    leader_ = (leader_ + 1) % n;
    if (++moves % n == 0) rrr::Coroutine::Sleep(kRoundPauseUs);
  }
}
// END SOLUTION

SmErr ShardMasterClient::Join(const std::map<uint64_t, std::vector<std::string>>& servers) {
  // BEGIN SOLUTION
  return Run([&](ShardMasterProxy& p, const rrr::FutureAttr& attr, uint64_t seq, SmErr* err) {
    rrr::FuturePtr f = p.async_Join(servers, client_id_, seq, attr);
    f->Wait();
    auto r = ShardMasterProxy::DecodeJoin(f);
    *err = r.err;
    return r.error_code == rrr::kOk;
  });
  // END SOLUTION
  // BEGIN STUB
  // // TODO: send Join (ShardMasterProxy::async_Join) to the server you think leads, retrying
  // // on the others with the same sequence number until one answers OK or ErrInvalid.
  // (void)servers;
  // return SmErr::ErrWrongLeader;  // TODO: replace
  // END STUB
}

SmErr ShardMasterClient::Leave(const std::vector<uint64_t>& gids) {
  // BEGIN SOLUTION
  return Run([&](ShardMasterProxy& p, const rrr::FutureAttr& attr, uint64_t seq, SmErr* err) {
    rrr::FuturePtr f = p.async_Leave(gids, client_id_, seq, attr);
    f->Wait();
    auto r = ShardMasterProxy::DecodeLeave(f);
    *err = r.err;
    return r.error_code == rrr::kOk;
  });
  // END SOLUTION
  // BEGIN STUB
  // // TODO: like Join.
  // (void)gids;
  // return SmErr::ErrWrongLeader;  // TODO: replace
  // END STUB
}

SmErr ShardMasterClient::Move(int shard, uint64_t gid) {
  // BEGIN SOLUTION
  const uint32_t s = static_cast<uint32_t>(shard);
  return Run([&](ShardMasterProxy& p, const rrr::FutureAttr& attr, uint64_t seq, SmErr* err) {
    rrr::FuturePtr f = p.async_Move(s, gid, client_id_, seq, attr);
    f->Wait();
    auto r = ShardMasterProxy::DecodeMove(f);
    *err = r.err;
    return r.error_code == rrr::kOk;
  });
  // END SOLUTION
  // BEGIN STUB
  // // TODO: like Join.
  // (void)shard, (void)gid;
  // return SmErr::ErrWrongLeader;  // TODO: replace
  // END STUB
}

ShardConfig ShardMasterClient::Query(int64_t num) {
  // BEGIN SOLUTION
  ShardConfig config;
  Run([&](ShardMasterProxy& p, const rrr::FutureAttr& attr, uint64_t seq, SmErr* err) {
    rrr::FuturePtr f = p.async_Query(num, client_id_, seq, attr);
    f->Wait();
    auto r = ShardMasterProxy::DecodeQuery(f);
    *err = r.err;
    if (r.error_code == rrr::kOk && r.err == SmErr::OK) config = std::move(r.config);
    return r.error_code == rrr::kOk;
  });
  return config;
  // END SOLUTION
  // BEGIN STUB
  // // TODO: like Join; return the configuration the server answered.
  // (void)num;
  // return InitialShardConfig();  // TODO: replace
  // END STUB
}

}  // namespace janus
