#include "labs/shardkv/client.h"

#include "rrr/base/logging.h"
#include "rrr/base/rand.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/rpc/errors.h"

namespace janus {

ShardKvClient::ShardKvClient(const std::vector<std::string>& master_addrs)
    : master_(master_addrs) {}

ShardKvClient::~ShardKvClient() = default;

std::string ShardKvClient::Get(const std::string& key) {
  // BEGIN STUB
  // (void)key;
  // return "";  // TODO: replace
  // END STUB
  (void)key;
  return "";
}

void ShardKvClient::Put(const std::string& key, const std::string& value) {
  // BEGIN STUB
  // (void)key, (void)value;  // TODO
  // END STUB
  (void)key, (void)value;
}

void ShardKvClient::Append(const std::string& key, const std::string& value) {
  // BEGIN STUB
  // (void)key, (void)value;  // TODO
  // END STUB
  (void)key, (void)value;
}

}  // namespace janus
