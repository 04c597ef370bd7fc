// Error codes carried by RPC replies and reported by futures. They share the numbering of the
// matching Linux errno values, so a code from another layer (e.g. a failed connect) prints
// sensibly with ErrorString too.
#pragma once

namespace rrr {

constexpr int kOk = 0;                 // success
constexpr int kErrNoMethod = 2;        // (ENOENT) the server has no handler for the method id
constexpr int kErrBadRequest = 22;     // (EINVAL) the server could not decode the arguments
constexpr int kErrBadReply = 74;       // (EBADMSG) the client could not decode the reply
constexpr int kErrNotConnected = 107;  // (ENOTCONN) no connection, or it closed before the reply
constexpr int kErrShutdown = 108;      // (ESHUTDOWN) the server gave up on the request
constexpr int kErrTimeout = 110;       // (ETIMEDOUT) no reply within the call's timeout
constexpr int kErrUnreachable = 113;   // (EHOSTUNREACH) the network dropped the request and said
                                       // so (NetPolicy, FrameFate::notify_sender): it never
                                       // reached the server, which did not run it

// A short human-readable name for `code` ("ok", "no such method", ...); for other values the
// errno text if there is one, else "error <code>". Never returns null.
const char* ErrorString(int code);

}  // namespace rrr
