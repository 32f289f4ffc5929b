#include "dlplay/features.hpp"

#include <algorithm>
#include <cmath>

namespace dlplay::features {
namespace {

float feature(const std::string& name, float x1, float x2) {
  if (name == "x1") return x1;
  if (name == "x2") return x2;
  if (name == "x1sq") return x1 * x1;
  if (name == "x2sq") return x2 * x2;
  if (name == "x1x2") return x1 * x2;
  if (name == "sinx1") return static_cast<float>(std::sin(static_cast<double>(x1)));
  return static_cast<float>(std::sin(static_cast<double>(x2)));  // sinx2
}

}  // namespace

const std::vector<std::string>& names() {
  static const std::vector<std::string> all = {"x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"};
  return all;
}

void validate(const std::vector<std::string>& features, const std::string& field) {
  if (features.empty()) throw Error(field + ": choose at least one feature");
  for (std::size_t i = 0; i < features.size(); ++i) {
    const std::string& f = features[i];
    if (std::find(names().begin(), names().end(), f) == names().end())
      throw Error(field + "[" + std::to_string(i) + "]: unknown feature '" + f +
                  "' (expected x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2)");
    if (std::find(features.begin(), features.begin() + static_cast<std::ptrdiff_t>(i), f) !=
        features.begin() + static_cast<std::ptrdiff_t>(i))
      throw Error(field + "[" + std::to_string(i) + "]: feature '" + f + "' is given twice");
  }
}

Tensor apply(const Tensor& points, const std::vector<std::string>& features) {
  const std::size_t n = points.shape()[0], k = features.size();
  if (points.size() != 2 * n) throw Error("features: need 2-D points to compute features from");
  Tensor out = Tensor::from_shape({n, k});
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < k; ++j) out(i, j) = feature(features[j], points(i, 0), points(i, 1));
  return out;
}

}  // namespace dlplay::features
