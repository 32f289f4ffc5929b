// Embedding: token ids [T] → their vectors [T, units]; weights [vocab][units] (PyTorch's
// nn.Embedding.weight). Ids are not differentiable: the input gradient is zero.
#include <cmath>

#include "layer_impl.hpp"

namespace dlplay::layers {
namespace {

class Embedding final : public Layer {
 public:
  Embedding(const LayerSpec& spec, const Shape& in, const std::string& init, Rng& rng,
            const std::string& field)
      : Layer(spec, in), vocab_(spec.vocab), units_(spec.units), field_(field) {
    if (in.size() != 1)
      throw Error(field + ": an embedding layer reads token ids [steps], got input " + shape_string(in));
    check_param_count(vocab_, units_, field);
    steps_ = in[0];
    output_shape_ = {steps_, units_};
    w_ = Tensor::from_shape({vocab_, units_});
    if (!copy_given(w_, spec.weights, spec.weights_shape, field + ".weights", "vocab × units")) {
      const std::string& name = !spec.init.empty() ? spec.init : init;
      if (name.empty())  // PyTorch's default: N(0, 1)
        for (float& v : w_) v = rng.normal(0.f, 1.f);
      else
        fill_init(w_, name, vocab_, units_, rng);
    }
    gw_ = xt::zeros<float>(w_.shape());
  }

  void forward(const Tensor& x, Tensor& y, bool) override {
    const std::size_t n = rows(x);
    ensure_shape(y, {n, steps_, units_});
    for (std::size_t i = 0; i < n * steps_; ++i) {
      const std::size_t id = token(x.data()[i], i);
      std::copy_n(w_.data() + id * units_, units_, y.data() + i * units_);
    }
  }

  void backward(const Tensor& x, const Tensor&, Tensor& dy, Tensor* dx, bool) override {
    const std::size_t n = rows(x);
    gw_.fill(0.f);
    for (std::size_t i = 0; i < n * steps_; ++i)
      kernels::axpy(units_, 1.f, dy.data() + i * units_, gw_.data() + token(x.data()[i], i) * units_);
    if (dx) {
      ensure_shape(*dx, batch_shape(n, input_shape_));
      dx->fill(0.f);
    }
  }

  std::vector<Param> params() override { return {{"weights", &w_, &gw_, true}}; }

 private:
  std::size_t token(float v, std::size_t i) const {
    if (!(v >= 0 && v < static_cast<float>(vocab_)) || v != std::floor(v))
      throw Error("input: token id " + Json(v).dump() + " (example " + std::to_string(i / steps_) +
                  ", step " + std::to_string(i % steps_) + ") is not a whole number from 0 to " +
                  std::to_string(vocab_ - 1) + " (" + field_ + ".vocab is " + std::to_string(vocab_) + ")");
    return static_cast<std::size_t>(v);
  }

  std::size_t vocab_, units_, steps_ = 0;
  std::string field_;
  Tensor w_, gw_;
};

}  // namespace

std::unique_ptr<Layer> make_embedding(const LayerSpec& spec, const Shape& in, const std::string& init,
                                      Rng& rng, const std::string& field) {
  return std::make_unique<Embedding>(spec, in, init, rng, field);
}

}  // namespace dlplay::layers
