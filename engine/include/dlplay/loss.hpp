// Losses. The batch loss is the mean over examples.
//   mse:           per example, the mean over outputs of (y − t)².
//   cross_entropy: −log p(label); from the logits when the network ends in a softmax.
// Outputs [N, T, K] of a sequence with one class per step ([N, T] indices): the mean over every
// step of every example.
#pragma once

#include "dlplay/spec.hpp"
#include "dlplay/tensor.hpp"

namespace dlplay {

// Targets: [N, K] values (mse; one-hot or probabilities for cross_entropy) or [N] class indices
// (cross_entropy). Writes dL/d(output), or dL/d(logits) when `logits` is given, into `grad`.
double loss_and_gradient(LossKind kind, const Tensor& output, const Tensor* logits, const Tensor& targets,
                         Tensor& grad);
double loss_value(LossKind kind, const Tensor& output, const Tensor* logits, const Tensor& targets);
std::string loss_name(LossKind kind);

}  // namespace dlplay
