// im2col and its adjoint col2im for one image [channels][height][width].
#include <algorithm>
#include <cstddef>

#include "dlplay/kernels.hpp"

namespace dlplay::kernels {
namespace {

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

// Calls visit(out_offset, inside, in_offset, rx, j) for every (kernel element (c, i, j), output row oy):
// out_offset is where that row of `cols` starts; inside says whether input row oy·stride + i − pad exists,
// in_offset is where it starts in the image; rx is the valid range of output columns for kernel column j
// (output column ox reads input column ox·stride + j − pad).
template <class Visit>
void for_each_row(const ConvGeometry& g, Visit visit) {
  const std::size_t oh = g.out_h();
  const std::size_t ow = g.out_w();
  const std::size_t plane = g.height * g.width;
  std::size_t row = 0;
  for (std::size_t c = 0; c < g.channels; ++c) {
    for (std::size_t i = 0; i < g.kernel_h; ++i) {
      const ValidRange ry = valid_range(g.height, oh, g.stride, g.padding, i);
      for (std::size_t j = 0; j < g.kernel_w; ++j, ++row) {
        const ValidRange rx = valid_range(g.width, ow, g.stride, g.padding, j);
        for (std::size_t oy = 0; oy < oh; ++oy) {
          const std::size_t out_offset = (row * oh + oy) * ow;
          const bool inside = oy >= ry.lo && oy < ry.hi;
          const std::size_t iy = inside ? oy * g.stride + i - g.padding : 0;
          visit(out_offset, inside, c * plane + iy * g.width, rx, j);
        }
      }
    }
  }
}

}  // namespace

void im2col(const ConvGeometry& g, const float* image, float* cols) {
  const std::size_t ow = g.out_w();
  const std::size_t s = g.stride;
  const std::size_t pad = g.padding;
  for_each_row(g,
               [&](std::size_t out_offset, bool inside, std::size_t in_offset, ValidRange rx, std::size_t j) {
                 float* dst = cols + out_offset;
                 if (!inside || rx.lo == rx.hi) {
                   std::fill(dst, dst + ow, 0.0f);
                   return;
                 }
                 const float* src = image + in_offset;
                 std::fill(dst, dst + rx.lo, 0.0f);
                 if (s == 1) {
                   // input column ox + j − pad, contiguous
                   std::copy(src + rx.lo + j - pad, src + rx.hi + j - pad, dst + rx.lo);
                 } else {
                   for (std::size_t ox = rx.lo; ox < rx.hi; ++ox) dst[ox] = src[ox * s + j - pad];
                 }
                 std::fill(dst + rx.hi, dst + ow, 0.0f);
               });
}

void col2im(const ConvGeometry& g, const float* cols, float* image) {
  const std::size_t s = g.stride;
  const std::size_t pad = g.padding;
  for_each_row(g,
               [&](std::size_t out_offset, bool inside, std::size_t in_offset, ValidRange rx, std::size_t j) {
                 if (!inside) return;
                 const float* src = cols + out_offset;
                 float* dst = image + in_offset;
                 for (std::size_t ox = rx.lo; ox < rx.hi; ++ox) dst[ox * s + j - pad] += src[ox];
               });
}

}  // namespace dlplay::kernels
