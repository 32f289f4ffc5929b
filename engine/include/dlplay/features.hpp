// Input features computed from 2-D points, as in TensorFlow Playground:
// x1, x2, x1sq (x1²), x2sq (x2²), x1x2 (x1·x2), sinx1 (sin x1), sinx2 (sin x2).
// The session is the only caller: features are computed in one place.
#pragma once

#include <vector>

#include "dlplay/tensor.hpp"
#include "dlplay/vocabulary.hpp"

namespace dlplay::features {

// points [N, 2] → [N, features.size()].
Tensor apply(const Tensor& points, const std::vector<Feature>& features);
// dL/d(points) [N, 2] from dL/d(features) [N, features.size()] at these points.
Tensor backward(const Tensor& points, const std::vector<Feature>& features, const Tensor& d_features);

}  // namespace dlplay::features
