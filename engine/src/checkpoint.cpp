// Session::checkpoint() and Session::restore(): a training session's state out and back in
// (checkpoint.hpp). restore() checks the whole checkpoint first, builds the model and trainer
// aside, and only then takes them, so a refused checkpoint leaves the session as it was.
#include "dlplay/checkpoint.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <utility>

#include "dlplay/loss.hpp"
#include "dlplay/session.hpp"

namespace dlplay {

namespace {

constexpr const char* kField = "checkpoint";

std::string names(const std::vector<std::string>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s + "]";
}

std::vector<std::string> feature_names(const std::vector<Feature>& features) {
  return features_to_json(features).get<std::vector<std::string>>();
}

// A float32 hyper-parameter as the spec parser would have made it: the float of a number in range.
void check_float(float v, const std::string& field, const Range& r) {
  if (!(std::isfinite(v) && v >= static_cast<float>(r.min) && v <= static_cast<float>(r.max)))
    throw Error(field + ": expected a number from " + Json(r.min).dump() + " to " + Json(r.max).dump() +
                ", got " + Json(v).dump());
}

void check_hyperparameters(const Hyperparameters& h, const std::string& field) {
  namespace r = vocab::range;
  const OptimizerSpec& o = h.optimizer;
  const std::string opt = field + ".optimizer";
  if (static_cast<std::size_t>(o.type) >= vocab::optimizers().size())
    throw Error(opt + ".type: unknown optimizer");
  check_float(o.lr, opt + ".lr", r::lr);
  check_float(o.momentum, opt + ".momentum", r::momentum);
  check_float(o.beta1, opt + ".beta1", r::beta1);
  check_float(o.beta2, opt + ".beta2", r::beta2);
  check_float(o.rho, opt + ".rho", r::rho);
  check_float(o.epsilon, opt + ".epsilon", r::epsilon);
  if (static_cast<std::size_t>(h.regularization) >= vocab::regularizations().size())
    throw Error(field + ".regularization: unknown regularization");
  check_float(h.regularization_rate, field + ".regularization_rate", r::regularization_rate);
  const auto lo = static_cast<std::size_t>(r::batch.min), hi = static_cast<std::size_t>(r::batch.max);
  if (h.batch < lo || h.batch > hi)
    throw Error(field + ".batch: expected a whole number from " + std::to_string(lo) + " to " +
                std::to_string(hi) + ", got " + std::to_string(h.batch));
}

void check_size(const Tensor& t, std::size_t n, const std::string& field, const Shape& shape) {
  if (t.size() != n)
    throw Error(field + ": expected " + std::to_string(n) + " values (shape " + shape_string(shape) +
                "), got " + std::to_string(t.size()));
}

void copy_values(const Tensor& from, Tensor& to) {
  std::copy(from.data(), from.data() + from.size(), to.data());
}

}  // namespace

std::uint64_t data_fingerprint(const Dataset& d) {
  // FNV-1a over 32-bit words (the values' bits, the shapes, the class count), then an avalanche.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  const auto mix = [&h](std::uint64_t w) { h = (h ^ w) * 0x100000001b3ULL; };
  for (const Tensor* t : {&d.x, &d.y}) {
    mix(t->dimension());
    for (const std::size_t s : t->shape()) mix(s);
    const float* p = t->data();
    for (std::size_t i = 0, n = t->size(); i < n; ++i) {
      std::uint32_t bits;
      std::memcpy(&bits, p + i, sizeof bits);
      mix(bits);
    }
  }
  mix(d.classes);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

std::string fingerprint_string(std::uint64_t h) {
  static const char* digits = "0123456789abcdef";
  std::string s(16, '0');
  for (std::size_t i = 16; i-- > 0; h >>= 4) s[i] = digits[h & 15];
  return s;
}

std::uint64_t parse_fingerprint(const std::string& s, const std::string& field) {
  std::uint64_t h = 0;
  for (const char c : s) {
    const int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (v < 0 || s.size() != 16)
      throw Error(field + ": expected 16 hexadecimal digits (0-9, a-f), got \"" + s + "\"");
    h = h << 4 | static_cast<std::uint64_t>(v);
  }
  if (s.size() != 16) throw Error(field + ": expected 16 hexadecimal digits (0-9, a-f), got \"" + s + "\"");
  return h;
}

Checkpoint Session::checkpoint() {
  Trainer& t = trainer();
  if (!data_hash_) data_hash_ = data_fingerprint(data());
  Checkpoint c;
  const Optimizer& o = t.optimizer();
  const std::vector<Tensor>& m = o.first_moments();
  const std::vector<Tensor>& v = o.second_moments();
  std::size_t k = 0;  // the parameter's index over all layers, as the optimizer counts them
  for (std::size_t i = 0; i < model_->size(); ++i) {
    Layer& l = model_->layer(i);
    Checkpoint::Layer cl;
    cl.type = l.type();
    cl.activation = activation_name(l.activation());
    cl.input_shape = l.input_shape();
    cl.output_shape = l.output_shape();
    for (const Param& p : l.params()) {
      Checkpoint::Param cp;
      cp.name = p.name;
      cp.shape = shape_of(*p.value);
      cp.value = *p.value;
      cp.gradient = p.grad->size() == p.value->size() ? *p.grad : Tensor(xt::zeros<float>(p.value->shape()));
      if (!m.empty()) {
        cp.m = m.at(k);
        cp.v = v.at(k);
      }
      cl.params.push_back(std::move(cp));
      ++k;
    }
    if (const Rng* r = l.rng()) cl.rng = r->state();
    c.layers.push_back(std::move(cl));
  }
  c.features = feature_names(spec_.features);
  c.loss = loss_name(spec_.loss);
  c.classes = t.classes();
  c.train_size = t.train_indices().size();
  c.test_size = t.test_indices().size();
  c.data_hash = *data_hash_;
  c.seed = spec_.seed;
  c.hyper = spec_.hyper;
  c.optimizer_steps = o.steps();
  Trainer::State s = t.state();
  c.step = s.step;
  c.examples = s.examples;
  c.cursor = s.cursor;
  c.order.reserve(s.order.size());
  for (const std::size_t i : s.order) {
    if (i > 0xffffffffu) throw Error("checkpoint: more examples than a checkpoint can index");
    c.order.push_back(static_cast<std::uint32_t>(i));
  }
  c.rng = s.rng;
  c.diverged = s.diverged;
  return c;
}

void Session::restore(const Checkpoint& c) {
  const std::string f = kField;
  Trainer& current = trainer();
  if (c.version != Checkpoint::kVersion)
    throw Error(f + ".version: " + std::to_string(c.version) + " is not a version this engine reads (" +
                std::to_string(Checkpoint::kVersion) + ")");

  // What it fits: this model, these features, this loss, this data and split.
  const std::string other_model = " (a checkpoint of another model)";
  if (c.layers.size() != model_->size())
    throw Error(f + ".layers: " + std::to_string(c.layers.size()) + " layers, but this model has " +
                std::to_string(model_->size()) + other_model);
  bool has_moments = false, checked_moments = false;
  for (std::size_t i = 0; i < c.layers.size(); ++i) {
    const Checkpoint::Layer& cl = c.layers[i];
    Layer& l = model_->layer(i);
    const std::string lf = f + ".layers[" + std::to_string(i) + "]";
    const std::string ours = ", but this model's layer " + std::to_string(i);
    if (cl.type != l.type()) throw Error(lf + ".type: " + cl.type + ours + " is " + l.type() + other_model);
    const std::string act = activation_name(l.activation());
    if (cl.activation != act)
      throw Error(lf + ".activation: " + cl.activation + ours + " has " + act + other_model);
    if (cl.input_shape != l.input_shape())
      throw Error(lf + ".inputShape: " + shape_string(cl.input_shape) + ours + " takes " +
                  shape_string(l.input_shape()) + other_model);
    if (cl.output_shape != l.output_shape())
      throw Error(lf + ".outputShape: " + shape_string(cl.output_shape) + ours + " outputs " +
                  shape_string(l.output_shape()) + other_model);
    const std::vector<Param> params = l.params();
    if (cl.params.size() != params.size())
      throw Error(lf + ".params: " + std::to_string(cl.params.size()) + " parameters" + ours + " has " +
                  std::to_string(params.size()) + other_model);
    for (std::size_t j = 0; j < params.size(); ++j) {
      const Checkpoint::Param& cp = cl.params[j];
      const std::string pf = lf + ".params[" + std::to_string(j) + "]";
      if (cp.name != params[j].name)
        throw Error(pf + ".name: " + cp.name + ", but this model's has " + params[j].name + other_model);
      const Shape shape = shape_of(*params[j].value);
      if (cp.shape != shape)
        throw Error(pf + ".shape: " + shape_string(cp.shape) + ", but this model's " + cp.name + " are " +
                    shape_string(shape) + other_model);
      const std::size_t n = shape_size(shape);
      check_size(cp.value, n, pf + ".value", shape);
      check_size(cp.gradient, n, pf + ".gradient", shape);
      const bool has = cp.m.size() != 0 || cp.v.size() != 0;
      if (checked_moments && has != has_moments)
        throw Error(pf + ".m: the optimizer's moment estimates are given for some parameters and not others");
      has_moments = has;
      checked_moments = true;
      if (has) {
        check_size(cp.m, n, pf + ".m", shape);
        check_size(cp.v, n, pf + ".v", shape);
      }
    }
    if (cl.rng.has_value() != (l.rng() != nullptr))
      throw Error(lf + ".rng: " +
                  (l.rng() ? "missing (a " + l.type() + " layer's generator)"
                           : "given for a layer that draws no random numbers"));
  }
  const std::vector<std::string> features = feature_names(spec_.features);
  if (c.features != features)
    throw Error(f + ".features: " + names(c.features) + ", but this session computes " + names(features) +
                " (a checkpoint of another spec)");
  if (c.loss != loss_name(spec_.loss))
    throw Error(f + ".loss: " + c.loss + ", but this session trains with " + loss_name(spec_.loss) +
                " (a checkpoint of another spec)");
  if (c.classes != current.classes())
    throw Error(f + ".classes: " + std::to_string(c.classes) + ", but this session's data has " +
                std::to_string(current.classes()) + " (a checkpoint of another data set)");
  if (c.train_size != current.train_indices().size() || c.test_size != current.test_indices().size()) {
    const bool train = c.train_size != current.train_indices().size();
    throw Error(f + (train ? ".trainSize: " : ".testSize: ") +
                std::to_string(train ? c.train_size : c.test_size) + " examples, but this session's " +
                (train ? "training" : "test") + " split has " +
                std::to_string(train ? current.train_indices().size() : current.test_indices().size()) +
                " (a checkpoint of another data set or test_ratio)");
  }
  if (!data_hash_) data_hash_ = data_fingerprint(data());
  if (c.data_hash != *data_hash_)
    throw Error(f + ".dataHash: " + fingerprint_string(c.data_hash) + ", but this session's data is " +
                fingerprint_string(*data_hash_) +
                " (a checkpoint of other data: another data set, noise or points)");

  // The state.
  if (c.seed > static_cast<std::uint64_t>(vocab::range::seed.max))
    throw Error(f + ".seed: expected a whole number from 0 to 4294967295");
  check_hyperparameters(c.hyper, f + ".hyperparameters");
  // Moments come with the first step (a model without parameters has none, and steps all the same).
  if (checked_moments && (c.optimizer_steps == 0) == has_moments)
    throw Error(f + ".optimizerSteps: " + std::to_string(c.optimizer_steps) +
                (has_moments ? ", but the optimizer has moment estimates (it has stepped)"
                             : ", but the optimizer has no moment estimates (it has not stepped)"));
  if (c.optimizer_steps > c.step)
    throw Error(f + ".optimizerSteps: " + std::to_string(c.optimizer_steps) +
                " is more than the steps trained (" + std::to_string(c.step) + ")");

  // Built aside with the checkpoint's seed (its split) and hyper-parameters, then filled.
  TrainSpec spec = spec_;
  spec.seed = spec.model.seed = c.seed;
  spec.hyper = c.hyper;
  auto model = std::make_unique<Model>(spec.model);
  auto trainer = std::make_unique<Trainer>(*model, data_, spec);
  std::vector<Tensor> m, v;
  for (std::size_t i = 0; i < c.layers.size(); ++i) {
    Layer& l = model->layer(i);
    const std::vector<Param> params = l.params();
    for (std::size_t j = 0; j < params.size(); ++j) {
      const Checkpoint::Param& cp = c.layers[i].params[j];
      copy_values(cp.value, *params[j].value);
      ensure_shape(*params[j].grad, params[j].value->shape());
      copy_values(cp.gradient, *params[j].grad);
      if (has_moments) {
        m.push_back(Tensor::from_shape(params[j].value->shape()));
        copy_values(cp.m, m.back());
        v.push_back(Tensor::from_shape(params[j].value->shape()));
        copy_values(cp.v, v.back());
      }
    }
    if (Rng* r = l.rng()) r->set_state(*c.layers[i].rng);
  }
  trainer->optimizer().restore(c.optimizer_steps, std::move(m), std::move(v));
  Trainer::State s;
  s.step = c.step;
  s.examples = c.examples;
  s.order.assign(c.order.begin(), c.order.end());
  s.cursor = c.cursor;
  s.rng = c.rng;
  s.diverged = c.diverged;
  trainer->restore(std::move(s), f);  // checks the order against the split

  trainer_.reset();
  model_ = std::move(model);
  trainer_ = std::move(trainer);
  spec_ = std::move(spec);
}

}  // namespace dlplay
