#include "spec_parse.hpp"

#include <cmath>
#include <limits>

namespace dlplay::parse {
namespace {

// Flattens a nested rectangular array of finite float32 numbers, recording its shape.
void flatten_numbers(const Json& j, const std::string& field, std::size_t depth, Shape& shape,
                     std::vector<float>& out) {
  if (depth > 8) fail(field, "arrays nested too deeply");
  if (j.is_number()) {
    if (depth != shape.size()) fail(field, "not rectangular: a number where an array was expected");
    double v = j.get<double>();
    if (!std::isfinite(v) || std::fabs(v) > std::numeric_limits<float>::max())
      fail(field, "value " + j.dump() + " is not a finite float32 number");
    out.push_back(static_cast<float>(v));
    return;
  }
  if (!j.is_array()) fail(field, "expected numbers or arrays of numbers, got " + kind_of(j));
  if (depth == shape.size()) {
    if (!out.empty()) fail(field, "not rectangular: an array where a number was expected");
    shape.push_back(j.size());
  } else if (depth > shape.size() || shape[depth] != j.size()) {
    fail(field, "not rectangular: rows of different lengths");
  }
  if (out.size() + j.size() > std::size_t{1} << 31) fail(field, "too many values");
  for (std::size_t i = 0; i < j.size(); ++i) flatten_numbers(j[i], field, depth + 1, shape, out);
}

}  // namespace

[[noreturn]] void fail(const std::string& field, const std::string& what) {
  throw Error(field + ": " + what);
}

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
  return s;
}

std::string kind_of(const Json& j) {
  if (j.is_null()) return "null";
  if (j.is_boolean()) return "a boolean";
  if (j.is_number()) return "the number " + j.dump();
  if (j.is_string()) return "the string " + j.dump();
  if (j.is_array()) return "an array";
  return "an object";
}

void check_keys(const Json& j, const std::string& field, const std::vector<std::string>& allowed) {
  for (auto it = j.begin(); it != j.end(); ++it)
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end())
      fail(field + "." + it.key(), "unknown field (expected one of " + join(allowed) + ")");
}

std::size_t get_size(const Json& j, const std::string& field, std::size_t lo, std::size_t hi) {
  if (!j.is_number_integer())
    fail(field, "expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                    ", got " + kind_of(j));
  if (j.is_number_unsigned() ? (j.get<std::uint64_t>() < lo || j.get<std::uint64_t>() > hi)
                             : (j.get<std::int64_t>() < static_cast<std::int64_t>(lo) ||
                                j.get<std::int64_t>() > static_cast<std::int64_t>(hi)))
    fail(field, "expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                    ", got " + j.dump());
  return static_cast<std::size_t>(j.get<std::uint64_t>());
}

float get_float(const Json& j, const std::string& field, double lo, double hi) {
  if (!j.is_number()) fail(field, "expected a number, got " + kind_of(j));
  double v = j.get<double>();
  if (!std::isfinite(v) || v < lo || v > hi)
    fail(field, "expected a number from " + Json(lo).dump() + " to " + Json(hi).dump() + ", got " + j.dump());
  return static_cast<float>(v);
}

std::size_t get_size(const Json& j, const std::string& field, const Range& r) {
  return get_size(j, field, static_cast<std::size_t>(r.min), static_cast<std::size_t>(r.max));
}

float get_float(const Json& j, const std::string& field, const Range& r) {
  return get_float(j, field, r.min, r.max);
}

std::string get_string(const Json& j, const std::string& field) {
  if (!j.is_string()) fail(field, "expected a string, got " + kind_of(j));
  return j.get<std::string>();
}

std::string get_choice(const Json& j, const std::string& field, const std::vector<std::string>& choices) {
  std::string s = get_string(j, field);
  if (std::find(choices.begin(), choices.end(), s) == choices.end())
    fail(field, "unknown value '" + s + "' (expected one of " + join(choices) + ")");
  return s;
}

bool get_bool(const Json& j, const std::string& field) {
  if (!j.is_boolean()) fail(field, "expected true or false, got " + kind_of(j));
  return j.get<bool>();
}

std::vector<float> numbers(const Json& j, const std::string& field, Shape& shape) {
  std::vector<float> out;
  shape.clear();
  flatten_numbers(j, field, 0, shape, out);
  if (shape_size(shape) != out.size()) fail(field, "not rectangular");
  return out;
}

}  // namespace dlplay::parse
