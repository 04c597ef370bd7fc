#include "test/bench/throughput_windows.h"

#include <cstdio>

namespace janus {
namespace bench {

double ThroughputWindows::Window::Rate() const {
  return to_us > from_us ? static_cast<double>(ops) * 1e6 / static_cast<double>(to_us - from_us)
                         : 0.0;
}

ThroughputWindows::ThroughputWindows(uint64_t start_us, uint64_t end_us, uint64_t window_us)
    : start_us_(start_us), window_us_(window_us) {
  for (uint64_t from = start_us; from < end_us; from += window_us) {
    Window w;
    w.from_us = from;
    w.to_us = end_us - from > window_us ? from + window_us : end_us;
    w.full = w.to_us - w.from_us == window_us;
    windows_.push_back(w);
  }
}

void ThroughputWindows::Record(uint64_t t_us) {
  if (t_us < start_us_) return;
  const uint64_t k = (t_us - start_us_) / window_us_;
  if (k < windows_.size() && t_us < windows_[k].to_us) windows_[k].ops++;
}

uint64_t ThroughputWindows::TotalOps() const {
  uint64_t total = 0;
  for (const Window& w : windows_) total += w.ops;
  return total;
}

double ThroughputWindows::LastOverFirst() const {
  size_t full = 0;
  for (const Window& w : windows_) full += w.full ? 1 : 0;
  if (full < 2 || windows_.front().ops == 0) return -1;
  const Window& last = windows_[full - 1];  // the full windows come first
  return last.Rate() / windows_.front().Rate();
}

std::string ThroughputWindows::Format() const {
  std::string out;
  char line[128];
  for (size_t i = 0; i < windows_.size(); i++) {
    const Window& w = windows_[i];
    std::snprintf(line, sizeof(line), "  window %2zu  [%6.1f, %6.1f) s  %9.0f ops/s%s\n", i + 1,
                  static_cast<double>(w.from_us - start_us_) / 1e6,
                  static_cast<double>(w.to_us - start_us_) / 1e6, w.Rate(),
                  w.full ? "" : "  (partial)");
    out += line;
  }
  const double ratio = LastOverFirst();
  if (ratio < 0) {
    out += "  last/first  n/a (needs two full windows with operations)\n";
  } else {
    std::snprintf(line, sizeof(line), "  last/first  %.2f\n", ratio);
    out += line;
  }
  return out;
}

}  // namespace bench
}  // namespace janus
