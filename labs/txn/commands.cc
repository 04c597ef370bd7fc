// SOLUTION FILE
// The reference's replicated command (commands.h): its encoding and registration.
#include "labs/txn/commands.h"

#include "rrr/base/verify.h"

namespace janus {

rrr::Marshal& TxnCommand::ToMarshal(rrr::Marshal& m) const {
  m << static_cast<uint8_t>(op);
  switch (op) {
    case TxnOp::kGet:
      return m << key;
    case TxnOp::kPut:
    case TxnOp::kAppend:
      return m << key << value << client_id << seq;
    case TxnOp::kTxGet:
      return m << tx << ts << key;
    case TxnOp::kPrepare:
      return m << tx << ts << coord_gid << reads << writes;
    case TxnOp::kDecide:
    case TxnOp::kResolve:
      return m << tx << commit;
    case TxnOp::kExpire:
      return m << tx;
    case TxnOp::kConfig:
      return m << config;
    case TxnOp::kNoop:
      return m;
  }
  return m;
}

rrr::Marshal& TxnCommand::FromMarshal(rrr::Marshal& m) {
  uint8_t op_byte = 0;
  m >> op_byte;
  op = static_cast<TxnOp>(op_byte);
  switch (op) {
    case TxnOp::kGet:
      return m >> key;
    case TxnOp::kPut:
    case TxnOp::kAppend:
      return m >> key >> value >> client_id >> seq;
    case TxnOp::kTxGet:
      return m >> tx >> ts >> key;
    case TxnOp::kPrepare:
      return m >> tx >> ts >> coord_gid >> reads >> writes;
    case TxnOp::kDecide:
    case TxnOp::kResolve:
      return m >> tx >> commit;
    case TxnOp::kExpire:
      return m >> tx;
    case TxnOp::kConfig:
      return m >> config;
    case TxnOp::kNoop:
      return m;
  }
  throw rrr::MarshalError("txn: a command with an unknown op");
}

JANUS_REGISTER_MARSHALLABLE(kKindTxnCommand, TxnCommand);

}  // namespace janus
