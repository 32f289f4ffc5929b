// Max and average pooling over one image [channels][height][width], size×size windows, no padding.
#include <cstddef>
#include <cstdint>
#include <xsimd/xsimd.hpp>

#include "dlplay/kernels.hpp"

namespace dlplay::kernels {

namespace {

using batch = xsimd::batch<float>;

// 2×2 windows at stride 2 with 4-lane batches: four windows side by side, one per lane. Two batches of an
// input row hold 8 values; two rounds of zips split them into the windows' left and right values. Each lane
// then takes the same four steps as maxpool_plane<2> (strict >, row order), so results are identical. The
// window offsets are small integers, exact in float lanes. Returns how many output columns it did.
std::size_t maxpool_row_2x2(const PoolGeometry& g, const float* r0, std::size_t offset, std::size_t corner0,
                            float* out, std::uint32_t* argmax) {
  std::size_t ox = 0;
  if constexpr (batch::size == 4) {
    const std::size_t ow = g.out_w();
    const float w = static_cast<float>(g.width);
    const float* r1 = r0 + g.width;
    for (; ox + 4 <= ow; ox += 4) {
      const auto split = [](const float* row, batch& left, batch& right) {
        const batch a = batch::load_unaligned(row), b = batch::load_unaligned(row + 4);
        const batch t0 = xsimd::zip_lo(a, b), t1 = xsimd::zip_hi(a, b);
        left = xsimd::zip_lo(t0, t1);
        right = xsimd::zip_hi(t0, t1);
      };
      batch v00, v01, v10, v11;
      split(r0 + 2 * ox, v00, v01);
      split(r1 + 2 * ox, v10, v11);
      batch best = v00, at(0.0f);
      auto take = [&](const batch& v, float where) {
        const auto greater = v > best;
        best = xsimd::select(greater, v, best);
        at = xsimd::select(greater, batch(where), at);
      };
      take(v01, 1.0f);
      take(v10, w);
      take(v11, w + 1.0f);
      best.store_unaligned(out + ox);
      alignas(16) float t[4];
      at.store_aligned(t);
      for (std::size_t l = 0; l < 4; ++l)
        argmax[ox + l] =
            static_cast<std::uint32_t>(offset + corner0 + 2 * (ox + l) + static_cast<std::size_t>(t[l]));
    }
  }
  return ox;
}

// One channel's windows with the window size a constant (S > 0) or g.size (S == 0): the compiler unrolls
// the fixed windows and turns the comparisons into selects. Visits the window in row order from its
// top-left value with a strict comparison, so the first maximum wins ties (and a leading NaN stays).
template <std::size_t S>
void maxpool_plane(const PoolGeometry& g, const float* plane, std::size_t offset, float* out,
                   std::uint32_t* argmax) {
  const std::size_t size = S > 0 ? S : g.size;
  const std::size_t oh = g.out_h();
  const std::size_t ow = g.out_w();
  for (std::size_t oy = 0; oy < oh; ++oy, out += ow, argmax += ow) {
    std::size_t ox = 0;
    if (S == 2 && g.stride == 2)
      ox = maxpool_row_2x2(g, plane + oy * 2 * g.width, offset, oy * 2 * g.width, out, argmax);
    for (; ox < ow; ++ox) {
      const std::size_t corner = oy * g.stride * g.width + ox * g.stride;
      const float* window = plane + corner;
      float best = window[0];
      std::size_t best_at = 0;
      for (std::size_t dy = 0; dy < size; ++dy) {
        for (std::size_t dx = 0; dx < size; ++dx) {
          const std::size_t at = dy * g.width + dx;
          const float v = window[at];
          const bool greater = v > best;
          best = greater ? v : best;
          best_at = greater ? at : best_at;
        }
      }
      out[ox] = best;
      argmax[ox] = static_cast<std::uint32_t>(offset + corner + best_at);
    }
  }
}

}  // namespace

void maxpool_forward(const PoolGeometry& g, const float* image, float* out, std::uint32_t* argmax) {
  const std::size_t plane = g.height * g.width;
  const std::size_t per_channel = g.out_h() * g.out_w();
  for (std::size_t c = 0; c < g.channels; ++c) {
    const std::size_t offset = c * plane;
    float* o = out + c * per_channel;
    std::uint32_t* a = argmax + c * per_channel;
    switch (g.size) {
      case 2:
        maxpool_plane<2>(g, image + offset, offset, o, a);
        break;
      case 3:
        maxpool_plane<3>(g, image + offset, offset, o, a);
        break;
      default:
        maxpool_plane<0>(g, image + offset, offset, o, a);
        break;
    }
  }
}

void maxpool_backward(const PoolGeometry& g, const float* d_out, const std::uint32_t* argmax,
                      float* d_image) {
  const std::size_t n = g.channels * g.out_h() * g.out_w();
  for (std::size_t o = 0; o < n; ++o) d_image[argmax[o]] += d_out[o];
}

void avgpool_forward(const PoolGeometry& g, const float* image, float* out) {
  const std::size_t oh = g.out_h();
  const std::size_t ow = g.out_w();
  const float area = static_cast<float>(g.size * g.size);
  std::size_t o = 0;
  for (std::size_t c = 0; c < g.channels; ++c) {
    const std::size_t plane = c * g.height * g.width;
    for (std::size_t oy = 0; oy < oh; ++oy) {
      for (std::size_t ox = 0; ox < ow; ++ox, ++o) {
        float sum = 0.0f;
        for (std::size_t dy = 0; dy < g.size; ++dy) {
          const float* row = image + plane + (oy * g.stride + dy) * g.width + ox * g.stride;
          for (std::size_t dx = 0; dx < g.size; ++dx) sum += row[dx];
        }
        out[o] = sum / area;
      }
    }
  }
}

void avgpool_backward(const PoolGeometry& g, const float* d_out, float* d_image) {
  const std::size_t oh = g.out_h();
  const std::size_t ow = g.out_w();
  const float area = static_cast<float>(g.size * g.size);
  std::size_t o = 0;
  for (std::size_t c = 0; c < g.channels; ++c) {
    const std::size_t plane = c * g.height * g.width;
    for (std::size_t oy = 0; oy < oh; ++oy) {
      for (std::size_t ox = 0; ox < ow; ++ox, ++o) {
        const float share = d_out[o] / area;
        for (std::size_t dy = 0; dy < g.size; ++dy) {
          float* row = d_image + plane + (oy * g.stride + dy) * g.width + ox * g.stride;
          for (std::size_t dx = 0; dx < g.size; ++dx) row[dx] += share;
        }
      }
    }
  }
}

}  // namespace dlplay::kernels
