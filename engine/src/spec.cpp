#include "dlplay/spec.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <xtensor/xadapt.hpp>

#include "spec_parse.hpp"

namespace dlplay {
namespace {

using namespace parse;

const std::vector<std::string> kModelKeys = {"format", "version", "input",    "layers", "init",
                                             "seed",   "name",    "features", "loss",   "vocabulary"};
const std::vector<std::string> kTrainKeys = {
    "format",     "version",   "input",  "layers",         "init",
    "seed",       "name",      "data",   "loss",           "optimizer",
    "batch",      "steps",     "epochs", "regularization", "regularization_rate",
    "test_ratio", "log_every", "lr",     "momentum",       "features",
    "shards"};

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
  check_keys(o, "optimizer",
             {"type", "lr", "momentum", "nesterov", "beta1", "beta2", "rho", "epsilon", "clip_norm"});
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
  if (o.contains("clip_norm")) opt.clip_norm = get_float(o["clip_norm"], "optimizer.clip_norm", r::clip_norm);
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
  if (j.contains("shards")) h.shards = get_size(j["shards"], "shards", r::shards);
  parse_regularization(j, h);
}

// {"name": "text", "text": …, "length": T, "stride": S, "one_hot": bool} or {"name": "parity", "n": N,
// "length": T}: the sequence sets.
void parse_sequence_data(const Json& d, TrainSpec& t) {
  namespace r = vocab::range;
  if (t.data.name == "text") {
    check_keys(d, "data", {"name", "text", "length", "stride", "one_hot", "test_ratio"});
    if (!d.contains("text")) fail("data.text", "missing (the text to learn, a string)");
    t.data.text = std::make_shared<const std::string>(get_string(d["text"], "data.text"));
    if (d.contains("stride")) t.data.stride = get_size(d["stride"], "data.stride", r::sequence_length);
    if (d.contains("one_hot")) t.data.one_hot = get_bool(d["one_hot"], "data.one_hot");
  } else {
    check_keys(d, "data", {"name", "n", "length", "test_ratio"});
    if (d.contains("n")) t.data.n = get_size(d["n"], "data.n", r::data_n);
  }
  if (d.contains("length")) t.data.length = get_size(d["length"], "data.length", r::sequence_length);
}

void parse_data(const Json& d, TrainSpec& t) {
  namespace r = vocab::range;
  std::vector<std::string> sets = data::names_2d();
  sets.insert(sets.end(), data::names_sequence().begin(), data::names_sequence().end());
  if (d.is_string()) {
    t.data.name = get_choice(d, "data", data::names_2d());
  } else if (d.is_object() && d.contains("x")) {
    check_keys(d, "data", {"x", "y", "test_ratio"});
    if (!d.contains("y")) fail("data", "inline data needs both \"x\" and \"y\"");
    t.data.source = DataSource::inline_json;
  } else if (d.is_object()) {
    if (!d.contains("name")) fail("data.name", "missing (one of " + join(sets) + ")");
    t.data.name = get_choice(d["name"], "data.name", sets);
    if (vocab::index_of(data::names_sequence(), t.data.name) >= 0) {
      parse_sequence_data(d, t);
    } else {
      check_keys(d, "data", {"name", "n", "noise", "classes", "test_ratio"});
      if (d.contains("n")) t.data.n = get_size(d["n"], "data.n", r::data_n);
      if (d.contains("noise")) t.data.noise = get_float(d["noise"], "data.noise", r::noise);
      if (d.contains("classes")) {
        data::check_classes(t.data.name, 2);  // a set that takes no class count: said before the range
        t.data.classes = get_size(d["classes"], "data.classes", r::classes);
      }
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

// A saved character model's "vocabulary": distinct characters (one code point each), in code point
// order, one per id of its first (embedding) layer.
std::vector<std::string> parse_vocabulary(const Json& v, const ModelSpec& model) {
  if (!v.is_array() || v.empty()) fail("vocabulary", "expected an array of characters (strings)");
  std::string text;
  for (std::size_t i = 0; i < v.size(); ++i)
    text += get_string(v[i], "vocabulary[" + std::to_string(i) + "]");
  std::vector<std::string> tokens = data::text_vocabulary(text, "vocabulary");
  if (tokens.size() != v.size() || Json(tokens) != v)
    fail("vocabulary",
         "expected distinct single characters in code point order (as the engine lists a text's)");
  const LayerSpec& first = model.layers.front();
  if (first.type == "embedding" ? first.vocab != tokens.size()
                                : model.input.size() != 2 || model.input[1] != tokens.size())
    fail("vocabulary", std::to_string(tokens.size()) + " characters, but the model reads " +
                           (first.type == "embedding" ? std::to_string(first.vocab) + " ids"
                                                      : "inputs of shape " + shape_string(model.input)));
  return tokens;
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
  if (j.contains("vocabulary")) m.vocabulary = parse_vocabulary(j["vocabulary"], m.model);
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
  if (t.data.source == DataSource::builtin && !t.data.sequence() && t.features.empty() &&
      shape_size(t.model.input) != 2)
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
             {"optimizer", "lr", "momentum", "batch", "shards", "regularization", "regularization_rate"});
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
  if (o.clip_norm > 0) opt["clip_norm"] = o.clip_norm;
  Json j = {{"optimizer", std::move(opt)},
            {"batch", h.batch},
            {"regularization", vocab::regularizations().at(static_cast<std::size_t>(h.regularization))},
            {"regularization_rate", h.regularization_rate}};
  if (h.shards > 1) j["shards"] = h.shards;
  return j;
}

namespace {

// A sequence set, checked against the model's input: ids [T] (or one-hot [T, V]), or bits [T, 1].
Dataset sequence_dataset(const TrainSpec& spec) {
  const DataSpec& ds = spec.data;
  Dataset d = ds.text ? data::make_text(*ds.text, ds.length, ds.stride, ds.one_hot)
                      : data::make_parity(ds.n, ds.length, spec.seed);
  const Shape xs = shape_of(d.x), want(xs.begin() + 1, xs.end());
  if (want != spec.model.input)
    fail("input", "each example of the " + ds.name + " data has shape " + shape_string(want) +
                      (ds.text && !ds.one_hot ? " (character ids; an embedding layer reads them)" : "") +
                      " but the model's input is " + shape_string(spec.model.input));
  return d;
}

}  // namespace

Dataset prepare_dataset(const TrainSpec& spec, Dataset given) {
  const DataSpec& ds = spec.data;
  if (ds.source == DataSource::builtin && ds.sequence()) return sequence_dataset(spec);
  Dataset d = ds.source == DataSource::builtin ? data::make_2d(ds.name, ds.n, ds.noise, spec.seed, ds.classes)
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
