// Umbrella header of the rrr RPC layer: include this to use Server, Client, Future,
// DeferredReply, ClientPool, the error codes, and the method table (method_info.h, summary.h)
// that generated services fill for traces.
#pragma once

#include "rrr/marshal/marshal.h"
#include "rrr/rpc/client.h"
#include "rrr/rpc/client_pool.h"
#include "rrr/rpc/deferred_reply.h"
#include "rrr/rpc/errors.h"
#include "rrr/rpc/future.h"
#include "rrr/rpc/method_info.h"
#include "rrr/rpc/server.h"
#include "rrr/rpc/summary.h"
