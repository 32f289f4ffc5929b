// Layers: each a forward beside its backward, over batches [N, ...], calling the kernels.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "dlplay/kernels.hpp"
#include "dlplay/rng.hpp"
#include "dlplay/spec.hpp"
#include "dlplay/tensor.hpp"

namespace dlplay {

struct Param {
  const char* name;  // "weights" or "bias"
  Tensor* value;
  Tensor* grad;
  bool regularized;  // weights are, biases are not
};

class Layer {
 public:
  Layer(LayerSpec spec, Shape input_shape) : spec_(std::move(spec)), input_shape_(std::move(input_shape)) {}
  virtual ~Layer() = default;
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;

  const std::string& type() const { return spec_.type; }
  const LayerSpec& spec() const { return spec_; }
  const Shape& input_shape() const { return input_shape_; }    // one example
  const Shape& output_shape() const { return output_shape_; }  // one example
  virtual kernels::Activation activation() const { return kernels::Activation::linear; }

  // y ← layer(x) for a batch; y is resized as needed (and reused across calls without allocating).
  virtual void forward(const Tensor& x, Tensor& y, bool training) = 0;
  // Given x, y from the last forward and dy = dL/dy (which it may overwrite), sets the parameter
  // gradients and, when dx is not null, dx = dL/dx. With `from_logits`, dy is already the
  // gradient with respect to the values before the layer's final softmax.
  virtual void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx, bool from_logits) = 0;
  // Values before the final softmax, when the layer ends in one (for a stable cross-entropy).
  virtual const Tensor* logits() const { return nullptr; }

  virtual std::vector<Param> params() { return {}; }
  // The layer's own random generator (dropout's masks), or null: a checkpoint saves its state.
  virtual Rng* rng() { return nullptr; }
  std::size_t param_count();
  Json to_json();  // the spec's object as given, with current weights and bias

 protected:
  LayerSpec spec_;
  Shape input_shape_, output_shape_;
};

// Builds a layer for one example of `input_shape`, initialising parameters from `rng` unless the
// spec carries weights. `index` names the layer in errors ("layers[2].kernel: ...").
std::unique_ptr<Layer> make_layer(const LayerSpec& spec, const Shape& input_shape, const std::string& init,
                                  Rng& rng, std::size_t index);

}  // namespace dlplay
