// Numerical gradient checks shared by the gradient tests: central differences, accumulated in
// double from the float forward, against the analytic gradients of Model::backward (parameters)
// and of the layers' backward chained by hand (the input gradient).
//
// Tolerance: |analytic − numeric| ≤ kAbs + kRel·(|analytic| + |numeric|). A gradient off by a
// factor of 2 misses it by far (see the checker's own test in test_gradients.cpp), and every
// check also requires a gradient large enough for the comparison to mean something.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "dlplay/dlplay.hpp"

namespace gradcheck {

using namespace dlplay;

inline constexpr double kEps = 5e-3;
inline constexpr double kAbs = 1e-3;
inline constexpr double kRel = 1e-2;

inline std::unique_ptr<Model> make_model(const Json& spec) {
  return std::make_unique<Model>(parse_model(spec));
}

inline Json model_json(const Shape& input, const Json& layers) {
  return {{"format", "dlplay-model"}, {"version", 1}, {"input", input}, {"layers", layers}, {"seed", 1}};
}

inline Shape batch(std::size_t n, const Shape& example) {
  Shape s{n};
  s.insert(s.end(), example.begin(), example.end());
  return s;
}

inline Tensor random_tensor(const Shape& shape, Rng& rng, float lo = -1.f, float hi = 1.f) {
  Tensor t = Tensor::from_shape(shape);
  for (float& v : t) v = rng.uniform(lo, hi);
  return t;
}

inline void randomize_params(Model& m, std::uint64_t seed, float scale = 1.f) {
  Rng rng(seed);
  for (const Param& p : m.params())
    for (float& v : *p.value) v = rng.uniform(-scale, scale);
}

inline void copy_params(Model& from, Model& to) {
  std::vector<Param> a = from.params(), b = to.params();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) *b[i].value = *a[i].value;
}

// What is differentiated: Σ r·output (a random projection), or a loss of the output.
struct Objective {
  bool projection = true;
  Tensor r;
  LossKind loss = LossKind::mse;
  Tensor targets;
  bool from_logits = false;  // the loss from the final softmax's logits, as the Trainer does
};

inline Objective projection(const Shape& output_shape, Rng& rng) {
  Objective o;
  o.r = random_tensor(output_shape, rng);
  return o;
}

inline Objective loss_objective(LossKind kind, Tensor targets, bool from_logits) {
  Objective o;
  o.projection = false;
  o.loss = kind;
  o.targets = std::move(targets);
  o.from_logits = from_logits;
  return o;
}

inline double value(Model& m, const Tensor& x, const Objective& o) {
  const Tensor& y = m.forward(x, false);
  if (o.projection) {
    double s = 0;
    for (std::size_t i = 0; i < y.size(); ++i) s += static_cast<double>(y.data()[i]) * o.r.data()[i];
    return s;
  }
  return loss_value(o.loss, y, o.from_logits ? m.output_logits() : nullptr, o.targets);
}

// dObjective/d(output), or d/d(logits) with from_logits.
inline Tensor output_gradient(Model& m, const Objective& o) {
  if (o.projection) return o.r;
  const Tensor* logits = o.from_logits ? m.output_logits() : nullptr;
  REQUIRE((!o.from_logits || logits != nullptr));
  Tensor g;
  loss_and_gradient(o.loss, m.output(), logits, o.targets, g);
  return g;
}

// Forward, then Model::backward: returns a copy of every parameter gradient.
inline std::vector<Tensor> analytic_param_grads(Model& m, const Tensor& x, const Objective& o) {
  m.forward(x, false);
  m.backward(output_gradient(m, o), o.from_logits);
  std::vector<Tensor> g;
  for (const Param& p : m.params()) g.push_back(*p.grad);
  return g;
}

// Forward, then every layer's backward chained by hand down to dL/dx.
inline Tensor analytic_input_grad(Model& m, const Tensor& x, const Objective& o) {
  m.forward(x, false);
  Tensor d = output_gradient(m, o), dx;
  for (std::size_t i = m.size(); i-- > 0;) {
    const Tensor& in = i ? m.activation(i - 1) : x;
    m.layer(i).backward(in, m.activation(i), d, &dx, o.from_logits && i + 1 == m.size());
    d = dx;
  }
  REQUIRE(d.shape() == x.shape());
  return d;
}

// Central difference with respect to v (a float inside the model or the input). With `kinks`
// (piecewise-linear networks: ReLU, max), a step that crosses a kink shows as one-sided differences
// that disagree; such points are reported as NaN and skipped.
inline double numeric(Model& m, const Tensor& x, const Objective& o, float& v, double eps, bool kinks) {
  const float saved = v;
  const float up = saved + static_cast<float>(eps), down = saved - static_cast<float>(eps);
  v = up;
  const double lp = value(m, x, o);
  v = down;
  const double lm = value(m, x, o);
  double l0 = 0;
  if (kinks) {
    v = saved;
    l0 = value(m, x, o);
  }
  v = saved;
  if (kinks) {
    const double fwd = (lp - l0) / (static_cast<double>(up) - saved);
    const double bwd = (l0 - lm) / (saved - static_cast<double>(down));
    if (std::fabs(fwd - bwd) > kAbs + kRel * (std::fabs(fwd) + std::fabs(bwd))) return NAN;
  }
  return (lp - lm) / (static_cast<double>(up) - static_cast<double>(down));
}

struct Comparison {
  std::size_t bad = 0, total = 0, skipped = 0;
  double largest = 0;  // largest |numeric| seen
  std::string first;   // the first mismatch, for the failure message
};

inline void compare(double a, double n, const std::string& what, std::size_t index, Comparison& c) {
  if (std::isnan(n)) {
    ++c.skipped;
    return;
  }
  ++c.total;
  c.largest = std::max(c.largest, std::fabs(n));
  if (std::fabs(a - n) <= kAbs + kRel * (std::fabs(a) + std::fabs(n))) return;
  if (c.bad++ == 0) {
    std::ostringstream s;
    s << what << "[" << index << "]: analytic " << a << ", numeric " << n;
    c.first = s.str();
  }
}

inline void report(const Comparison& c, const std::string& what) {
  INFO(what, ": ", c.first);
  CHECK(c.total > 0);
  CHECK(c.skipped * 10 <= c.total);  // kinks are rare: most points are checked
  CHECK(c.bad == 0);
  CHECK(c.largest > 3 * kAbs);  // not vacuous: a factor of 2 on the largest gradient fails
}

// Checks every parameter gradient of the model (but those named `skip`).
inline void check_params(Model& m, const Tensor& x, const Objective& o, double eps = kEps, bool kinks = false,
                         const std::string& skip = "") {
  std::vector<Tensor> analytic = analytic_param_grads(m, x, o);
  std::vector<Param> params = m.params();
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (params[i].name == skip) continue;
    const std::string what = "param " + std::to_string(i) + " (" + params[i].name + ")";
    Comparison c;
    REQUIRE(analytic[i].shape() == params[i].value->shape());
    for (std::size_t j = 0; j < params[i].value->size(); ++j)
      compare(analytic[i].data()[j], numeric(m, x, o, params[i].value->data()[j], eps, kinks), what, j, c);
    report(c, what);
  }
}

// Checks dL/dx through every layer.
inline void check_input(Model& m, Tensor x, const Objective& o, double eps = kEps, bool kinks = false) {
  Tensor analytic = analytic_input_grad(m, x, o);
  Comparison c;
  for (std::size_t j = 0; j < x.size(); ++j)
    compare(analytic.data()[j], numeric(m, x, o, x.data()[j], eps, kinks), "dx", j, c);
  report(c, "input");
}

inline void check_all(Model& m, const Tensor& x, const Objective& o, double eps = kEps, bool kinks = false) {
  check_params(m, x, o, eps, kinks);
  check_input(m, x, o, eps, kinks);
}

// Smallest |value| over a layer's output: how far the values are from a ReLU's kink.
inline float min_abs(const Tensor& t) {
  float m = INFINITY;
  for (float v : t) m = std::min(m, std::fabs(v));
  return m;
}

// Smallest gap between a pooling window's maximum and the runner-up, over a batch [N, C, H, W].
inline float pool_margin(const Tensor& x, std::size_t size, std::size_t stride) {
  const std::size_t n = x.shape()[0], ch = x.shape()[1], h = x.shape()[2], w = x.shape()[3];
  float margin = INFINITY;
  for (std::size_t i = 0; i < n * ch; ++i) {
    const float* img = x.data() + i * h * w;
    for (std::size_t oy = 0; oy + size <= h; oy += stride)
      for (std::size_t ox = 0; ox + size <= w; ox += stride) {
        float best = -INFINITY, second = -INFINITY;
        for (std::size_t a = 0; a < size; ++a)
          for (std::size_t b = 0; b < size; ++b) {
            const float v = img[(oy + a) * w + ox + b];
            if (v > best) {
              second = best;
              best = v;
            } else if (v > second) {
              second = v;
            }
          }
        if (size > 1) margin = std::min(margin, best - second);
      }
  }
  return margin;
}

// Per image and channel, a shuffled ramp 0, 0.2, 0.4, …: no two values in a window within 0.2.
inline Tensor distinct_images(const Shape& shape, Rng& rng) {
  Tensor t = Tensor::from_shape(shape);
  const std::size_t plane = shape[2] * shape[3];
  std::vector<std::size_t> idx(plane);
  for (std::size_t i = 0; i < shape[0] * shape[1]; ++i) {
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    rng.shuffle(idx.begin(), idx.end());
    for (std::size_t p = 0; p < plane; ++p) t.data()[i * plane + p] = 0.2f * static_cast<float>(idx[p]) - 1.f;
  }
  return t;
}

inline const std::size_t kBatches[] = {1, 7};

}  // namespace gradcheck
