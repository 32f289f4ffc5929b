// Model JSON and training specs (see shared ARCHITECTURE.md): parsing with errors that name the
// field, and the structures the rest of the engine is built from.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "dlplay/data.hpp"
#include "dlplay/kernels.hpp"
#include "dlplay/tensor.hpp"

namespace dlplay {

using Json = nlohmann::json;

// Largest layer the engine accepts (parameters), and the largest input (values per example).
inline constexpr std::size_t kMaxLayerParams = 50'000'000;
inline constexpr std::size_t kMaxExampleSize = 16'000'000;

struct LayerSpec {
  std::string type;       // dense, conv2d, maxpool2d, avgpool2d, flatten, dropout, or an activation name
  std::size_t units = 0;  // dense
  std::size_t filters = 0, kernel = 0, stride = 1, padding = 0;  // conv2d (stride also for pools)
  std::size_t size = 0;                                          // pools
  float rate = 0.f;                                              // dropout
  kernels::Activation activation = kernels::Activation::linear;
  float alpha = 0.01f;                              // leaky_relu slope
  std::string init;                                 // "" = model's default
  std::optional<std::vector<float>> weights, bias;  // flattened; shapes checked by the model
  std::optional<Shape> weights_shape;               // as nested in the JSON
  Json source;                                      // the object as given, echoed on save
};

struct ModelSpec {
  Shape input;
  std::vector<LayerSpec> layers;
  std::string init;  // "" = He for relu-family, Xavier otherwise
  std::uint64_t seed = 0;
};

enum class LossKind { mse, cross_entropy };
enum class Regularization { none, l1, l2 };

struct OptimizerSpec {
  std::string type = "sgd";  // sgd, adam, adagrad, rmsprop
  float lr = 0.03f;
  float momentum = 0.f;
  bool nesterov = false;
  float beta1 = 0.9f, beta2 = 0.999f, rho = 0.9f, epsilon = 1e-7f;
};

struct DataSpec {
  std::string name;  // a built-in 2-D set, or "inline"
  std::size_t n = 500;
  float noise = 0.f;
  Dataset inline_data;  // for "inline"
};

struct TrainSpec {
  ModelSpec model;
  DataSpec data;
  LossKind loss = LossKind::mse;
  OptimizerSpec optimizer;
  Regularization regularization = Regularization::none;
  float regularization_rate = 0.f;
  std::size_t batch = 10;
  std::size_t steps = 0, epochs = 0;  // exactly one of them > 0 for the CLI
  float test_ratio = 0.f;
  std::vector<std::string>
      features;               // computed from 2-D points (features.hpp); empty = the points as they are
  std::size_t log_every = 0;  // 0 = about 10 lines over the run
  std::uint64_t seed = 0;
};

kernels::Activation parse_activation(const std::string& name, const std::string& field);
std::string activation_name(kernels::Activation a);
bool is_activation_name(const std::string& name);

// Throw Error("<field path>: <what is wrong, what was expected>") for any invalid field.
ModelSpec parse_model(const Json& j);
TrainSpec parse_training(const Json& j);
// Fields of a training spec that may change while training (lr, momentum, batch, regularization…):
// applies those present in `j` onto `spec`, validating them the same way.
void parse_hyperparameters(const Json& j, TrainSpec& spec);
Dataset parse_inline_data(const Json& j, const std::string& field);
// The data a training spec asks for: its inline examples (shaped like the model's input when they
// hold the same number of values) or the named 2-D set generated from the spec's seed.
Dataset make_dataset(const TrainSpec& spec);
// nlohmann's message without its "[json.exception.type_error.302] " prefix.
std::string clean_json_message(const std::string& what);
// Json::parse with the error turned into an Error that says `where` and what is wrong.
Json parse_json(const std::string& text, const std::string& where);
Json optimizer_to_json(const OptimizerSpec& o);

}  // namespace dlplay
