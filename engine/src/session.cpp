#include "dlplay/session.hpp"

#include <algorithm>

#include "dlplay/export_pytorch.hpp"
#include "dlplay/features.hpp"
#include "dlplay/loss.hpp"

namespace dlplay {

Session::Session(const Json& j) {
  if (!j.is_object()) throw Error("spec: expected a JSON object (a model or a training spec)");
  if (!is_training_spec(j)) {
    ModelJson m = parse_model_json(j);
    spec_.model = std::move(m.model);
    spec_.seed = spec_.model.seed;
    spec_.features = std::move(m.features);
    loss_given_ = m.loss.has_value();
    if (m.loss) spec_.loss = *m.loss;
    vocabulary_ = std::move(m.vocabulary);
    input_shape_ = spec_.features.empty() ? spec_.model.input : Shape{2};
    build();
    return;
  }
  spec_ = parse_training(j);
  Dataset given;
  if (spec_.data.source == DataSource::inline_json) given = parse_inline_data(j["data"], "data");
  start(std::move(given));
}

Session::Session(const Json& j, Dataset data) {
  if (!j.is_object()) throw Error("spec: expected a JSON object (a training spec without \"data\")");
  spec_ = parse_training(j, DataSource::given);
  start(std::move(data));
}

void Session::start(Dataset given) {
  given_ = std::make_shared<const Dataset>(prepare_dataset(spec_, std::move(given)));
  if (spec_.features.empty()) {
    data_ = given_;
    input_shape_ = spec_.model.input;
  } else {
    auto d = std::make_shared<Dataset>();
    d->x = features::apply(given_->x, spec_.features);
    d->y = given_->y;
    d->classes = given_->classes;
    data_ = std::move(d);
    input_shape_ = {2};
  }
  build();
}

void Session::build() {
  trainer_.reset();
  model_ = std::make_unique<Model>(spec_.model);
  if (data_) trainer_ = std::make_unique<Trainer>(*model_, data_, spec_);
}

Trainer& Session::trainer() {
  if (!trainer_) throw Error("this session has no training data (its spec has no \"data\")");
  return *trainer_;
}

const Dataset& Session::data() const {
  if (!given_) throw Error("this session has no training data (its spec has no \"data\")");
  return *given_;
}

void Session::check_layer(int layer, bool allow_input) const {
  const int lo = allow_input ? -1 : 0;
  if (layer < lo || layer >= static_cast<int>(model_->size()))
    throw Error("layer: expected an index from " + std::to_string(lo) + " to " +
                std::to_string(static_cast<int>(model_->size()) - 1) + ", got " + std::to_string(layer));
}

const Tensor& Session::forward(const Tensor& inputs) {
  batch_size_of(inputs, input_shape_, "input");
  if (spec_.features.empty()) return model_->forward(inputs, false);
  return model_->forward(features::apply(inputs, spec_.features), false);
}

const Tensor& Session::grid(int layer, float x0, float x1, float y0, float y1, std::size_t n) {
  check_layer(layer, true);
  if (input_shape_ != Shape{2})
    throw Error("grid: the model's input is " + shape_string(input_shape_) + ", not 2-D points");
  if (n < 1 || n > 2048) throw Error("grid: n must be between 1 and 2048, got " + std::to_string(n));
  const std::size_t points = n * n;
  const Shape& unit_shape = layer < 0 ? model_->input_shape() : model_->layer(layer).output_shape();
  const std::size_t units = shape_size(unit_shape);
  ensure_shape(grid_, {units, points});
  const float dx = n > 1 ? (x1 - x0) / static_cast<float>(n - 1) : 0.f;
  const float dy = n > 1 ? (y1 - y0) / static_cast<float>(n - 1) : 0.f;
  constexpr std::size_t kChunk = 4096;
  for (std::size_t start = 0; start < points; start += kChunk) {
    const std::size_t count = std::min(kChunk, points - start);
    ensure_shape(in_, {count, std::size_t{2}});
    for (std::size_t p = 0; p < count; ++p) {
      const std::size_t r = (start + p) / n, c = (start + p) % n;
      in_(p, 0) = x0 + dx * static_cast<float>(c);
      in_(p, 1) = y0 + dy * static_cast<float>(r);
    }
    forward(in_);
    const Tensor& a = layer < 0 ? model_input() : model_->activation(static_cast<std::size_t>(layer));
    for (std::size_t p = 0; p < count; ++p)
      for (std::size_t u = 0; u < units; ++u) grid_(u, start + p) = a.data()[p * units + u];
  }
  return grid_;
}

double Session::train(std::size_t steps) { return trainer().train(steps); }

Metrics Session::metrics(bool evaluate) { return evaluate ? trainer().evaluate() : trainer().progress(); }

Evaluation Session::evaluate(SplitKind split, std::size_t limit) { return trainer().inspect(split, limit); }

Evaluation Session::classify(const Tensor& inputs) {
  const std::size_t n = batch_size_of(inputs, input_shape_, "input");
  const std::size_t k = shape_size(model_->output_shape());
  Evaluation e;
  e.count = n;
  // A model alone classifies with several outputs, or with one when its loss says how to read it.
  e.classes = trainer_ ? trainer_->classes() : (k > 1 ? k : loss_given_ ? 2 : 0);
  const std::size_t steps = trainer_ ? trainer_->steps() : 1;  // a sequence: a row per step
  e.outputs = Tensor::from_shape({n, k});
  if (e.classes) {
    e.predicted.resize(n * steps);
    e.probabilities = Tensor::from_shape({n * steps, e.classes});
  }
  const Tensor& out = forward(inputs);
  describe_outputs(out, e.classes, spec_.loss, model_->output_logits() != nullptr, 0, e, true, steps);
  return e;
}

Tensor Session::input_gradients(const Tensor& inputs, const Tensor& labels) {
  const std::size_t n = batch_size_of(inputs, input_shape_, "input");
  const std::size_t k = shape_size(model_->output_shape());
  const std::size_t label_k = data::label_classes(labels, n, "labels");
  const std::size_t classes = label_k ? model_classes(label_k, k, "labels") : 0;
  if (!classes && labels.size() != n * k)
    throw Error("labels: " + std::to_string(labels.size() / n) + " targets per example but the model has " +
                std::to_string(k) + (k == 1 ? " output" : " outputs"));
  const Tensor targets = loss_targets(labels, classes, k, spec_.loss);
  // The parameters' gradients stay those of the last training step.
  std::vector<Param> params = model_->params();
  std::vector<Tensor> kept;
  for (const Param& p : params) kept.push_back(*p.grad);
  const Tensor& out = forward(inputs);
  const Tensor* logits = spec_.loss == LossKind::cross_entropy ? model_->output_logits() : nullptr;
  Tensor d_out, d_x;
  loss_and_gradient(spec_.loss, out, logits, targets, d_out);
  model_->backward(d_out, logits != nullptr, &d_x);
  for (std::size_t i = 0; i < params.size(); ++i) *params[i].grad = std::move(kept[i]);
  Tensor result = spec_.features.empty() ? std::move(d_x) : features::backward(inputs, spec_.features, d_x);
  result.reshape(inputs.shape());
  return result;
}

Tensor Session::loss_surface(ParamRef a, ParamRef b, float a0, float a1, float b0, float b1, std::size_t n) {
  Trainer& t = trainer();
  if (n < 1 || n > 256) throw Error("surface: n must be between 1 and 256, got " + std::to_string(n));
  auto value = [&](const ParamRef& p, const char* which) -> float& {
    check_layer(p.layer, false);
    for (const Param& q : model_->layer(static_cast<std::size_t>(p.layer)).params())
      if (std::string(q.name) == (p.bias ? "bias" : "weights")) {
        if (p.index >= q.value->size())
          throw Error(std::string("surface: parameter ") + which + " index " + std::to_string(p.index) +
                      " is outside 0.." + std::to_string(q.value->size() - 1));
        return q.value->data()[p.index];
      }
    throw Error(std::string("surface: layer ") + std::to_string(p.layer) + " has no " +
                (p.bias ? "bias" : "weights") + " (parameter " + which + ")");
  };
  float& va = value(a, "a");
  float& vb = value(b, "b");
  if (&va == &vb) throw Error("surface: parameters a and b are the same parameter");
  const float keep_a = va, keep_b = vb;
  const float da = n > 1 ? (a1 - a0) / static_cast<float>(n - 1) : 0.f;
  const float db = n > 1 ? (b1 - b0) / static_cast<float>(n - 1) : 0.f;
  Tensor out = Tensor::from_shape({n, n});
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t c = 0; c < n; ++c) {
      va = a0 + da * static_cast<float>(c);
      vb = b0 + db * static_cast<float>(r);
      out(r, c) = static_cast<float>(t.evaluate_loss());
    }
  va = keep_a;
  vb = keep_b;
  return out;
}

void Session::set(const Json& hyperparameters) {
  Trainer& t = trainer();
  parse_hyperparameters(hyperparameters, spec_.hyper);
  t.set(spec_.hyper);
}

void Session::reset(std::optional<std::uint64_t> seed) {
  if (seed) {
    if (*seed > static_cast<std::uint64_t>(vocab::range::seed.max))
      throw Error("seed: expected a whole number from 0 to 4294967295");
    spec_.seed = spec_.model.seed = *seed;
  }
  build();
}

namespace {

// JSON has no NaN or infinity, and a file the loader refuses would lose the user's work quietly:
// a diverged model is refused at saving, with the parameter that went wrong.
void check_finite(Model& model) {
  for (std::size_t i = 0; i < model.size(); ++i)
    for (const Param& p : model.layer(i).params())
      if (!xt::all(xt::isfinite(*p.value)))
        throw Error("layers[" + std::to_string(i) + "]." + p.name +
                    ": NaN or infinite values (training diverged), so the model cannot be saved; go back to "
                    "the last good weights, or reset with a smaller learning rate");
}

}  // namespace

std::string Session::to_pytorch() { return export_pytorch(*model_, spec_.features); }

Json Session::to_json() {
  check_finite(*model_);
  Json j = model_->to_json();
  if (!spec_.features.empty()) j["features"] = features_to_json(spec_.features);
  if (loss_given_) j["loss"] = loss_name(spec_.loss);
  if (given_ && !given_->tokens.empty()) j["vocabulary"] = given_->tokens;
  if (!vocabulary_.empty()) j["vocabulary"] = vocabulary_;
  return j;
}

Json Session::info() {
  Json layers = Json::array();
  for (std::size_t i = 0; i < model_->size(); ++i) {
    Layer& l = model_->layer(i);
    layers.push_back({{"type", l.type()},
                      {"inputShape", l.input_shape()},
                      {"outputShape", l.output_shape()},
                      {"params", l.param_count()},
                      {"activation", activation_name(l.activation())}});
  }
  Json j = {{"inputShape", input_shape_},
            {"modelInputShape", model_->input_shape()},
            {"outputShape", model_->output_shape()},
            {"params", model_->param_count()},
            {"features", features_to_json(spec_.features)},
            {"layers", std::move(layers)},
            {"trainable", trainable()},
            {"simd", kernels::simd_arch()}};
  if (loss_given_) j["loss"] = loss_name(spec_.loss);  // a model alone's, when it has one
  if (given_ && !given_->tokens.empty()) j["vocabulary"] = given_->tokens;
  if (!vocabulary_.empty()) j["vocabulary"] = vocabulary_;
  if (trainer_) {
    if (trainer_->steps() > 1) j["steps"] = trainer_->steps();
    j["classes"] = trainer_->classes();
    j["trainSize"] = trainer_->train_indices().size();
    j["testSize"] = trainer_->test_indices().size();
  }
  return j;
}

}  // namespace dlplay
