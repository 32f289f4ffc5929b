#include "dlplay/trainer.hpp"

#include <algorithm>
#include <cmath>

#include "dlplay/loss.hpp"

namespace dlplay {

Json Metrics::to_json() const {
  // NaN/Inf are not JSON: a diverged loss is reported as null.
  auto number = [](double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); };
  Json j = {{"step", step}, {"epoch", epoch}, {"examples", examples}};
  if (evaluated) {
    j["train_loss"] = number(train_loss);
    if (has_test) j["test_loss"] = number(test_loss);
    if (train_accuracy >= 0) j["train_accuracy"] = train_accuracy;
    if (test_accuracy >= 0) j["test_accuracy"] = test_accuracy;
  }
  if (train_perplexity >= 0) j["train_perplexity"] = number(train_perplexity);
  if (test_perplexity >= 0) j["test_perplexity"] = number(test_perplexity);
  if (step > 0) j["gradient_rms"] = number(gradient_rms);
  if (diverged) j["diverged"] = true;
  return j;
}

std::size_t model_classes(std::size_t label_classes, std::size_t outputs, const std::string& field) {
  if (outputs > 1 && label_classes > outputs)
    throw Error(field + ": " + std::to_string(label_classes) + " classes but the model has " +
                std::to_string(outputs) + " outputs");
  if (outputs == 1 && label_classes > 2)
    throw Error(field + ": " + std::to_string(label_classes) +
                " classes need one output per class (the model has one output)");
  return outputs > 1 ? outputs : 2;
}

Tensor loss_targets(const Tensor& y, std::size_t classes, std::size_t outputs, LossKind loss) {
  if (classes == 0 || (loss == LossKind::cross_entropy && outputs > 1)) return y;
  const std::size_t n = y.shape()[0];
  Tensor t = xt::zeros<float>({n, outputs});
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<std::size_t>(y(i));
    if (outputs == 1)
      t(i, 0) = loss == LossKind::mse ? (c ? 1.f : -1.f) : static_cast<float>(c);
    else
      t(i, c) = 1.f;
  }
  return t;
}

Trainer::Trainer(Model& model, std::shared_ptr<const Dataset> data, const TrainSpec& spec)
    : model_(model),
      data_(std::move(data)),
      spec_(spec),
      optimizer_(spec.hyper.optimizer, spec.hyper.regularization, spec.hyper.regularization_rate),
      rng_(spec.seed) {
  const Dataset& d = *data_;
  const std::size_t n = batch_size_of(d.x, model.input_shape(), "data.x");
  const Shape& out = model.output_shape();
  if (d.y.dimension() == 0 || d.y.shape()[0] != n)
    throw Error("data.y: expected one label per example (" + std::to_string(n) + ")");
  // A sequence: one class per step ([N, T] labels) for outputs [T, K].
  if (d.classes > 0 && d.y.dimension() == 2 && out.size() == 2 && d.y.shape()[1] == out[0]) {
    steps_ = out[0];
    if (spec.loss != LossKind::cross_entropy)
      throw Error("loss: one class per step is read with cross_entropy, not " + loss_name(spec.loss));
    if (out[1] < 2)
      throw Error(
          "data.y: one class per step needs one output per class at every step (e.g. a dense "
          "layer of 2 units with softmax), but the model has " +
          std::to_string(out[1]));
  }
  if (d.classes > 0 && d.y.dimension() == 2 && steps_ == 1)
    throw Error("data.y: one class per step (" + std::to_string(d.y.shape()[1]) +
                " steps) needs an output of one row per step, [" + std::to_string(d.y.shape()[1]) +
                ", classes], but the model gives " + shape_string(out) +
                " (give the recurrent layers \"return_sequences\": true)");
  const std::size_t k = shape_size(out) / steps_;
  if (d.classes > 0) {
    classes_ = model_classes(d.classes, k, "data.y");
  } else if (d.y.size() / n != k) {
    throw Error("data.y: " + std::to_string(d.y.size() / n) + " targets per example but the model has " +
                std::to_string(k) + (k == 1 ? " output" : " outputs"));
  }
  targets_ = loss_targets(d.y, classes_, k, spec.loss);
  if (targets_.dimension() > 1) target_shape_ = {targets_.size() / n};
  split_ = data::split(n, spec.test_ratio, spec.seed, classifying() && steps_ == 1 ? &d.y : nullptr);
  if (split_.train.empty()) throw Error("test_ratio: leaves no examples to train on");
  order_ = split_.train;
  rng_.shuffle(order_.begin(), order_.end());
  params_ = model_.params();
  for (const Param& p : params_) gradient_size_ += p.grad->size();
}

namespace {

// A row of n values: short rows (a 2-D point, one target) by a loop of fixed length, which the
// compiler keeps inline; a plain copy of a variable length becomes a memcpy call per row.
inline void copy_row(const float* from, std::size_t n, float* to) {
  constexpr std::size_t kShort = 8;
  if (n <= kShort) {
    for (std::size_t j = 0; j < kShort; ++j)
      if (j < n) to[j] = from[j];
  } else {
    std::copy_n(from, n, to);
  }
}

}  // namespace

void Trainer::gather(const std::size_t* idx, std::size_t n, Tensor& x, Tensor& t) const {
  const std::size_t xs = shape_size(model_.input_shape()), ts = targets_.size() / targets_.shape()[0];
  ensure_batch(x, n, model_.input_shape());
  ensure_batch(t, n, target_shape_);
  const float* all = data_->x.data();
  for (std::size_t i = 0; i < n; ++i) {
    copy_row(all + idx[i] * xs, xs, x.data() + i * xs);
    copy_row(targets_.data() + idx[i] * ts, ts, t.data() + i * ts);
  }
}

double Trainer::step() {
  if (spec_.hyper.shards > 1) return sharded_step();
  const std::size_t b = std::min(spec_.hyper.batch, order_.size());
  return update(b, backprop(take_batch(b), b, b));
}

// Forward and backward over examples idx[0 … n) of a batch of `batch`: every parameter's gradient
// of the batch's mean loss from these examples (n / batch of their own mean's). Returns their mean loss.
double Trainer::backprop(const std::size_t* idx, std::size_t n, std::size_t batch) {
  gather(idx, n, model_.input(n), bt_);
  const Tensor& out = model_.forward_input(true);
  const Tensor* logits = spec_.loss == LossKind::cross_entropy ? model_.output_logits() : nullptr;
  Tensor& d = model_.output_gradient();
  const double loss = loss_and_gradient(spec_.loss, out, logits, bt_, d);
  if (n != batch) kernels::scale(d.size(), static_cast<float>(n) / static_cast<float>(batch), d.data());
  model_.backward_filled(logits != nullptr);
  return loss;
}

// The optimizer's step from the parameters' gradients, for a batch of b examples with mean loss `loss`.
double Trainer::update(std::size_t b, double loss) {
  optimizer_.step(params_);
  ++step_;
  seen_ += b;
  if (!std::isfinite(loss)) diverged_ = true;
  return loss;
}

// The next b examples of the epoch's order (a new shuffle when fewer are left).
const std::size_t* Trainer::take_batch(std::size_t b) {
  if (cursor_ + b > order_.size()) {
    rng_.shuffle(order_.begin(), order_.end());
    cursor_ = 0;
  }
  cursor_ += b;
  return order_.data() + cursor_ - b;
}

double Trainer::train(std::size_t steps) {
  double loss = 0;
  for (std::size_t i = 0; i < steps; ++i) loss = step();
  return loss;
}

double Trainer::pass(const std::size_t* idx, std::size_t n, std::size_t& correct, Evaluation* detail) {
  correct = 0;
  if (n == 0) return 0;
  constexpr std::size_t kChunk = 256;
  double total = 0;
  Evaluation scratch;
  Evaluation& e = detail ? *detail : scratch;
  const std::size_t t = steps_;
  if (classifying()) {
    e.labels.resize(n * t);
    e.predicted.resize(n * t);
  }
  for (std::size_t start = 0; start < n; start += kChunk) {
    const std::size_t count = std::min(kChunk, n - start);
    gather(idx + start, count, eval_x_, eval_t_);
    const Tensor& out = model_.forward(eval_x_, false);
    const Tensor* logits = spec_.loss == LossKind::cross_entropy ? model_.output_logits() : nullptr;
    total += loss_value(spec_.loss, out, logits, eval_t_) * static_cast<double>(count);
    if (classifying())
      for (std::size_t i = 0; i < count; ++i)
        for (std::size_t s = 0; s < t; ++s)
          e.labels[(start + i) * t + s] = static_cast<std::int32_t>(data_->y.data()[idx[start + i] * t + s]);
    describe_outputs(out, classes_, spec_.loss, model_.output_logits() != nullptr, start, e,
                     detail != nullptr, t);
    if (classifying())
      for (std::size_t i = start * t; i < (start + count) * t; ++i) correct += e.predicted[i] == e.labels[i];
  }
  return total / static_cast<double>(n);
}

Metrics Trainer::progress() const {
  Metrics m;
  m.step = step_;
  m.examples = seen_;
  m.epoch = static_cast<double>(seen_) / static_cast<double>(split_.train.size());
  m.diverged = diverged_;
  m.gradient_rms = gradient_rms();
  return m;
}

// Computed when metrics are asked for, not in the step loop: one pass over the gradients.
double Trainer::gradient_rms() const {
  if (step_ == 0) return 0;
  double sum = 0;
  std::size_t count = 0;
  for (const Param& p : params_) {
    for (const float g : *p.grad) sum += static_cast<double>(g) * static_cast<double>(g);
    count += p.grad->size();
  }
  return count ? std::sqrt(sum / static_cast<double>(count)) : 0.0;
}

double Trainer::evaluate_loss() {
  std::size_t correct = 0;
  return pass(split_.train.data(), split_.train.size(), correct, nullptr);
}

Metrics Trainer::evaluate() {
  Metrics m = progress();
  m.evaluated = true;
  std::size_t correct = 0;
  const auto accuracy = [&](std::size_t n) {  // per step, for sequences
    return classifying() && n ? static_cast<double>(correct) / static_cast<double>(n * steps_) : -1.0;
  };
  m.sequence = steps_ > 1;
  m.train_loss = pass(split_.train.data(), split_.train.size(), correct, nullptr);
  m.train_accuracy = accuracy(split_.train.size());
  m.has_test = !split_.test.empty();
  m.test_loss = pass(split_.test.data(), split_.test.size(), correct, nullptr);
  m.test_accuracy = accuracy(split_.test.size());
  m.diverged = diverged_ || !std::isfinite(m.train_loss) || (m.has_test && !std::isfinite(m.test_loss));
  if (!m.diverged)
    for (const Param& p : params_)
      if (!xt::all(xt::isfinite(*p.value))) m.diverged = true;
  if (m.sequence) {  // per step (character): e^loss
    m.train_perplexity = std::exp(m.train_loss);
    if (m.has_test) m.test_perplexity = std::exp(m.test_loss);
  }
  diverged_ = m.diverged;
  return m;
}

Metrics Trainer::record() {
  history_.push_back(evaluate());
  return history_.back();
}

Trainer::State Trainer::state() const { return {step_, seen_, order_, cursor_, rng_.state(), diverged_}; }

void Trainer::restore(State s, const std::string& field) {
  const std::size_t n = split_.train.size();
  if (s.order.size() != n)
    throw Error(field + ".order: " + std::to_string(s.order.size()) +
                " indices, but the training split has " + std::to_string(n) + " examples");
  std::vector<char> in_train(data_->size(), 0);
  for (const std::size_t i : split_.train) in_train[i] = 1;
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = s.order[k];
    if (i >= in_train.size() || in_train[i] != 1)
      throw Error(field + ".order[" + std::to_string(k) + "]: " + std::to_string(i) +
                  (i < in_train.size() && in_train[i] == 2 ? " appears twice"
                                                           : " is not an example of the training split"));
    in_train[i] = 2;
  }
  if (s.cursor > n)
    throw Error(field + ".cursor: " + std::to_string(s.cursor) + " is past the end of the order (" +
                std::to_string(n) + ")");
  if (s.examples < s.step)
    throw Error(field + ".examples: " + std::to_string(s.examples) + " examples seen in " +
                std::to_string(s.step) + " steps (every step sees at least one)");
  step_ = s.step;
  seen_ = s.examples;
  order_ = std::move(s.order);
  cursor_ = s.cursor;
  rng_.set_state(s.rng);
  diverged_ = s.diverged;
}

void Trainer::set(const Hyperparameters& hyper) {
  spec_.hyper = hyper;
  optimizer_.set(hyper.optimizer, hyper.regularization, hyper.regularization_rate);
}

}  // namespace dlplay
