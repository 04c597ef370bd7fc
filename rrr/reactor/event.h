// The event family in one include: Event, IntEvent, SharedIntEvent, BoxEvent<T>, TimeoutEvent,
// OrEvent, AndEvent, QuorumEvent. Create them with Reactor::CreateSpEvent<T>(args...) (or
// std::make_shared); wait on them inside coroutines.
#ifndef RRR_REACTOR_EVENT_H_
#define RRR_REACTOR_EVENT_H_

#include "rrr/reactor/basic_events.h"
#include "rrr/reactor/compound_events.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/reactor/event_core.h"
#include "rrr/reactor/node.h"
#include "rrr/reactor/reactor.h"

#endif  // RRR_REACTOR_EVENT_H_
