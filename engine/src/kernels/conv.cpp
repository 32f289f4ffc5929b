// im2col and its adjoint col2im for one image [channels][height][width].
//
// Both walk the rows of `cols` (one per kernel element (c, i, j), out_h·out_w values each) and, within a
// row, the output rows oy: the rows of the padding are zero runs, the others a run copied from (im2col) or
// added to (col2im) one input row. With stride 1 the runs are contiguous and go through batches; every
// value still sees the same single operation, so the results do not depend on the SIMD width.
#include <algorithm>
#include <cstddef>
#include <xsimd/xsimd.hpp>

#include "dlplay/kernels.hpp"

namespace dlplay::kernels {
namespace {

using batch = xsimd::batch<float>;
constexpr std::size_t kW = batch::size;

// For kernel column j: the output columns [lo, hi) whose input column ox·stride + j − pad lies inside
// [0, width); the others read the zero padding.
struct ValidRange {
  std::size_t lo, hi;
};

ValidRange valid_range(std::size_t extent, std::size_t out, std::size_t stride, std::size_t pad,
                       std::size_t j) {
  if (j >= extent + pad) return {0, 0};
  const std::size_t lo = j < pad ? (pad - j + stride - 1) / stride : 0;
  const std::size_t hi = std::min(out, (extent - 1 + pad - j) / stride + 1);
  return {std::min(lo, hi), hi};
}

inline void zero_run(float* dst, std::size_t n) {
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) batch(0.0f).store_unaligned(dst + i);
  for (; i < n; ++i) dst[i] = 0.0f;
}

inline void copy_run(const float* src, float* dst, std::size_t n) {
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) batch::load_unaligned(src + i).store_unaligned(dst + i);
  for (; i < n; ++i) dst[i] = src[i];
}

// dst[i] += src[i]
inline void add_run(const float* src, float* dst, std::size_t n) {
  std::size_t i = 0;
  for (; i + kW <= n; i += kW)
    (batch::load_unaligned(dst + i) + batch::load_unaligned(src + i)).store_unaligned(dst + i);
  for (; i < n; ++i) dst[i] += src[i];
}

// Calls visit(row, c, i, j, ry, rx) for every kernel element (c, i, j): `row` is the row of `cols`, ry the
// output rows whose input row oy·stride + i − pad exists, rx the output columns whose input column
// ox·stride + j − pad exists.
template <class Visit>
void for_each_kernel_element(const ConvGeometry& g, Visit visit) {
  const std::size_t oh = g.out_h();
  const std::size_t ow = g.out_w();
  std::size_t row = 0;
  for (std::size_t c = 0; c < g.channels; ++c) {
    for (std::size_t i = 0; i < g.kernel_h; ++i) {
      const ValidRange ry = valid_range(g.height, oh, g.stride, g.padding, i);
      for (std::size_t j = 0; j < g.kernel_w; ++j, ++row) {
        visit(row, c, i, j, ry, valid_range(g.width, ow, g.stride, g.padding, j));
      }
    }
  }
}

}  // namespace

void im2col(const ConvGeometry& g, const float* image, float* cols) {
  const std::size_t oh = g.out_h();
  const std::size_t ow = g.out_w();
  const std::size_t s = g.stride;
  const std::size_t pad = g.padding;
  const std::size_t plane = g.height * g.width;
  for_each_kernel_element(
      g, [&](std::size_t row, std::size_t c, std::size_t i, std::size_t j, ValidRange ry, ValidRange rx) {
        float* dst = cols + row * oh * ow;
        if (rx.lo == rx.hi || ry.lo == ry.hi) {
          zero_run(dst, oh * ow);
          return;
        }
        zero_run(dst, ry.lo * ow);
        for (std::size_t oy = ry.lo; oy < ry.hi; ++oy) {
          float* out = dst + oy * ow;
          const float* src = image + c * plane + (oy * s + i - pad) * g.width;
          zero_run(out, rx.lo);
          if (s == 1) {
            copy_run(src + rx.lo + j - pad, out + rx.lo, rx.hi - rx.lo);  // input column ox + j − pad
          } else {
            for (std::size_t ox = rx.lo; ox < rx.hi; ++ox) out[ox] = src[ox * s + j - pad];
          }
          zero_run(out + rx.hi, ow - rx.hi);
        }
        zero_run(dst + ry.hi * ow, (oh - ry.hi) * ow);
      });
}

void col2im(const ConvGeometry& g, const float* cols, float* image) {
  const std::size_t oh = g.out_h();
  const std::size_t ow = g.out_w();
  const std::size_t s = g.stride;
  const std::size_t pad = g.padding;
  const std::size_t plane = g.height * g.width;
  for_each_kernel_element(
      g, [&](std::size_t row, std::size_t c, std::size_t i, std::size_t j, ValidRange ry, ValidRange rx) {
        if (rx.lo == rx.hi) return;
        for (std::size_t oy = ry.lo; oy < ry.hi; ++oy) {
          const float* src = cols + (row * oh + oy) * ow;
          float* dst = image + c * plane + (oy * s + i - pad) * g.width;
          if (s == 1) {
            add_run(src + rx.lo, dst + rx.lo + j - pad, rx.hi - rx.lo);
          } else {
            for (std::size_t ox = rx.lo; ox < rx.hi; ++ox) dst[ox * s + j - pad] += src[ox];
          }
        }
      });
}

}  // namespace dlplay::kernels
