// 2-D convolution (cross-correlation, as in every DL library) through im2col and the GEMM.
// Input [C][H][W], weights [filters][C][k][k], output [filters][H'][W'].
#include "layer_impl.hpp"

namespace dlplay::layers {
namespace {

using kernels::Activation;

class Conv2d final : public Layer {
 public:
  Conv2d(const LayerSpec& spec, const Shape& in, const std::string& init, Rng& rng, const std::string& field)
      : Layer(spec, in) {
    if (in.size() != 3)
      throw Error(field + ": conv2d needs an input of shape [channels, height, width], got " +
                  shape_string(in));
    if (spec.activation == Activation::softmax)
      throw Error(field + ".activation: softmax is for the output layer, not for conv2d");
    const std::size_t k = spec.kernel;
    g_ = {in[0], in[1], in[2], k, k, spec.stride, spec.padding};
    if (k > in[1] + 2 * spec.padding || k > in[2] + 2 * spec.padding)
      throw Error(field + ".kernel: " + std::to_string(k) + " is larger than the padded input " +
                  std::to_string(in[1] + 2 * spec.padding) + "×" + std::to_string(in[2] + 2 * spec.padding));
    if (spec.padding >= k)
      throw Error(field + ".padding: must be smaller than the kernel (" + std::to_string(k) + ")");
    const std::size_t f = spec.filters;
    check_param_count(f, std::uint64_t{g_.col_rows()} + 1, field);
    output_shape_ = {f, g_.out_h(), g_.out_w()};
    if (shape_size(output_shape_) > kMaxExampleSize ||
        std::uint64_t{g_.col_rows()} * g_.col_cols() > kMaxExampleSize)
      throw Error(field + ": output " + shape_string(output_shape_) + " is too large");
    w_ = Tensor::from_shape({f, in[0], k, k});
    b_ = Tensor::from_shape({f});
    init_weights(w_, spec, init, g_.col_rows(), f * k * k, rng, field,
                 "filters × channels × kernel × kernel");
    init_bias(b_, spec, field);
    gw_ = xt::zeros<float>(w_.shape());
    gb_ = xt::zeros<float>(b_.shape());
  }

  Activation activation() const override { return spec_.activation; }

  void forward(const Tensor& x, Tensor& y, bool) override {
    const std::size_t n = rows(x), f = spec_.filters, kk = g_.col_rows(), p = g_.col_cols();
    const std::size_t in_size = shape_size(input_shape_);
    ensure_batch(y, n, output_shape_);
    ensure_shape(cols_, {n, kk, p});
    for (std::size_t i = 0; i < n; ++i) {
      float* cols = cols_.data() + i * kk * p;
      float* out = y.data() + i * f * p;
      kernels::im2col(g_, x.data() + i * in_size, cols);
      kernels::gemm(false, false, f, p, kk, 1.f, w_.data(), kk, cols, p, 0.f, out, p);
      kernels::add_channel_bias_activate(spec_.activation, out, b_.data(), f, p, spec_.alpha);
    }
  }

  void backward(const Tensor& x, const Tensor& y, Tensor& dy, Tensor* dx, bool from_logits) override {
    const std::size_t n = rows(x), f = spec_.filters, kk = g_.col_rows(), p = g_.col_cols();
    const std::size_t in_size = shape_size(input_shape_);
    if (!from_logits)
      kernels::activate_backward(spec_.activation, y.data(), dy.data(), n * f, p, spec_.alpha);
    gb_.fill(0.f);
    if (dx) {
      ensure_batch(*dx, n, input_shape_);
      dx->fill(0.f);
      ensure_shape(dcols_, {kk, p});
    }
    for (std::size_t i = 0; i < n; ++i) {
      const float* d = dy.data() + i * f * p;
      const float* cols = cols_.data() + i * kk * p;
      kernels::gemm(false, true, f, kk, p, 1.f, d, p, cols, p, i ? 1.f : 0.f, gw_.data(), kk);
      kernels::sum_cols(d, f, p, gb_.data());
      if (dx) {
        kernels::gemm(true, false, kk, p, f, 1.f, w_.data(), kk, d, p, 0.f, dcols_.data(), p);
        kernels::col2im(g_, dcols_.data(), dx->data() + i * in_size);
      }
    }
  }

  std::vector<Param> params() override { return {{"weights", &w_, &gw_, true}, {"bias", &b_, &gb_, false}}; }

 private:
  kernels::ConvGeometry g_;
  Tensor w_, b_, gw_, gb_, cols_, dcols_;
};

}  // namespace

std::unique_ptr<Layer> make_conv2d(const LayerSpec& spec, const Shape& in, const std::string& init, Rng& rng,
                                   const std::string& field) {
  return std::make_unique<Conv2d>(spec, in, init, rng, field);
}

}  // namespace dlplay::layers
