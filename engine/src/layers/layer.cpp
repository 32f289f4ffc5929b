#include <cmath>
#include <functional>

#include "layer_impl.hpp"

namespace dlplay {

std::size_t Layer::param_count() {
  std::size_t n = 0;
  for (const Param& p : params()) n += p.value->size();
  return n;
}

Json Layer::to_json() {
  Json j = spec_.source;
  for (const Param& p : params()) {
    const Tensor& v = *p.value;
    Json arr = Json::array();
    if (v.dimension() == 1) {
      for (float x : v) arr.push_back(x);
    } else {  // rows of the first dimension, each nested like the rest of the shape
      std::function<Json(const float*, std::size_t)> nest = [&](const float* data, std::size_t dim) -> Json {
        Json a = Json::array();
        std::size_t stride = 1;
        for (std::size_t d = dim + 1; d < v.dimension(); ++d) stride *= v.shape()[d];
        for (std::size_t i = 0; i < v.shape()[dim]; ++i) {
          if (dim + 1 == v.dimension())
            a.push_back(data[i]);
          else
            a.push_back(nest(data + i * stride, dim + 1));
        }
        return a;
      };
      arr = nest(v.data(), 0);
    }
    j[p.name] = std::move(arr);
  }
  return j;
}

std::unique_ptr<Layer> make_layer(const LayerSpec& spec, const Shape& input_shape, const std::string& init,
                                  Rng& rng, std::size_t index) {
  const std::string field = "layers[" + std::to_string(index) + "]";
  const std::string& t = spec.type;
  if (t == "dense") return layers::make_dense(spec, input_shape, init, rng, field);
  if (t == "conv2d") return layers::make_conv2d(spec, input_shape, init, rng, field);
  if (t == "maxpool2d" || t == "avgpool2d") return layers::make_pool(spec, input_shape, field);
  if (t == "flatten") return layers::make_flatten(spec, input_shape);
  if (t == "dropout") return layers::make_dropout(spec, input_shape, rng.next_u32());
  if (t == "rnn" || t == "lstm" || t == "gru")
    return layers::make_recurrent(spec, input_shape, init, rng, field);
  if (t == "embedding") return layers::make_embedding(spec, input_shape, init, rng, field);
  if (vocab::index_of(vocab::activations(), t) >= 0) return layers::make_activation(spec, input_shape, field);
  throw Error(field + ".type: unknown layer type '" + t + "'");
}

namespace layers {

void check_param_count(std::uint64_t units, std::uint64_t per_unit, const std::string& field) {
  // In 64 bits: wasm's size_t is 32 bits wide, and a product of two sizes could wrap there.
  const std::uint64_t count = units * per_unit;
  if (count > kMaxLayerParams)
    throw Error(field + ": " + std::to_string(count) + " parameters is more than the limit of " +
                std::to_string(kMaxLayerParams));
}

bool copy_given(Tensor& w, const std::optional<std::vector<float>>& values, const std::optional<Shape>& shape,
                const std::string& field, const std::string& expected) {
  if (!values) return false;
  const Shape want = shape_of(w);
  if (*shape != want)
    throw Error(field + ": expected shape " + shape_string(want) + " (" + expected + "), got " +
                shape_string(*shape));
  std::copy(values->begin(), values->end(), w.begin());
  return true;
}

void fill_init(Tensor& w, const std::string& init, std::size_t fan_in, std::size_t fan_out, Rng& rng) {
  if (init == "zeros") {
    w.fill(0.f);
  } else if (init == "he" || init == "he_normal") {
    const float sd = static_cast<float>(std::sqrt(2.0 / fan_in));
    for (float& v : w) v = rng.normal(0.f, sd);
  } else if (init == "he_uniform") {
    const float lim = static_cast<float>(std::sqrt(6.0 / fan_in));
    for (float& v : w) v = rng.uniform(-lim, lim);
  } else if (init == "xavier_normal") {
    const float sd = static_cast<float>(std::sqrt(2.0 / (fan_in + fan_out)));
    for (float& v : w) v = rng.normal(0.f, sd);
  } else {  // xavier, xavier_uniform
    const float lim = static_cast<float>(std::sqrt(6.0 / (fan_in + fan_out)));
    for (float& v : w) v = rng.uniform(-lim, lim);
  }
}

void init_weights(Tensor& w, const LayerSpec& spec, const std::string& model_init, std::size_t fan_in,
                  std::size_t fan_out, Rng& rng, const std::string& field, const std::string& expected) {
  if (copy_given(w, spec.weights, spec.weights_shape, field + ".weights", expected)) return;
  std::string init = !spec.init.empty() ? spec.init : model_init;
  if (init.empty()) {
    using A = kernels::Activation;
    init = (spec.activation == A::relu || spec.activation == A::leaky_relu) ? "he" : "xavier";
  }
  fill_init(w, init, fan_in, fan_out, rng);
}

void init_bias(Tensor& b, const LayerSpec& spec, const std::string& field) {
  init_bias(b, spec.bias, field + ".bias", spec.type == "conv2d" ? "one per filter" : "one per unit");
}

void init_bias(Tensor& b, const std::optional<std::vector<float>>& values, const std::string& field,
               const std::string& expected) {
  if (!values) return b.fill(0.f);
  if (values->size() != b.size())
    throw Error(field + ": expected " + std::to_string(b.size()) + " values (" + expected + "), got " +
                std::to_string(values->size()));
  std::copy(values->begin(), values->end(), b.begin());
}

}  // namespace layers
}  // namespace dlplay
