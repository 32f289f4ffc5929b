// Input features computed from 2-D points, as in TensorFlow Playground:
// x1, x2, x1sq (x1²), x2sq (x2²), x1x2 (x1·x2), sinx1 (sin x1), sinx2 (sin x2).
#pragma once

#include <string>
#include <vector>

#include "dlplay/tensor.hpp"

namespace dlplay::features {

const std::vector<std::string>& names();
// Throws Error naming `field` for an unknown or repeated feature.
void validate(const std::vector<std::string>& features, const std::string& field);
// points [N, 2] → [N, features.size()].
Tensor apply(const Tensor& points, const std::vector<std::string>& features);

}  // namespace dlplay::features
