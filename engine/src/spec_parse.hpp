// Shared by the spec parser's files (spec.cpp, spec_layers.cpp): reading one JSON field with an
// Error that names it ("layers[2].units: expected a whole number from 1 to …, got …").
#pragma once

#include <string>
#include <vector>

#include "dlplay/spec.hpp"

namespace dlplay::parse {

[[noreturn]] void fail(const std::string& field, const std::string& what);
std::string join(const std::vector<std::string>& names);
std::string kind_of(const Json& j);  // "null", "a boolean", "the number 3", …
// Fails on the first key of `j` that is not in `allowed`.
void check_keys(const Json& j, const std::string& field, const std::vector<std::string>& allowed);
std::size_t get_size(const Json& j, const std::string& field, std::size_t lo, std::size_t hi);
std::size_t get_size(const Json& j, const std::string& field, const Range& r);
float get_float(const Json& j, const std::string& field, double lo, double hi);
float get_float(const Json& j, const std::string& field, const Range& r);
bool get_bool(const Json& j, const std::string& field);
std::string get_string(const Json& j, const std::string& field);
std::string get_choice(const Json& j, const std::string& field, const std::vector<std::string>& choices);
// A nested rectangular array of finite float32 numbers, flattened; `shape` receives its shape.
std::vector<float> numbers(const Json& j, const std::string& field, Shape& shape);

// The index of a choice among `names` (fails naming the field and the choices otherwise).
template <class Enum>
Enum get_enum(const Json& j, const std::string& field, const std::vector<std::string>& names) {
  return static_cast<Enum>(vocab::index_of(names, get_choice(j, field, names)));
}

// One entry of "layers" (spec_layers.cpp).
LayerSpec parse_layer(const Json& j, const std::string& field);

}  // namespace dlplay::parse
