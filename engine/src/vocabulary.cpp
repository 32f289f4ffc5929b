#include "dlplay/vocabulary.hpp"

#include <algorithm>

#include "dlplay/data.hpp"

namespace dlplay::vocab {
namespace {

Json range_json(const Range& r) {
  Json j = {{"min", r.min}, {"max", r.max}, {"default", r.fallback}};
  if (r.integer) j["integer"] = true;
  return j;
}

Json layer(const char* type, Json fields) { return {{"type", type}, {"fields", std::move(fields)}}; }

}  // namespace

const std::vector<std::string>& activations() {
  static const std::vector<std::string> v = {"linear", "relu", "leaky_relu", "tanh", "sigmoid", "softmax"};
  return v;
}

const std::vector<std::string>& layer_types() {
  static const std::vector<std::string> v = [] {
    std::vector<std::string> t = {"dense",   "conv2d", "maxpool2d", "avgpool2d", "flatten",
                                  "dropout", "rnn",    "lstm",      "gru",       "embedding"};
    t.insert(t.end(), activations().begin(), activations().end());
    return t;
  }();
  return v;
}

const std::vector<std::string>& losses() {
  static const std::vector<std::string> v = {"mse", "cross_entropy"};
  return v;
}

const std::vector<std::string>& optimizers() {
  static const std::vector<std::string> v = {"sgd", "adam", "adagrad", "rmsprop"};
  return v;
}

const std::vector<std::string>& initializers() {
  static const std::vector<std::string> v = {
      "he", "he_normal", "he_uniform", "xavier", "xavier_uniform", "xavier_normal", "zeros"};
  return v;
}

const std::vector<std::string>& regularizations() {
  static const std::vector<std::string> v = {"none", "l1", "l2"};
  return v;
}

const std::vector<std::string>& features() {
  static const std::vector<std::string> v = {"x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"};
  return v;
}

int index_of(const std::vector<std::string>& names, const std::string& name) {
  const auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

Json to_json() {
  namespace r = range;
  const Json weighted = {{"activation", "activation"},
                         {"alpha", range_json(r::alpha)},
                         {"init", "initializer"},
                         {"weights", "array"},
                         {"bias", "array"}};
  Json dense = {{"units", range_json(r::units)}};
  Json conv = {{"filters", range_json(r::filters)},
               {"kernel", range_json(r::kernel)},
               {"stride", range_json(r::stride)},
               {"padding", range_json(r::padding)}};
  dense.update(weighted);
  conv.update(weighted);
  Json pool_stride = range_json(r::stride);  // absent: the window's size
  pool_stride.erase("default");
  pool_stride["defaultsTo"] = "size";
  const Json pool = {{"size", range_json(r::pool_size)}, {"stride", pool_stride}};
  Json layers = {layer("dense", dense),
                 layer("conv2d", conv),
                 layer("maxpool2d", pool),
                 layer("avgpool2d", pool),
                 layer("flatten", Json::object()),
                 layer("dropout", {{"rate", range_json(r::dropout_rate)}})};
  for (const char* cell : {"rnn", "lstm", "gru"}) {
    Json fields = {{"units", range_json(r::units)}, {"return_sequences", "boolean"},
                   {"init", "initializer"},         {"weights", "array"},
                   {"recurrent_weights", "array"},  {"bias", "array"}};
    if (cell == std::string("rnn")) fields["activation"] = {"tanh", "relu"};
    if (cell == std::string("gru")) fields["recurrent_bias"] = "array";
    layers.push_back(layer(cell, std::move(fields)));
  }
  layers.push_back(layer("embedding", {{"vocab", range_json(r::vocab_size)},
                                       {"units", range_json(r::units)},
                                       {"init", "initializer"},
                                       {"weights", "array"}}));
  for (const std::string& a : activations())
    layers.push_back(layer(a.c_str(), {{"alpha", range_json(r::alpha)}}));

  const Json lr = range_json(r::lr), eps = range_json(r::epsilon);
  Json optimizers_json = {
      {{"type", "sgd"},
       {"fields", {{"lr", lr}, {"momentum", range_json(r::momentum)}, {"nesterov", "boolean"}}}},
      {{"type", "adam"},
       {"fields",
        {{"lr", lr}, {"beta1", range_json(r::beta1)}, {"beta2", range_json(r::beta2)}, {"epsilon", eps}}}},
      {{"type", "adagrad"}, {"fields", {{"lr", lr}, {"epsilon", eps}}}},
      {{"type", "rmsprop"}, {"fields", {{"lr", lr}, {"rho", range_json(r::rho)}, {"epsilon", eps}}}}};
  for (Json& o : optimizers_json) o["fields"]["clip_norm"] = range_json(r::clip_norm);

  Json datasets = Json::array();
  for (const std::string& name : data::names_2d()) {
    Json set = {{"name", name}, {"task", data::is_classification_2d(name) ? "classification" : "regression"}};
    if (data::takes_classes(name)) set["classes"] = range_json(r::classes);
    datasets.push_back(std::move(set));
  }

  return {{"layers", std::move(layers)},
          {"activations", activations()},
          {"losses", losses()},
          {"optimizers", optimizers_json},
          {"initializers", initializers()},
          {"regularizations", regularizations()},
          {"features", features()},
          {"datasets", std::move(datasets)},
          {"sequenceDatasets",
           {{{"name", "text"},
             {"fields",
              {{"text", "string"},
               {"length", range_json(r::sequence_length)},
               {"stride", range_json(r::sequence_length)},
               {"one_hot", "boolean"}}}},
            {{"name", "parity"},
             {"fields", {{"n", range_json(r::data_n)}, {"length", range_json(r::sequence_length)}}}}}},
          {"hyperparameters",
           {{"lr", lr},
            {"momentum", range_json(r::momentum)},
            {"batch", range_json(r::batch)},
            {"shards", range_json(r::shards)},
            {"regularization_rate", range_json(r::regularization_rate)}}},
          {"data",
           {{"n", range_json(r::data_n)},
            {"noise", range_json(r::noise)},
            {"test_ratio", range_json(r::test_ratio)}}},
          {"limits",
           {{"layers", 1000},
            {"layerParams", kMaxLayerParams},
            {"exampleValues", kMaxExampleSize},
            {"inputDims", 3}}}};
}

}  // namespace dlplay::vocab
