#include "labs/shardkv/client.h"

#include <utility>

#include "rrr/base/logging.h"
#include "rrr/base/rand.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/rpc/errors.h"

namespace janus {

ShardKvClient::ShardKvClient(const std::vector<std::string>& master_addrs)
    : master_(master_addrs) {
  // BEGIN SOLUTION
  client_id_ = rrr::Rand::Current().Next() >> 2;
  // END SOLUTION
}

ShardKvClient::~ShardKvClient() = default;

std::string ShardKvClient::Get(const std::string& key) {
  // BEGIN SOLUTION
  return Run(KvOpKind::kGet, key, "");
  // END SOLUTION
  // BEGIN STUB
  // // TODO: find the key's shard (KeyToShard) and the group serving it in your latest
  // // configuration (master_.Query(-1)); send the Get to that group's servers as the KV clerk
  // // does; on ErrWrongGroup, or when no server of the group helps, ask the shard master
  // // again and retry, always with the same client id and sequence number.
  // (void)key;
  // return "";  // TODO: replace
  // END STUB
}

void ShardKvClient::Put(const std::string& key, const std::string& value) {
  // BEGIN SOLUTION
  Run(KvOpKind::kPut, key, value);
  // END SOLUTION
  // BEGIN STUB
  // (void)key, (void)value;  // TODO: like Get, with a new sequence number per operation
  // END STUB
}

void ShardKvClient::Append(const std::string& key, const std::string& value) {
  // BEGIN SOLUTION
  Run(KvOpKind::kAppend, key, value);
  // END SOLUTION
  // BEGIN STUB
  // (void)key, (void)value;  // TODO: like Put
  // END STUB
}

// BEGIN SOLUTION
std::string ShardKvClient::Run(KvOpKind op, const std::string& key, const std::string& value) {
  const uint64_t seq = next_seq_++;
  const int shard = KeyToShard(key);
  while (true) {
    const uint64_t gid = config_.shards.empty() ? 0 : config_.shards[shard];
    auto group = config_.groups.find(gid);
    if (group != config_.groups.end() && !group->second.empty()) {
      // Copies: config_ may change while we wait (it does not here, but cheap and safe).
      const std::vector<std::string> servers = group->second;
      size_t& first = leader_[gid];
      for (size_t tried = 0; tried < servers.size(); tried++) {
        const size_t i = (first + tried) % servers.size();
        SkvErr err = SkvErr::ErrTimeout;
        std::string out;
        if (!CallOnce(servers[i], op, key, value, seq, &err, &out)) continue;
        if (err == SkvErr::OK || err == SkvErr::ErrNoKey) {
          first = i;
          return err == SkvErr::OK ? out : "";
        }
        if (err == SkvErr::ErrWrongGroup) {
          first = i;
          break;
        }
        // ErrWrongLeader, ErrTimeout: the next server of the group.
      }
    }
    rrr::Coroutine::Sleep(kRetryPauseUs);
    config_ = master_.Query(-1);
  }
}

bool ShardKvClient::CallOnce(const std::string& addr, KvOpKind op, const std::string& key,
                             const std::string& value, uint64_t seq, SkvErr* err,
                             std::string* out) {
  rrr::Client* client = pool_.GetClient(addr);
  if (client == nullptr) return false;
  ShardKvProxy proxy(client);
  rrr::FutureAttr attr;
  attr.timeout_us = kRpcTimeoutUs;
  int32_t code = rrr::kOk;
  switch (op) {
    case KvOpKind::kGet: {
      rrr::FuturePtr f = proxy.async_Get(key, client_id_, seq, attr);
      f->Wait();
      ShardKvProxy::GetReply r = ShardKvProxy::DecodeGet(f);
      code = r.error_code;
      *err = r.err;
      *out = std::move(r.value);
      break;
    }
    case KvOpKind::kPut: {
      rrr::FuturePtr f = proxy.async_Put(key, value, client_id_, seq, attr);
      f->Wait();
      ShardKvProxy::PutReply r = ShardKvProxy::DecodePut(f);
      code = r.error_code;
      *err = r.err;
      break;
    }
    case KvOpKind::kAppend: {
      rrr::FuturePtr f = proxy.async_Append(key, value, client_id_, seq, attr);
      f->Wait();
      ShardKvProxy::AppendReply r = ShardKvProxy::DecodeAppend(f);
      code = r.error_code;
      *err = r.err;
      break;
    }
  }
  if (code == rrr::kErrBadReply) Log_warn("shardkv clerk: bad reply from %s", addr.c_str());
  return code == rrr::kOk;
}
// END SOLUTION

}  // namespace janus
