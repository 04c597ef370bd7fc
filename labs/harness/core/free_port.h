// Free loopback TCP ports for the nodes of a tcp cluster (never hard-coded ports).
#pragma once

namespace janus {
namespace harness {

// Returns a TCP port that was free on 127.0.0.1 a moment ago, or -1 if none was found.
// Ports are picked at random below the kernel's ephemeral range (so outgoing connections of
// other processes do not take them while a crashed node is down) and never twice in one
// process until that range is used up; binding port 0 is the fallback.
int PickFreeTcpPort();

}  // namespace harness
}  // namespace janus
