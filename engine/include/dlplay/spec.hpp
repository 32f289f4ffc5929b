// Model JSON and training specs (docs/spec-format.md): parsing with errors that name the field,
// and the structures the rest of the engine is built from. Names and ranges come from
// vocabulary.hpp; every string is resolved to an enum here, at parse time.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "dlplay/data.hpp"
#include "dlplay/kernels.hpp"
#include "dlplay/tensor.hpp"
#include "dlplay/vocabulary.hpp"

namespace dlplay {

using Json = nlohmann::json;

struct LayerSpec {
  std::string type;  // dense, conv2d, pools, flatten, dropout, rnn, lstm, gru, embedding, or an activation
  std::size_t units = 0;          // dense, the recurrent layers (hidden size), embedding (vector size)
  std::size_t vocab = 0;          // embedding: how many token ids
  bool return_sequences = false;  // recurrent: every step's hidden state [T, H], not only the last [H]
  std::size_t filters = 0, kernel = 0, stride = 1, padding = 0;          // conv2d (stride also for pools)
  std::size_t size = 0;                                                  // pools
  float rate = static_cast<float>(vocab::range::dropout_rate.fallback);  // dropout
  kernels::Activation activation = kernels::Activation::linear;
  float alpha = 0.01f;                              // leaky_relu slope
  std::string init;                                 // "" = model's default
  std::optional<std::vector<float>> weights, bias;  // flattened; shapes checked by the model
  std::optional<Shape> weights_shape;               // as nested in the JSON
  std::optional<std::vector<float>> recurrent_weights, recurrent_bias;  // recurrent layers
  std::optional<Shape> recurrent_weights_shape;
  Json source;  // the object as given, echoed on save
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
  OptimizerKind type = OptimizerKind::sgd;
  float lr = static_cast<float>(vocab::range::lr.fallback);
  float momentum = 0.f;
  bool nesterov = false;
  float beta1 = 0.9f, beta2 = 0.999f, rho = 0.9f, epsilon = 1e-7f;
  float clip_norm = 0.f;  // > 0: the gradient of all parameters together is scaled to at most this norm
};

// What may change while training, without touching the model or the data.
struct Hyperparameters {
  OptimizerSpec optimizer;
  Regularization regularization = Regularization::none;
  float regularization_rate = 0.f;
  std::size_t batch = static_cast<std::size_t>(vocab::range::batch.fallback);
  // The batch's gradient is computed in this many parts and summed in their order (data-parallel
  // training: the result depends on the count, not on how many workers compute the parts).
  std::size_t shards = static_cast<std::size_t>(vocab::range::shards.fallback);
};

// Where the examples come from. Inline examples are not kept here (the session owns them), so
// copying a spec never copies a data set.
enum class DataSource { builtin, inline_json, given };

struct DataSpec {
  DataSource source = DataSource::builtin;
  std::string name;  // the built-in 2-D set
  std::size_t n = static_cast<std::size_t>(vocab::range::data_n.fallback);
  float noise = 0.f;
  std::optional<std::size_t> classes;  // given for gaussian and spiral: their class count
  // The sequence sets (data::names_sequence()): steps per example; "text" also its text (shared,
  // so copying a spec does not copy it), stride and encoding.
  std::size_t length = static_cast<std::size_t>(vocab::range::sequence_length.fallback);
  std::size_t stride = 0;  // 0: length
  bool one_hot = false;
  std::shared_ptr<const std::string> text;
  bool sequence() const { return text || name == "parity"; }
};

struct TrainSpec {
  ModelSpec model;
  DataSpec data;
  LossKind loss = LossKind::mse;
  Hyperparameters hyper;
  std::size_t steps = 0, epochs = 0;  // at most one of them > 0; the CLI needs one
  float test_ratio = 0.f;
  std::vector<Feature> features;  // computed from 2-D points (features.hpp); empty = the points as they are
  std::size_t log_every = 0;      // 0 = about 10 lines over the run
  std::uint64_t seed = 0;
};

// A model JSON as a session reads it: the network, and what its inputs and outputs mean. With
// "features" the model's inputs are computed from 2-D points; "loss" tells how its outputs are
// read as classes (and which loss input gradients take).
struct ModelJson {
  ModelSpec model;
  std::vector<Feature> features;  // empty: the model's input as it is
  std::optional<LossKind> loss;   // absent: not given
  // A character model's: the character of each id (what Session::encode and sample read).
  std::vector<std::string> vocabulary;
};

kernels::Activation parse_activation(const std::string& name, const std::string& field);
std::string activation_name(kernels::Activation a);

// Throw Error("<field path>: <what is wrong, what was expected>") for any invalid field.
ModelJson parse_model_json(const Json& j);
ModelSpec parse_model(const Json& j);  // parse_model_json's network (every field checked)
// Whether a JSON object is a training spec: it has "data", or any other field only a training spec
// has (so that a spec that forgot its data is told "data: missing"). "features" and "loss" are
// model keys too, so they do not make one.
bool is_training_spec(const Json& j);
// The features' names, in order, as a JSON array (for the model JSON and info()).
Json features_to_json(const std::vector<Feature>& features);
Shape parse_model_input(const Json& input);  // the model's "input" field
// A training spec. With DataSource::given the spec must not have "data" (the caller brings it);
// otherwise it must. Inline examples are parsed by parse_inline_data.
TrainSpec parse_training(const Json& j, DataSource expected = DataSource::builtin);
// Fields of a training spec that may change while training (lr, momentum, batch, regularization…):
// applies those present in `j` onto `hyper`, validating them the same way; all or nothing.
void parse_hyperparameters(const Json& j, Hyperparameters& hyper);
Json hyperparameters_to_json(const Hyperparameters& h);
Dataset parse_inline_data(const Json& j, const std::string& field);
// The examples of a spec: the named 2-D set generated from the spec's seed, or `given` (inline or
// typed arrays) checked against the model's input (flat examples of the right size are reshaped).
// Applies the label rule (data.hpp) and returns the data as the session keeps it.
Dataset prepare_dataset(const TrainSpec& spec, Dataset given);
// nlohmann's message without its "[json.exception.type_error.302] " prefix.
std::string clean_json_message(const std::string& what);
// Json::parse with the error turned into an Error that says `where` and what is wrong; numbers out
// of range and nesting deeper than kMaxJsonDepth are errors too.
constexpr int kMaxJsonDepth = 64;
Json parse_json(const std::string& text, const std::string& where);

}  // namespace dlplay
