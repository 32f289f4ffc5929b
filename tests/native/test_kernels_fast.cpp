// Fast paths against the plain ones they replace: maxpool_forward's fixed window sizes and four 2×2
// windows per batch against a plain loop; the fused bias + activation passes against the two passes.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "dlplay/kernels.hpp"

namespace k = dlplay::kernels;

namespace {

// The definition: each window in row order from its top-left value, strict >, so the first maximum wins.
void naive_maxpool(const k::PoolGeometry& g, const float* image, float* out, std::uint32_t* argmax) {
  std::size_t o = 0;
  for (std::size_t c = 0; c < g.channels; ++c)
    for (std::size_t oy = 0; oy < g.out_h(); ++oy)
      for (std::size_t ox = 0; ox < g.out_w(); ++ox, ++o) {
        std::size_t best = (c * g.height + oy * g.stride) * g.width + ox * g.stride;
        for (std::size_t dy = 0; dy < g.size; ++dy)
          for (std::size_t dx = 0; dx < g.size; ++dx) {
            const std::size_t i = (c * g.height + oy * g.stride + dy) * g.width + ox * g.stride + dx;
            if (image[i] > image[best]) best = i;
          }
        out[o] = image[best];
        argmax[o] = static_cast<std::uint32_t>(best);
      }
}

}  // namespace

TEST_CASE("kernels: maxpool fast paths match the plain loop, ties included") {
  std::mt19937 gen(77);
  auto pick = [&](std::size_t lo, std::size_t hi) { return lo + gen() % (hi - lo + 1); };
  int tested = 0;
  for (int t = 0; t < 400; ++t) {
    k::PoolGeometry g{};
    g.channels = pick(1, 3);
    g.height = pick(1, 14);
    g.width = pick(1, 30);
    g.size = t % 2 == 0 ? 2 : pick(1, 4);
    g.stride = t % 3 == 0 ? g.size : pick(1, 4);
    if (g.size > g.height || g.size > g.width) continue;
    ++tested;
    // Few distinct values (as after a ReLU: many zeros), so most windows hold ties.
    std::vector<float> x(g.channels * g.height * g.width);
    for (float& v : x) v = static_cast<float>(static_cast<int>(gen() % 5) - 2) * (gen() % 2 ? 1.0f : 0.0f);
    if (t % 4 == 0)
      for (float& v : x) v = static_cast<float>(gen() % 1000) / 999.0f;
    const std::size_t n = g.channels * g.out_h() * g.out_w();
    std::vector<float> y(n), y_ref(n);
    std::vector<std::uint32_t> am(n), am_ref(n);
    k::maxpool_forward(g, x.data(), y.data(), am.data());
    naive_maxpool(g, x.data(), y_ref.data(), am_ref.data());
    CAPTURE(g.channels);
    CAPTURE(g.height);
    CAPTURE(g.width);
    CAPTURE(g.size);
    CAPTURE(g.stride);
    CHECK(y == y_ref);
    CHECK(am == am_ref);
  }
  CHECK(tested > 200);
}

TEST_CASE("kernels: bias + activation in one pass equals add_*_bias then activate, bit for bit") {
  using A = k::Activation;
  std::mt19937 gen(5);
  auto value = [&] { return static_cast<float>(static_cast<int>(gen() % 4001) - 2000) / 100.0f; };
  auto same_bits = [](const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
  };
  for (A f : {A::linear, A::relu, A::leaky_relu, A::tanh, A::sigmoid}) {
    for (std::size_t cols = 1; cols <= 19; ++cols) {
      const std::size_t rows = 1 + cols % 4;
      std::vector<float> y(rows * cols), bias(cols), channel_bias(rows);
      for (float& v : y) v = value();
      for (float& v : bias) v = value();
      for (float& v : channel_bias) v = value();
      std::vector<float> fused = y, plain = y;
      k::add_row_bias_activate(f, fused.data(), bias.data(), rows, cols, 0.1f);
      k::add_row_bias(plain.data(), bias.data(), rows, cols);
      k::activate(f, plain.data(), rows, cols, 0.1f);
      CAPTURE(static_cast<int>(f));
      CAPTURE(cols);
      CHECK(same_bits(fused, plain));
      fused = y;
      plain = y;
      k::add_channel_bias_activate(f, fused.data(), channel_bias.data(), rows, cols, 0.1f);
      k::add_channel_bias(plain.data(), channel_bias.data(), rows, cols);
      k::activate(f, plain.data(), rows, cols, 0.1f);
      CHECK(same_bits(fused, plain));
    }
  }
}
