#include "dlplay/spec.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <xtensor/xadapt.hpp>

#include "dlplay/features.hpp"

namespace dlplay {
namespace {

[[noreturn]] void fail(const std::string& field, const std::string& what) {
  throw Error(field + ": " + what);
}

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
  return s;
}

std::string kind_of(const Json& j) {
  if (j.is_null()) return "null";
  if (j.is_boolean()) return "a boolean";
  if (j.is_number()) return "the number " + j.dump();
  if (j.is_string()) return "the string " + j.dump();
  if (j.is_array()) return "an array";
  return "an object";
}

void check_keys(const Json& j, const std::string& field, const std::vector<std::string>& allowed) {
  for (auto it = j.begin(); it != j.end(); ++it)
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end())
      fail(field + "." + it.key(), "unknown field (expected one of " + join(allowed) + ")");
}

std::size_t get_size(const Json& j, const std::string& field, std::size_t lo, std::size_t hi) {
  if (!j.is_number_integer())
    fail(field, "expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                    ", got " + kind_of(j));
  if (j.is_number_unsigned() ? (j.get<std::uint64_t>() < lo || j.get<std::uint64_t>() > hi)
                             : (j.get<std::int64_t>() < static_cast<std::int64_t>(lo) ||
                                j.get<std::int64_t>() > static_cast<std::int64_t>(hi)))
    fail(field, "expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                    ", got " + j.dump());
  return static_cast<std::size_t>(j.get<std::uint64_t>());
}

float get_float(const Json& j, const std::string& field, double lo, double hi) {
  if (!j.is_number()) fail(field, "expected a number, got " + kind_of(j));
  double v = j.get<double>();
  if (!std::isfinite(v) || v < lo || v > hi)
    fail(field, "expected a number from " + Json(lo).dump() + " to " + Json(hi).dump() + ", got " + j.dump());
  return static_cast<float>(v);
}

std::string get_string(const Json& j, const std::string& field) {
  if (!j.is_string()) fail(field, "expected a string, got " + kind_of(j));
  return j.get<std::string>();
}

std::string get_choice(const Json& j, const std::string& field, const std::vector<std::string>& choices) {
  std::string s = get_string(j, field);
  if (std::find(choices.begin(), choices.end(), s) == choices.end())
    fail(field, "unknown value '" + s + "' (expected one of " + join(choices) + ")");
  return s;
}

// Flattens a nested rectangular array of finite float32 numbers, recording its shape.
void flatten_numbers(const Json& j, const std::string& field, std::size_t depth, Shape& shape,
                     std::vector<float>& out) {
  if (depth > 8) fail(field, "arrays nested too deeply");
  if (j.is_number()) {
    if (depth != shape.size()) fail(field, "not rectangular: a number where an array was expected");
    double v = j.get<double>();
    if (!std::isfinite(v) || std::fabs(v) > std::numeric_limits<float>::max())
      fail(field, "value " + j.dump() + " is not a finite float32 number");
    out.push_back(static_cast<float>(v));
    return;
  }
  if (!j.is_array()) fail(field, "expected numbers or arrays of numbers, got " + kind_of(j));
  if (depth == shape.size()) {
    if (!out.empty()) fail(field, "not rectangular: an array where a number was expected");
    shape.push_back(j.size());
  } else if (depth > shape.size() || shape[depth] != j.size()) {
    fail(field, "not rectangular: rows of different lengths");
  }
  if (out.size() + j.size() > std::size_t{1} << 31) fail(field, "too many values");
  for (std::size_t i = 0; i < j.size(); ++i) flatten_numbers(j[i], field, depth + 1, shape, out);
}

std::vector<float> numbers(const Json& j, const std::string& field, Shape& shape) {
  std::vector<float> out;
  shape.clear();
  flatten_numbers(j, field, 0, shape, out);
  if (shape_size(shape) != out.size()) fail(field, "not rectangular");
  return out;
}

const std::vector<std::string> kActivations = {"linear", "relu", "leaky_relu", "tanh", "sigmoid", "softmax"};
const std::vector<std::string> kLayerTypes = {"dense",      "conv2d",  "maxpool2d", "avgpool2d",
                                              "flatten",    "dropout", "linear",    "relu",
                                              "leaky_relu", "tanh",    "sigmoid",   "softmax"};
const std::vector<std::string> kInits = {
    "he", "he_normal", "he_uniform", "xavier", "xavier_uniform", "xavier_normal", "zeros"};

LayerSpec parse_layer(const Json& j, const std::string& field) {
  if (!j.is_object()) fail(field, "expected a layer object, got " + kind_of(j));
  if (!j.contains("type")) fail(field + ".type", "missing (expected one of " + join(kLayerTypes) + ")");
  LayerSpec l;
  l.source = j;
  l.type = get_choice(j["type"], field + ".type", kLayerTypes);
  const std::size_t big = kMaxLayerParams;
  auto f = [&](const char* key) { return field + "." + key; };
  if (l.type == "dense") {
    check_keys(j, field, {"type", "name", "units", "activation", "alpha", "init", "weights", "bias"});
    if (!j.contains("units")) fail(f("units"), "missing (how many neurons the layer has)");
    l.units = get_size(j["units"], f("units"), 1, big);
  } else if (l.type == "conv2d") {
    check_keys(j, field,
               {"type", "name", "filters", "kernel", "stride", "padding", "activation", "alpha", "init",
                "weights", "bias"});
    if (!j.contains("filters")) fail(f("filters"), "missing (how many filters the layer has)");
    if (!j.contains("kernel")) fail(f("kernel"), "missing (the kernel size)");
    l.filters = get_size(j["filters"], f("filters"), 1, 65536);
    l.kernel = get_size(j["kernel"], f("kernel"), 1, 1024);
    if (j.contains("stride")) l.stride = get_size(j["stride"], f("stride"), 1, 1024);
    if (j.contains("padding")) l.padding = get_size(j["padding"], f("padding"), 0, 1024);
  } else if (l.type == "maxpool2d" || l.type == "avgpool2d") {
    check_keys(j, field, {"type", "name", "size", "stride"});
    if (!j.contains("size")) fail(f("size"), "missing (the pooling window size)");
    l.size = get_size(j["size"], f("size"), 1, 1024);
    l.stride = j.contains("stride") ? get_size(j["stride"], f("stride"), 1, 1024) : l.size;
  } else if (l.type == "flatten") {
    check_keys(j, field, {"type", "name"});
  } else if (l.type == "dropout") {
    check_keys(j, field, {"type", "name", "rate"});
    if (j.contains("rate")) l.rate = get_float(j["rate"], f("rate"), 0.0, 0.99);
  } else {  // an activation as a layer of its own
    check_keys(j, field, {"type", "name", "alpha"});
    l.activation = parse_activation(l.type, f("type"));
  }
  if (j.contains("name")) get_string(j["name"], f("name"));
  if (j.contains("activation"))
    l.activation = parse_activation(get_string(j["activation"], f("activation")), f("activation"));
  if (j.contains("alpha")) l.alpha = get_float(j["alpha"], f("alpha"), 0.0, 1.0);
  if (j.contains("init")) l.init = get_choice(j["init"], f("init"), kInits);
  if (j.contains("weights")) {
    Shape s;
    l.weights = numbers(j["weights"], f("weights"), s);
    l.weights_shape = s;
  }
  if (j.contains("bias")) {
    Shape s;
    l.bias = numbers(j["bias"], f("bias"), s);
    if (s.size() != 1) fail(f("bias"), "expected a flat array of numbers, got shape " + shape_string(s));
  }
  return l;
}

const std::vector<std::string> kModelKeys = {"format", "version", "input", "layers", "init", "seed", "name"};
const std::vector<std::string> kTrainKeys = {
    "format",     "version",   "input",  "layers",         "init",
    "seed",       "name",      "data",   "loss",           "optimizer",
    "batch",      "steps",     "epochs", "regularization", "regularization_rate",
    "test_ratio", "log_every", "lr",     "features"};

ModelSpec parse_model_fields(const Json& j) {
  ModelSpec m;
  if (j.contains("format") && j["format"] != "dlplay-model")
    fail("format", "expected \"dlplay-model\", got " + j["format"].dump());
  if (j.contains("version") && j["version"] != 1) fail("version", "expected 1, got " + j["version"].dump());
  if (!j.contains("input")) fail("input", "missing (the shape of one example, e.g. [2] or [1, 28, 28])");
  const Json& in = j["input"];
  if (!in.is_array() || in.empty() || in.size() > 3)
    fail("input", "expected the shape of one example as 1 to 3 whole numbers, e.g. [2] or [1, 28, 28]");
  for (std::size_t i = 0; i < in.size(); ++i)
    m.input.push_back(get_size(in[i], "input[" + std::to_string(i) + "]", 1, kMaxExampleSize));
  if (shape_size(m.input) > kMaxExampleSize)
    fail("input", shape_string(m.input) + " is too large (at most " + std::to_string(kMaxExampleSize) +
                      " values per example)");
  if (!j.contains("layers")) fail("layers", "missing (the list of layers)");
  const Json& layers = j["layers"];
  if (!layers.is_array()) fail("layers", "expected an array of layers, got " + kind_of(layers));
  if (layers.empty()) fail("layers", "expected at least one layer");
  if (layers.size() > 1000) fail("layers", "too many layers (at most 1000)");
  for (std::size_t i = 0; i < layers.size(); ++i)
    m.layers.push_back(parse_layer(layers[i], "layers[" + std::to_string(i) + "]"));
  if (j.contains("init")) m.init = get_choice(j["init"], "init", kInits);
  if (j.contains("seed")) m.seed = get_size(j["seed"], "seed", 0, std::numeric_limits<std::uint32_t>::max());
  if (j.contains("name")) get_string(j["name"], "name");
  return m;
}

void parse_optimizer(const Json& o, OptimizerSpec& opt) {
  if (o.is_string()) {
    opt.type = get_choice(o, "optimizer", {"sgd", "adam", "adagrad", "rmsprop"});
    return;
  }
  if (!o.is_object()) fail("optimizer", "expected an object like {\"type\": \"sgd\", \"lr\": 0.03}");
  check_keys(o, "optimizer", {"type", "lr", "momentum", "nesterov", "beta1", "beta2", "rho", "epsilon"});
  if (o.contains("type"))
    opt.type = get_choice(o["type"], "optimizer.type", {"sgd", "adam", "adagrad", "rmsprop"});
  if (o.contains("lr")) opt.lr = get_float(o["lr"], "optimizer.lr", 0.0, 1e3);
  if (o.contains("momentum")) opt.momentum = get_float(o["momentum"], "optimizer.momentum", 0.0, 0.999);
  if (o.contains("nesterov")) {
    if (!o["nesterov"].is_boolean()) fail("optimizer.nesterov", "expected true or false");
    opt.nesterov = o["nesterov"].get<bool>();
  }
  if (o.contains("beta1")) opt.beta1 = get_float(o["beta1"], "optimizer.beta1", 0.0, 0.9999);
  if (o.contains("beta2")) opt.beta2 = get_float(o["beta2"], "optimizer.beta2", 0.0, 0.99999);
  if (o.contains("rho")) opt.rho = get_float(o["rho"], "optimizer.rho", 0.0, 0.9999);
  if (o.contains("epsilon")) opt.epsilon = get_float(o["epsilon"], "optimizer.epsilon", 1e-12, 1.0);
}

void parse_regularization(const Json& j, TrainSpec& t) {
  if (j.contains("regularization")) {
    const Json& r = j["regularization"];
    std::string type;
    if (r.is_object()) {
      check_keys(r, "regularization", {"type", "rate"});
      if (r.contains("type")) type = get_choice(r["type"], "regularization.type", {"none", "l1", "l2"});
      if (r.contains("rate")) t.regularization_rate = get_float(r["rate"], "regularization.rate", 0.0, 10.0);
    } else {
      type = get_choice(r, "regularization", {"none", "l1", "l2"});
    }
    if (!type.empty())
      t.regularization = type == "l1"   ? Regularization::l1
                         : type == "l2" ? Regularization::l2
                                        : Regularization::none;
  }
  if (j.contains("regularization_rate"))
    t.regularization_rate = get_float(j["regularization_rate"], "regularization_rate", 0.0, 10.0);
}

}  // namespace

void apply_hyperparameters(const Json& j, TrainSpec& t);

kernels::Activation parse_activation(const std::string& name, const std::string& field) {
  using A = kernels::Activation;
  if (name == "linear") return A::linear;
  if (name == "relu") return A::relu;
  if (name == "leaky_relu") return A::leaky_relu;
  if (name == "tanh") return A::tanh;
  if (name == "sigmoid") return A::sigmoid;
  if (name == "softmax") return A::softmax;
  fail(field, "unknown activation '" + name + "' (expected one of " + join(kActivations) + ")");
}

std::string activation_name(kernels::Activation a) { return kActivations.at(static_cast<std::size_t>(a)); }

bool is_activation_name(const std::string& name) {
  return std::find(kActivations.begin(), kActivations.end(), name) != kActivations.end();
}

ModelSpec parse_model(const Json& j) {
  if (!j.is_object()) fail("model", "expected a JSON object, got " + kind_of(j));
  check_keys(j, "model", kModelKeys);
  return parse_model_fields(j);
}

Dataset parse_inline_data(const Json& j, const std::string& field) {
  if (!j.contains("x") || !j.contains("y")) fail(field, "inline data needs both \"x\" and \"y\"");
  Dataset d;
  Shape xs, ys;
  std::vector<float> x = numbers(j["x"], field + ".x", xs);
  std::vector<float> y = numbers(j["y"], field + ".y", ys);
  if (xs.empty() || xs[0] == 0) fail(field + ".x", "expected an array of examples");
  if (ys.empty() || ys[0] != xs[0])
    fail(field + ".y", "expected one label per example (" + std::to_string(xs[0]) + "), got " +
                           (ys.empty() ? "none" : std::to_string(ys[0])));
  if (ys.size() > 2) fail(field + ".y", "expected class indices or one row of targets per example");
  d.x = xt::adapt(x, xs);
  d.y = xt::adapt(y, ys);
  return d;
}

TrainSpec parse_training(const Json& j) {
  if (!j.is_object()) fail("spec", "expected a JSON object, got " + kind_of(j));
  check_keys(j, "spec", kTrainKeys);
  TrainSpec t;
  t.model = parse_model_fields(j);
  t.seed = t.model.seed;
  if (!j.contains("data"))
    fail("data", "missing (a built-in set like \"circle\" or inline {\"x\": [...], \"y\": [...]})");
  const Json& d = j["data"];
  const std::vector<std::string> sets = data::names_2d();
  if (d.is_string()) {
    t.data.name = get_choice(d, "data", sets);
  } else if (d.is_object() && d.contains("x")) {
    check_keys(d, "data", {"x", "y", "test_ratio"});
    t.data.name = "inline";
    t.data.inline_data = parse_inline_data(d, "data");
  } else if (d.is_object()) {
    check_keys(d, "data", {"name", "n", "noise", "test_ratio"});
    if (!d.contains("name")) fail("data.name", "missing (one of " + join(sets) + ")");
    t.data.name = get_choice(d["name"], "data.name", sets);
    if (d.contains("n")) t.data.n = get_size(d["n"], "data.n", 2, 1'000'000);
    if (d.contains("noise")) t.data.noise = get_float(d["noise"], "data.noise", 0.0, 1.0);
  } else {
    fail("data", "expected a data set name or an object, got " + kind_of(d));
  }
  if (d.is_object() && d.contains("test_ratio"))
    t.test_ratio = get_float(d["test_ratio"], "data.test_ratio", 0.0, 0.9);
  if (j.contains("features")) {
    const Json& f = j["features"];
    if (!f.is_array()) fail("features", "expected an array of feature names, e.g. [\"x1\", \"x2\"]");
    for (std::size_t i = 0; i < f.size(); ++i)
      t.features.push_back(get_string(f[i], "features[" + std::to_string(i) + "]"));
    features::validate(t.features, "features");
    if (t.model.input != Shape{t.features.size()})
      fail("input", "expected [" + std::to_string(t.features.size()) + "], one value per feature, got " +
                        shape_string(t.model.input));
  }
  // What one example of the data holds before features are computed, against the model's input.
  const Shape points{2};
  const Shape want = t.features.empty() ? t.model.input : points;
  Shape example = points;
  if (t.data.name == "inline") {
    const Shape xs = shape_of(t.data.inline_data.x);
    example.assign(xs.begin() + 1, xs.end());
  }
  if (shape_size(example) != shape_size(want))
    fail(t.data.name == "inline" ? "data.x" : "input",
         "each example of the data has shape " + shape_string(example) + " but " +
             (t.features.empty() ? "the model's input is " + shape_string(t.model.input)
                                 : std::string("features are computed from 2-D points")));
  if (j.contains("loss"))
    t.loss = get_choice(j["loss"], "loss", {"mse", "cross_entropy"}) == "mse" ? LossKind::mse
                                                                              : LossKind::cross_entropy;
  if (j.contains("steps")) t.steps = get_size(j["steps"], "steps", 0, 100'000'000);
  if (j.contains("epochs")) t.epochs = get_size(j["epochs"], "epochs", 0, 1'000'000);
  if (t.steps && t.epochs) fail("epochs", "give either \"steps\" or \"epochs\", not both");
  if (j.contains("log_every")) t.log_every = get_size(j["log_every"], "log_every", 1, 100'000'000);
  if (j.contains("test_ratio")) t.test_ratio = get_float(j["test_ratio"], "test_ratio", 0.0, 0.9);
  apply_hyperparameters(j, t);
  return t;
}

void parse_hyperparameters(const Json& j, TrainSpec& t) {
  if (!j.is_object()) fail("hyperparameters", "expected an object, got " + kind_of(j));
  check_keys(j, "hyperparameters",
             {"optimizer", "lr", "momentum", "batch", "regularization", "regularization_rate"});
  TrainSpec copy = t;  // all or nothing: a bad field leaves `t` untouched
  apply_hyperparameters(j, copy);
  t = copy;
}

void apply_hyperparameters(const Json& j, TrainSpec& t) {
  if (j.contains("optimizer")) parse_optimizer(j["optimizer"], t.optimizer);
  if (j.contains("lr")) t.optimizer.lr = get_float(j["lr"], "lr", 0.0, 1e3);
  if (j.contains("momentum")) t.optimizer.momentum = get_float(j["momentum"], "momentum", 0.0, 0.999);
  if (j.contains("batch")) t.batch = get_size(j["batch"], "batch", 1, 100'000);
  parse_regularization(j, t);
}

Dataset make_dataset(const TrainSpec& spec) {
  if (spec.data.name != "inline")
    return data::make_2d(spec.data.name, spec.data.n, spec.data.noise, spec.seed);
  Dataset d = spec.data.inline_data;
  Shape want{d.size()};
  const Shape& example = spec.features.empty() ? spec.model.input : Shape{2};
  want.insert(want.end(), example.begin(), example.end());
  if (shape_of(d.x) != want && shape_size(want) == d.x.size()) d.x.reshape(want);
  return d;
}

std::string clean_json_message(const std::string& what) {
  const auto end = what.find("] ");
  return what.rfind("[json.exception.", 0) == 0 && end != std::string::npos ? what.substr(end + 2) : what;
}

Json parse_json(const std::string& text, const std::string& where) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw Error(where + ": invalid JSON: " + clean_json_message(e.what()));
  }
}

Json optimizer_to_json(const OptimizerSpec& o) {
  Json j = {{"type", o.type}, {"lr", o.lr}};
  if (o.type == "sgd") {
    j["momentum"] = o.momentum;
    j["nesterov"] = o.nesterov;
  } else if (o.type == "adam") {
    j["beta1"] = o.beta1;
    j["beta2"] = o.beta2;
  } else if (o.type == "rmsprop") {
    j["rho"] = o.rho;
  }
  return j;
}

}  // namespace dlplay
