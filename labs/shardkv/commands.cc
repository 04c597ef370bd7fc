// SOLUTION FILE
// The reference's replicated commands (server.h): their encodings and registrations.
#include "labs/shardkv/commands.h"

namespace janus {

rrr::Marshal& SkvOpCommand::ToMarshal(rrr::Marshal& m) const {
  return m << static_cast<uint8_t>(op) << key << value << client_id << seq;
}

rrr::Marshal& SkvOpCommand::FromMarshal(rrr::Marshal& m) {
  uint8_t op_byte = 0;
  m >> op_byte >> key >> value >> client_id >> seq;
  op = static_cast<KvOpKind>(op_byte);
  return m;
}

rrr::Marshal& SkvConfigCommand::ToMarshal(rrr::Marshal& m) const { return m << config; }

rrr::Marshal& SkvConfigCommand::FromMarshal(rrr::Marshal& m) { return m >> config; }

rrr::Marshal& SkvInsertCommand::ToMarshal(rrr::Marshal& m) const {
  return m << config_num << shards;
}

rrr::Marshal& SkvInsertCommand::FromMarshal(rrr::Marshal& m) {
  return m >> config_num >> shards;
}

rrr::Marshal& SkvShardsCommand::ToMarshal(rrr::Marshal& m) const {
  return m << config_num << shards;
}

rrr::Marshal& SkvShardsCommand::FromMarshal(rrr::Marshal& m) {
  return m >> config_num >> shards;
}

JANUS_REGISTER_MARSHALLABLE(kKindSkvOp, SkvOpCommand);
JANUS_REGISTER_MARSHALLABLE(kKindSkvConfig, SkvConfigCommand);
JANUS_REGISTER_MARSHALLABLE(kKindSkvInsert, SkvInsertCommand);
JANUS_REGISTER_MARSHALLABLE(kKindSkvDelete, SkvDeleteCommand);
JANUS_REGISTER_MARSHALLABLE(kKindSkvGcDone, SkvGcDoneCommand);
JANUS_REGISTER_MARSHALLABLE(kKindSkvNoop, SkvNoopCommand);

}  // namespace janus
