// Scalar reference implementations of the kernel contracts: plain loops, std:: math. For tests only.
#include <algorithm>
#include <cmath>
#include <cstddef>

#include "dlplay/kernels.hpp"

namespace dlplay::kernels::reference {

void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha,
          const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
          std::size_t ldc) {
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      float& cij = c[i * ldc + j];
      if (k == 0 || alpha == 0.0f) {
        cij = beta == 0.0f ? 0.0f : beta * cij;
        continue;
      }
      float s = 0.0f;
      for (std::size_t p = 0; p < k; ++p) {
        const float aip = trans_a ? a[p * lda + i] : a[i * lda + p];
        const float bpj = trans_b ? b[j * ldb + p] : b[p * ldb + j];
        s += aip * bpj;
      }
      cij = beta == 0.0f ? alpha * s : alpha * s + beta * cij;
    }
  }
}

namespace {

float apply(Activation f, float x, float alpha) {
  switch (f) {
    case Activation::relu:
      return x > 0.0f ? x : 0.0f;
    case Activation::leaky_relu:
      return x > 0.0f ? x : alpha * x;
    case Activation::tanh:
      return std::tanh(x);
    case Activation::sigmoid:
      return 1.0f / (1.0f + std::exp(-x));
    case Activation::linear:
    case Activation::softmax:
      break;
  }
  return x;
}

// d ⊙ f'(z) in terms of y = f(z).
float backward(Activation f, float y, float d, float alpha) {
  switch (f) {
    case Activation::relu:
      return y > 0.0f ? d : 0.0f;
    case Activation::leaky_relu:
      return y > 0.0f ? d : alpha * d;
    case Activation::tanh:
      return d * (1.0f - y * y);
    case Activation::sigmoid:
      return d * (y * (1.0f - y));
    case Activation::linear:
    case Activation::softmax:
      break;
  }
  return d;
}

}  // namespace

void activate(Activation f, float* x, std::size_t rows, std::size_t cols, float alpha) {
  if (f == Activation::softmax) {
    for (std::size_t r = 0; r < rows; ++r) {
      float* row = x + r * cols;
      if (cols == 0) continue;
      const float mx = *std::max_element(row, row + cols);
      double sum = 0.0;
      for (std::size_t c = 0; c < cols; ++c) {
        row[c] = std::exp(row[c] - mx);
        sum += row[c];
      }
      for (std::size_t c = 0; c < cols; ++c) row[c] = static_cast<float>(row[c] / sum);
    }
    return;
  }
  for (std::size_t i = 0; i < rows * cols; ++i) x[i] = apply(f, x[i], alpha);
}

void activate_backward(Activation f, const float* y, float* d, std::size_t rows, std::size_t cols,
                       float alpha) {
  if (f == Activation::softmax) {
    for (std::size_t r = 0; r < rows; ++r) {
      const float* yr = y + r * cols;
      float* dr = d + r * cols;
      double dot = 0.0;
      for (std::size_t c = 0; c < cols; ++c) dot += static_cast<double>(dr[c]) * yr[c];
      for (std::size_t c = 0; c < cols; ++c) dr[c] = static_cast<float>(yr[c] * (dr[c] - dot));
    }
    return;
  }
  for (std::size_t i = 0; i < rows * cols; ++i) d[i] = backward(f, y[i], d[i], alpha);
}

}  // namespace dlplay::kernels::reference
