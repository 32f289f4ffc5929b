// What a split's examples give through the model: predictions, probabilities, confusion matrix.
// Loss and accuracy come from the same pass as Trainer::evaluate's, so the two always agree.
#include <algorithm>
#include <cmath>

#include "dlplay/trainer.hpp"

namespace dlplay {
namespace {

// Class probabilities of one output row: the softmax of several outputs (the outputs themselves
// when the network ends in a softmax); for one output [1 − p, p], with p the output (0/1 targets,
// cross-entropy) or (y + 1) / 2 (−1/+1 targets, mse), clamped to [0, 1].
void probabilities_of(const float* o, std::size_t k, bool softmaxed, LossKind loss, float* p) {
  if (k == 1) {
    const float v = loss == LossKind::mse ? (o[0] + 1.f) * 0.5f : o[0];
    p[1] = std::clamp(v, 0.f, 1.f);
    p[0] = 1.f - p[1];
    return;
  }
  if (softmaxed) {
    std::copy_n(o, k, p);
    return;
  }
  const float m = *std::max_element(o, o + k);
  double sum = 0;
  for (std::size_t c = 0; c < k; ++c) sum += std::exp(static_cast<double>(o[c]) - m);
  for (std::size_t c = 0; c < k; ++c)
    p[c] = static_cast<float>(std::exp(static_cast<double>(o[c]) - m) / sum);
}

}  // namespace

void describe_outputs(const Tensor& out, std::size_t classes, LossKind loss, bool softmaxed, std::size_t at,
                      Evaluation& e, bool full, std::size_t steps) {
  const std::size_t n = out.shape()[0] * steps, k = out.size() / n;
  at *= steps;
  if (full) std::copy_n(out.data(), out.size(), e.outputs.data() + at * k);
  if (!classes) return;
  const float threshold = loss == LossKind::mse ? 0.f : 0.5f;
  for (std::size_t i = 0; i < n; ++i) {
    const float* o = out.data() + i * k;
    e.predicted[at + i] = k == 1 ? static_cast<std::int32_t>(o[0] >= threshold)
                                 : static_cast<std::int32_t>(std::max_element(o, o + k) - o);
    if (full) probabilities_of(o, k, softmaxed, loss, e.probabilities.data() + (at + i) * classes);
  }
}

Evaluation Trainer::inspect(SplitKind split, std::size_t limit) {
  const std::vector<std::size_t>& idx = split == SplitKind::train ? split_.train : split_.test;
  Evaluation e;
  e.count = limit ? std::min(limit, idx.size()) : idx.size();
  e.classes = classes_;
  e.indices.assign(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(e.count));
  e.outputs = Tensor::from_shape({e.count, shape_size(model_.output_shape())});
  const std::size_t rows = e.count * steps_;  // a row per step of a sequence
  if (classifying()) e.probabilities = Tensor::from_shape({rows, classes_});
  std::size_t correct = 0;
  e.loss = pass(idx.data(), e.count, correct, &e);
  if (classifying() && e.count) {
    e.accuracy = static_cast<double>(correct) / static_cast<double>(rows);
    e.confusion.assign(classes_ * classes_, 0);
    for (std::size_t i = 0; i < rows; ++i)
      ++e.confusion[static_cast<std::size_t>(e.labels[i]) * classes_ +
                    static_cast<std::size_t>(e.predicted[i])];
  }
  return e;
}

}  // namespace dlplay
