// Lab 3, sharded key/value store: definitions shared by its clerk and servers (add your own).
#pragma once

#include "deptran/kv_op.h"              // KvOpKind: Get, Put or Append
#include "labs/shardmaster/common.h"    // kNShards, KeyToShard, ShardConfig

// SkvErr, the outcome of a request, is declared in shardkv_rpc.rpc (generated shardkv_rpc.h).
#include "shardkv_rpc.h"
