// The session: the one place that decides what a spec means. spec + data → model + trainer +
// evaluation + input gradients. The CLI and the wasm bindings both stand on it, so a spec trains
// the same way (to the last bit) wherever it runs.
//
// Inputs, as callers give them: examples of `input_shape()`, which is the model's input, or 2-D
// points when the spec (or the model JSON) computes input features (the session computes them).
// Labels (docs/spec-format.md, "What labels mean"): one number per example is a class index; a
// row of numbers per example holds target values.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "dlplay/checkpoint.hpp"
#include "dlplay/data.hpp"
#include "dlplay/model.hpp"
#include "dlplay/spec.hpp"
#include "dlplay/trainer.hpp"

namespace dlplay {

class Session {
 public:
  // A model JSON (with its "features" and "loss", if any), or a training spec (a model plus
  // "data": a built-in set or inline examples).
  explicit Session(const Json& spec);
  // A training spec without "data", and its data (the typed-array path). Same checks, same path.
  Session(const Json& spec, Dataset data);

  bool trainable() const { return trainer_ != nullptr; }
  Model& model() { return *model_; }
  Trainer& trainer();
  const TrainSpec& spec() const { return spec_; }
  const std::vector<Feature>& features() const { return spec_.features; }
  // One example as callers give it: the model's input, or [2] (points) with features.
  const Shape& input_shape() const { return input_shape_; }
  // The data as given (points before features), its class count, and the split.
  const Dataset& data() const;

  // Runs the model on inputs [N, ...input_shape()]; returns the output. model_input() is what
  // the model saw (the features, when there are any).
  const Tensor& forward(const Tensor& inputs);
  const Tensor& model_input() const { return model_->last_input(); }
  // Every unit of layer i (−1: the model's input) over an n×n grid of the 2-D input:
  // [units, n·n], point (r, c) at x = x0 + (x1 − x0)·c/(n − 1), y = y0 + (y1 − y0)·r/(n − 1).
  const Tensor& grid(int layer, float x0, float x1, float y0, float y1, std::size_t n);

  double train(std::size_t steps);        // the last batch's loss
  Metrics metrics(bool evaluate = true);  // without `evaluate`: step, epoch, examples, diverged
  Evaluation evaluate(SplitKind split, std::size_t limit = 0);
  // Any inputs through the model as evaluate() sees examples: outputs and, when the session
  // classifies (its data has class labels; a model alone with several outputs, or with one and a
  // "loss"), each one's predicted class and class probabilities. No labels, loss or confusion.
  Evaluation classify(const Tensor& inputs);
  // The loss landscape over two parameters (the lessons' picture of gradient descent): the
  // training split's loss with parameter a set to each of n values from a0 to a1 (columns) and b
  // to each of n values from b0 to b1 (rows), every other parameter as it is; [n, n], row r at
  // b = b0 + (b1 − b0)·r/(n − 1). The parameters are left as they were.
  struct ParamRef {
    int layer;
    std::size_t index;  // into the layer's weights, row-major, or its bias with `bias`
    bool bias = false;
  };
  Tensor loss_surface(ParamRef a, ParamRef b, float a0, float a1, float b0, float b1, std::size_t n);
  // ∂L/∂inputs, L the session's loss averaged over these examples, shaped like `inputs`. `labels`
  // as in the data: [N] class indices or [N, targets] rows. Dropout acts as at evaluation.
  Tensor input_gradients(const Tensor& inputs, const Tensor& labels);

  const Hyperparameters& hyperparameters() const { return spec_.hyper; }
  // Applies the fields present (lr, momentum, batch, optimizer, regularization…), all or nothing.
  void set(const Json& hyperparameters);
  // A fresh model and trainer from the spec (another seed if given), keeping the data and the
  // current hyper-parameters.
  void reset(std::optional<std::uint64_t> seed = std::nullopt);
  // Everything training continues from (checkpoint.hpp; not the data), and back: restore() takes
  // a checkpoint of this spec (same layers, features, loss, data and split sizes, else an Error
  // naming the field), adopts its seed, hyper-parameters and state, and trains on exactly as the
  // checkpointed session would have. All or nothing. Both throw for a session without data.
  Checkpoint checkpoint();
  void restore(const Checkpoint& checkpoint);

  // Character models (a session on the "text" set; sequence.cpp). The ids of a text's characters
  // in the training text's vocabulary (Error naming a character not in it), and back.
  std::vector<std::uint32_t> encode(const std::string& text) const;
  std::string decode(const std::vector<std::uint32_t>& ids) const;
  // `length` characters after `prefix`, each drawn from the model's next-character probabilities
  // p^(1/temperature), renormalised (temperature 0: the most probable one), with a generator seeded
  // by `seed`. The model reads a window of the last T characters (fewer at first: a recurrent model
  // is causal, so the step of the last character does not depend on the padding after it).
  struct Sample {
    std::vector<std::uint32_t> ids;
    std::string text;
  };
  Sample sample(const std::string& prefix, std::size_t length, float temperature, std::uint64_t seed);

  Json info();  // shapes, layers, loss, classes, split sizes, features: what training does not change
  // The model with its current weights as a dlplay-model JSON, with "features" when the session
  // has them and "loss" (the spec's; for a model alone, the one it was given, if any): what
  // Session(to_json()) reads back to the same predictions. The one writer of saved models.
  // A diverged model (a weight NaN or infinite) is refused with an Error naming the parameter.
  Json to_json();
  // The model with its current weights as a runnable PyTorch script, with the spec's input
  // features as a features(points) function (export_pytorch.hpp); non-finite weights included.
  std::string to_pytorch();

 private:
  void start(Dataset given);  // checks the data, computes its features, builds
  void build();
  void check_layer(int layer, bool allow_input) const;
  const std::vector<std::string>& tokens() const;  // the text set's vocabulary, or Error

  TrainSpec spec_;
  bool loss_given_ = true;  // false for a model alone without "loss" (spec_.loss is then a default)
  Shape input_shape_;
  std::shared_ptr<const Dataset> given_;  // the data as given (null for a model alone)
  std::shared_ptr<const Dataset> data_;   // the model's inputs (features computed), shared with the trainer
  std::unique_ptr<Model> model_;
  std::unique_ptr<Trainer> trainer_;
  Tensor in_, grid_;  // buffers reused across calls
  std::optional<std::uint64_t> data_hash_;
  std::vector<std::string> vocabulary_;  // a saved character model's (a model alone)  // the data's
                                         // fingerprint, once a checkpoint needed it
};

}  // namespace dlplay
