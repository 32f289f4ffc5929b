// A character model's session: encoding text, and sampling from the model (session.hpp).
#include <cmath>

#include "dlplay/session.hpp"

namespace dlplay {

const std::vector<std::string>& Session::tokens() const {
  if (!vocabulary_.empty()) return vocabulary_;
  if (!given_ || given_->tokens.empty())
    throw Error("this session is not a character model (its data is not the \"text\" set)");
  return given_->tokens;
}

std::vector<std::uint32_t> Session::encode(const std::string& text) const {
  return data::encode_text(text, tokens(), "text");
}

std::string Session::decode(const std::vector<std::uint32_t>& ids) const {
  const std::vector<std::string>& v = tokens();
  std::string s;
  for (const std::uint32_t id : ids) {
    if (id >= v.size())
      throw Error("ids: " + std::to_string(id) + " is not a character id (0 to " +
                  std::to_string(v.size() - 1) + ")");
    s += v[id];
  }
  return s;
}

Session::Sample Session::sample(const std::string& prefix, std::size_t length, float temperature,
                                std::uint64_t seed) {
  const std::size_t v = tokens().size();
  const Shape& in = model_->input_shape();
  const Shape& out = model_->output_shape();
  if (out.size() != 2 || out[0] != in[0] || out[1] != v)
    throw Error("sample: the model must give " + std::to_string(v) + " probabilities at each of its " +
                std::to_string(in[0]) + " steps (output " + shape_string(out) + ")");
  if (!(temperature >= 0 && temperature <= 100)) throw Error("temperature: expected a number from 0 to 100");
  if (length > 100'000) throw Error("length: at most 100000 characters");
  std::vector<std::uint32_t> ids = encode(prefix);
  if (ids.empty()) throw Error("prefix: give at least one character to start from");
  const std::size_t steps = in[0], start = ids.size();
  const bool one_hot = in.size() == 2;
  Rng rng(seed);
  Tensor& x = model_->input(1);
  std::vector<double> p(v);
  while (ids.size() < start + length) {
    const std::size_t used = std::min(steps, ids.size()), from = ids.size() - used;
    x.fill(0.f);
    for (std::size_t t = 0; t < used; ++t) {
      if (one_hot)
        x.data()[t * v + ids[from + t]] = 1.f;
      else
        x.data()[t] = static_cast<float>(ids[from + t]);
    }
    const float* probs = model_->forward_input(false).data() + (used - 1) * v;
    std::size_t next = 0;
    if (temperature == 0) {
      for (std::size_t c = 1; c < v; ++c)
        if (probs[c] > probs[next]) next = c;
    } else {  // p^(1/τ) = exp(log p / τ), relative to the largest, renormalised
      double best = -INFINITY, sum = 0;
      for (std::size_t c = 0; c < v; ++c) best = std::max(best, std::log(std::max<double>(probs[c], 1e-30)));
      for (std::size_t c = 0; c < v; ++c)
        sum += p[c] = std::exp((std::log(std::max<double>(probs[c], 1e-30)) - best) / temperature);
      double u = rng.uniform() * sum;
      next = v - 1;
      for (std::size_t c = 0; c < v; ++c)
        if ((u -= p[c]) < 0) {
          next = c;
          break;
        }
    }
    ids.push_back(static_cast<std::uint32_t>(next));
  }
  Sample s;
  s.ids.assign(ids.begin() + static_cast<std::ptrdiff_t>(start), ids.end());
  s.text = decode(s.ids);
  return s;
}

}  // namespace dlplay
