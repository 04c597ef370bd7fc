// rrr::FlagParser: the one command-line parser of the tree's programs (the graded drivers'
// labs/harness/core/options.cc, deptran_server's deptran/launcher.cc, labs/cluster/kv_cli.cc).
//
//   rrr::FlagParser flags;
//   flags.String("config", &config_path);
//   flags.Uint64("seed", &seed);
//   flags.Switch("list", &list);
//   std::vector<std::string> rest;
//   std::string error;
//   if (!flags.Parse(args, &rest, &error)) ...  // error: one line naming the flag
//
// Spellings: "--name=VALUE" or "--name VALUE" for a flag with a value, "--name" for a switch;
// a flag given twice keeps its last value. "--" ends the flags (what follows is positional).
// "--help" and "-h" stop the parse: Parse returns false with `error` empty and help_requested().
// Strict: an unknown flag, a missing value (none, or the next argument is itself a "--" flag), a
// value given to a switch, a malformed or out-of-range number, and a positional argument where
// none is allowed each fail with one line, e.g. "--seed: expected a non-negative integer, got
// 'x'". Arguments starting with a pass-through prefix (e.g. googletest's "--gtest_") are kept
// for another parser.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace rrr {

class FlagParser {
 public:
  // Checks and stores a flag's value; returns "" if it is fine, or the problem (e.g. "expected
  // sim or tcp"), which the parser turns into "--name: <problem>, got '<value>'".
  using Setter = std::function<std::string(const std::string& value)>;

  // Each registration names a flag without its leading "--". REQUIRES: a name not yet
  // registered. The targets must outlive Parse.

  // Any text (an empty "--name=" included).
  void String(const std::string& name, std::string* out);
  // A non-empty text (e.g. a file name).
  void NonEmptyString(const std::string& name, std::string* out);
  // One of `choices`, exactly.
  void Choice(const std::string& name, std::vector<std::string> choices, std::string* out);
  // A decimal integer in [min, max], digits only (no sign, no spaces, no overflow).
  void Uint64(const std::string& name, uint64_t* out, uint64_t min = 0, uint64_t max = UINT64_MAX);
  // A decimal integer in [min, max] (REQUIRES: 0 <= min <= max), digits only.
  void Int(const std::string& name, int* out, int min, int max);
  // A log level name as rrr::Log::ParseLevel accepts it (debug, info, warn, error, fatal).
  void LogLevelName(const std::string& name, std::string* out);
  // A switch: present means true; it takes no value.
  void Switch(const std::string& name, bool* out);
  // A flag with a value checked and stored by `setter`.
  void Custom(const std::string& name, Setter setter);

  // Arguments starting with `prefix` are copied to `rest` unparsed.
  void PassThrough(const std::string& prefix);
  // Allows positional arguments (they go to `rest`, in order). Without it they are an error.
  void AllowPositional() { positional_ok_ = true; }

  // Parses `args` (without the program name). Returns true and fills *rest with the pass-through
  // and positional arguments in their order; on failure returns false with *error set to one
  // line (empty for --help/-h). Values of flags parsed before a failure stay stored.
  bool Parse(const std::vector<std::string>& args, std::vector<std::string>* rest,
             std::string* error);

  // True if the last Parse stopped at --help or -h.
  bool help_requested() const { return help_requested_; }
  // True if the last Parse saw flag `name` (e.g. to tell a default from a given value).
  bool Seen(const std::string& name) const;

 private:
  struct Flag {
    bool is_switch = false;
    bool* switch_out = nullptr;
    Setter setter;
  };
  void Add(const std::string& name, Flag flag);

  std::map<std::string, Flag> flags_;
  std::vector<std::string> pass_through_;
  std::vector<std::string> seen_;
  bool positional_ok_ = false;
  bool help_requested_ = false;
};

// Parses `text` as a decimal integer of digits only that fits in uint64_t; false otherwise.
bool ParseDecimalU64(const std::string& text, uint64_t* out);

}  // namespace rrr
