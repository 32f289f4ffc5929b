// The engine's hot loops. The only place with xsimd code; everything else calls these.
// All arrays are float32, row-major, densely packed unless a leading dimension says otherwise.
#pragma once

#include <cstddef>
#include <cstdint>

namespace dlplay::kernels {

// C[m×n] = alpha · op(A) · op(B) + beta · C, where op(A) is m×k and op(B) is k×n.
// trans_a: A is stored k×m (lda ≥ m); otherwise m×k (lda ≥ k). Likewise trans_b: B stored n×k.
// beta == 0 overwrites C without reading it (C may hold NaN or garbage).
void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha,
          const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
          std::size_t ldc);

// Convolution geometry for one image [channels][height][width] and a kh×kw kernel.
struct ConvGeometry {
  std::size_t channels, height, width, kernel_h, kernel_w, stride, padding;
  std::size_t out_h() const { return (height + 2 * padding - kernel_h) / stride + 1; }
  std::size_t out_w() const { return (width + 2 * padding - kernel_w) / stride + 1; }
  std::size_t col_rows() const { return channels * kernel_h * kernel_w; }
  std::size_t col_cols() const { return out_h() * out_w(); }
};

// cols[(c·kh + i)·kw + j][oy·out_w + ox] = image[c][oy·stride + i − pad][ox·stride + j − pad], 0 outside.
void im2col(const ConvGeometry& g, const float* image, float* cols);
// The adjoint of im2col: image += scatter(cols). The caller zeroes `image` first when it must.
void col2im(const ConvGeometry& g, const float* cols, float* image);

// Pooling over one image [channels][height][width] with a size×size window (no padding).
struct PoolGeometry {
  std::size_t channels, height, width, size, stride;
  std::size_t out_h() const { return (height - size) / stride + 1; }
  std::size_t out_w() const { return (width - size) / stride + 1; }
};
// argmax[o] is the index into the image of the maximum chosen for output o (first one on ties).
void maxpool_forward(const PoolGeometry& g, const float* image, float* out, std::uint32_t* argmax);
// d_image[argmax[o]] += d_out[o]. The caller zeroes d_image first.
void maxpool_backward(const PoolGeometry& g, const float* d_out, const std::uint32_t* argmax, float* d_image);
void avgpool_forward(const PoolGeometry& g, const float* image, float* out);
// d_image += d_out spread evenly over each window. The caller zeroes d_image first.
void avgpool_backward(const PoolGeometry& g, const float* d_out, float* d_image);

enum class Activation { linear, relu, leaky_relu, tanh, sigmoid, softmax };

// x ← f(x) in place over rows×cols. softmax is per row (numerically stable: max subtracted).
// alpha is leaky_relu's negative slope.
void activate(Activation f, float* x, std::size_t rows, std::size_t cols, float alpha);
// d ← d ⊙ f'(z), written in terms of the activation's output y = f(z) (all six allow it).
// For softmax it applies the row Jacobian: d ← y ⊙ (d − Σ d·y).
void activate_backward(Activation f, const float* y, float* d, std::size_t rows, std::size_t cols,
                       float alpha);

// y[r][c] += bias[c]                      (dense: rows are examples)
void add_row_bias(float* y, const float* bias, std::size_t rows, std::size_t cols);
// y[ch][p] += bias[ch]                    (conv: one image's channels × pixels)
void add_channel_bias(float* y, const float* bias, std::size_t channels, std::size_t pixels);
// y[r][c] ← f(y[r][c] + bias[c]) and y[ch][p] ← f(y[ch][p] + bias[ch]): add_row_bias / add_channel_bias
// then activate in one pass, with the same results. f is not softmax (it is read as linear).
void add_row_bias_activate(Activation f, float* y, const float* bias, std::size_t rows, std::size_t cols,
                           float alpha);
void add_channel_bias_activate(Activation f, float* y, const float* bias, std::size_t channels,
                               std::size_t pixels, float alpha);
// sums[c] += Σ_r x[r][c]                  (dense bias gradient)
void sum_rows(const float* x, std::size_t rows, std::size_t cols, float* sums);
// sums[c] = Σ_r x[r][c]                   (sum_rows onto zeros, without reading sums)
void column_sums(const float* x, std::size_t rows, std::size_t cols, float* sums);
// sums[r] += Σ_c x[r][c]                  (conv bias gradient)
void sum_cols(const float* x, std::size_t rows, std::size_t cols, float* sums);

// y ← y + alpha · x
void axpy(std::size_t n, float alpha, const float* x, float* y);
// x ← alpha · x
void scale(std::size_t n, float alpha, float* x);

// Recurrent cells, one time step over n rows (kernels/recurrent.cpp). Each row of `gates` holds the
// gates side by side, h values each, in PyTorch's order.
// LSTM: gates [n][4h] holds the pre-activations W·x + U·h_prev + b of i, f, g, o and becomes
// σ(i), σ(f), tanh(g), σ(o); c = f⊙c_prev + i⊙g; out = o⊙tanh(c).
void lstm_forward(std::size_t n, std::size_t h, float* gates, const float* c_prev, float* c, float* out);
// From the activated gates, c_prev and c of that step, dh = dL/dh and dc = dL/dc from the step after
// (zeros at the last): d_gates [n][4h] = dL/d(pre-activations), and dc becomes dL/dc_prev.
void lstm_backward(std::size_t n, std::size_t h, const float* gates, const float* c_prev, const float* c,
                   const float* dh, float* dc, float* d_gates);
// GRU: gates [n][3h] holds W·x + b_ih (r, z, n parts) and becomes σ(r), σ(z), n; hidden [n][3h] is
// U·h_prev + b_hh. r = σ(·), z = σ(·), n = tanh(W_n·x + b_in + r⊙(U_n·h_prev + b_hn)),
// out = (1 − z)⊙n + z⊙h_prev.
void gru_forward(std::size_t n, std::size_t h, float* gates, const float* hidden, const float* h_prev,
                 float* out);
// From that step's activated gates, hidden and h_prev and dh = dL/dout: d_gates = dL/d(W·x + b_ih),
// d_hidden = dL/d(U·h_prev + b_hh), dh_prev = z⊙dh (the direct part; add d_hidden·U for the rest).
void gru_backward(std::size_t n, std::size_t h, const float* gates, const float* hidden, const float* h_prev,
                  const float* dh, float* d_gates, float* d_hidden, float* dh_prev);

// Scalar reference implementations: the same contracts, plain loops. For tests only.
namespace reference {
void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha,
          const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
          std::size_t ldc);
void activate(Activation f, float* x, std::size_t rows, std::size_t cols, float alpha);
void activate_backward(Activation f, const float* y, float* d, std::size_t rows, std::size_t cols,
                       float alpha);
}  // namespace reference

// The benchmark's yardstick (kernels/peak.cpp): `rounds` rounds of independent multiply-add chains
// on SIMD batches (mul then add: no FMA), peak_probe_flops(rounds) floating-point operations; the
// result only keeps the compiler from dropping the work.
float peak_probe(std::size_t rounds, float seed);
std::size_t peak_probe_flops(std::size_t rounds);

// Name of the SIMD architecture compiled in ("sse2", "avx512bw", …).
const char* simd_arch();

}  // namespace dlplay::kernels
