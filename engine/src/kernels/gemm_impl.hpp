// Shared by the two GEMM files (gemm.cpp: the packed path; gemm_small.cpp: the small path).
#pragma once

#include <cstddef>
#include <xsimd/xsimd.hpp>

namespace dlplay::kernels::detail {

using batch = xsimd::batch<float>;
constexpr std::size_t kW = batch::size;

// dst[p·stride + r] = src[r·ld + p] for r < 4, p < kc: four rows of a row-major matrix, transposed. dst is
// 16-byte aligned and stride a multiple of 4. With 4-lane batches, 4×4 blocks are transposed in registers.
inline void gather4_transposed(const float* src, std::size_t ld, std::size_t kc, float* dst,
                               std::size_t stride) {
  std::size_t p = 0;
  if constexpr (kW == 4) {
    const float* s0 = src;
    const float* s1 = src + ld;
    const float* s2 = src + 2 * ld;
    const float* s3 = src + 3 * ld;
    for (; p + 4 <= kc; p += 4) {
      const batch r0 = batch::load_unaligned(s0 + p);
      const batch r1 = batch::load_unaligned(s1 + p);
      const batch r2 = batch::load_unaligned(s2 + p);
      const batch r3 = batch::load_unaligned(s3 + p);
      const batch t0 = xsimd::zip_lo(r0, r2);  // r0[0] r2[0] r0[1] r2[1]
      const batch t1 = xsimd::zip_hi(r0, r2);  // r0[2] r2[2] r0[3] r2[3]
      const batch t2 = xsimd::zip_lo(r1, r3);
      const batch t3 = xsimd::zip_hi(r1, r3);
      xsimd::zip_lo(t0, t2).store_aligned(dst + (p + 0) * stride);  // r0[0] r1[0] r2[0] r3[0]
      xsimd::zip_hi(t0, t2).store_aligned(dst + (p + 1) * stride);
      xsimd::zip_lo(t1, t3).store_aligned(dst + (p + 2) * stride);
      xsimd::zip_hi(t1, t3).store_aligned(dst + (p + 3) * stride);
    }
  }
  for (; p < kc; ++p) {
    for (std::size_t r = 0; r < 4; ++r) dst[p * stride + r] = src[r * ld + p];
  }
}

// The small path: op(B) packed as k rows of n_pad floats on the stack, then one row of C at a time in
// registers. No tiles, no workspace: it wins for the tiny GEMMs where packing overhead dominates.
constexpr std::size_t kSmallPack = 1024;  // max k·n_pad floats for the small path (4 KB of stack)
constexpr std::size_t kSmallWork = 4096;  // max m·n·k for the small path (above it packing pays)

// Whether gemm takes the small path (n_pad: n rounded up to whole batches). The comparisons are ordered so
// that no product can overflow a 32-bit size_t in wasm.
inline bool small_path(std::size_t m, std::size_t n, std::size_t k, std::size_t n_pad) {
  return k <= kSmallPack && n_pad <= kSmallPack && k * n_pad <= kSmallPack && m <= kSmallWork &&
         m * n * k <= kSmallWork;
}

// gemm's contract, for sizes where small_path holds.
void gemm_small(bool trans_a, bool trans_b, std::size_t m, std::size_t n, std::size_t k, float alpha,
                const float* a, std::size_t lda, const float* b, std::size_t ldb, float beta, float* c,
                std::size_t ldc);

}  // namespace dlplay::kernels::detail
