#include "rrr/reactor/clock.h"

#include "rrr/base/time.h"
#include "rrr/base/verify.h"

namespace rrr {

uint64_t RealClock::NowUs() const { return Time::MonotonicUs(); }

void VirtualClock::AdvanceTo(uint64_t t_us) {
  verify_msg(t_us >= now_us_, "virtual time cannot go backwards");
  now_us_ = t_us;
}

}  // namespace rrr
