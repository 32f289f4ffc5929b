// Optimisers with L1/L2 regularisation of the weights (not the biases).
#pragma once

#include <vector>

#include "dlplay/layers.hpp"
#include "dlplay/spec.hpp"

namespace dlplay {

class Optimizer {
 public:
  Optimizer(OptimizerSpec spec, Regularization reg, float reg_rate);
  // Applies one update to every parameter from its gradient.
  void step(const std::vector<Param>& params);
  void set(OptimizerSpec spec, Regularization reg, float reg_rate);  // keeps state when the type is unchanged
  const OptimizerSpec& spec() const { return spec_; }
  void reset();  // forget momentum / moment estimates

 private:
  OptimizerSpec spec_;
  Regularization reg_;
  float reg_rate_;
  std::size_t t_ = 0;
  std::vector<Tensor> m_, v_;
  Tensor g_;
};

}  // namespace dlplay
