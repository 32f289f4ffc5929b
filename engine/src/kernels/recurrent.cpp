// The recurrent cells' element-wise steps (LSTM, GRU), written once with xsimd::batch<float>. The
// matrix products around them (inputs and previous hidden states times the weights) are gemm's.
//
// Every row of a step holds the gates side by side, each H wide (LSTM: i f g o; GRU: r z n), as
// in PyTorch's stacked weights. As in elementwise.cpp, a tail shorter than a batch goes through
// the same batch code in a padded buffer, so a value never depends on its position.
#include <algorithm>
#include <array>
#include <cstddef>
#include <xsimd/xsimd.hpp>

#include "dlplay/kernels.hpp"

namespace dlplay::kernels {
namespace {

using batch = xsimd::batch<float>;
constexpr std::size_t kW = batch::size;

// For j < len: out[k][j] ← f(in[0][j], in[1][j], …)[k], a batch at a time.
template <std::size_t In, std::size_t Out, class F>
void lanes(std::size_t len, const std::array<const float*, In>& in, const std::array<float*, Out>& out, F f) {
  std::array<batch, In> v;
  std::size_t j = 0;
  for (; j + kW <= len; j += kW) {
    for (std::size_t k = 0; k < In; ++k) v[k] = batch::load_unaligned(in[k] + j);
    const std::array<batch, Out> r = f(v);
    for (std::size_t k = 0; k < Out; ++k) r[k].store_unaligned(out[k] + j);
  }
  if (j == len) return;
  alignas(64) float t[In > Out ? In : Out][kW] = {};
  for (std::size_t k = 0; k < In; ++k) {
    std::copy(in[k] + j, in[k] + len, t[k]);
    v[k] = batch::load_aligned(t[k]);
  }
  const std::array<batch, Out> r = f(v);
  for (std::size_t k = 0; k < Out; ++k) {
    r[k].store_aligned(t[k]);
    std::copy(t[k], t[k] + (len - j), out[k] + j);
  }
}

batch sigmoid(const batch& x) { return batch(1.f) / (batch(1.f) + xsimd::exp(-x)); }

}  // namespace

void lstm_forward(std::size_t n, std::size_t h, float* gates, const float* c_prev, float* c, float* out) {
  for (std::size_t r = 0; r < n; ++r) {
    float* g = gates + r * 4 * h;
    const std::size_t o = r * h;
    lanes<5, 6>(h, {g, g + h, g + 2 * h, g + 3 * h, c_prev + o},
                {g, g + h, g + 2 * h, g + 3 * h, c + o, out + o}, [&](const std::array<batch, 5>& v) {
                  const batch i = sigmoid(v[0]), f = sigmoid(v[1]), gg = xsimd::tanh(v[2]),
                              og = sigmoid(v[3]);
                  const batch cn = f * v[4] + i * gg;
                  return std::array<batch, 6>{i, f, gg, og, cn, og * xsimd::tanh(cn)};
                });
  }
}

void lstm_backward(std::size_t n, std::size_t h, const float* gates, const float* c_prev, const float* c,
                   const float* dh, float* dc, float* d_gates) {
  const batch one(1.f);
  for (std::size_t r = 0; r < n; ++r) {
    const float* g = gates + r * 4 * h;
    float* dg = d_gates + r * 4 * h;
    const std::size_t o = r * h;
    lanes<8, 5>(h, {g, g + h, g + 2 * h, g + 3 * h, c_prev + o, c + o, dh + o, dc + o},
                {dg, dg + h, dg + 2 * h, dg + 3 * h, dc + o}, [&](const std::array<batch, 8>& v) {
                  const batch &i = v[0], &f = v[1], &gg = v[2], &og = v[3], &cp = v[4];
                  const batch tc = xsimd::tanh(v[5]);
                  const batch dcell = v[7] + v[6] * og * (one - tc * tc);
                  return std::array<batch, 5>{dcell * gg * i * (one - i), dcell * cp * f * (one - f),
                                              dcell * i * (one - gg * gg), v[6] * tc * og * (one - og),
                                              dcell * f};
                });
  }
}

void gru_forward(std::size_t n, std::size_t h, float* gates, const float* hidden, const float* h_prev,
                 float* out) {
  const batch one(1.f);
  for (std::size_t r = 0; r < n; ++r) {
    float* g = gates + r * 3 * h;
    const float* hh = hidden + r * 3 * h;
    const std::size_t o = r * h;
    lanes<7, 4>(h, {g, g + h, g + 2 * h, hh, hh + h, hh + 2 * h, h_prev + o}, {g, g + h, g + 2 * h, out + o},
                [&](const std::array<batch, 7>& v) {
                  const batch rg = sigmoid(v[0] + v[3]), z = sigmoid(v[1] + v[4]);
                  const batch nn = xsimd::tanh(v[2] + rg * v[5]);
                  return std::array<batch, 4>{rg, z, nn, (one - z) * nn + z * v[6]};
                });
  }
}

void gru_backward(std::size_t n, std::size_t h, const float* gates, const float* hidden, const float* h_prev,
                  const float* dh, float* d_gates, float* d_hidden, float* dh_prev) {
  const batch one(1.f);
  for (std::size_t r = 0; r < n; ++r) {
    const float* g = gates + r * 3 * h;
    const float* hh = hidden + r * 3 * h;
    float* dg = d_gates + r * 3 * h;
    float* dr = d_hidden + r * 3 * h;
    const std::size_t o = r * h;
    lanes<6, 6>(h, {g, g + h, g + 2 * h, hh + 2 * h, h_prev + o, dh + o},
                {dg, dg + h, dg + 2 * h, dr, dr + h, dr + 2 * h}, [&](const std::array<batch, 6>& v) {
                  const batch &rg = v[0], &z = v[1], &nn = v[2], &hn = v[3], &hp = v[4], &d = v[5];
                  const batch dn = d * (one - z) * (one - nn * nn);
                  const batch dz = d * (hp - nn) * z * (one - z);
                  const batch drg = dn * hn * rg * (one - rg);
                  return std::array<batch, 6>{drg, dz, dn, drg, dz, dn * rg};
                });
    lanes<2, 1>(h, {g + h, dh + o}, {dh_prev + o},
                [](const std::array<batch, 2>& v) { return std::array<batch, 1>{v[0] * v[1]}; });
  }
}

}  // namespace dlplay::kernels
