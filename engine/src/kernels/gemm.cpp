// Single-precision GEMM written once with xsimd::batch<float>.
//
// Layout (GotoBLAS style): op(B) is packed into column panels of kNR = 2 batches, op(A) into row panels of
// kMR = 4, both zero-padded, and a 4×(2 batch) micro-kernel keeps the tile in 8 accumulators. k is split
// into blocks of at most kKC so a B panel stays in L1; rows of A are blocked by kMC so an A block stays in
// L2.
//
// Determinism: every element of C is computed as
//     s = ((0 + a0·b0) + a1·b1) + …   (p = 0 … k−1, in order, separate multiply and add)
//     C = alpha·s            if beta == 0
//     C = alpha·s + beta·C   otherwise
// whatever the path (small, packed, k-blocked: partial sums of a k-block are stored unscaled and resumed),
// the position of the element in a tile, or the SIMD width. reference::gemm uses the same formula, so the
// two agree bit for bit. Only the sizes choose a path; pointers and alignment never do.
#include <algorithm>
#include <cstddef>
#include <vector>
#include <xsimd/xsimd.hpp>

#include "dlplay/kernels.hpp"
#include "gemm_impl.hpp"

namespace dlplay::kernels {
namespace {

using detail::batch;
using detail::gather4_transposed;
using detail::kW;
constexpr std::size_t kMR = 4;                // rows of a micro-tile
constexpr std::size_t kNR = 2 * kW;           // columns of a micro-tile
constexpr std::size_t kKC = 512;              // max depth of a k-block: a B panel is kKC·kNR floats (16 KB)
constexpr std::size_t kDirectRows = 2 * kMR;  // up to this many rows, unpacked B rows are read directly
constexpr std::size_t kMC = 96;  // rows of A packed at once: kMC·kKC floats (192 KB), a multiple of kMR

static_assert(kNR % 4 == 0, "B panels are packed in groups of 4 columns");

using AlignedVector = std::vector<float, xsimd::aligned_allocator<float, 64>>;

// Pack buffers, reused across calls: they only grow, so a warm caller never allocates.
struct Workspace {
  AlignedVector a, b, partial;
};

Workspace& workspace() {
  thread_local Workspace ws;
  return ws;
}

float* grow(AlignedVector& v, std::size_t n) {
  if (v.size() < n) v.resize(n);
  return v.data();
}

std::size_t round_up(std::size_t x, std::size_t m) { return (x + m - 1) / m * m; }

// C ← beta·C over m×n (beta == 0 writes zeros without reading C).
void scale_c(std::size_t m, std::size_t n, float beta, float* c, std::size_t ldc) {
  for (std::size_t i = 0; i < m; ++i) {
    float* row = c + i * ldc;
    if (beta == 0.0f) {
      std::fill(row, row + n, 0.0f);
    } else if (beta != 1.0f) {
      for (std::size_t j = 0; j < n; ++j) row[j] = beta * row[j];
    }
  }
}

// Where a micro-tile's sums go.
struct Sink {
  float* c;  // C, or the partial-sum buffer
  std::size_t ldc;
  std::size_t rows;  // valid rows (≤ kMR) and columns (≤ kNR) of this tile
  std::size_t cols;
  float alpha, beta;
  bool raw;  // store the unscaled sums (a full tile of the partial buffer)
};

// The 4×(2 batch) micro-kernel. op(A) values of step p are a[p·sa + r] (r < 4), op(B) values are
// b[p·sb + 0 … kNR−1]. The sums start at zero, or resume from `resume` (unscaled partial sums, full tile).
inline void micro_kernel(std::size_t kc, const float* a, std::size_t sa, const float* b, std::size_t sb,
                         const float* resume, std::size_t ldr, const Sink& out) {
  batch c00(0.0f), c01(0.0f), c10(0.0f), c11(0.0f), c20(0.0f), c21(0.0f), c30(0.0f), c31(0.0f);
  if (resume != nullptr) {
    c00 = batch::load_aligned(resume + 0 * ldr);
    c01 = batch::load_aligned(resume + 0 * ldr + kW);
    c10 = batch::load_aligned(resume + 1 * ldr);
    c11 = batch::load_aligned(resume + 1 * ldr + kW);
    c20 = batch::load_aligned(resume + 2 * ldr);
    c21 = batch::load_aligned(resume + 2 * ldr + kW);
    c30 = batch::load_aligned(resume + 3 * ldr);
    c31 = batch::load_aligned(resume + 3 * ldr + kW);
  }
  for (std::size_t p = 0; p < kc; ++p) {
    const batch b0 = batch::load_unaligned(b);
    const batch b1 = batch::load_unaligned(b + kW);
    const batch a0(a[0]);
    c00 = c00 + a0 * b0;
    c01 = c01 + a0 * b1;
    const batch a1(a[1]);
    c10 = c10 + a1 * b0;
    c11 = c11 + a1 * b1;
    const batch a2(a[2]);
    c20 = c20 + a2 * b0;
    c21 = c21 + a2 * b1;
    const batch a3(a[3]);
    c30 = c30 + a3 * b0;
    c31 = c31 + a3 * b1;
    a += sa;
    b += sb;
  }
  if (out.raw) {
    float* c = out.c;
    c00.store_aligned(c + 0 * out.ldc);
    c01.store_aligned(c + 0 * out.ldc + kW);
    c10.store_aligned(c + 1 * out.ldc);
    c11.store_aligned(c + 1 * out.ldc + kW);
    c20.store_aligned(c + 2 * out.ldc);
    c21.store_aligned(c + 2 * out.ldc + kW);
    c30.store_aligned(c + 3 * out.ldc);
    c31.store_aligned(c + 3 * out.ldc + kW);
    return;
  }
  const batch alpha(out.alpha);
  if (out.rows == kMR && out.cols == kNR) {
    const batch acc[kMR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}};
    if (out.beta == 0.0f) {
      for (std::size_t r = 0; r < kMR; ++r) {
        float* c = out.c + r * out.ldc;
        (alpha * acc[r][0]).store_unaligned(c);
        (alpha * acc[r][1]).store_unaligned(c + kW);
      }
    } else {
      const batch beta(out.beta);
      for (std::size_t r = 0; r < kMR; ++r) {
        float* c = out.c + r * out.ldc;
        (alpha * acc[r][0] + beta * batch::load_unaligned(c)).store_unaligned(c);
        (alpha * acc[r][1] + beta * batch::load_unaligned(c + kW)).store_unaligned(c + kW);
      }
    }
    return;
  }
  // Edge tile: the same products, written element by element (IEEE lane arithmetic equals scalar).
  alignas(64) float t[kMR][kNR];
  (alpha * c00).store_aligned(&t[0][0]);
  (alpha * c01).store_aligned(&t[0][kW]);
  (alpha * c10).store_aligned(&t[1][0]);
  (alpha * c11).store_aligned(&t[1][kW]);
  (alpha * c20).store_aligned(&t[2][0]);
  (alpha * c21).store_aligned(&t[2][kW]);
  (alpha * c30).store_aligned(&t[3][0]);
  (alpha * c31).store_aligned(&t[3][kW]);
  for (std::size_t r = 0; r < out.rows; ++r) {
    float* c = out.c + r * out.ldc;
    if (out.beta == 0.0f) {
      for (std::size_t j = 0; j < out.cols; ++j) c[j] = t[r][j];
    } else {
      for (std::size_t j = 0; j < out.cols; ++j) c[j] = t[r][j] + out.beta * c[j];
    }
  }
}

// dst[p·kNR + jj] = op(B)[pc + p][j0 + jj] for p < kc, jj < kNR; zero for jj ≥ cols.
void pack_b_panel(bool trans_b, const float* b, std::size_t ldb, std::size_t pc, std::size_t kc,
                  std::size_t j0, std::size_t cols, float* dst) {
  if (!trans_b) {
    const float* src = b + pc * ldb + j0;
    if (cols == kNR) {
      for (std::size_t p = 0; p < kc; ++p, src += ldb, dst += kNR) {
        batch::load_unaligned(src).store_aligned(dst);
        batch::load_unaligned(src + kW).store_aligned(dst + kW);
      }
    } else {
      for (std::size_t p = 0; p < kc; ++p, src += ldb, dst += kNR) {
        std::size_t jj = 0;
        for (; jj < cols; ++jj) dst[jj] = src[jj];
        for (; jj < kNR; ++jj) dst[jj] = 0.0f;
      }
    }
    return;
  }
  // B stored n×k: column jj of the panel is row j0 + jj of B.
  const float* rows = b + j0 * ldb + pc;
  if (cols == kNR) {
    for (std::size_t jj = 0; jj < kNR; jj += 4) gather4_transposed(rows + jj * ldb, ldb, kc, dst + jj, kNR);
    return;
  }
  // Edge panel: zeros, then the whole groups of 4 columns transposed in registers, then the rest.
  for (std::size_t p = 0; p < kc; ++p) {
    batch(0.0f).store_aligned(dst + p * kNR);
    batch(0.0f).store_aligned(dst + p * kNR + kW);
  }
  std::size_t jj = 0;
  for (; jj + 4 <= cols; jj += 4) gather4_transposed(rows + jj * ldb, ldb, kc, dst + jj, kNR);
  for (; jj < cols; ++jj) {
    for (std::size_t p = 0; p < kc; ++p) dst[p * kNR + jj] = rows[jj * ldb + p];
  }
}

// dst[p·kMR + ii] = op(A)[i0 + ii][pc + p] for p < kc, ii < kMR; zero for ii ≥ rows.
void pack_a_panel(bool trans_a, const float* a, std::size_t lda, std::size_t i0, std::size_t rows,
                  std::size_t pc, std::size_t kc, float* dst) {
  if (trans_a) {
    // A stored k×m: four consecutive floats per step.
    const float* src = a + pc * lda + i0;
    if (rows == kMR && kMR == kW) {
      for (std::size_t p = 0; p < kc; ++p, src += lda, dst += kMR)
        batch::load_unaligned(src).store_aligned(dst);
    } else {
      for (std::size_t p = 0; p < kc; ++p, src += lda, dst += kMR) {
        std::size_t ii = 0;
        for (; ii < rows; ++ii) dst[ii] = src[ii];
        for (; ii < kMR; ++ii) dst[ii] = 0.0f;
      }
    }
    return;
  }
  if (rows == kMR && kMR == 4) {
    gather4_transposed(a + i0 * lda + pc, lda, kc, dst, kMR);
    return;
  }
  for (std::size_t ii = 0; ii < kMR; ++ii) {
    if (ii < rows) {
      const float* src = a + (i0 + ii) * lda + pc;
      for (std::size_t p = 0; p < kc; ++p) dst[p * kMR + ii] = src[p];
    } else {
      for (std::size_t p = 0; p < kc; ++p) dst[p * kMR + ii] = 0.0f;
    }
  }
}

// Not inlined into gemm(): its prologue would tax every tiny call.
[[gnu::noinline]] void gemm_packed(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k,
                                   float alpha, const float* a, std::size_t lda, const float* b,
                                   std::size_t ldb, float beta, float* c, std::size_t ldc) {
  Workspace& ws = workspace();
  // Even k-blocks of at most kKC (the split does not change the summation order, see the top).
  const std::size_t kblocks = k <= kKC ? 1 : (k + kKC - 1) / kKC;
  const std::size_t kc_max = kblocks == 1 ? k : (k + kblocks - 1) / kblocks;
  const std::size_t n_pad = round_up(n, kNR);
  const std::size_t m_pad = round_up(m, kMR);
  const std::size_t mc_max = std::min(kMC, m_pad);
  float* bpack = grow(ws.b, kc_max * n_pad);
  float* apack = grow(ws.a, kc_max * mc_max);
  float* partial = kblocks > 1 ? grow(ws.partial, m_pad * n_pad) : nullptr;
  // With few rows a B panel is used only once or twice: when op(B)'s rows are contiguous (B not
  // transposed) the micro-kernel reads full panels straight from B, and only the edge panel is packed.
  const bool direct_b = !trans_b && m <= kDirectRows;
  const std::size_t n_full = n / kNR * kNR;

  for (std::size_t pc = 0; pc < k; pc += kc_max) {
    const std::size_t kc = std::min(kc_max, k - pc);
    const bool first = pc == 0;
    const bool last = pc + kc == k;
    for (std::size_t j0 = direct_b ? n_full : 0; j0 < n; j0 += kNR) {
      pack_b_panel(trans_b, b, ldb, pc, kc, j0, std::min(kNR, n - j0), bpack + j0 * kc);
    }
    for (std::size_t ic = 0; ic < m; ic += kMC) {
      const std::size_t mc = std::min(kMC, m - ic);
      for (std::size_t i0 = 0; i0 < mc; i0 += kMR) {
        pack_a_panel(trans_a, a, lda, ic + i0, std::min(kMR, mc - i0), pc, kc, apack + i0 * kc);
      }
      for (std::size_t j0 = 0; j0 < n; j0 += kNR) {
        const bool direct = direct_b && j0 < n_full;
        const float* bp = direct ? b + pc * ldb + j0 : bpack + j0 * kc;
        const std::size_t sb = direct ? ldb : kNR;
        for (std::size_t i0 = 0; i0 < mc; i0 += kMR) {
          const std::size_t i = ic + i0;
          float* pt = partial != nullptr ? partial + i * n_pad + j0 : nullptr;
          Sink sink;
          if (last) {
            sink =
                Sink{c + i * ldc + j0, ldc, std::min(kMR, m - i), std::min(kNR, n - j0), alpha, beta, false};
          } else {
            sink = Sink{pt, n_pad, kMR, kNR, 1.0f, 0.0f, true};
          }
          micro_kernel(kc, apack + i0 * kc, kMR, bp, sb, first ? nullptr : pt, n_pad, sink);
        }
      }
    }
  }
}

}  // namespace

void gemm(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha,
          const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
          std::size_t ldc) {
  if (m == 0 || n == 0) return;
  if (k == 0 || alpha == 0.0f) {
    scale_c(m, n, beta, c, ldc);
    return;
  }
  const std::size_t n_pad = (n + kW - 1) / kW * kW;
  if (detail::small_path(m, n, k, n_pad)) {
    detail::gemm_small(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  } else {
    gemm_packed(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  }
}

}  // namespace dlplay::kernels
