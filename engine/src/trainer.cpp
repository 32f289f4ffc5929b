#include "dlplay/trainer.hpp"

#include <algorithm>
#include <cmath>

#include "dlplay/features.hpp"
#include "dlplay/loss.hpp"

namespace dlplay {
namespace {

bool is_whole_class(float v) { return v >= 0 && v == std::floor(v) && v < 1e6f; }

}  // namespace

Json Metrics::to_json() const {
  // NaN/Inf are not JSON: a diverged loss is reported as null.
  auto number = [](double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); };
  Json j = {{"step", step}, {"epoch", epoch}, {"train_loss", number(train_loss)}};
  if (has_test) j["test_loss"] = number(test_loss);
  if (train_accuracy >= 0) j["train_accuracy"] = train_accuracy;
  if (test_accuracy >= 0) j["test_accuracy"] = test_accuracy;
  if (diverged) j["diverged"] = true;
  return j;
}

// Targets are prepared once for the whole set (see loss.hpp for their forms):
//  class indices and cross-entropy with several outputs: the indices;
//  class indices and one output: 0/1 for cross-entropy, −1/+1 for mse (as in TensorFlow Playground);
//  class indices and mse with several outputs: one-hot rows; anything else: the values as given.
Trainer::Trainer(Model& model, Dataset data, const TrainSpec& spec)
    : model_(model),
      data_(std::move(data)),
      spec_(spec),
      optimizer_(spec.optimizer, spec.regularization, spec.regularization_rate),
      rng_(spec.seed) {
  if (!spec.features.empty()) data_.x = features::apply(data_.x, spec.features);
  const std::size_t n = batch_size_of(data_.x, model.input_shape(), "data.x");
  const std::size_t k = shape_size(model.output_shape());
  const Tensor& y = data_.y;
  if (y.dimension() == 0 || y.shape()[0] != n)
    throw Error("data.y: expected one label per example (" + std::to_string(n) + ")");
  if (y.dimension() == 1 && data_.classes == 0 && spec.loss == LossKind::cross_entropy) {
    for (float v : y)
      if (!is_whole_class(v))
        throw Error("data.y: class labels must be whole numbers from 0, got " + std::to_string(v));
    data_.classes = static_cast<std::size_t>(*std::max_element(y.begin(), y.end())) + 1;
  }
  if (data_.classes > 0) {
    if (k > 1 && data_.classes > k)
      throw Error("data.y: " + std::to_string(data_.classes) + " classes but the model has " +
                  std::to_string(k) + " outputs");
    if (k == 1 && data_.classes > 2)
      throw Error("data.y: " + std::to_string(data_.classes) + " classes need one output per class");
  } else if (y.size() / n != k) {
    throw Error("data.y: " + std::to_string(y.size() / n) + " targets per example but the model has " +
                std::to_string(k) + " outputs");
  }
  if (data_.classes > 0 && !(spec.loss == LossKind::cross_entropy && k > 1)) {
    Tensor t = xt::zeros<float>({n, k});
    for (std::size_t i = 0; i < n; ++i) {
      const auto c = static_cast<std::size_t>(y(i));
      if (k == 1)
        t(i, 0) = spec.loss == LossKind::mse ? (c ? 1.f : -1.f) : static_cast<float>(c);
      else
        t(i, c) = 1.f;
    }
    targets_ = std::move(t);
  } else {
    targets_ = y;
  }
  const Tensor* labels = data_.classes > 0 ? &data_.y : nullptr;
  split_ = data::split(n, spec.test_ratio, spec.seed, labels);
  if (split_.train.empty()) throw Error("test_ratio: leaves no examples to train on");
  order_ = split_.train;
  rng_.shuffle(order_.begin(), order_.end());
  params_ = model_.params();
}

void Trainer::gather(const std::size_t* idx, std::size_t n, Tensor& x, Tensor& t) const {
  const std::size_t xs = shape_size(model_.input_shape()), ts = targets_.size() / targets_.shape()[0];
  ensure_shape(x, batch_shape(n, model_.input_shape()));
  if (targets_.dimension() > 1)
    ensure_shape(t, {n, ts});
  else
    ensure_shape(t, {n});
  for (std::size_t i = 0; i < n; ++i) {
    std::copy_n(data_.x.data() + idx[i] * xs, xs, x.data() + i * xs);
    std::copy_n(targets_.data() + idx[i] * ts, ts, t.data() + i * ts);
  }
}

double Trainer::step() {
  const std::size_t b = std::min(spec_.batch, order_.size());
  if (cursor_ + b > order_.size()) {
    rng_.shuffle(order_.begin(), order_.end());
    cursor_ = 0;
  }
  gather(order_.data() + cursor_, b, model_.input(b), bt_);
  cursor_ += b;
  const Tensor& out = model_.forward_input(true);
  const Tensor* logits = spec_.loss == LossKind::cross_entropy ? model_.output_logits() : nullptr;
  const double loss = loss_and_gradient(spec_.loss, out, logits, bt_, grad_);
  model_.backward(grad_, logits != nullptr);
  optimizer_.step(params_);
  ++step_;
  seen_ += b;
  if (!std::isfinite(loss)) diverged_ = true;
  return loss;
}

double Trainer::train(std::size_t steps) {
  double loss = 0;
  for (std::size_t i = 0; i < steps; ++i) loss = step();
  return loss;
}

double Trainer::evaluate_split(const std::vector<std::size_t>& idx, double& accuracy) {
  accuracy = -1;
  if (idx.empty()) return 0;
  constexpr std::size_t kChunk = 256;
  double total = 0;
  std::size_t correct = 0;
  const bool classify = data_.classes > 0 || spec_.loss == LossKind::cross_entropy;
  Tensor x, t;
  for (std::size_t start = 0; start < idx.size(); start += kChunk) {
    const std::size_t n = std::min(kChunk, idx.size() - start);
    gather(idx.data() + start, n, x, t);
    const Tensor& out = model_.forward(x, false);
    const Tensor* logits = spec_.loss == LossKind::cross_entropy ? model_.output_logits() : nullptr;
    total += loss_value(spec_.loss, out, logits, t) * static_cast<double>(n);
    if (classify) correct += count_correct(out, t);
  }
  if (classify) accuracy = static_cast<double>(correct) / static_cast<double>(idx.size());
  return total / static_cast<double>(idx.size());
}

// A prediction is right when its class matches: argmax over several outputs, or for one output
// the side of 0 (targets −1/+1) or of 0.5 (targets 0/1).
std::size_t Trainer::count_correct(const Tensor& out, const Tensor& t) const {
  const std::size_t n = out.shape()[0], k = out.size() / n;
  const bool indices = t.size() == n && k > 1;
  std::size_t correct = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const float* o = out.data() + i * k;
    if (k == 1) {
      const float target = t.data()[i];
      const float threshold = spec_.loss == LossKind::mse ? 0.f : 0.5f;
      correct += (o[0] >= threshold) == (target >= threshold);
      continue;
    }
    const auto predicted = static_cast<std::size_t>(std::max_element(o, o + k) - o);
    std::size_t truth;
    if (indices) {
      truth = static_cast<std::size_t>(t.data()[i]);
    } else {
      const float* tr = t.data() + i * k;
      truth = static_cast<std::size_t>(std::max_element(tr, tr + k) - tr);
    }
    correct += predicted == truth;
  }
  return correct;
}

Metrics Trainer::evaluate() {
  Metrics m;
  m.step = step_;
  m.epoch = static_cast<double>(seen_) / static_cast<double>(split_.train.size());
  m.train_loss = evaluate_split(split_.train, m.train_accuracy);
  m.has_test = !split_.test.empty();
  m.test_loss = evaluate_split(split_.test, m.test_accuracy);
  m.diverged = diverged_ || !std::isfinite(m.train_loss) || (m.has_test && !std::isfinite(m.test_loss));
  if (!m.diverged)
    for (const Param& p : params_)
      if (!xt::all(xt::isfinite(*p.value))) m.diverged = true;
  diverged_ = m.diverged;
  return m;
}

Metrics Trainer::record() {
  history_.push_back(evaluate());
  return history_.back();
}

void Trainer::set(const TrainSpec& spec) {
  spec_.optimizer = spec.optimizer;
  spec_.batch = spec.batch;
  spec_.regularization = spec.regularization;
  spec_.regularization_rate = spec.regularization_rate;
  optimizer_.set(spec.optimizer, spec.regularization, spec.regularization_rate);
}

Tensor Trainer::targets(const std::vector<std::size_t>& indices) const {
  Tensor x, t;
  gather(indices.data(), indices.size(), x, t);
  return t;
}

}  // namespace dlplay
