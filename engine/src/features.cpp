#include "dlplay/features.hpp"

#include <cmath>

namespace dlplay::features {
namespace {

float value(Feature f, float x1, float x2) {
  switch (f) {
    case Feature::x1:
      return x1;
    case Feature::x2:
      return x2;
    case Feature::x1sq:
      return x1 * x1;
    case Feature::x2sq:
      return x2 * x2;
    case Feature::x1x2:
      return x1 * x2;
    case Feature::sinx1:
      return static_cast<float>(std::sin(static_cast<double>(x1)));
    case Feature::sinx2:
      return static_cast<float>(std::sin(static_cast<double>(x2)));
  }
  return 0.f;
}

// (∂f/∂x1, ∂f/∂x2)
void slope(Feature f, float x1, float x2, float& d1, float& d2) {
  d1 = d2 = 0.f;
  switch (f) {
    case Feature::x1:
      d1 = 1.f;
      break;
    case Feature::x2:
      d2 = 1.f;
      break;
    case Feature::x1sq:
      d1 = 2.f * x1;
      break;
    case Feature::x2sq:
      d2 = 2.f * x2;
      break;
    case Feature::x1x2:
      d1 = x2;
      d2 = x1;
      break;
    case Feature::sinx1:
      d1 = static_cast<float>(std::cos(static_cast<double>(x1)));
      break;
    case Feature::sinx2:
      d2 = static_cast<float>(std::cos(static_cast<double>(x2)));
      break;
  }
}

void check_points(const Tensor& points) {
  if (points.dimension() < 1 || points.size() != 2 * points.shape()[0])
    throw Error("features: need 2-D points to compute features from");
}

}  // namespace

Tensor apply(const Tensor& points, const std::vector<Feature>& features) {
  check_points(points);
  const std::size_t n = points.shape()[0], k = features.size();
  Tensor out = Tensor::from_shape({n, k});
  const float* p = points.data();
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < k; ++j) out.data()[i * k + j] = value(features[j], p[2 * i], p[2 * i + 1]);
  return out;
}

Tensor backward(const Tensor& points, const std::vector<Feature>& features, const Tensor& d_features) {
  check_points(points);
  const std::size_t n = points.shape()[0], k = features.size();
  if (d_features.size() != n * k) throw Error("features: gradient does not match the features' shape");
  Tensor out = xt::zeros<float>({n, std::size_t{2}});
  const float* p = points.data();
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < k; ++j) {
      float d1, d2;
      slope(features[j], p[2 * i], p[2 * i + 1], d1, d2);
      const float g = d_features.data()[i * k + j];
      out(i, 0) += g * d1;
      out(i, 1) += g * d2;
    }
  return out;
}

}  // namespace dlplay::features
