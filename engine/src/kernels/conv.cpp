// im2col and its adjoint col2im for one image [channels][height][width].
//
// Both work on a zero-padded copy of the image, so that every row of `cols` (one per kernel element
// (c, i, j) and output row oy, out_w values) is one run of a padded input row, copied (im2col) or added to
// (col2im) without edge cases; with stride 1 the runs are contiguous and go through batches. Every value
// still sees the same single copy or add, in the same order, so results do not depend on the SIMD width.
#include <cstddef>
#include <vector>

#include "dlplay/kernels.hpp"
#include "runs.hpp"

namespace dlplay::kernels {
namespace {

// The image with `padding` zeros around each channel: [channels][height + 2·pad][width + 2·pad]. Every
// input an output reads is inside it, so a row of `cols` is a plain run of it. A buffer reused across
// calls (it only grows); without padding the image itself.
struct Padded {
  std::size_t h, w;  // padded height and width
  float* buffer;     // null without padding
};

Padded padded(const ConvGeometry& g) {
  const std::size_t h = g.height + 2 * g.padding, w = g.width + 2 * g.padding;
  if (g.padding == 0) return {h, w, nullptr};
  thread_local std::vector<float> buffer;
  if (buffer.size() < g.channels * h * w) buffer.resize(g.channels * h * w);
  return {h, w, buffer.data()};
}

// p.buffer ← image inside zero borders.
void pad_image(const ConvGeometry& g, const float* image, const Padded& p) {
  runs::zero(p.buffer, g.channels * p.h * p.w);
  for (std::size_t c = 0; c < g.channels; ++c)
    for (std::size_t y = 0; y < g.height; ++y)
      runs::copy(image + (c * g.height + y) * g.width, p.buffer + (c * p.h + y + g.padding) * p.w + g.padding,
                 g.width);
}

// image ← the inside of p.buffer.
void unpad_image(const ConvGeometry& g, const Padded& p, float* image) {
  for (std::size_t c = 0; c < g.channels; ++c)
    for (std::size_t y = 0; y < g.height; ++y)
      runs::copy(p.buffer + (c * p.h + y + g.padding) * p.w + g.padding, image + (c * g.height + y) * g.width,
                 g.width);
}

// Calls visit(out, in) for every kernel element (c, i, j) and output row oy: `out` is the offset in `cols`
// of that row (out_w values), `in` the offset in the padded image of the value its first output reads (the
// others follow at `stride`).
template <class Visit>
void for_each_run(const ConvGeometry& g, const Padded& p, Visit visit) {
  const std::size_t oh = g.out_h();
  const std::size_t ow = g.out_w();
  std::size_t out = 0;
  for (std::size_t c = 0; c < g.channels; ++c)
    for (std::size_t i = 0; i < g.kernel_h; ++i)
      for (std::size_t j = 0; j < g.kernel_w; ++j)
        for (std::size_t oy = 0; oy < oh; ++oy, out += ow)
          visit(out, (c * p.h + oy * g.stride + i) * p.w + j);
}

}  // namespace

void im2col(const ConvGeometry& g, const float* image, float* cols) {
  const std::size_t ow = g.out_w();
  const std::size_t s = g.stride;
  const Padded p = padded(g);
  if (p.buffer != nullptr) pad_image(g, image, p);
  const float* src = p.buffer != nullptr ? p.buffer : image;
  for_each_run(g, p, [&](std::size_t out, std::size_t in) {
    if (s == 1) {
      runs::copy(src + in, cols + out, ow);
    } else {
      for (std::size_t ox = 0; ox < ow; ++ox) cols[out + ox] = src[in + ox * s];
    }
  });
}

// Each pixel starts from its value in `image` and gets the additions in the order of the rows of `cols`,
// as a direct scatter would; the additions that land on the padding are dropped.
void col2im(const ConvGeometry& g, const float* cols, float* image) {
  const std::size_t ow = g.out_w();
  const std::size_t s = g.stride;
  const Padded p = padded(g);
  if (p.buffer != nullptr) pad_image(g, image, p);
  float* dst = p.buffer != nullptr ? p.buffer : image;
  for_each_run(g, p, [&](std::size_t out, std::size_t in) {
    if (s == 1) {
      runs::add(cols + out, dst + in, ow);
    } else {
      for (std::size_t ox = 0; ox < ow; ++ox) dst[in + ox * s] += cols[out + ox];
    }
  });
  if (p.buffer != nullptr) unpad_image(g, p, image);
}

}  // namespace dlplay::kernels
