// Shared by the layer files: constructors of each kind, and parameter initialisation.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dlplay/layers.hpp"

namespace dlplay::layers {

std::unique_ptr<Layer> make_dense(const LayerSpec& spec, const Shape& in, const std::string& init, Rng& rng,
                                  const std::string& field);
std::unique_ptr<Layer> make_conv2d(const LayerSpec& spec, const Shape& in, const std::string& init, Rng& rng,
                                   const std::string& field);
std::unique_ptr<Layer> make_pool(const LayerSpec& spec, const Shape& in, const std::string& field);
std::unique_ptr<Layer> make_flatten(const LayerSpec& spec, const Shape& in);
std::unique_ptr<Layer> make_dropout(const LayerSpec& spec, const Shape& in, std::uint64_t seed);
std::unique_ptr<Layer> make_recurrent(const LayerSpec& spec, const Shape& in, const std::string& init,
                                      Rng& rng, const std::string& field);
std::unique_ptr<Layer> make_embedding(const LayerSpec& spec, const Shape& in, const std::string& init,
                                      Rng& rng, const std::string& field);
std::unique_ptr<Layer> make_activation(const LayerSpec& spec, const Shape& in, const std::string& field);

// Fills `w` (shape [fan_out_units, ...]) from the spec's explicit weights, checking their shape,
// or from the initialiser. `fan_in`/`fan_out` as in He/Xavier.
void init_weights(Tensor& w, const LayerSpec& spec, const std::string& model_init, std::size_t fan_in,
                  std::size_t fan_out, Rng& rng, const std::string& field, const std::string& expected);
void init_bias(Tensor& b, const LayerSpec& spec, const std::string& field);
// b from `values` (zeros when absent), checking their count; `expected` says what they are.
void init_bias(Tensor& b, const std::optional<std::vector<float>>& values, const std::string& field,
               const std::string& expected);
// w from `values` when given (true), checking their shape against w's; `field` names them.
bool copy_given(Tensor& w, const std::optional<std::vector<float>>& values, const std::optional<Shape>& shape,
                const std::string& field, const std::string& expected);
// w from the named initialiser (he…, xavier…, zeros) with these fans.
void fill_init(Tensor& w, const std::string& init, std::size_t fan_in, std::size_t fan_out, Rng& rng);
// Throws when units × per_unit parameters (weights and bias of each unit) exceed kMaxLayerParams.
void check_param_count(std::uint64_t units, std::uint64_t per_unit, const std::string& field);

// Batch size of a tensor whose rows are examples.
inline std::size_t rows(const Tensor& t) { return t.shape()[0]; }

}  // namespace dlplay::layers
