// Max and average pooling over one image [channels][height][width], size×size windows, no padding.
#include <cstddef>
#include <cstdint>

#include "dlplay/kernels.hpp"

namespace dlplay::kernels {

void maxpool_forward(const PoolGeometry& g, const float* image, float* out, std::uint32_t* argmax) {
  const std::size_t oh = g.out_h();
  const std::size_t ow = g.out_w();
  std::size_t o = 0;
  for (std::size_t c = 0; c < g.channels; ++c) {
    const std::size_t plane = c * g.height * g.width;
    for (std::size_t oy = 0; oy < oh; ++oy) {
      for (std::size_t ox = 0; ox < ow; ++ox, ++o) {
        std::size_t best_index = plane + oy * g.stride * g.width + ox * g.stride;
        float best = image[best_index];
        for (std::size_t dy = 0; dy < g.size; ++dy) {
          const std::size_t row = plane + (oy * g.stride + dy) * g.width + ox * g.stride;
          for (std::size_t dx = 0; dx < g.size; ++dx) {
            if (image[row + dx] > best) {  // strict: the first maximum wins ties
              best = image[row + dx];
              best_index = row + dx;
            }
          }
        }
        out[o] = best;
        argmax[o] = static_cast<std::uint32_t>(best_index);
      }
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
