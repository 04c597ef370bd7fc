#include "rrr/base/flags.h"

#include <algorithm>

#include "rrr/base/logging.h"
#include "rrr/base/verify.h"

namespace rrr {

namespace {

// "expected a non-negative integer", "expected an integer >= 1", "expected an integer in 1..9".
std::string RangeProblem(uint64_t min, uint64_t max) {
  if (min == 0 && max == UINT64_MAX) return "expected a non-negative integer";
  if (max == UINT64_MAX) return "expected an integer >= " + std::to_string(min);
  return "expected an integer in " + std::to_string(min) + ".." + std::to_string(max);
}

}  // namespace

bool ParseDecimalU64(const std::string& text, uint64_t* out) {
  if (text.empty()) return false;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

void FlagParser::Add(const std::string& name, Flag flag) {
  verify(!name.empty() && flags_.count(name) == 0);
  flags_[name] = std::move(flag);
}

void FlagParser::Custom(const std::string& name, Setter setter) {
  Flag f;
  f.setter = std::move(setter);
  Add(name, std::move(f));
}

void FlagParser::String(const std::string& name, std::string* out) {
  Custom(name, [out](const std::string& v) {
    *out = v;
    return std::string();
  });
}

void FlagParser::NonEmptyString(const std::string& name, std::string* out) {
  Custom(name, [out](const std::string& v) {
    if (v.empty()) return std::string("expected a non-empty value");
    *out = v;
    return std::string();
  });
}

void FlagParser::Choice(const std::string& name, std::vector<std::string> choices,
                        std::string* out) {
  Custom(name, [choices, out](const std::string& v) {
    if (std::find(choices.begin(), choices.end(), v) != choices.end()) {
      *out = v;
      return std::string();
    }
    std::string list;
    for (size_t i = 0; i < choices.size(); i++) {
      list += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
    }
    return "expected " + list;
  });
}

void FlagParser::Uint64(const std::string& name, uint64_t* out, uint64_t min, uint64_t max) {
  Custom(name, [out, min, max](const std::string& v) {
    uint64_t n = 0;
    if (!ParseDecimalU64(v, &n) || n < min || n > max) return RangeProblem(min, max);
    *out = n;
    return std::string();
  });
}

void FlagParser::Int(const std::string& name, int* out, int min, int max) {
  verify(0 <= min && min <= max);
  Custom(name, [out, min, max](const std::string& v) {
    uint64_t n = 0;
    const uint64_t lo = static_cast<uint64_t>(min), hi = static_cast<uint64_t>(max);
    if (!ParseDecimalU64(v, &n) || n < lo || n > hi) return RangeProblem(lo, hi);
    *out = static_cast<int>(n);
    return std::string();
  });
}

void FlagParser::LogLevelName(const std::string& name, std::string* out) {
  Custom(name, [out](const std::string& v) {
    rrr::LogLevel level;
    if (!Log::ParseLevel(v, &level)) return std::string("expected debug, info, warn or error");
    *out = v;
    return std::string();
  });
}

void FlagParser::Switch(const std::string& name, bool* out) {
  Flag f;
  f.is_switch = true;
  f.switch_out = out;
  Add(name, std::move(f));
}

void FlagParser::PassThrough(const std::string& prefix) { pass_through_.push_back(prefix); }

bool FlagParser::Seen(const std::string& name) const {
  return std::find(seen_.begin(), seen_.end(), name) != seen_.end();
}

bool FlagParser::Parse(const std::vector<std::string>& args, std::vector<std::string>* rest,
                       std::string* error) {
  error->clear();
  rest->clear();
  seen_.clear();
  help_requested_ = false;
  bool flags_ended = false;
  for (size_t i = 0; i < args.size(); i++) {
    const std::string& arg = args[i];
    const bool passes = std::any_of(pass_through_.begin(), pass_through_.end(),
                                    [&](const std::string& p) { return arg.rfind(p, 0) == 0; });
    if (flags_ended || passes || arg.rfind("--", 0) != 0 || arg == "--") {
      if (!flags_ended && arg == "--") {
        flags_ended = true;
      } else if (!flags_ended && arg == "-h") {
        help_requested_ = true;
        return false;
      } else if (passes || positional_ok_) {
        rest->push_back(arg);
      } else {
        *error = "unexpected argument '" + arg + "'";
        return false;
      }
      continue;
    }
    if (arg == "--help") {
      help_requested_ = true;
      return false;
    }
    const size_t eq = arg.find('=');
    const std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    auto it = flags_.find(name);
    if (it == flags_.end()) {
      *error = "unknown flag '--" + name + "'";
      return false;
    }
    const Flag& flag = it->second;
    seen_.push_back(name);
    if (flag.is_switch) {
      if (eq != std::string::npos) {
        *error = "--" + name + " takes no value";
        return false;
      }
      *flag.switch_out = true;
      continue;
    }
    std::string value;
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
    } else if (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0) {
      value = args[++i];
    } else {
      *error = "--" + name + " needs a value";
      return false;
    }
    const std::string problem = flag.setter(value);
    if (!problem.empty()) {
      *error = "--" + name + ": " + problem + ", got '" + value + "'";
      return false;
    }
  }
  return true;
}

}  // namespace rrr
