// Shared by the layer files: constructors of each kind, and parameter initialisation.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "dlplay/layers.hpp"

namespace dlplay::layers {

std::unique_ptr<Layer> make_dense(const LayerSpec& spec, const Shape& in, const std::string& init, Rng& rng,
                                  const std::string& field);
std::unique_ptr<Layer> make_conv2d(const LayerSpec& spec, const Shape& in, const std::string& init, Rng& rng,
                                   const std::string& field);
std::unique_ptr<Layer> make_pool(const LayerSpec& spec, const Shape& in, const std::string& field);
std::unique_ptr<Layer> make_flatten(const LayerSpec& spec, const Shape& in);
std::unique_ptr<Layer> make_dropout(const LayerSpec& spec, const Shape& in, std::uint64_t seed);
std::unique_ptr<Layer> make_activation(const LayerSpec& spec, const Shape& in, const std::string& field);

// Fills `w` (shape [fan_out_units, ...]) from the spec's explicit weights, checking their shape,
// or from the initialiser. `fan_in`/`fan_out` as in He/Xavier.
void init_weights(Tensor& w, const LayerSpec& spec, const std::string& model_init, std::size_t fan_in,
                  std::size_t fan_out, Rng& rng, const std::string& field, const std::string& expected);
void init_bias(Tensor& b, const LayerSpec& spec, const std::string& field);
// Throws when units × per_unit parameters (weights and bias of each unit) exceed kMaxLayerParams.
void check_param_count(std::uint64_t units, std::uint64_t per_unit, const std::string& field);

// Batch size of a tensor whose rows are examples.
inline std::size_t rows(const Tensor& t) { return t.shape()[0]; }

}  // namespace dlplay::layers
