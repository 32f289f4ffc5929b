// Max and average pooling over size×size windows (no padding), per channel.
#include <cstdint>

#include "layer_impl.hpp"

namespace dlplay::layers {
namespace {

class Pool2d final : public Layer {
 public:
  Pool2d(const LayerSpec& spec, const Shape& in, const std::string& field)
      : Layer(spec, in), max_(spec.type == "maxpool2d") {
    if (in.size() != 3)
      throw Error(field + ": " + spec.type + " needs an input of shape [channels, height, width], got " +
                  shape_string(in));
    if (spec.size > in[1] || spec.size > in[2])
      throw Error(field + ".size: window " + std::to_string(spec.size) + " is larger than the input " +
                  std::to_string(in[1]) + "×" + std::to_string(in[2]));
    g_ = {in[0], in[1], in[2], spec.size, spec.stride};
    output_shape_ = {in[0], g_.out_h(), g_.out_w()};
  }

  void forward(const Tensor& x, Tensor& y, bool) override {
    const std::size_t n = rows(x), in_size = shape_size(input_shape_), out_size = shape_size(output_shape_);
    ensure_batch(y, n, output_shape_);
    if (max_) argmax_.resize(n * out_size);
    for (std::size_t i = 0; i < n; ++i) {
      if (max_)
        kernels::maxpool_forward(g_, x.data() + i * in_size, y.data() + i * out_size,
                                 argmax_.data() + i * out_size);
      else
        kernels::avgpool_forward(g_, x.data() + i * in_size, y.data() + i * out_size);
    }
  }

  void backward(const Tensor& x, const Tensor&, Tensor& dy, Tensor* dx, bool) override {
    if (!dx) return;
    const std::size_t n = rows(x), in_size = shape_size(input_shape_), out_size = shape_size(output_shape_);
    ensure_batch(*dx, n, input_shape_);
    dx->fill(0.f);
    for (std::size_t i = 0; i < n; ++i) {
      if (max_)
        kernels::maxpool_backward(g_, dy.data() + i * out_size, argmax_.data() + i * out_size,
                                  dx->data() + i * in_size);
      else
        kernels::avgpool_backward(g_, dy.data() + i * out_size, dx->data() + i * in_size);
    }
  }

 private:
  bool max_;
  kernels::PoolGeometry g_;
  std::vector<std::uint32_t> argmax_;
};

}  // namespace

std::unique_ptr<Layer> make_pool(const LayerSpec& spec, const Shape& in, const std::string& field) {
  return std::make_unique<Pool2d>(spec, in, field);
}

}  // namespace dlplay::layers
