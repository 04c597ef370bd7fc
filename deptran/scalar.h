// Strict parsing of scalar text (config values, options). Each function consumes the whole text
// or fails; none throws.
#pragma once

#include <cstdint>
#include <string>

namespace janus {

// Base-10 integer with optional sign. False on empty text, trailing characters or overflow.
bool ParseInt64(const std::string& text, int64_t* out);

// Floating-point number as strtod reads it. False on empty text, trailing characters or range
// errors.
bool ParseDouble(const std::string& text, double* out);

// YAML 1.1 booleans: true/false, yes/no, on/off (lowercase, Capitalized or UPPERCASE).
bool ParseBool(const std::string& text, bool* out);

}  // namespace janus
