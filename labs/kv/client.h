// Lab 2: the clerk, the library a client program uses to talk to the key/value service.
//
//   KvClient ck(addrs);           // with the client's node current
//   ck.Put("k", "a");             // inside a coroutine
//   ck.Append("k", "b");
//   std::string v = ck.Get("k");  // "ab"
//
// Each call returns only once its operation took effect exactly once, however many servers
// crash, lose leadership, drop messages or time out meanwhile: the clerk retries, on another
// server when the one it asked cannot help, with the same client id and sequence number, so
// that servers recognise a retry. It remembers which server led last time and asks it first.
//
// A clerk does one operation at a time (tests run one clerk per coroutine).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "labs/kv/common.h"
#include "rrr/rpc/client_pool.h"

namespace janus {

class KvClient {
 public:
  // A clerk of the servers listening on `addrs` ("host:port", one per replica). Construct it
  // with the client's node current: its connections belong to that node.
  explicit KvClient(const std::vector<std::string>& addrs);
  ~KvClient();

  KvClient(const KvClient&) = delete;
  KvClient& operator=(const KvClient&) = delete;

  // The value of `key`, or "" if it has none. REQUIRES: inside a coroutine.
  std::string Get(const std::string& key);
  // Sets `key` to `value`. REQUIRES: inside a coroutine.
  void Put(const std::string& key, const std::string& value);
  // Appends `value` to the value of `key` ("" if it has none). REQUIRES: inside a coroutine.
  void Append(const std::string& key, const std::string& value);

 private:
  const std::vector<std::string> addrs_;
  rrr::ClientPool pool_;  // one connection per server, (re)opened on demand

  // BEGIN SOLUTION
  using Op = KvOpKind;

  // How long one RPC may take before the clerk tries the next server, and the pause after a
  // whole round of servers failed (e.g. during an election).
  static constexpr uint64_t kRpcTimeoutUs = 250 * 1000;
  static constexpr uint64_t kRoundPauseUs = 50 * 1000;

  // Runs one operation until it succeeds; returns the value for a Get.
  std::string Run(Op op, const std::string& key, const std::string& value);
  // Sends the operation once to `server`. Returns false if no usable answer came (no
  // connection, RPC error or timeout); otherwise sets *err (and *out for a Get).
  bool CallOnce(int server, Op op, const std::string& key, const std::string& value, uint64_t seq,
                KvErr* err, std::string* out);

  uint64_t client_id_ = 0;
  uint64_t next_seq_ = 1;
  int leader_ = 0;  // the server to ask first
  // END SOLUTION
  // BEGIN STUB
  // // TODO: a client id (random, see rrr/base/rand.h), the next sequence number, and the
  // // server that was leader last time.
  // END STUB
};

}  // namespace janus
