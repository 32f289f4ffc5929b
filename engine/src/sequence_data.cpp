// The sequence sets: a text's characters as ids, windows of a text for a character model, and
// the parity toy (data.hpp).
#include <algorithm>

#include "dlplay/data.hpp"
#include "dlplay/rng.hpp"

namespace dlplay::data {
namespace {

// The text's characters as UTF-8 slices; Error at the first byte that does not start one.
std::vector<std::string> characters(const std::string& text, const std::string& field) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = len > 0 && i + len <= text.size();
    for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(text[i + k]) >> 6) == 2;
    if (!ok) throw Error(field + ": not UTF-8 text (byte " + std::to_string(i) + ")");
    out.push_back(text.substr(i, len));
    i += len;
  }
  return out;
}

// Code point order: UTF-8 byte strings compare in code point order when compared as unsigned.
bool before(const std::string& a, const std::string& b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return static_cast<unsigned char>(x) < static_cast<unsigned char>(y);
  });
}

}  // namespace

const std::vector<std::string>& names_sequence() {
  static const std::vector<std::string> v = {"text", "parity"};
  return v;
}

std::vector<std::string> text_vocabulary(const std::string& text, const std::string& field) {
  std::vector<std::string> v = characters(text, field);
  std::sort(v.begin(), v.end(), before);
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

std::vector<std::uint32_t> encode_text(const std::string& text, const std::vector<std::string>& vocabulary,
                                       const std::string& field) {
  std::vector<std::uint32_t> ids;
  for (const std::string& c : characters(text, field)) {
    const auto it = std::lower_bound(vocabulary.begin(), vocabulary.end(), c, before);
    if (it == vocabulary.end() || *it != c)
      throw Error(field + ": the character '" + c + "' is not in the vocabulary (" +
                  std::to_string(vocabulary.size()) + " characters of the training text)");
    ids.push_back(static_cast<std::uint32_t>(it - vocabulary.begin()));
  }
  return ids;
}

Dataset make_text(const std::string& text, std::size_t length, std::size_t stride, bool one_hot) {
  Dataset d;
  d.tokens = text_vocabulary(text, "data.text");
  const std::vector<std::uint32_t> ids = encode_text(text, d.tokens, "data.text");
  if (stride == 0) stride = length;
  if (ids.size() < length + 1)
    throw Error("data.text: " + std::to_string(ids.size()) + " characters is too short for sequences of " +
                std::to_string(length) + " (at least " + std::to_string(length + 1) + ")");
  const std::size_t n = (ids.size() - length - 1) / stride + 1, v = d.tokens.size();
  if (one_hot && static_cast<double>(n) * length * v > 1e8)
    throw Error("data.text: one-hot examples of " + std::to_string(v) + " characters would take more than " +
                "400 MB; use an embedding layer on the ids instead");
  d.classes = std::max<std::size_t>(v, 2);
  d.x = one_hot ? Tensor(xt::zeros<float>({n, length, v})) : Tensor::from_shape({n, length});
  d.y = Tensor::from_shape({n, length});
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t t = 0; t < length; ++t) {
      const std::uint32_t id = ids[i * stride + t];
      if (one_hot)
        d.x.data()[(i * length + t) * v + id] = 1.f;
      else
        d.x.data()[i * length + t] = static_cast<float>(id);
      d.y.data()[i * length + t] = static_cast<float>(ids[i * stride + t + 1]);
    }
  return d;
}

Dataset make_parity(std::size_t n, std::size_t length, std::uint64_t seed) {
  Dataset d;
  Rng rng(seed);
  d.classes = 2;
  d.x = Tensor::from_shape({n, length, std::size_t{1}});
  d.y = Tensor::from_shape({n, length});
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t parity = 0;
    for (std::size_t t = 0; t < length; ++t) {
      const std::uint32_t bit = rng.next_u32() & 1u;
      parity ^= bit;
      d.x.data()[i * length + t] = static_cast<float>(bit);
      d.y.data()[i * length + t] = static_cast<float>(parity);
    }
  }
  return d;
}

}  // namespace dlplay::data
