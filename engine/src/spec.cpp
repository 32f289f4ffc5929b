#include "dlplay/spec.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <xtensor/xadapt.hpp>

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

std::size_t get_size(const Json& j, const std::string& field, const Range& r) {
  return get_size(j, field, static_cast<std::size_t>(r.min), static_cast<std::size_t>(r.max));
}

float get_float(const Json& j, const std::string& field, const Range& r) {
  return get_float(j, field, r.min, r.max);
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

// The index of a choice among `names` (fails naming the field and the choices otherwise).
template <class Enum>
Enum get_enum(const Json& j, const std::string& field, const std::vector<std::string>& names) {
  return static_cast<Enum>(vocab::index_of(names, get_choice(j, field, names)));
}

LayerSpec parse_layer(const Json& j, const std::string& field) {
  if (!j.is_object()) fail(field, "expected a layer object, got " + kind_of(j));
  const std::vector<std::string>& types = vocab::layer_types();
  if (!j.contains("type")) fail(field + ".type", "missing (expected one of " + join(types) + ")");
  LayerSpec l;
  l.source = j;
  l.type = get_choice(j["type"], field + ".type", types);
  namespace r = vocab::range;
  auto f = [&](const char* key) { return field + "." + key; };
  if (l.type == "dense") {
    check_keys(j, field, {"type", "name", "units", "activation", "alpha", "init", "weights", "bias"});
    if (!j.contains("units")) fail(f("units"), "missing (how many neurons the layer has)");
    l.units = get_size(j["units"], f("units"), r::units);
  } else if (l.type == "conv2d") {
    check_keys(j, field,
               {"type", "name", "filters", "kernel", "stride", "padding", "activation", "alpha", "init",
                "weights", "bias"});
    if (!j.contains("filters")) fail(f("filters"), "missing (how many filters the layer has)");
    if (!j.contains("kernel")) fail(f("kernel"), "missing (the kernel size)");
    l.filters = get_size(j["filters"], f("filters"), r::filters);
    l.kernel = get_size(j["kernel"], f("kernel"), r::kernel);
    if (j.contains("stride")) l.stride = get_size(j["stride"], f("stride"), r::stride);
    if (j.contains("padding")) l.padding = get_size(j["padding"], f("padding"), r::padding);
  } else if (l.type == "maxpool2d" || l.type == "avgpool2d") {
    check_keys(j, field, {"type", "name", "size", "stride"});
    if (!j.contains("size")) fail(f("size"), "missing (the pooling window size)");
    l.size = get_size(j["size"], f("size"), r::pool_size);
    l.stride = j.contains("stride") ? get_size(j["stride"], f("stride"), r::stride) : l.size;
  } else if (l.type == "flatten") {
    check_keys(j, field, {"type", "name"});
  } else if (l.type == "dropout") {
    check_keys(j, field, {"type", "name", "rate"});
    if (j.contains("rate")) l.rate = get_float(j["rate"], f("rate"), r::dropout_rate);
  } else {  // an activation as a layer of its own
    check_keys(j, field, {"type", "name", "alpha"});
    l.activation = parse_activation(l.type, f("type"));
  }
  if (j.contains("name")) get_string(j["name"], f("name"));
  if (j.contains("activation"))
    l.activation = parse_activation(get_string(j["activation"], f("activation")), f("activation"));
  if (j.contains("alpha")) l.alpha = get_float(j["alpha"], f("alpha"), r::alpha);
  if (j.contains("init")) l.init = get_choice(j["init"], f("init"), vocab::initializers());
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

const std::vector<std::string> kModelKeys = {"format", "version", "input",    "layers", "init",
                                             "seed",   "name",    "features", "loss"};
const std::vector<std::string> kTrainKeys = {
    "format",     "version",   "input",  "layers",         "init",
    "seed",       "name",      "data",   "loss",           "optimizer",
    "batch",      "steps",     "epochs", "regularization", "regularization_rate",
    "test_ratio", "log_every", "lr",     "momentum",       "features"};

ModelSpec parse_model_fields(const Json& j) {
  ModelSpec m;
  if (j.contains("format") && j["format"] != "dlplay-model")
    fail("format", "expected \"dlplay-model\", got " + j["format"].dump());
  if (j.contains("version") && j["version"] != 1) fail("version", "expected 1, got " + j["version"].dump());
  if (!j.contains("input")) fail("input", "missing (the shape of one example, e.g. [2] or [1, 28, 28])");
  m.input = parse_model_input(j["input"]);
  if (!j.contains("layers")) fail("layers", "missing (the list of layers)");
  const Json& layers = j["layers"];
  if (!layers.is_array()) fail("layers", "expected an array of layers, got " + kind_of(layers));
  if (layers.empty()) fail("layers", "expected at least one layer");
  if (layers.size() > 1000) fail("layers", "too many layers (at most 1000)");
  for (std::size_t i = 0; i < layers.size(); ++i)
    m.layers.push_back(parse_layer(layers[i], "layers[" + std::to_string(i) + "]"));
  if (j.contains("init")) m.init = get_choice(j["init"], "init", vocab::initializers());
  if (j.contains("seed")) m.seed = get_size(j["seed"], "seed", vocab::range::seed);
  if (j.contains("name")) get_string(j["name"], "name");
  return m;
}

void parse_optimizer(const Json& o, OptimizerSpec& opt) {
  namespace r = vocab::range;
  if (o.is_string()) {
    opt.type = get_enum<OptimizerKind>(o, "optimizer", vocab::optimizers());
    return;
  }
  if (!o.is_object()) fail("optimizer", "expected an object like {\"type\": \"sgd\", \"lr\": 0.03}");
  check_keys(o, "optimizer", {"type", "lr", "momentum", "nesterov", "beta1", "beta2", "rho", "epsilon"});
  if (o.contains("type"))
    opt.type = get_enum<OptimizerKind>(o["type"], "optimizer.type", vocab::optimizers());
  if (o.contains("lr")) opt.lr = get_float(o["lr"], "optimizer.lr", r::lr);
  if (o.contains("momentum")) opt.momentum = get_float(o["momentum"], "optimizer.momentum", r::momentum);
  if (o.contains("nesterov")) {
    if (!o["nesterov"].is_boolean()) fail("optimizer.nesterov", "expected true or false");
    opt.nesterov = o["nesterov"].get<bool>();
  }
  if (o.contains("beta1")) opt.beta1 = get_float(o["beta1"], "optimizer.beta1", r::beta1);
  if (o.contains("beta2")) opt.beta2 = get_float(o["beta2"], "optimizer.beta2", r::beta2);
  if (o.contains("rho")) opt.rho = get_float(o["rho"], "optimizer.rho", r::rho);
  if (o.contains("epsilon")) opt.epsilon = get_float(o["epsilon"], "optimizer.epsilon", r::epsilon);
}

void parse_regularization(const Json& j, Hyperparameters& h) {
  const auto& kinds = vocab::regularizations();
  const Range& rate = vocab::range::regularization_rate;
  if (j.contains("regularization")) {
    const Json& r = j["regularization"];
    if (r.is_object()) {
      check_keys(r, "regularization", {"type", "rate"});
      if (r.contains("type"))
        h.regularization = get_enum<Regularization>(r["type"], "regularization.type", kinds);
      if (r.contains("rate")) h.regularization_rate = get_float(r["rate"], "regularization.rate", rate);
    } else {
      h.regularization = get_enum<Regularization>(r, "regularization", kinds);
    }
  }
  if (j.contains("regularization_rate"))
    h.regularization_rate = get_float(j["regularization_rate"], "regularization_rate", rate);
}

void apply_hyperparameters(const Json& j, Hyperparameters& h) {
  namespace r = vocab::range;
  if (j.contains("optimizer")) parse_optimizer(j["optimizer"], h.optimizer);
  if (j.contains("lr")) h.optimizer.lr = get_float(j["lr"], "lr", r::lr);
  if (j.contains("momentum")) h.optimizer.momentum = get_float(j["momentum"], "momentum", r::momentum);
  if (j.contains("batch")) h.batch = get_size(j["batch"], "batch", r::batch);
  parse_regularization(j, h);
}

void parse_data(const Json& d, TrainSpec& t) {
  namespace r = vocab::range;
  const std::vector<std::string>& sets = data::names_2d();
  if (d.is_string()) {
    t.data.name = get_choice(d, "data", sets);
  } else if (d.is_object() && d.contains("x")) {
    check_keys(d, "data", {"x", "y", "test_ratio"});
    if (!d.contains("y")) fail("data", "inline data needs both \"x\" and \"y\"");
    t.data.source = DataSource::inline_json;
  } else if (d.is_object()) {
    check_keys(d, "data", {"name", "n", "noise", "classes", "test_ratio"});
    if (!d.contains("name")) fail("data.name", "missing (one of " + join(sets) + ")");
    t.data.name = get_choice(d["name"], "data.name", sets);
    if (d.contains("n")) t.data.n = get_size(d["n"], "data.n", r::data_n);
    if (d.contains("noise")) t.data.noise = get_float(d["noise"], "data.noise", r::noise);
    if (d.contains("classes")) {
      data::check_classes(t.data.name, 2);  // a set that takes no class count: said before the range
      t.data.classes = get_size(d["classes"], "data.classes", r::classes);
    }
  } else {
    fail("data", "expected a data set name or an object, got " + kind_of(d));
  }
  if (d.is_object() && d.contains("test_ratio"))
    t.test_ratio = get_float(d["test_ratio"], "data.test_ratio", r::test_ratio);
}

// "features" of a model JSON or a training spec; the model's input must be one value per feature.
std::vector<Feature> parse_features(const Json& f, const Shape& input) {
  if (!f.is_array()) fail("features", "expected an array of feature names, e.g. [\"x1\", \"x2\"]");
  if (f.empty()) fail("features", "choose at least one feature");
  std::vector<Feature> features;
  for (std::size_t i = 0; i < f.size(); ++i) {
    const std::string field = "features[" + std::to_string(i) + "]";
    const auto feature = get_enum<Feature>(f[i], field, vocab::features());
    if (std::find(features.begin(), features.end(), feature) != features.end())
      fail(field, "feature '" + f[i].get<std::string>() + "' is given twice");
    features.push_back(feature);
  }
  if (input != Shape{features.size()})
    fail("input", "expected [" + std::to_string(features.size()) + "], one value per feature, got " +
                      shape_string(input));
  return features;
}

}  // namespace

Shape parse_model_input(const Json& in) {
  if (!in.is_array() || in.empty() || in.size() > 3)
    fail("input", "expected the shape of one example as 1 to 3 whole numbers, e.g. [2] or [1, 28, 28]");
  Shape input;
  std::uint64_t values = 1;  // in 64 bits, checked as it grows: a product of sizes could wrap
  for (std::size_t i = 0; i < in.size(); ++i) {
    input.push_back(get_size(in[i], "input[" + std::to_string(i) + "]", 1, kMaxExampleSize));
    values = std::min<std::uint64_t>(values * input.back(), std::uint64_t{kMaxExampleSize} + 1);
  }
  if (values > kMaxExampleSize)
    fail("input", shape_string(input) + " is too large (at most " + std::to_string(kMaxExampleSize) +
                      " values per example)");
  return input;
}

kernels::Activation parse_activation(const std::string& name, const std::string& field) {
  const int i = vocab::index_of(vocab::activations(), name);
  if (i < 0)
    fail(field, "unknown activation '" + name + "' (expected one of " + join(vocab::activations()) + ")");
  return static_cast<kernels::Activation>(i);
}

std::string activation_name(kernels::Activation a) {
  return vocab::activations().at(static_cast<std::size_t>(a));
}

bool is_training_spec(const Json& j) {
  for (const std::string& key : kTrainKeys)
    if (j.contains(key) && std::find(kModelKeys.begin(), kModelKeys.end(), key) == kModelKeys.end())
      return true;
  return false;
}

ModelJson parse_model_json(const Json& j) {
  if (!j.is_object()) fail("model", "expected a JSON object, got " + kind_of(j));
  check_keys(j, "model", kModelKeys);
  ModelJson m;
  m.model = parse_model_fields(j);
  if (j.contains("features")) m.features = parse_features(j["features"], m.model.input);
  if (j.contains("loss")) m.loss = get_enum<LossKind>(j["loss"], "loss", vocab::losses());
  return m;
}

ModelSpec parse_model(const Json& j) { return parse_model_json(j).model; }

Json features_to_json(const std::vector<Feature>& features) {
  Json names = Json::array();
  for (Feature f : features) names.push_back(vocab::features().at(static_cast<std::size_t>(f)));
  return names;
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

TrainSpec parse_training(const Json& j, DataSource expected) {
  namespace r = vocab::range;
  if (!j.is_object()) fail("spec", "expected a JSON object, got " + kind_of(j));
  check_keys(j, "spec", kTrainKeys);
  TrainSpec t;
  t.model = parse_model_fields(j);
  t.seed = t.model.seed;
  if (expected == DataSource::given) {
    if (j.contains("data"))
      fail("data", "given both in the spec and as arrays (leave \"data\" out of the spec)");
    if (j.contains("features")) fail("features", "computed features need 2-D points in the spec's data");
    t.data.source = DataSource::given;
  } else if (!j.contains("data")) {
    fail("data", "missing (a built-in set like \"circle\" or inline {\"x\": [...], \"y\": [...]})");
  } else {
    parse_data(j["data"], t);
  }
  if (j.contains("features")) t.features = parse_features(j["features"], t.model.input);
  if (t.data.source == DataSource::builtin && t.features.empty() && shape_size(t.model.input) != 2)
    fail("input",
         "each example of the data has shape [2] but the model's input is " + shape_string(t.model.input));
  if (j.contains("loss")) t.loss = get_enum<LossKind>(j["loss"], "loss", vocab::losses());
  if (j.contains("steps")) t.steps = get_size(j["steps"], "steps", r::steps);
  if (j.contains("epochs")) t.epochs = get_size(j["epochs"], "epochs", r::epochs);
  if (t.steps && t.epochs) fail("epochs", "give either \"steps\" or \"epochs\", not both");
  if (j.contains("log_every")) t.log_every = get_size(j["log_every"], "log_every", 1, 100'000'000);
  if (j.contains("test_ratio")) t.test_ratio = get_float(j["test_ratio"], "test_ratio", r::test_ratio);
  apply_hyperparameters(j, t.hyper);
  return t;
}

void parse_hyperparameters(const Json& j, Hyperparameters& hyper) {
  if (!j.is_object()) fail("hyperparameters", "expected an object, got " + kind_of(j));
  check_keys(j, "hyperparameters",
             {"optimizer", "lr", "momentum", "batch", "regularization", "regularization_rate"});
  Hyperparameters copy = hyper;  // all or nothing: a bad field leaves `hyper` untouched
  apply_hyperparameters(j, copy);
  hyper = copy;
}

Json hyperparameters_to_json(const Hyperparameters& h) {
  const OptimizerSpec& o = h.optimizer;
  Json opt = {{"type", vocab::optimizers().at(static_cast<std::size_t>(o.type))}, {"lr", o.lr}};
  switch (o.type) {
    case OptimizerKind::sgd:
      opt["momentum"] = o.momentum;
      opt["nesterov"] = o.nesterov;
      break;
    case OptimizerKind::adam:
      opt["beta1"] = o.beta1;
      opt["beta2"] = o.beta2;
      opt["epsilon"] = o.epsilon;
      break;
    case OptimizerKind::adagrad:
      opt["epsilon"] = o.epsilon;
      break;
    case OptimizerKind::rmsprop:
      opt["rho"] = o.rho;
      opt["epsilon"] = o.epsilon;
      break;
  }
  return {{"optimizer", std::move(opt)},
          {"batch", h.batch},
          {"regularization", vocab::regularizations().at(static_cast<std::size_t>(h.regularization))},
          {"regularization_rate", h.regularization_rate}};
}

Dataset prepare_dataset(const TrainSpec& spec, Dataset given) {
  Dataset d = spec.data.source == DataSource::builtin
                  ? data::make_2d(spec.data.name, spec.data.n, spec.data.noise, spec.seed, spec.data.classes)
                  : std::move(given);
  const char* field = "data.x";
  const Shape& example = spec.features.empty() ? spec.model.input : Shape{2};
  const std::size_t n = d.size();
  if (n == 0) fail(field, "expected at least one example");
  if (d.x.size() != n * shape_size(example)) {
    const Shape xs = shape_of(d.x);
    const Shape got(xs.begin() + 1, xs.end());
    fail(field, "each example of the data has shape " + shape_string(got) + " but " +
                    (spec.features.empty() ? "the model's input is " + shape_string(spec.model.input)
                                           : std::string("features are computed from 2-D points")));
  }
  const BatchShape want = batch_shape(n, example);
  if (!std::equal(want.begin(), want.end(), d.x.shape().begin(), d.x.shape().end())) d.x.reshape(want);
  data::apply_label_rule(d, "data.y");
  return d;
}

std::string clean_json_message(const std::string& what) {
  const auto end = what.find("] ");
  return what.rfind("[json.exception.", 0) == 0 && end != std::string::npos ? what.substr(end + 2) : what;
}

Json parse_json(const std::string& text, const std::string& where) {
  // Deeper nesting than any spec needs is refused while parsing: a document nested thousands of
  // levels deep would otherwise overflow the stack when it is copied or destroyed.
  const auto depth_limit = [&](int depth, Json::parse_event_t event, Json&) {
    if ((event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start) &&
        depth >= kMaxJsonDepth)
      throw Error(where + ": invalid JSON: nested more than " + std::to_string(kMaxJsonDepth) +
                  " levels deep");
    return true;
  };
  try {
    return Json::parse(text, depth_limit);
  } catch (const Json::exception& e) {  // parse errors, and numbers out of range ("1e400")
    throw Error(where + ": invalid JSON: " + clean_json_message(e.what()));
  }
}

}  // namespace dlplay
