#include "dlplay/optim.hpp"

#include <cmath>

#include "dlplay/kernels.hpp"

namespace dlplay {

Optimizer::Optimizer(OptimizerSpec spec, Regularization reg, float reg_rate)
    : spec_(std::move(spec)), reg_(reg), reg_rate_(reg_rate) {}

void Optimizer::set(OptimizerSpec spec, Regularization reg, float reg_rate) {
  if (spec.type != spec_.type || spec.nesterov != spec_.nesterov) reset();
  spec_ = std::move(spec);
  reg_ = reg;
  reg_rate_ = reg_rate;
}

void Optimizer::reset() {
  m_.clear();
  v_.clear();
  t_ = 0;
}

void Optimizer::restore(std::size_t steps, std::vector<Tensor> m, std::vector<Tensor> v) {
  if (m.size() != v.size()) throw Error("optimizer: as many first as second moment estimates");
  m_ = std::move(m);
  v_ = std::move(v);
  t_ = steps;
}

// With clip_norm, the factor that scales the loss's gradient of all parameters together down to
// that norm (1 when it is smaller); the regulariser's part is not clipped.
float Optimizer::clip_factor(const std::vector<Param>& params) const {
  if (spec_.clip_norm <= 0) return 1.f;
  double sum = 0;
  for (const Param& p : params)
    for (const float g : *p.grad) sum += static_cast<double>(g) * g;
  const double norm = std::sqrt(sum);
  return norm > spec_.clip_norm ? static_cast<float>(spec_.clip_norm / norm) : 1.f;
}

// The gradient as the update sees it: the loss's plus the regulariser's
// (L2: ½·rate·‖w‖² gives rate·w; L1: rate·‖w‖₁ gives rate·sign(w)).
void Optimizer::step(const std::vector<Param>& params) {
  if (m_.size() != params.size()) {
    m_.clear();
    v_.clear();
    for (const Param& p : params) {
      m_.push_back(xt::zeros<float>(p.value->shape()));
      v_.push_back(xt::zeros<float>(p.value->shape()));
    }
    t_ = 0;
  }
  ++t_;
  const float clip = clip_factor(params);
  const float lr = spec_.lr, mu = spec_.momentum, eps = spec_.epsilon;
  const float b1 = spec_.beta1, b2 = spec_.beta2, rho = spec_.rho;
  const bool adam = spec_.type == OptimizerKind::adam, sgd = spec_.type == OptimizerKind::sgd;
  const bool adagrad = spec_.type == OptimizerKind::adagrad;
  const float c1 = adam ? 1.f - static_cast<float>(std::pow(b1, static_cast<double>(t_))) : 1.f;
  const float c2 = adam ? 1.f - static_cast<float>(std::pow(b2, static_cast<double>(t_))) : 1.f;
  for (std::size_t i = 0; i < params.size(); ++i) {
    float* w = params[i].value->data();
    const float* g0 = params[i].grad->data();
    float* m = m_[i].data();
    float* v = v_[i].data();
    const std::size_t n = params[i].value->size();
    const bool l1 = params[i].regularized && reg_ == Regularization::l1 && reg_rate_ > 0;
    const bool l2 = params[i].regularized && reg_ == Regularization::l2 && reg_rate_ > 0;
    auto grad = [&](std::size_t j) {
      float g = clip * g0[j];
      if (l2) g += reg_rate_ * w[j];
      if (l1) g += reg_rate_ * static_cast<float>((w[j] > 0) - (w[j] < 0));
      return g;
    };
    if (sgd && mu == 0.f && clip == 1.f && !l1 && !l2) {
      kernels::axpy(n, -lr, g0, w);  // w + (−lr)·g is w − lr·g exactly, lane or scalar
    } else if (sgd && mu == 0.f) {
      for (std::size_t j = 0; j < n; ++j) w[j] -= lr * grad(j);
    } else if (sgd) {
      for (std::size_t j = 0; j < n; ++j) {
        const float g = grad(j);
        m[j] = mu * m[j] + g;
        w[j] -= lr * (spec_.nesterov ? g + mu * m[j] : m[j]);
      }
    } else if (adam) {
      for (std::size_t j = 0; j < n; ++j) {
        const float g = grad(j);
        m[j] = b1 * m[j] + (1 - b1) * g;
        v[j] = b2 * v[j] + (1 - b2) * g * g;
        w[j] -= lr * (m[j] / c1) / (std::sqrt(v[j] / c2) + eps);
      }
    } else if (adagrad) {
      for (std::size_t j = 0; j < n; ++j) {
        const float g = grad(j);
        v[j] += g * g;
        w[j] -= lr * g / (std::sqrt(v[j]) + eps);
      }
    } else {  // rmsprop
      for (std::size_t j = 0; j < n; ++j) {
        const float g = grad(j);
        v[j] = rho * v[j] + (1 - rho) * g * g;
        w[j] -= lr * g / (std::sqrt(v[j]) + eps);
      }
    }
  }
}

}  // namespace dlplay
