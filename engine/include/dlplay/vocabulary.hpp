// The engine's vocabulary, defined once: layer types, activations, losses, optimizers,
// initialisers, regularisers, input features and built-in data sets, with the ranges the spec
// parser enforces. The parser, the CLI, the bindings (`dl.vocabulary()`) and so every page read
// these tables; nothing else lists them.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace dlplay {

using Json = nlohmann::json;

// Largest layer the engine accepts (parameters), and the largest input (values per example).
inline constexpr std::size_t kMaxLayerParams = 50'000'000;
inline constexpr std::size_t kMaxExampleSize = 16'000'000;

enum class OptimizerKind { sgd, adam, adagrad, rmsprop };
enum class Feature { x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2 };

// A numeric field's accepted range and its default (what an absent field means).
struct Range {
  double min, max, fallback;
  bool integer = false;
};

namespace vocab {

const std::vector<std::string>& layer_types();  // dense, conv2d, …, and the activations as layers
const std::vector<std::string>& activations();  // in the order of kernels::Activation
const std::vector<std::string>& losses();       // in the order of LossKind
const std::vector<std::string>& optimizers();   // in the order of OptimizerKind
const std::vector<std::string>& initializers();
const std::vector<std::string>& regularizations();  // in the order of Regularization
const std::vector<std::string>& features();         // in the order of Feature

// Ranges of the spec's numeric fields.
namespace range {
inline constexpr Range units{1, static_cast<double>(kMaxLayerParams), 0, true};
inline constexpr Range filters{1, 65536, 0, true};
inline constexpr Range kernel{1, 1024, 0, true};
inline constexpr Range stride{1, 1024, 1, true};
inline constexpr Range padding{0, 1024, 0, true};
inline constexpr Range pool_size{1, 1024, 0, true};
inline constexpr Range vocab_size{1, 1'000'000, 0, true};     // embedding ids
inline constexpr Range sequence_length{1, 10'000, 25, true};  // sequence data sets' steps
inline constexpr Range clip_norm{0, 1e6, 0};                  // 0: no clipping
inline constexpr Range dropout_rate{0, 0.99, 0.5};
inline constexpr Range alpha{0, 1, 0.01};
inline constexpr Range lr{0, 1e3, 0.03};
inline constexpr Range momentum{0, 0.999, 0};
inline constexpr Range beta1{0, 0.9999, 0.9};
inline constexpr Range beta2{0, 0.99999, 0.999};
inline constexpr Range rho{0, 0.9999, 0.9};
inline constexpr Range epsilon{1e-12, 1, 1e-7};
inline constexpr Range batch{1, 100'000, 10, true};
inline constexpr Range shards{1, 64, 1, true};  // a batch's gradient in this many parts (trainer.hpp)
inline constexpr Range regularization_rate{0, 10, 0};
inline constexpr Range test_ratio{0, 0.9, 0};
inline constexpr Range data_n{2, 1'000'000, 500, true};
inline constexpr Range noise{0, 1, 0};
inline constexpr Range classes{2, 6, 2, true};  // a built-in set's classes (gaussian, spiral)
inline constexpr Range steps{0, 100'000'000, 0, true};
inline constexpr Range epochs{0, 1'000'000, 0, true};
inline constexpr Range seed{0, 4294967295.0, 0, true};
}  // namespace range

// Index of `name` in `names`, or -1.
int index_of(const std::vector<std::string>& names, const std::string& name);

// Everything above as one JSON object (docs/spec-format.md describes its shape).
Json to_json();

}  // namespace vocab
}  // namespace dlplay
