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
  // Its state, for checkpoints: the steps since the last reset (Adam's bias correction) and the
  // moment estimates, one per parameter and shaped like it (m: momentum, Adam's first moment; v:
  // Adam's second moment, Adagrad's and RMSprop's accumulators), or none before the first step and
  // after a reset. restore() takes them as they were (the caller checks their shapes).
  std::size_t steps() const { return t_; }
  const std::vector<Tensor>& first_moments() const { return m_; }
  const std::vector<Tensor>& second_moments() const { return v_; }
  void restore(std::size_t steps, std::vector<Tensor> m, std::vector<Tensor> v);

 private:
  float clip_factor(const std::vector<Param>& params) const;

  OptimizerSpec spec_;
  Regularization reg_;
  float reg_rate_;
  std::size_t t_ = 0;
  std::vector<Tensor> m_, v_;
  Tensor g_;
};

}  // namespace dlplay
