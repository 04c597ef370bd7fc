// Lab 2: definitions shared by the key/value clerk and server (add your own here).
#pragma once

#include "deptran/kv_op.h"  // KvOpKind: Get, Put or Append

// KvErr, the outcome of a request (OK, ErrNoKey, ErrWrongLeader, ErrTimeout), is declared in
// kv_rpc.rpc, so that the clerk, the server and the wire share one type: the generated
// kv_rpc.h (build/labs/kv/kv_rpc.h) defines `enum class KvErr : int32_t` and
// `const char* KvErrName(KvErr)`.
#include "kv_rpc.h"
