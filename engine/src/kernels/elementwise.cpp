// Activations, their backward passes, bias and reduction helpers, axpy/scale, written once with
// xsimd::batch<float>.
//
// Determinism: every element of an activation goes through the same batch code; a tail shorter than a batch
// is copied into a padded batch, so a value's result never depends on its position. Reductions (softmax
// sums, sum_cols) accumulate lane-wise and then reduce in a fixed order, so their order depends only on
// the sizes.
#include <algorithm>
#include <cstddef>
#include <limits>
#include <xsimd/xsimd.hpp>

#include "dlplay/kernels.hpp"
#include "runs.hpp"

namespace dlplay::kernels {
namespace {

using batch = xsimd::batch<float>;
constexpr std::size_t kW = batch::size;

// x[i] ← f(x[i]) for i < n; the tail goes through f as a batch padded with `pad`.
template <class F>
void map_inplace(float* x, std::size_t n, F f, float pad = 0.0f) {
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) f(batch::load_unaligned(x + i)).store_unaligned(x + i);
  if (i < n) {
    alignas(64) float t[kW];
    std::fill(t, t + kW, pad);
    std::copy(x + i, x + n, t);
    f(batch::load_aligned(t)).store_aligned(t);
    std::copy(t, t + (n - i), x + i);
  }
}

// d[i] ← g(y[i], d[i]) for i < n; the tail goes through g as padded batches.
template <class G>
void map_backward(const float* y, float* d, std::size_t n, G g) {
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    g(batch::load_unaligned(y + i), batch::load_unaligned(d + i)).store_unaligned(d + i);
  }
  if (i < n) {
    alignas(64) float ty[kW] = {};
    alignas(64) float td[kW] = {};
    std::copy(y + i, y + n, ty);
    std::copy(d + i, d + n, td);
    g(batch::load_aligned(ty), batch::load_aligned(td)).store_aligned(td);
    std::copy(td, td + (n - i), d + i);
  }
}

float lane_max(const batch& v) {
  alignas(64) float t[kW];
  v.store_aligned(t);
  float m = t[0];
  for (std::size_t l = 1; l < kW; ++l) m = std::max(m, t[l]);
  return m;
}

// One softmax row: subtract the max, exponentiate, divide by the sum.
void softmax_row(float* x, std::size_t n) {
  constexpr float kNegInf = -std::numeric_limits<float>::infinity();
  const std::size_t full = n / kW * kW;
  alignas(64) float tail[kW];
  std::fill(tail, tail + kW, kNegInf);
  std::copy(x + full, x + n, tail);

  batch vmax(kNegInf);
  for (std::size_t i = 0; i < full; i += kW) vmax = xsimd::max(vmax, batch::load_unaligned(x + i));
  vmax = xsimd::max(vmax, batch::load_aligned(tail));
  const batch mx(lane_max(vmax));

  batch vsum(0.0f);
  for (std::size_t i = 0; i < full; i += kW) {
    const batch e = xsimd::exp(batch::load_unaligned(x + i) - mx);
    e.store_unaligned(x + i);
    vsum = vsum + e;
  }
  const batch et = xsimd::exp(batch::load_aligned(tail) - mx);  // padded lanes: exp(−inf) = 0
  vsum = vsum + et;
  et.store_aligned(tail);
  std::copy(tail, tail + (n - full), x + full);

  const batch sum(xsimd::hadd(vsum));
  map_inplace(x, n, [&](const batch& e) { return e / sum; });
}

// One row of the softmax Jacobian-vector product: d ← y ⊙ (d − Σ d·y).
void softmax_backward_row(const float* y, float* d, std::size_t n) {
  const std::size_t full = n / kW * kW;
  batch vdot(0.0f);
  for (std::size_t i = 0; i < full; i += kW) {
    vdot = vdot + batch::load_unaligned(d + i) * batch::load_unaligned(y + i);
  }
  if (full < n) {
    alignas(64) float ty[kW] = {};
    alignas(64) float td[kW] = {};
    std::copy(y + full, y + n, ty);
    std::copy(d + full, d + n, td);
    vdot = vdot + batch::load_aligned(td) * batch::load_aligned(ty);
  }
  const batch dot(xsimd::hadd(vdot));
  map_backward(y, d, n, [&](const batch& yv, const batch& dv) { return yv * (dv - dot); });
}

// Calls use(g) with g the batch function of f (not softmax): one definition for activate and the fused
// bias passes.
template <class Use>
void with_activation(Activation f, float alpha, Use use) {
  const batch zero(0.0f);
  const batch one(1.0f);
  switch (f) {
    case Activation::linear:
    case Activation::softmax:
      use([](const batch& v) { return v; });
      return;
    case Activation::relu:
      use([&](const batch& v) { return xsimd::select(v > zero, v, zero); });
      return;
    case Activation::leaky_relu: {
      const batch a(alpha);
      use([&](const batch& v) { return xsimd::select(v > zero, v, a * v); });
      return;
    }
    case Activation::tanh:
      use([](const batch& v) { return xsimd::tanh(v); });
      return;
    case Activation::sigmoid:
      // exp(−x) overflows to +inf for x < −88.7, giving 1/(1+inf) = 0: no NaN for any non-NaN x.
      use([&](const batch& v) { return one / (one + xsimd::exp(-v)); });
      return;
  }
}

// row[i] ← g(row[i] + b(i)) for i < n, where b(i) is the bias batch at i (bias_at) or its value (bias_one);
// the tail as a batch padded with zeros, as map_inplace.
template <class G, class BiasBatch, class BiasOne>
void bias_map(float* row, std::size_t n, G g, BiasBatch bias_at, BiasOne bias_one) {
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) g(batch::load_unaligned(row + i) + bias_at(i)).store_unaligned(row + i);
  if (i < n) {
    alignas(64) float t[kW];
    for (std::size_t l = 0; l < kW; ++l) t[l] = i + l < n ? row[i + l] + bias_one(i + l) : 0.0f;
    g(batch::load_aligned(t)).store_aligned(t);
    for (std::size_t l = 0; l < kW; ++l)  // a constant trip count: moves, not a memcpy call
      if (i + l < n) row[i + l] = t[l];
  }
}

}  // namespace

void add_row_bias_activate(Activation f, float* y, const float* bias, std::size_t rows, std::size_t cols,
                           float alpha) {
  with_activation(f, alpha, [&](auto g) {
    for (std::size_t r = 0; r < rows; ++r, y += cols) {
      bias_map(
          y, cols, g, [&](std::size_t i) { return batch::load_unaligned(bias + i); },
          [&](std::size_t i) { return bias[i]; });
    }
  });
}

void add_channel_bias_activate(Activation f, float* y, const float* bias, std::size_t channels,
                               std::size_t pixels, float alpha) {
  with_activation(f, alpha, [&](auto g) {
    for (std::size_t ch = 0; ch < channels; ++ch, y += pixels) {
      const batch b(bias[ch]);
      const float b1 = bias[ch];
      bias_map(
          y, pixels, g, [&](std::size_t) { return b; }, [&](std::size_t) { return b1; });
    }
  });
}

void activate(Activation f, float* x, std::size_t rows, std::size_t cols, float alpha) {
  if (f == Activation::linear) return;
  if (f == Activation::softmax) {
    if (cols == 0) return;
    for (std::size_t r = 0; r < rows; ++r) softmax_row(x + r * cols, cols);
    return;
  }
  with_activation(f, alpha, [&](auto g) { map_inplace(x, rows * cols, g); });
}

void activate_backward(Activation f, const float* y, float* d, std::size_t rows, std::size_t cols,
                       float alpha) {
  const std::size_t n = rows * cols;
  const batch zero(0.0f);
  const batch one(1.0f);
  switch (f) {
    case Activation::linear:
      return;
    case Activation::relu:
      map_backward(y, d, n,
                   [&](const batch& yv, const batch& dv) { return xsimd::select(yv > zero, dv, zero); });
      return;
    case Activation::leaky_relu: {
      const batch a(alpha);
      map_backward(y, d, n,
                   [&](const batch& yv, const batch& dv) { return xsimd::select(yv > zero, dv, a * dv); });
      return;
    }
    case Activation::tanh:
      map_backward(y, d, n, [&](const batch& yv, const batch& dv) { return dv * (one - yv * yv); });
      return;
    case Activation::sigmoid:
      map_backward(y, d, n, [&](const batch& yv, const batch& dv) { return dv * (yv * (one - yv)); });
      return;
    case Activation::softmax:
      if (cols == 0) return;
      for (std::size_t r = 0; r < rows; ++r) softmax_backward_row(y + r * cols, d + r * cols, cols);
      return;
  }
}

void add_row_bias(float* y, const float* bias, std::size_t rows, std::size_t cols) {
  // y + b: what axpy with alpha = 1 computed (1·b is b), without its multiply.
  for (std::size_t r = 0; r < rows; ++r, y += cols) runs::add(bias, y, cols);
}

void add_channel_bias(float* y, const float* bias, std::size_t channels, std::size_t pixels) {
  for (std::size_t ch = 0; ch < channels; ++ch) {
    float* row = y + ch * pixels;
    const batch b(bias[ch]);
    std::size_t i = 0;
    for (; i + kW <= pixels; i += kW) (batch::load_unaligned(row + i) + b).store_unaligned(row + i);
    for (; i < pixels; ++i) row[i] += bias[ch];
  }
}

void sum_rows(const float* x, std::size_t rows, std::size_t cols, float* sums) {
  // Column sums Σ_r in row order, then added to sums[c]: lanes are columns, so the order depends only on
  // rows.
  std::size_t c = 0;
  for (; c + kW <= cols; c += kW) {
    batch acc(0.0f);
    for (std::size_t r = 0; r < rows; ++r) acc = acc + batch::load_unaligned(x + r * cols + c);
    (batch::load_unaligned(sums + c) + acc).store_unaligned(sums + c);
  }
  for (; c < cols; ++c) {
    float acc = 0.0f;
    for (std::size_t r = 0; r < rows; ++r) acc += x[r * cols + c];
    sums[c] += acc;
  }
}

void column_sums(const float* x, std::size_t rows, std::size_t cols, float* sums) {
  // As sum_rows onto zeros (0 + Σ, so even the sign of a zero sum is the same), without reading sums.
  std::size_t c = 0;
  for (; c + kW <= cols; c += kW) {
    batch acc(0.0f);
    for (std::size_t r = 0; r < rows; ++r) acc = acc + batch::load_unaligned(x + r * cols + c);
    (batch(0.0f) + acc).store_unaligned(sums + c);
  }
  for (; c < cols; ++c) {
    float acc = 0.0f;
    for (std::size_t r = 0; r < rows; ++r) acc += x[r * cols + c];
    sums[c] = 0.0f + acc;
  }
}

void sum_cols(const float* x, std::size_t rows, std::size_t cols, float* sums) {
  for (std::size_t r = 0; r < rows; ++r) {
    const float* row = x + r * cols;
    batch acc(0.0f);
    std::size_t c = 0;
    for (; c + kW <= cols; c += kW) acc = acc + batch::load_unaligned(row + c);
    float s = xsimd::hadd(acc);
    for (; c < cols; ++c) s += row[c];
    sums[r] += s;
  }
}

void axpy(std::size_t n, float alpha, const float* x, float* y) {
  const batch a(alpha);
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    (batch::load_unaligned(y + i) + a * batch::load_unaligned(x + i)).store_unaligned(y + i);
  }
  for (; i < n; ++i) y[i] += alpha * x[i];
}

void scale(std::size_t n, float alpha, float* x) {
  const batch a(alpha);
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) (a * batch::load_unaligned(x + i)).store_unaligned(x + i);
  for (; i < n; ++i) x[i] = alpha * x[i];
}

const char* simd_arch() { return xsimd::default_arch::name(); }

}  // namespace dlplay::kernels
