#include "dlplay/tensor.hpp"

#include <algorithm>

namespace dlplay {

std::size_t shape_size(const Shape& shape) {
  std::size_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

std::string shape_string(const Shape& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

BatchShape batch_shape(std::size_t n, const Shape& example) {
  BatchShape s(example.size() + 1);
  s[0] = n;
  std::copy(example.begin(), example.end(), s.begin() + 1);
  return s;
}

}  // namespace dlplay
