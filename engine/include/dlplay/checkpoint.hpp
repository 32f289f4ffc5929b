// A training checkpoint: everything a session's training continues from, so that a session built
// again from the same spec and restored trains on to the last bit as if it had never stopped
// (Session::checkpoint() and Session::restore(), defined in checkpoint.cpp).
//
// It holds every parameter with its last gradient and the optimizer's moment estimates, the
// optimizer's step count, the trainer's step, examples seen, epoch order and cursor, the random
// generators' states (the shuffles' and each dropout layer's), the current hyper-parameters, the
// seed and the divergence flag. Not the data: the same spec makes the same data again. What it
// fits (the layers, the features, the loss, the split sizes, a fingerprint of the data) is kept
// beside it and checked on restore, so a checkpoint of another model or data set is refused.
// Values are float32 as the engine holds them (NaN and all): nothing is rounded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dlplay/data.hpp"
#include "dlplay/rng.hpp"
#include "dlplay/spec.hpp"
#include "dlplay/tensor.hpp"

namespace dlplay {

struct Checkpoint {
  static constexpr int kVersion = 1;

  struct Param {
    std::string name;  // "weights" or "bias"
    Shape shape;
    Tensor value, gradient;  // shape_size(shape) values each (row-major; any tensor shape)
    // The optimizer's moment estimates: as many values, or none (size 0: no state yet).
    Tensor m = Tensor::from_shape({0}), v = Tensor::from_shape({0});
  };
  struct Layer {
    std::string type, activation;
    Shape input_shape, output_shape;  // one example's
    std::vector<Param> params;
    std::optional<Rng::State> rng;  // a dropout layer's mask generator
  };

  int version = kVersion;
  // What it fits.
  std::vector<Layer> layers;
  std::vector<std::string> features;  // the input features' names (none: the inputs as they are)
  std::string loss;
  std::size_t classes = 0;  // 0: regression
  std::size_t train_size = 0, test_size = 0;
  std::uint64_t data_hash = 0;  // data_fingerprint() of the data as given
  // The training state.
  std::uint64_t seed = 0;  // the split's and the initial weights' (Session::reset may have changed it)
  Hyperparameters hyper;
  std::size_t optimizer_steps = 0;  // since the optimizer's last reset; 0 exactly when m, v are empty
  std::size_t step = 0, examples = 0;
  std::vector<std::uint32_t> order;  // the epoch's shuffled training indices
  std::size_t cursor = 0;            // where the next batch starts in `order`
  Rng::State rng;                    // the shuffles' generator
  bool diverged = false;
};

// A 64-bit fingerprint of a data set: its shapes, class count and every value's bits.
std::uint64_t data_fingerprint(const Dataset& d);
// As 16 lowercase hex digits, and back (throws Error naming `field` unless it is 16 hex digits).
std::string fingerprint_string(std::uint64_t h);
std::uint64_t parse_fingerprint(const std::string& s, const std::string& field);

}  // namespace dlplay
