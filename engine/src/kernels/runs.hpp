// Runs of floats through batches, then the tail one by one: zeroed, copied, or added to. Shared by the
// kernels (conv.cpp's padded image and its rows, elementwise.cpp's row bias); each value gets one copy or
// one add, so results do not depend on the SIMD width.
#pragma once

#include <cstddef>
#include <xsimd/xsimd.hpp>

namespace dlplay::kernels::runs {

using batch = xsimd::batch<float>;
constexpr std::size_t kW = batch::size;

inline void zero(float* dst, std::size_t n) {
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) batch(0.0f).store_unaligned(dst + i);
  for (; i < n; ++i) dst[i] = 0.0f;
}

inline void copy(const float* src, float* dst, std::size_t n) {
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) batch::load_unaligned(src + i).store_unaligned(dst + i);
  for (; i < n; ++i) dst[i] = src[i];
}

// dst[i] += src[i]
inline void add(const float* src, float* dst, std::size_t n) {
  std::size_t i = 0;
  for (; i + kW <= n; i += kW)
    (batch::load_unaligned(dst + i) + batch::load_unaligned(src + i)).store_unaligned(dst + i);
  for (; i < n; ++i) dst[i] += src[i];
}

}  // namespace dlplay::kernels::runs
