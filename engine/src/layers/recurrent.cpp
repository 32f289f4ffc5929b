// Recurrent layers over sequences [T, F]: rnn, lstm, gru, in PyTorch's layout (weights [G·H][F],
// recurrent_weights [G·H][H], gates stacked i f g o for the LSTM and r z n for the GRU), with
// back-propagation through time. Initial state zero. Output: every step's hidden state [T, H]
// with return_sequences, else the last one [H].
//
// Inside, a batch is time-major ([T][N][·]), so that each step's rows are contiguous: the input
// projection of every step is one gemm, each step adds h_{t−1}·Uᵀ with one gemm, the gradients
// of W and U are one gemm each over all steps. The element-wise cells are kernels.
#include <cmath>

#include "layer_impl.hpp"

namespace dlplay::layers {
namespace {

using kernels::Activation;
enum class Cell { rnn, lstm, gru };

// to[t][n][·] ← from[n][t][·] (or back, with `back`), `width` values each.
void transpose_nt(const float* from, float* to, std::size_t n, std::size_t t, std::size_t width, bool back) {
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t s = 0; s < t; ++s) {
      const float* a = from + (back ? (s * n + i) : (i * t + s)) * width;
      std::copy(a, a + width, to + (back ? (i * t + s) : (s * n + i)) * width);
    }
}

class Recurrent final : public Layer {
 public:
  Recurrent(const LayerSpec& spec, const Shape& in, const std::string& init, Rng& rng,
            const std::string& field)
      : Layer(spec, in),
        cell_(spec.type == "lstm"  ? Cell::lstm
              : spec.type == "gru" ? Cell::gru
                                   : Cell::rnn),
        units_(spec.units) {
    if (in.size() != 2)
      throw Error(field + ": a " + spec.type + " layer reads sequences [steps, features], got input " +
                  shape_string(in) +
                  (in.size() == 1 ? " (an embedding layer turns token ids into [steps, units])" : ""));
    steps_ = in[0];
    features_ = in[1];
    const std::size_t g = gates() * units_;
    check_param_count(g, std::uint64_t{features_} + units_ + 2, field);
    output_shape_ = spec.return_sequences ? Shape{steps_, units_} : Shape{units_};
    w_ = Tensor::from_shape({g, features_});
    u_ = Tensor::from_shape({g, units_});
    b_ = Tensor::from_shape({g});
    const std::string rows = std::to_string(gates()) + " × units";
    init_matrix(w_, spec.weights, spec.weights_shape, init, features_, rng, field + ".weights",
                rows + " × inputs");
    init_matrix(u_, spec.recurrent_weights, spec.recurrent_weights_shape, init, units_, rng,
                field + ".recurrent_weights", rows + " × units");
    init_bias(b_, spec.bias, field + ".bias", rows);
    if (cell_ == Cell::lstm && !spec.bias)  // forget gates open at first: the usual LSTM start
      std::fill(b_.begin() + static_cast<std::ptrdiff_t>(units_),
                b_.begin() + static_cast<std::ptrdiff_t>(2 * units_), 1.f);
    if (cell_ == Cell::gru) {
      rb_ = Tensor::from_shape({g});
      init_bias(rb_, spec.recurrent_bias, field + ".recurrent_bias", rows);
      grb_ = xt::zeros<float>(rb_.shape());
    } else if (spec.recurrent_bias) {
      throw Error(field + ".recurrent_bias: only a gru layer has one (its bias holds both of PyTorch's)");
    }
    gw_ = xt::zeros<float>(w_.shape());
    gu_ = xt::zeros<float>(u_.shape());
    gb_ = xt::zeros<float>(b_.shape());
  }

  void forward(const Tensor& x, Tensor& y, bool) override {
    const std::size_t n = rows(x), t = steps_, h = units_, g = gates() * h, nh = n * h;
    ensure_shape(xt_, {t, n, features_});
    transpose_nt(x.data(), xt_.data(), n, t, features_, false);
    ensure_shape(z_, {t, n, g});
    kernels::gemm(false, true, t * n, g, features_, 1.f, xt_.data(), features_, w_.data(), features_, 0.f,
                  z_.data(), g);
    kernels::add_row_bias(z_.data(), b_.data(), t * n, g);
    ensure_shape(hs_, {t + 1, n, h});
    std::fill(hs_.data(), hs_.data() + nh, 0.f);
    if (cell_ == Cell::lstm) {
      ensure_shape(cs_, {t + 1, n, h});
      std::fill(cs_.data(), cs_.data() + nh, 0.f);
    }
    if (cell_ == Cell::gru) ensure_shape(r_, {t, n, g});
    for (std::size_t s = 0; s < t; ++s) {
      float* z = z_.data() + s * n * g;
      const float* hp = hs_.data() + s * nh;
      float* hn = hs_.data() + (s + 1) * nh;
      if (cell_ == Cell::gru) {
        float* r = r_.data() + s * n * g;
        kernels::gemm(false, true, n, g, h, 1.f, hp, h, u_.data(), h, 0.f, r, g);
        kernels::add_row_bias(r, rb_.data(), n, g);
        kernels::gru_forward(n, h, z, r, hp, hn);
        continue;
      }
      if (s > 0) kernels::gemm(false, true, n, g, h, 1.f, hp, h, u_.data(), h, 1.f, z, g);
      if (cell_ == Cell::lstm) {
        kernels::lstm_forward(n, h, z, cs_.data() + s * nh, cs_.data() + (s + 1) * nh, hn);
      } else {
        kernels::activate(spec_.activation, z, n, h, 0.f);
        std::copy(z, z + nh, hn);
      }
    }
    if (spec_.return_sequences) {
      ensure_shape(y, {n, t, h});
      transpose_nt(hs_.data() + nh, y.data(), n, t, h, true);
    } else {
      ensure_shape(y, {n, h});
      std::copy(hs_.data() + t * nh, hs_.data() + (t + 1) * nh, y.data());
    }
  }

  void backward(const Tensor& x, const Tensor&, Tensor& dy, Tensor* dx, bool) override {
    const std::size_t n = rows(x), t = steps_, h = units_, g = gates() * h, nh = n * h;
    ensure_shape(dhs_, {t, n, h});
    if (spec_.return_sequences) {
      transpose_nt(dy.data(), dhs_.data(), n, t, h, false);
    } else {
      std::fill(dhs_.begin(), dhs_.end(), 0.f);
      std::copy(dy.data(), dy.data() + nh, dhs_.data() + (t - 1) * nh);
    }
    ensure_shape(dz_, {t, n, g});
    ensure_shape(dnext_, {n, h});
    std::fill(dnext_.begin(), dnext_.end(), 0.f);
    if (cell_ == Cell::lstm) {
      ensure_shape(dc_, {n, h});
      std::fill(dc_.begin(), dc_.end(), 0.f);
    }
    if (cell_ == Cell::gru) ensure_shape(dr_, {t, n, g});
    for (std::size_t s = t; s-- > 0;) {
      float* dh = dhs_.data() + s * nh;  // dL/dh_s: from the output and from step s + 1
      kernels::axpy(nh, 1.f, dnext_.data(), dh);
      float* dz = dz_.data() + s * n * g;
      const float* hp = hs_.data() + s * nh;
      if (cell_ == Cell::lstm) {
        kernels::lstm_backward(n, h, z_.data() + s * n * g, cs_.data() + s * nh, cs_.data() + (s + 1) * nh,
                               dh, dc_.data(), dz);
      } else if (cell_ == Cell::gru) {
        float* dr = dr_.data() + s * n * g;
        kernels::gru_backward(n, h, z_.data() + s * n * g, r_.data() + s * n * g, hp, dh, dz, dr,
                              dnext_.data());
        kernels::gemm(false, false, n, h, g, 1.f, dr, g, u_.data(), h, 1.f, dnext_.data(), h);
        continue;
      } else {
        std::copy(dh, dh + nh, dz);
        kernels::activate_backward(spec_.activation, hs_.data() + (s + 1) * nh, dz, n, h, 0.f);
      }
      if (s > 0) kernels::gemm(false, false, n, h, g, 1.f, dz, g, u_.data(), h, 0.f, dnext_.data(), h);
    }
    kernels::gemm(true, false, g, features_, t * n, 1.f, dz_.data(), g, xt_.data(), features_, 0.f,
                  gw_.data(), features_);
    const Tensor& dhid = cell_ == Cell::gru ? dr_ : dz_;  // dL/d(U·h_{t−1}) of every step
    kernels::gemm(true, false, g, h, t * n, 1.f, dhid.data(), g, hs_.data(), h, 0.f, gu_.data(), h);
    gb_.fill(0.f);
    kernels::sum_rows(dz_.data(), t * n, g, gb_.data());
    if (cell_ == Cell::gru) {
      grb_.fill(0.f);
      kernels::sum_rows(dr_.data(), t * n, g, grb_.data());
    }
    if (dx) {
      ensure_shape(dxt_, {t, n, features_});
      kernels::gemm(false, false, t * n, features_, g, 1.f, dz_.data(), g, w_.data(), features_, 0.f,
                    dxt_.data(), features_);
      ensure_shape(*dx, batch_shape(n, input_shape_));
      transpose_nt(dxt_.data(), dx->data(), n, t, features_, true);
    }
  }

  std::vector<Param> params() override {
    std::vector<Param> p = {
        {"weights", &w_, &gw_, true}, {"recurrent_weights", &u_, &gu_, true}, {"bias", &b_, &gb_, false}};
    if (cell_ == Cell::gru) p.push_back({"recurrent_bias", &rb_, &grb_, false});
    return p;
  }

 private:
  std::size_t gates() const { return cell_ == Cell::lstm ? 4 : cell_ == Cell::gru ? 3 : 1; }

  // Given values, or the named initialiser, or PyTorch's default: uniform in ±1/√units.
  void init_matrix(Tensor& w, const std::optional<std::vector<float>>& values,
                   const std::optional<Shape>& shape, const std::string& model_init, std::size_t fan_in,
                   Rng& rng, const std::string& field, const std::string& expected) {
    if (copy_given(w, values, shape, field, expected)) return;
    const std::string& init = !spec_.init.empty() ? spec_.init : model_init;
    if (!init.empty()) return fill_init(w, init, fan_in, units_, rng);
    const float lim = static_cast<float>(1.0 / std::sqrt(static_cast<double>(units_)));
    for (float& v : w) v = rng.uniform(-lim, lim);
  }

  Cell cell_;
  std::size_t units_, steps_ = 0, features_ = 0;
  Tensor w_, u_, b_, rb_, gw_, gu_, gb_, grb_;
  // Time-major buffers of the last forward: inputs, gates, hidden states (h_0 = 0 first), cells,
  // the GRU's U·h + b_hh; and of the backward.
  Tensor xt_, z_, hs_, cs_, r_, dhs_, dz_, dr_, dnext_, dc_, dxt_;
};

}  // namespace

std::unique_ptr<Layer> make_recurrent(const LayerSpec& spec, const Shape& in, const std::string& init,
                                      Rng& rng, const std::string& field) {
  return std::make_unique<Recurrent>(spec, in, init, rng, field);
}

}  // namespace dlplay::layers
