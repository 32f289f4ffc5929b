// Fully connected: y = f(x·Wᵀ + b), W is [units][inputs] (one row per neuron). On a sequence
// [T, F] it applies to every step (F inputs, output [T, units]); any other input is read as flat.
#include "layer_impl.hpp"

namespace dlplay::layers {
namespace {

using kernels::Activation;

class Dense final : public Layer {
 public:
  Dense(const LayerSpec& spec, const Shape& in, const std::string& init, Rng& rng, const std::string& field)
      : Layer(spec, in),
        steps_(in.size() == 2 ? in[0] : 1),
        inputs_(in.size() == 2 ? in[1] : shape_size(in)),
        units_(spec.units) {
    check_param_count(units_, std::uint64_t{inputs_} + 1, field);
    output_shape_ = in.size() == 2 ? Shape{steps_, units_} : Shape{units_};
    w_ = Tensor::from_shape({units_, inputs_});
    b_ = Tensor::from_shape({units_});
    init_weights(w_, spec, init, inputs_, units_, rng, field, "units × inputs");
    init_bias(b_, spec, field);
    gw_ = xt::zeros<float>(w_.shape());
    gb_ = xt::zeros<float>(b_.shape());
  }

  Activation activation() const override { return spec_.activation; }

  void forward(const Tensor& x, Tensor& y, bool) override {
    const std::size_t n = rows(x) * steps_;
    ensure_batch(y, rows(x), output_shape_);
    kernels::gemm(false, true, n, units_, inputs_, 1.f, x.data(), inputs_, w_.data(), inputs_, 0.f, y.data(),
                  units_);
    if (spec_.activation != Activation::softmax) {
      kernels::add_row_bias_activate(spec_.activation, y.data(), b_.data(), n, units_, spec_.alpha);
      return;
    }
    kernels::add_row_bias(y.data(), b_.data(), n, units_);
    ensure_shape(z_, y.shape());  // the logits, for the loss
    std::copy(y.begin(), y.end(), z_.begin());
    kernels::activate(spec_.activation, y.data(), n, units_, spec_.alpha);
  }

  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx, bool from_logits) override {
    const std::size_t n = rows(x) * steps_;
    if (!from_logits)
      kernels::activate_backward(spec_.activation, y.data(), dy.data(), n, units_, spec_.alpha);
    kernels::gemm(true, false, units_, inputs_, n, 1.f, dy.data(), units_, x.data(), inputs_, 0.f, gw_.data(),
                  inputs_);
    kernels::column_sums(dy.data(), n, units_, gb_.data());
    if (dx) {
      ensure_batch(*dx, rows(x), input_shape_);
      kernels::gemm(false, false, n, inputs_, units_, 1.f, dy.data(), units_, w_.data(), inputs_, 0.f,
                    dx->data(), inputs_);
    }
  }

  const Tensor* logits() const override { return spec_.activation == Activation::softmax ? &z_ : nullptr; }

  std::vector<Param> params() override { return {{"weights", &w_, &gw_, true}, {"bias", &b_, &gb_, false}}; }

 private:
  std::size_t steps_, inputs_, units_;
  Tensor w_, b_, gw_, gb_, z_;
};

}  // namespace

std::unique_ptr<Layer> make_dense(const LayerSpec& spec, const Shape& in, const std::string& init, Rng& rng,
                                  const std::string& field) {
  return std::make_unique<Dense>(spec, in, init, rng, field);
}

}  // namespace dlplay::layers
