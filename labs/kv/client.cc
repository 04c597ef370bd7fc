#include "labs/kv/client.h"

#include "kv_rpc.h"
#include "rrr/base/logging.h"
#include "rrr/base/rand.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/rpc/errors.h"

namespace janus {

KvClient::KvClient(const std::vector<std::string>& addrs) : addrs_(addrs) {
  // BEGIN SOLUTION
  // Random ids keep clerks apart without coordination (62 bits: a clash is practically
  // impossible). The node's stream makes simulated runs reproducible.
  client_id_ = rrr::Rand::Current().Next() >> 2;
  leader_ = static_cast<int>(rrr::Rand::Current().Below(addrs_.size()));
  // END SOLUTION
}

KvClient::~KvClient() = default;

std::string KvClient::Get(const std::string& key) {
  // BEGIN SOLUTION
  return Run(Op::kGet, key, "");
  // END SOLUTION
  // BEGIN STUB
  // // TODO: send a Get (KvProxy::async_Get, see kv_rpc.h) to the server you think leads,
  // // retrying on other servers until one answers OK or ErrNoKey (KvProxy::DecodeGet(f)
  // // gives the call's error code and the outputs once f is finished).
  // (void)key;
  // return "";  // TODO: replace
  // END STUB
}

void KvClient::Put(const std::string& key, const std::string& value) {
  // BEGIN SOLUTION
  Run(Op::kPut, key, value);
  // END SOLUTION
  // BEGIN STUB
  // // TODO: like Get, with a new sequence number per operation (not per attempt).
  // (void)key, (void)value;
  // END STUB
}

void KvClient::Append(const std::string& key, const std::string& value) {
  // BEGIN SOLUTION
  Run(Op::kAppend, key, value);
  // END SOLUTION
  // BEGIN STUB
  // // TODO: like Put.
  // (void)key, (void)value;
  // END STUB
}

// BEGIN SOLUTION
std::string KvClient::Run(Op op, const std::string& key, const std::string& value) {
  const uint64_t seq = next_seq_++;
  const int n = static_cast<int>(addrs_.size());
  int moves = 0;
  bool silent_once = false;  // the current server already failed to answer once
  while (true) {
    KvErr err = KvErr::ErrTimeout;
    std::string out;
    if (CallOnce(leader_, op, key, value, seq, &err, &out)) {
      if (err == KvErr::OK) return out;
      if (err == KvErr::ErrNoKey) return "";
    } else if (!silent_once) {
      // No answer: most likely a lost message. Ask the same server once more before
      // concluding it is gone.
      silent_once = true;
      continue;
    }
    silent_once = false;
    leader_ = (leader_ + 1) % n;
    if (++moves % n == 0) rrr::Coroutine::Sleep(kRoundPauseUs);
  }
}

bool KvClient::CallOnce(int server, Op op, const std::string& key, const std::string& value,
                        uint64_t seq, KvErr* err, std::string* out) {
  rrr::Client* client = pool_.GetClient(addrs_[server]);
  if (client == nullptr) return false;
  KvProxy proxy(client);
  rrr::FutureAttr attr;
  attr.timeout_us = kRpcTimeoutUs;
  // Error code and outputs in one step (KvProxy::Decode*): no hand decoding, nothing thrown.
  int32_t code = rrr::kOk;
  switch (op) {
    case Op::kGet: {
      rrr::FuturePtr f = proxy.async_Get(key, client_id_, seq, attr);
      f->Wait();
      KvProxy::GetReply r = KvProxy::DecodeGet(f);
      code = r.error_code;
      *err = r.err;
      *out = std::move(r.value);
      break;
    }
    case Op::kPut: {
      rrr::FuturePtr f = proxy.async_Put(key, value, client_id_, seq, attr);
      f->Wait();
      KvProxy::PutReply r = KvProxy::DecodePut(f);
      code = r.error_code;
      *err = r.err;
      break;
    }
    case Op::kAppend: {
      rrr::FuturePtr f = proxy.async_Append(key, value, client_id_, seq, attr);
      f->Wait();
      KvProxy::AppendReply r = KvProxy::DecodeAppend(f);
      code = r.error_code;
      *err = r.err;
      break;
    }
  }
  if (code == rrr::kErrBadReply) Log_warn("kv clerk: bad reply from server %d", server);
  return code == rrr::kOk;
}
// END SOLUTION

}  // namespace janus
