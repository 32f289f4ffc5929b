// GEMM's small path (see gemm_impl.hpp and gemm.cpp's determinism note): the same formula per element of C.
#include <algorithm>
#include <cstddef>
#include <xsimd/xsimd.hpp>

#include "gemm_impl.hpp"

namespace dlplay::kernels::detail {
namespace {

// C[0 … count) ← alpha·acc (+ beta·C), count ≤ kW. The partial case loops over a constant kW lanes so that
// it compiles to plain moves, not a call to memcpy.
inline void store_row(const batch& acc, float* c, std::size_t count, const batch& alpha, float beta) {
  const batch s = alpha * acc;
  if (count == kW) {
    if (beta == 0.0f) {
      s.store_unaligned(c);
    } else {
      (s + batch(beta) * batch::load_unaligned(c)).store_unaligned(c);
    }
    return;
  }
  alignas(64) float t[kW];
  s.store_aligned(t);
  if (beta == 0.0f) {
    for (std::size_t j = 0; j < kW; ++j)
      if (j < count) c[j] = t[j];
  } else {
    for (std::size_t j = 0; j < kW; ++j)
      if (j < count) c[j] = t[j] + beta * c[j];
  }
}

// R rows of C (R ≤ 4) from the packed op(B), two batches of columns at a time (2R accumulators), then a
// last single batch.
template <std::size_t R>
inline void small_rows(std::size_t i, std::size_t n, std::size_t k, const batch& alpha, const float* a,
                       std::size_t sa_row, std::size_t sa_col, const float* bp, std::size_t ldp, float beta,
                       float* c, std::size_t ldc) {
  const float* ar[R];
  for (std::size_t r = 0; r < R; ++r) ar[r] = a + (i + r) * sa_row;
  std::size_t j0 = 0;
  for (; j0 + kW < n; j0 += 2 * kW) {
    batch acc0[R], acc1[R];
    for (std::size_t r = 0; r < R; ++r) acc0[r] = acc1[r] = batch(0.0f);
    const float* bj = bp + j0;
    for (std::size_t p = 0; p < k; ++p, bj += ldp) {
      const batch b0 = batch::load_unaligned(bj);
      const batch b1 = batch::load_unaligned(bj + kW);
      for (std::size_t r = 0; r < R; ++r) {
        const batch av(ar[r][p * sa_col]);
        acc0[r] = acc0[r] + av * b0;
        acc1[r] = acc1[r] + av * b1;
      }
    }
    const std::size_t count = std::min(kW, n - j0 - kW);
    for (std::size_t r = 0; r < R; ++r) {
      store_row(acc0[r], c + (i + r) * ldc + j0, kW, alpha, beta);
      store_row(acc1[r], c + (i + r) * ldc + j0 + kW, count, alpha, beta);
    }
  }
  if (j0 < n) {
    batch acc[R];
    for (std::size_t r = 0; r < R; ++r) acc[r] = batch(0.0f);
    const float* bj = bp + j0;
    for (std::size_t p = 0; p < k; ++p, bj += ldp) {
      const batch b0 = batch::load_unaligned(bj);
      for (std::size_t r = 0; r < R; ++r) acc[r] = acc[r] + batch(ar[r][p * sa_col]) * b0;
    }
    const std::size_t count = n - j0;
    for (std::size_t r = 0; r < R; ++r) store_row(acc[r], c + (i + r) * ldc + j0, count, alpha, beta);
  }
}

// dst[p·ldp + j] = B[p][j] for j < n, zeros up to ldp (a multiple of kW), p < k.
void pack_small_b(const float* b, std::size_t ldb, std::size_t n, std::size_t k, float* dst,
                  std::size_t ldp) {
  const std::size_t full = n / kW * kW;
  for (std::size_t p = 0; p < k; ++p, b += ldb, dst += ldp) {
    std::size_t j = 0;
    for (; j < full; j += kW) batch::load_unaligned(b + j).store_aligned(dst + j);
    alignas(64) float t[kW];
    for (std::size_t l = 0; l < kW; ++l) t[l] = full + l < n ? b[full + l] : 0.0f;
    batch::load_aligned(t).store_aligned(dst + full);
    for (j = full + kW; j < ldp; j += kW) batch(0.0f).store_aligned(dst + j);
  }
}

// dst[p·ldp + j] = B[j][p] (B stored n×k) for j < n, zeros up to ldp, p < k: four rows of B at a time
// through gather4_transposed (dst is 64-byte aligned and ldp a multiple of kW, so each group is aligned).
void pack_small_b_transposed(const float* b, std::size_t ldb, std::size_t n, std::size_t k, float* dst,
                             std::size_t ldp) {
  std::size_t j = 0;
  if (ldp % 4 == 0) {
    for (; j + 4 <= n; j += 4) gather4_transposed(b + j * ldb, ldb, k, dst + j, ldp);
  }
  for (std::size_t p = 0; p < k; ++p) {
    float* row = dst + p * ldp;
    for (std::size_t jj = j; jj < ldp; ++jj) row[jj] = jj < n ? b[jj * ldb + p] : 0.0f;
  }
}

}  // namespace

void gemm_small(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha,
                const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
                std::size_t ldc) {
  // op(B) as k rows of ldp floats, zero-padded to whole batches. When its rows are already whole batches
  // (B not transposed, n a multiple of kW) they are read in place.
  alignas(64) float pack[kSmallPack];
  const float* bp = b;
  std::size_t ldp = ldb;
  if (trans_b || n % kW != 0) {
    ldp = (n + kW - 1) / kW * kW;
    if (trans_b) {
      pack_small_b_transposed(b, ldb, n, k, pack, ldp);
    } else {
      pack_small_b(b, ldb, n, k, pack, ldp);
    }
    bp = pack;
  }
  // op(A)[i][p] = a[i·sa_row + p·sa_col]
  const std::size_t sa_row = trans_a ? 1 : lda;
  const std::size_t sa_col = trans_a ? lda : 1;
  const batch va(alpha);
  std::size_t i = 0;
  for (; i + 4 <= m; i += 4) small_rows<4>(i, n, k, va, a, sa_row, sa_col, bp, ldp, beta, c, ldc);
  switch (m - i) {
    case 3:
      small_rows<3>(i, n, k, va, a, sa_row, sa_col, bp, ldp, beta, c, ldc);
      break;
    case 2:
      small_rows<2>(i, n, k, va, a, sa_row, sa_col, bp, ldp, beta, c, ldc);
      break;
    case 1:
      small_rows<1>(i, n, k, va, a, sa_row, sa_col, bp, ldp, beta, c, ldc);
      break;
    default:
      break;
  }
}

}  // namespace dlplay::kernels::detail
