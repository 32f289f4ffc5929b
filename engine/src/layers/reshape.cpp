// Layers that move values without learning: flatten, dropout, and activations on their own.
#include <algorithm>

#include "layer_impl.hpp"

namespace dlplay::layers {
namespace {

using kernels::Activation;

void copy_into(const Tensor& from, Tensor& to, const BatchShape& shape) {
  ensure_shape(to, shape);
  std::copy(from.data(), from.data() + to.size(), to.data());
}

class Flatten final : public Layer {
 public:
  Flatten(const LayerSpec& spec, const Shape& in) : Layer(spec, in) { output_shape_ = {shape_size(in)}; }
  void forward(const Tensor& x, Tensor& y, bool) override {
    copy_into(x, y, batch_shape(rows(x), output_shape_));
  }
  void backward(const Tensor& x, const Tensor&, Tensor& dy, Tensor* dx, bool) override {
    if (dx) copy_into(dy, *dx, batch_shape(rows(x), input_shape_));
  }
};

// Inverted dropout: while training, each value is zeroed with probability `rate` and the rest
// scaled by 1/(1−rate); at evaluation it passes values through unchanged.
class Dropout final : public Layer {
 public:
  Dropout(const LayerSpec& spec, const Shape& in, std::uint64_t seed) : Layer(spec, in), rng_(seed) {
    output_shape_ = in;
  }
  void forward(const Tensor& x, Tensor& y, bool training) override {
    const BatchShape shape = batch_shape(rows(x), output_shape_);
    copy_into(x, y, shape);
    ensure_shape(mask_, shape);
    const float keep = 1.f - spec_.rate, scale = training ? 1.f / keep : 1.f;
    for (float& m : mask_) m = (!training || rng_.uniform() < keep) ? scale : 0.f;
    y *= mask_;
  }
  void backward(const Tensor& x, const Tensor&, Tensor& dy, Tensor* dx, bool) override {
    if (!dx) return;
    copy_into(dy, *dx, batch_shape(rows(x), input_shape_));
    *dx *= mask_;
  }
  Rng* rng() override { return &rng_; }

 private:
  Rng rng_;
  Tensor mask_;
};

class ActivationLayer final : public Layer {
 public:
  ActivationLayer(const LayerSpec& spec, const Shape& in) : Layer(spec, in) { output_shape_ = in; }
  Activation activation() const override { return spec_.activation; }
  void forward(const Tensor& x, Tensor& y, bool) override {
    copy_into(x, y, batch_shape(rows(x), output_shape_));
    if (spec_.activation == Activation::softmax) copy_into(x, z_, y.shape());
    kernels::activate(spec_.activation, y.data(), rows(x), shape_size(output_shape_), spec_.alpha);
  }
  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx, bool from_logits) override {
    if (!from_logits)
      kernels::activate_backward(spec_.activation, y.data(), dy.data(), rows(x), shape_size(output_shape_),
                                 spec_.alpha);
    if (dx) copy_into(dy, *dx, batch_shape(rows(x), input_shape_));
  }
  const Tensor* logits() const override { return spec_.activation == Activation::softmax ? &z_ : nullptr; }

 private:
  Tensor z_;
};

}  // namespace

std::unique_ptr<Layer> make_flatten(const LayerSpec& spec, const Shape& in) {
  return std::make_unique<Flatten>(spec, in);
}
std::unique_ptr<Layer> make_dropout(const LayerSpec& spec, const Shape& in, std::uint64_t seed) {
  return std::make_unique<Dropout>(spec, in, seed);
}
std::unique_ptr<Layer> make_activation(const LayerSpec& spec, const Shape& in, const std::string&) {
  return std::make_unique<ActivationLayer>(spec, in);
}

}  // namespace dlplay::layers
