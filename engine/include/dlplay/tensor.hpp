// Tensors, shapes and the engine's one error type.
#pragma once

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>
#include <xtensor/xarray.hpp>

namespace dlplay {

// float32, row-major. Batches are [N, features] or NCHW.
using Tensor = xt::xarray<float>;
using Shape = std::vector<std::size_t>;
// The shape of a batch, kept on the stack: training steps build these without allocating.
using BatchShape = xt::svector<std::size_t, 4>;
BatchShape batch_shape(std::size_t n, const Shape& example);  // [n, ...example]

// Every error the engine reports to a user: bad specs, bad inputs, shape mismatches.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::size_t shape_size(const Shape& shape);
std::string shape_string(const Shape& shape);  // "[1, 28, 28]"

// Resizes `t` to `shape` only when it differs, so buffers reused across steps never reallocate.
template <class S>
void ensure_shape(Tensor& t, const S& shape) {
  if (t.dimension() != shape.size() || !std::equal(shape.begin(), shape.end(), t.shape().begin()))
    t.resize(shape);
}
inline void ensure_shape(Tensor& t, std::initializer_list<std::size_t> shape) {
  ensure_shape(t, BatchShape(shape));
}
// t ← shape [n, ...example] unless it has it already. The check builds no shape and calls no memcmp: it runs
// for every layer at every step.
inline void ensure_batch(Tensor& t, std::size_t n, const Shape& example) {
  const auto& s = t.shape();
  bool same = s.size() == example.size() + 1 && s[0] == n;
  for (std::size_t d = 0; same && d < example.size(); ++d) same = s[d + 1] == example[d];
  if (!same) t.resize(batch_shape(n, example));
}

inline Shape shape_of(const Tensor& t) { return Shape(t.shape().begin(), t.shape().end()); }

}  // namespace dlplay
