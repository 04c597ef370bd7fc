// Umbrella header of the rrr RPC layer: include this to use Server, Client, Future,
// DeferredReply, ClientPool and the error codes.
#pragma once

#include "rrr/marshal/marshal.h"
#include "rrr/rpc/client.h"
#include "rrr/rpc/client_pool.h"
#include "rrr/rpc/deferred_reply.h"
#include "rrr/rpc/errors.h"
#include "rrr/rpc/future.h"
#include "rrr/rpc/server.h"
