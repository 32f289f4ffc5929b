// Data sets: the playground's 2-D generators and the lessons' images.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dlplay/tensor.hpp"

namespace dlplay {

struct Dataset {
  Tensor x;                         // [N, ...one example's shape]
  Tensor y;                         // classification: [N] class indices; otherwise [N, targets]
  std::size_t classes = 0;          // > 0 for classification
  std::vector<std::string> tokens;  // a text set's vocabulary: the character (UTF-8) of each id
  std::size_t size() const { return x.shape().empty() ? 0 : x.shape()[0]; }
};

namespace data {

// What labels mean, the one rule (docs/spec-format.md): y of shape [N], one number per example,
// holds class indices (whole numbers from 0), and `classes` becomes max + 1 (at least 2); y of
// shape [N, K], a row per example, holds target values, and `classes` is 0. Throws Error naming
// `field` for a label that is not a class index, or a y that does not match x.
void apply_label_rule(Dataset& d, const std::string& field);
// The same rule for labels y of n examples: the class count, or 0 for target rows.
std::size_t label_classes(const Tensor& y, std::size_t n, const std::string& field);

// Names of the built-in 2-D sets: "circle", "xor", "gaussian", "spiral" (classification, 2 classes)
// and "plane", "multi_gaussian" (regression, targets in [-1, 1]). Points lie in [-6, 6]².
const std::vector<std::string>& names_2d();
bool is_classification_2d(const std::string& name);
// Whether a set takes a class count (gaussian and spiral: vocab::range::classes, 2 by default).
bool takes_classes(const std::string& name);
// Throws Error naming data.classes when `name` does not take a class count or `classes` is out of
// vocab::range::classes.
void check_classes(const std::string& name, std::size_t classes);
// n points with `noise` in [0, 1] (TensorFlow Playground's 0–50 % slider is 0–0.5 here); `classes`
// for the sets that take it (none: the set's own, 2). With 2 classes gaussian and spiral are
// TensorFlow Playground's; with K > 2, K clusters on a circle and K spiral arms, labels 0…K−1,
// about n/K each. Throws Error for an unknown name or a bad class count.
Dataset make_2d(const std::string& name, std::size_t n, float noise, std::uint64_t seed,
                std::optional<std::size_t> classes = std::nullopt);

// Sequence sets (sequence_data.cpp): "text" (a character model) and "parity" (a memory toy). Their
// labels are one class per step, y [N, T], and `classes` is set.
const std::vector<std::string>& names_sequence();
// The distinct characters (Unicode code points, each as UTF-8) of a text, sorted by code point: the
// ids of a character model. Throws Error naming `field` for text that is not UTF-8.
std::vector<std::string> text_vocabulary(const std::string& text, const std::string& field = "text");
// The ids of a text's characters in `vocabulary`; Error naming `field` and the first character
// that is not in it.
std::vector<std::uint32_t> encode_text(const std::string& text, const std::vector<std::string>& vocabulary,
                                       const std::string& field = "text");
// Windows of `length` characters every `stride` (0: length) characters: x the ids [N, T] (one-hot
// [N, T, V] with `one_hot`), y the id of the character after each one [N, T]; tokens and classes
// = V (at least 2). Error when the text is shorter than length + 1 characters.
Dataset make_text(const std::string& text, std::size_t length, std::size_t stride, bool one_hot);
// n sequences of `length` random bits x [N, T, 1]; y [N, T] the parity of the bits so far (0 even,
// 1 odd); classes 2.
Dataset make_parity(std::size_t n, std::size_t length, std::uint64_t seed);

// The convolution lesson's 6×6 binary image, shape [1, 6, 6], and its two 3×3 kernels
// (diagonal, vertical), shape [2, 1, 3, 3].
Tensor lesson_image_6x6();
Tensor lesson_kernels_3x3();

// Indices 0..n-1 split into train and test by a seeded shuffle; the test part has
// round(n · test_ratio) examples. With `labels` (class indices) the split is stratified per class.
struct Split {
  std::vector<std::size_t> train, test;
};
Split split(std::size_t n, float test_ratio, std::uint64_t seed, const Tensor* labels = nullptr);

}  // namespace data
}  // namespace dlplay
