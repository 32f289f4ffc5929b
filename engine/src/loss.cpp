#include "dlplay/loss.hpp"

#include <algorithm>
#include <cmath>

namespace dlplay {
namespace {

// Shared by the value and the gradient: one pass per example. `grad` may be null.
double compute(LossKind kind, const Tensor& output, const Tensor* logits, const Tensor& targets,
               float* grad) {
  // Outputs [N, T, K] of a sequence with class indices [N, T]: each step is a row of its own.
  const bool steps = output.dimension() == 3 && kind == LossKind::cross_entropy &&
                     targets.size() == output.shape()[0] * output.shape()[1] && output.shape()[2] > 1;
  const std::size_t n = output.shape()[0] * (steps ? output.shape()[1] : 1), k = output.size() / n;
  const float* y = output.data();
  const float* t = targets.data();
  const bool indices = targets.size() == n && !(kind == LossKind::mse || k == 1);
  if (!indices && targets.size() != n * k)
    throw Error("targets: expected " + std::to_string(k) + " per example, got " +
                std::to_string(targets.size() / std::max<std::size_t>(n, 1)));
  const float* z = logits ? logits->data() : nullptr;
  double total = 0;
  const float inv_n = 1.f / static_cast<float>(n);
  if (kind == LossKind::mse) {
    const float scale = 2.f / static_cast<float>(n * k);
    for (std::size_t i = 0; i < n * k; ++i) {
      const float e = y[i] - t[i];
      total += static_cast<double>(e) * e;
      if (grad) grad[i] = scale * e;
    }
    return total / static_cast<double>(n * k);
  }
  constexpr float kTiny = 1e-7f;
  for (std::size_t r = 0; r < n; ++r) {
    const float* yr = y + r * k;
    float* gr = grad ? grad + r * k : nullptr;
    if (k == 1) {  // binary cross-entropy on a single probability, label 0 or 1
      const float p = std::clamp(yr[0], kTiny, 1.f - kTiny), label = t[r];
      total -= label * std::log(static_cast<double>(p)) + (1 - label) * std::log(1.0 - p);
      if (gr) gr[0] = (p - label) / (p * (1 - p)) * inv_n;
      continue;
    }
    double lse = 0;
    if (z) {  // log-sum-exp of the logits, stable
      const float* zr = z + r * k;
      const float m = *std::max_element(zr, zr + k);
      double s = 0;
      for (std::size_t c = 0; c < k; ++c) s += std::exp(static_cast<double>(zr[c]) - m);
      lse = m + std::log(s);
    }
    auto neg_log_p = [&](std::size_t c) {
      return z ? lse - z[r * k + c] : -std::log(static_cast<double>(std::max(yr[c], kTiny)));
    };
    if (indices) {
      const float label = t[r];
      if (!(label >= 0 && label < static_cast<float>(k)) || label != std::floor(label))
        throw Error("labels: class " + std::to_string(label) + " is not a whole number from 0 to " +
                    std::to_string(k - 1));
      const auto c = static_cast<std::size_t>(label);
      total += neg_log_p(c);
      if (gr) {
        if (z) {
          for (std::size_t j = 0; j < k; ++j) gr[j] = yr[j] * inv_n;
          gr[c] -= inv_n;
        } else {
          std::fill(gr, gr + k, 0.f);
          gr[c] = -inv_n / std::max(yr[c], kTiny);
        }
      }
    } else {
      const float* tr = t + r * k;
      float mass = 0;
      for (std::size_t c = 0; c < k; ++c) {
        if (tr[c] != 0) total += tr[c] * neg_log_p(c);
        mass += tr[c];
      }
      if (gr)
        for (std::size_t j = 0; j < k; ++j)
          gr[j] = z ? (yr[j] * mass - tr[j]) * inv_n : -tr[j] / std::max(yr[j], kTiny) * inv_n;
    }
  }
  return total / static_cast<double>(n);
}

}  // namespace

double loss_and_gradient(LossKind kind, const Tensor& output, const Tensor* logits, const Tensor& targets,
                         Tensor& grad) {
  ensure_shape(grad, output.shape());
  return compute(kind, output, logits, targets, grad.data());
}

double loss_value(LossKind kind, const Tensor& output, const Tensor* logits, const Tensor& targets) {
  return compute(kind, output, logits, targets, nullptr);
}

std::string loss_name(LossKind kind) { return vocab::losses().at(static_cast<std::size_t>(kind)); }

}  // namespace dlplay
