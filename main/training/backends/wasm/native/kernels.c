// SIMD training kernels for the tfjs wasm backend, compiled to a tiny wasm module that imports the
// backend's own memory, so they read and write tensors in place (pointers are heap byte offsets).
// Rules that keep it safe to share that memory: no static data, no libc, no shadow stack (only
// scalar and v128 locals), which scripts/build-wasm-kernels.sh checks after compiling.
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

static inline void zero(float* p, int n) { __builtin_memset(p, 0, (unsigned long)n * 4); }

// dx (NHWC, zeroed here) gets each dy cell added at the first maximum of its pooling window in x,
// the cpu backend's rule (strict >, row-major window order; NaN never wins).
EXPORT(nw_maxpool_grad)
void nw_maxpool_grad(const float* x, const float* dy, float* dx, int n, int h, int w, int c, int oh, int ow,
                     int fh, int fw, int sh, int sw, int dh, int dw, int top, int left) {
  zero(dx, n * h * w * c);
  const v128_t lane = wasm_i32x4_make(0, 1, 2, 3);
  for (int b = 0; b < n; b++)
    for (int y = 0; y < oh; y++)
      for (int xo = 0; xo < ow; xo++) {
        const int y0 = y * sh - top, x0 = xo * sw - left;
        const float* g = dy + ((b * oh + y) * ow + xo) * c;
        int ch = 0;
        for (; ch + 4 <= c; ch += 4) {
          v128_t best = wasm_f32x4_splat(-__builtin_inff());
          v128_t at = wasm_i32x4_splat(-1);
          for (int ky = 0; ky < fh; ky += dh) {
            const int iy = y0 + ky;
            if (iy < 0 || iy >= h) continue;
            for (int kx = 0; kx < fw; kx += dw) {
              const int ix = x0 + kx;
              if (ix < 0 || ix >= w) continue;
              const int idx = ((b * h + iy) * w + ix) * c + ch;
              const v128_t v = wasm_v128_load(x + idx);
              const v128_t gt = wasm_f32x4_gt(v, best);
              best = wasm_v128_bitselect(v, best, gt);
              at = wasm_v128_bitselect(wasm_i32x4_add(wasm_i32x4_splat(idx), lane), at, gt);
            }
          }
          const int a0 = wasm_i32x4_extract_lane(at, 0), a1 = wasm_i32x4_extract_lane(at, 1);
          const int a2 = wasm_i32x4_extract_lane(at, 2), a3 = wasm_i32x4_extract_lane(at, 3);
          if (a0 >= 0) dx[a0] += g[ch];
          if (a1 >= 0) dx[a1] += g[ch + 1];
          if (a2 >= 0) dx[a2] += g[ch + 2];
          if (a3 >= 0) dx[a3] += g[ch + 3];
        }
        for (; ch < c; ch++) {
          float best = -__builtin_inff();
          int at = -1;
          for (int ky = 0; ky < fh; ky += dh) {
            const int iy = y0 + ky;
            if (iy < 0 || iy >= h) continue;
            for (int kx = 0; kx < fw; kx += dw) {
              const int ix = x0 + kx;
              if (ix < 0 || ix >= w) continue;
              const int idx = ((b * h + iy) * w + ix) * c + ch;
              if (x[idx] > best) { best = x[idx]; at = idx; }
            }
          }
          if (at >= 0) dx[at] += g[ch];
        }
      }
}

// Patches of images [b0, b0+nb) of x (NHWC) as rows of cols: [nb*oh*ow, fh*fw*c], taps in the
// padding are 0. Row order matches dy's (b, y, x), column order the filter's (ky, kx, ci).
EXPORT(nw_im2col)
void nw_im2col(const float* x, float* cols, int b0, int nb, int h, int w, int c, int oh, int ow, int fh, int fw,
               int sh, int sw, int dh, int dw, int top, int left) {
  const int k = fh * fw * c;
  float* o = cols;
  for (int b = b0; b < b0 + nb; b++)
    for (int y = 0; y < oh; y++)
      for (int xo = 0; xo < ow; xo++, o += k) {
        float* p = o;
        for (int ky = 0; ky < fh; ky++) {
          const int iy = y * sh + ky * dh - top;
          for (int kx = 0; kx < fw; kx++, p += c) {
            const int ix = xo * sw + kx * dw - left;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) { zero(p, c); continue; }
            const float* src = x + ((b * h + iy) * w + ix) * c;
            for (int i = 0; i < c; i++) p[i] = src[i];
          }
        }
      }
}

// One 4-row block of C[k0..k0+4, n] over m in [m0, m1): C += A^T B, A element (m, k) at
// a[m*sam + k*sak], B row-major with row stride ldb, 8 columns (two vectors) at a time.
static void atb_rows4(float* cc, int ldc, const float* a, int sam, int sak, const float* bm, int ldb, int m0, int m1,
                      int n) {
  int j = 0;
  for (; j + 8 <= n; j += 8) {
    v128_t c00 = wasm_v128_load(cc + j), c01 = wasm_v128_load(cc + j + 4);
    v128_t c10 = wasm_v128_load(cc + ldc + j), c11 = wasm_v128_load(cc + ldc + j + 4);
    v128_t c20 = wasm_v128_load(cc + 2 * ldc + j), c21 = wasm_v128_load(cc + 2 * ldc + j + 4);
    v128_t c30 = wasm_v128_load(cc + 3 * ldc + j), c31 = wasm_v128_load(cc + 3 * ldc + j + 4);
    const float* ap = a + m0 * sam;
    const float* bp = bm + m0 * ldb + j;
    for (int m = m0; m < m1; m++, ap += sam, bp += ldb) {
      const v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + 4);
      v128_t av = wasm_f32x4_splat(ap[0]);
      c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(av, b0));
      c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(av, b1));
      av = wasm_f32x4_splat(ap[sak]);
      c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(av, b0));
      c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(av, b1));
      av = wasm_f32x4_splat(ap[2 * sak]);
      c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(av, b0));
      c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(av, b1));
      av = wasm_f32x4_splat(ap[3 * sak]);
      c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(av, b0));
      c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(av, b1));
    }
    wasm_v128_store(cc + j, c00), wasm_v128_store(cc + j + 4, c01);
    wasm_v128_store(cc + ldc + j, c10), wasm_v128_store(cc + ldc + j + 4, c11);
    wasm_v128_store(cc + 2 * ldc + j, c20), wasm_v128_store(cc + 2 * ldc + j + 4, c21);
    wasm_v128_store(cc + 3 * ldc + j, c30), wasm_v128_store(cc + 3 * ldc + j + 4, c31);
  }
  for (; j < n; j++)
    for (int r = 0; r < 4; r++) {
      float s = cc[r * ldc + j];
      for (int m = m0; m < m1; m++) s += a[m * sam + r * sak] * bm[m * ldb + j];
      cc[r * ldc + j] = s;
    }
}

// One row of C (the k remainder), same contract as atb_rows4.
static void atb_row1(float* cc, const float* a, int sam, const float* bm, int ldb, int m0, int m1, int n) {
  int j = 0;
  for (; j + 8 <= n; j += 8) {
    v128_t c0 = wasm_v128_load(cc + j), c1 = wasm_v128_load(cc + j + 4);
    for (int m = m0; m < m1; m++) {
      const v128_t av = wasm_f32x4_splat(a[m * sam]);
      c0 = wasm_f32x4_add(c0, wasm_f32x4_mul(av, wasm_v128_load(bm + m * ldb + j)));
      c1 = wasm_f32x4_add(c1, wasm_f32x4_mul(av, wasm_v128_load(bm + m * ldb + j + 4)));
    }
    wasm_v128_store(cc + j, c0), wasm_v128_store(cc + j + 4, c1);
  }
  for (; j < n; j++) {
    float s = cc[j];
    for (int m = m0; m < m1; m++) s += a[m * sam] * bm[m * ldb + j];
    cc[j] = s;
  }
}

// C[k, n] (row-major, k rows of n) = sum over m of A(m, k) * B[m, n], with A(m, k) at a[m*sam + k*sak]:
// both the filter gradient (A = im2col patches) and a dense layer's weight gradient (A = x) are
// this product. `accumulate` adds to C instead of overwriting it. m is blocked so a block of B
// stays in cache while every row block of C passes over it.
EXPORT(nw_gemm_atb)
void nw_gemm_atb(float* c, const float* a, int sam, int sak, const float* b, int ldb, int k, int m, int n, int accumulate) {
  if (!accumulate) zero(c, k * n);
  const int mb = 256;
  for (int m0 = 0; m0 < m; m0 += mb) {
    const int m1 = m0 + mb < m ? m0 + mb : m;
    int r = 0;
    for (; r + 4 <= k; r += 4) atb_rows4(c + r * n, n, a + r * sak, sam, sak, b, ldb, m0, m1, n);
    for (; r < k; r++) atb_row1(c + r * n, a + r * sak, sam, b, ldb, m0, m1, n);
  }
}

// out[j] = sum over r of x[r*cols + j]: the bias gradient (dy summed over every axis but the last).
EXPORT(nw_sum_rows)
void nw_sum_rows(const float* x, float* out, int rows, int cols) {
  zero(out, cols);
  int j = 0;
  for (; j + 16 <= cols; j += 16) {
    v128_t s0 = wasm_f32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
    const float* p = x + j;
    for (int r = 0; r < rows; r++, p += cols) {
      s0 = wasm_f32x4_add(s0, wasm_v128_load(p));
      s1 = wasm_f32x4_add(s1, wasm_v128_load(p + 4));
      s2 = wasm_f32x4_add(s2, wasm_v128_load(p + 8));
      s3 = wasm_f32x4_add(s3, wasm_v128_load(p + 12));
    }
    wasm_v128_store(out + j, s0), wasm_v128_store(out + j + 4, s1);
    wasm_v128_store(out + j + 8, s2), wasm_v128_store(out + j + 12, s3);
  }
  for (; j + 4 <= cols; j += 4) {
    v128_t s = wasm_f32x4_splat(0);
    for (int r = 0; r < rows; r++) s = wasm_f32x4_add(s, wasm_v128_load(x + r * cols + j));
    wasm_v128_store(out + j, s);
  }
  for (; j < cols; j++) {
    float s = 0;
    for (int r = 0; r < rows; r++) s += x[r * cols + j];
    out[j] = s;
  }
}

// One Adam step over n floats in tfjs's operation order (each step rounded to float32, as the
// separate tfjs ops do), writing new value, first and second moments to fresh outputs:
//   m' = m*b1 + g*(1-b1); v' = v*b2 + g*g*(1-b2)
//   value' = (m'/(1-b1^t)) / (sqrt(v'/(1-b2^t)) + eps) * (-lr) + value
EXPORT(nw_adam)
void nw_adam(const float* value, const float* m, const float* v, const float* g, float* out_value, float* out_m,
             float* out_v, int n, float b1, float one_minus_b1, float b2, float one_minus_b2, float one_minus_acc_b1,
             float one_minus_acc_b2, float eps, float neg_lr) {
  const v128_t vb1 = wasm_f32x4_splat(b1), vc1 = wasm_f32x4_splat(one_minus_b1);
  const v128_t vb2 = wasm_f32x4_splat(b2), vc2 = wasm_f32x4_splat(one_minus_b2);
  const v128_t va1 = wasm_f32x4_splat(one_minus_acc_b1), va2 = wasm_f32x4_splat(one_minus_acc_b2);
  const v128_t veps = wasm_f32x4_splat(eps), vlr = wasm_f32x4_splat(neg_lr);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t gi = wasm_v128_load(g + i);
    const v128_t m1 = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), vb1), wasm_f32x4_mul(gi, vc1));
    const v128_t v1 = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), vb2), wasm_f32x4_mul(wasm_f32x4_mul(gi, gi), vc2));
    const v128_t mh = wasm_f32x4_div(m1, va1);
    const v128_t vh = wasm_f32x4_div(v1, va2);
    const v128_t step = wasm_f32x4_mul(wasm_f32x4_div(mh, wasm_f32x4_add(wasm_f32x4_sqrt(vh), veps)), vlr);
    wasm_v128_store(out_value + i, wasm_f32x4_add(step, wasm_v128_load(value + i)));
    wasm_v128_store(out_m + i, m1);
    wasm_v128_store(out_v + i, v1);
  }
  for (; i < n; i++) {
    const float m1 = m[i] * b1 + g[i] * one_minus_b1;
    const float v1 = v[i] * b2 + (g[i] * g[i]) * one_minus_b2;
    const float mh = m1 / one_minus_acc_b1, vh = v1 / one_minus_acc_b2;
    out_value[i] = (mh / (__builtin_sqrtf(vh) + eps)) * neg_lr + value[i];
    out_m[i] = m1;
    out_v[i] = v1;
  }
}

// ---- Packed GEMM: C[r, n] (+)= sum over t of A(r, t) B(t, n), any operand strides ----
// Goto-style blocking: a TB x NB block of B is packed into 8-column panels ([t][8], contiguous),
// and for every 4 rows of C the matching 4 x TB slice of A into [t][4]; a 4 x 8 register tile then
// streams both sequentially. Packing makes every layout (a b, a^T b, a b^T, strides from im2col)
// equally fast and avoids the cache-set aliasing of walking a wide row-major B down its columns.
#define GEMM_TB 256
#define GEMM_NB 256

// Floats of scratch nw_gemm needs (packed B block, then packed A slice).
EXPORT(nw_gemm_scratch_floats)
int nw_gemm_scratch_floats(void) { return GEMM_TB * GEMM_NB + 4 * GEMM_TB; }

// Packs B(t0..t0+tb, n0..n0+nb) into 8-column panels, zero-padding the last panel's columns.
static void pack_b(float* bp, const float* b, int sbt, int sbn, int t0, int tb, int n0, int nb) {
  for (int p = 0; p < nb; p += 8) {
    const int w = nb - p < 8 ? nb - p : 8;
    float* dst = bp + p * tb;
    if (w == 8 && sbn == 1) {
      const float* src = b + t0 * sbt + n0 + p;
      for (int t = 0; t < tb; t++, src += sbt, dst += 8) {
        wasm_v128_store(dst, wasm_v128_load(src));
        wasm_v128_store(dst + 4, wasm_v128_load(src + 4));
      }
    } else {
      for (int t = 0; t < tb; t++, dst += 8) {
        const float* src = b + (t0 + t) * sbt + (n0 + p) * sbn;
        int j = 0;
        for (; j < w; j++) dst[j] = src[j * sbn];
        for (; j < 8; j++) dst[j] = 0;
      }
    }
  }
}

// Packs A(r0..r0+rows, t0..t0+tb) as [t][4], zero-padding rows past `rows` (at most 4).
static void pack_a(float* ap, const float* a, int sar, int sat, int r0, int rows, int t0, int tb) {
  if (rows == 4 && sat == 1) {
    // Rows contiguous along t: transpose 4x4 blocks.
    const float* a0 = a + r0 * sar + t0;
    const float* a1 = a0 + sar;
    const float* a2 = a1 + sar;
    const float* a3 = a2 + sar;
    int t = 0;
    for (; t + 4 <= tb; t += 4, ap += 16) {
      const v128_t x0 = wasm_v128_load(a0 + t), x1 = wasm_v128_load(a1 + t);
      const v128_t x2 = wasm_v128_load(a2 + t), x3 = wasm_v128_load(a3 + t);
      const v128_t l01 = wasm_i32x4_shuffle(x0, x1, 0, 4, 1, 5), h01 = wasm_i32x4_shuffle(x0, x1, 2, 6, 3, 7);
      const v128_t l23 = wasm_i32x4_shuffle(x2, x3, 0, 4, 1, 5), h23 = wasm_i32x4_shuffle(x2, x3, 2, 6, 3, 7);
      wasm_v128_store(ap, wasm_i32x4_shuffle(l01, l23, 0, 1, 4, 5));
      wasm_v128_store(ap + 4, wasm_i32x4_shuffle(l01, l23, 2, 3, 6, 7));
      wasm_v128_store(ap + 8, wasm_i32x4_shuffle(h01, h23, 0, 1, 4, 5));
      wasm_v128_store(ap + 12, wasm_i32x4_shuffle(h01, h23, 2, 3, 6, 7));
    }
    for (; t < tb; t++, ap += 4) {
      ap[0] = a0[t], ap[1] = a1[t], ap[2] = a2[t], ap[3] = a3[t];
    }
    return;
  }
  if (rows == 4 && sar == 1) {
    const float* src = a + r0 + t0 * sat;
    for (int t = 0; t < tb; t++, src += sat, ap += 4) wasm_v128_store(ap, wasm_v128_load(src));
    return;
  }
  for (int t = 0; t < tb; t++, ap += 4) {
    const float* src = a + r0 * sar + (t0 + t) * sat;
    int i = 0;
    for (; i < rows; i++) ap[i] = src[i * sar];
    for (; i < 4; i++) ap[i] = 0;
  }
}

// Stores lanes [0, w) of v at p (w <= 4).
static inline void store_part(float* p, v128_t v, int w) {
  if (w >= 4) { wasm_v128_store(p, v); return; }
  if (w > 0) p[0] = wasm_f32x4_extract_lane(v, 0);
  if (w > 1) p[1] = wasm_f32x4_extract_lane(v, 1);
  if (w > 2) p[2] = wasm_f32x4_extract_lane(v, 2);
}

// Loads lanes [0, w) of p (the rest 0).
static inline v128_t load_part(const float* p, int w) {
  if (w >= 4) return wasm_v128_load(p);
  return wasm_f32x4_make(w > 0 ? p[0] : 0, w > 1 ? p[1] : 0, w > 2 ? p[2] : 0, 0);
}

// The 4 x 8 tile C[rows, cols] (+)= Ap^T Bp over tb steps; rows <= 4, cols <= 8 are the valid part.
static void tile4x8(float* c, int ldc, const float* ap, const float* bp, int tb, int rows, int cols, int load) {
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  const int w0 = cols < 4 ? cols : 4, w1 = cols - 4;
  if (load) {
    if (rows > 0) c00 = load_part(c, w0), c01 = load_part(c + 4, w1);
    if (rows > 1) c10 = load_part(c + ldc, w0), c11 = load_part(c + ldc + 4, w1);
    if (rows > 2) c20 = load_part(c + 2 * ldc, w0), c21 = load_part(c + 2 * ldc + 4, w1);
    if (rows > 3) c30 = load_part(c + 3 * ldc, w0), c31 = load_part(c + 3 * ldc + 4, w1);
  }
  for (int t = 0; t < tb; t++, ap += 4, bp += 8) {
    const v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + 4);
    v128_t av = wasm_v128_load32_splat(ap);
    c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(av, b0));
    c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(av, b1));
    av = wasm_v128_load32_splat(ap + 1);
    c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(av, b0));
    c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(av, b1));
    av = wasm_v128_load32_splat(ap + 2);
    c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(av, b0));
    c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(av, b1));
    av = wasm_v128_load32_splat(ap + 3);
    c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(av, b0));
    c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(av, b1));
  }
  if (rows == 4 && cols == 8) {
    wasm_v128_store(c, c00), wasm_v128_store(c + 4, c01);
    wasm_v128_store(c + ldc, c10), wasm_v128_store(c + ldc + 4, c11);
    wasm_v128_store(c + 2 * ldc, c20), wasm_v128_store(c + 2 * ldc + 4, c21);
    wasm_v128_store(c + 3 * ldc, c30), wasm_v128_store(c + 3 * ldc + 4, c31);
    return;
  }
  if (rows > 0) store_part(c, c00, w0), store_part(c + 4, c01, w1);
  if (rows > 1) store_part(c + ldc, c10, w0), store_part(c + ldc + 4, c11, w1);
  if (rows > 2) store_part(c + 2 * ldc, c20, w0), store_part(c + 2 * ldc + 4, c21, w1);
  if (rows > 3) store_part(c + 3 * ldc, c30, w0), store_part(c + 3 * ldc + 4, c31, w1);
}

// C[R, N] (row-major, row stride ldc) = (or += when `accumulate`) sum over t < T of A(r, t) B(t, n),
// with A(r, t) at a[r*sar + t*sat] and B(t, n) at b[t*sbt + n*sbn]. `scratch` holds
// nw_gemm_scratch_floats() floats. Sums run in t order within blocks of GEMM_TB.
EXPORT(nw_gemm)
void nw_gemm(float* c, int ldc, const float* a, int sar, int sat, const float* b, int sbt, int sbn, int R, int T, int N,
             int accumulate, float* scratch) {
  float* bp = scratch;
  float* ap = scratch + GEMM_TB * GEMM_NB;
  if (T == 0) {
    if (!accumulate)
      for (int r = 0; r < R; r++) zero(c + r * ldc, N);
    return;
  }
  for (int n0 = 0; n0 < N; n0 += GEMM_NB) {
    const int nb = N - n0 < GEMM_NB ? N - n0 : GEMM_NB;
    for (int t0 = 0; t0 < T; t0 += GEMM_TB) {
      const int tb = T - t0 < GEMM_TB ? T - t0 : GEMM_TB;
      const int load = accumulate || t0 > 0;
      pack_b(bp, b, sbt, sbn, t0, tb, n0, nb);
      for (int r0 = 0; r0 < R; r0 += 4) {
        const int rows = R - r0 < 4 ? R - r0 : 4;
        pack_a(ap, a, sar, sat, r0, rows, t0, tb);
        for (int p = 0; p < nb; p += 8)
          tile4x8(c + r0 * ldc + n0 + p, ldc, ap, bp + p * tb, tb, rows, nb - p < 8 ? nb - p : 8, load);
      }
    }
  }
}

// ---- Winograd F(2x2, 3x3) for stride-1 3x3 convolutions (NHWC) ----
// A 4x4 input tile d gives a 2x2 output tile: Y = A^T [(G g G^T) .* (B^T d B)] A, so each output
// tile costs 16 multiply-adds per (in, out) channel pair instead of 36. The 16 elementwise
// products over channels are 16 GEMMs (nw_gemm): M_e[tile, co] = V_e[tile, ci] U_e[ci, co].
// Every transform coefficient is 0, +-1 or +-1/2, so the transforms round no more than additions do.

// U[e][ci][co] = (G g G^T)[e] for the filter g = w[ky][kx][ci][co], e = 4*row + col.
EXPORT(nw_winograd_filter)
void nw_winograd_filter(const float* w, float* u, int c, int co) {
  const int cc = c * co;
  for (int i = 0; i < cc; i++) {
    float g[9];
    for (int k = 0; k < 9; k++) g[k] = w[k * cc + i];
    float t[12];  // G g: 4 rows of 3
    for (int j = 0; j < 3; j++) {
      const float g0 = g[j], g1 = g[3 + j], g2 = g[6 + j];
      t[j] = g0;
      t[3 + j] = 0.5f * (g0 + g1 + g2);
      t[6 + j] = 0.5f * (g0 - g1 + g2);
      t[9 + j] = g2;
    }
    for (int r = 0; r < 4; r++) {
      const float t0 = t[3 * r], t1 = t[3 * r + 1], t2 = t[3 * r + 2];
      u[(4 * r + 0) * cc + i] = t0;
      u[(4 * r + 1) * cc + i] = 0.5f * (t0 + t1 + t2);
      u[(4 * r + 2) * cc + i] = 0.5f * (t0 - t1 + t2);
      u[(4 * r + 3) * cc + i] = t2;
    }
  }
}

// V[e][tile - t0][ci] = (B^T d B)[e] for tiles [t0, t0+nt) of x (NHWC, c % 4 == 0); tile
// (b, ty, tx) reads rows 2ty - top .. +3 and columns 2tx - left .. +3, zero outside the image.
EXPORT(nw_winograd_input)
void nw_winograd_input(const float* x, float* v, int h, int w, int c, int tiles_h, int tiles_w, int top, int left, int t0,
                       int nt) {
  const int es = nt * c;  // stride between the 16 planes
  const v128_t zv = wasm_f32x4_splat(0);
  for (int t = t0; t < t0 + nt; t++) {
    const int b = t / (tiles_h * tiles_w), rem = t % (tiles_h * tiles_w);
    const int y0 = (rem / tiles_w) * 2 - top, x0 = (rem % tiles_w) * 2 - left;
    const float* img = x + (long)b * h * w * c;
    const float* src[16];
    for (int i = 0; i < 4; i++)
      for (int j = 0; j < 4; j++) {
        const int iy = y0 + i, ix = x0 + j;
        src[4 * i + j] = (iy >= 0 && iy < h && ix >= 0 && ix < w) ? img + (iy * w + ix) * c : 0;
      }
    float* out = v + (t - t0) * c;
    for (int ch = 0; ch < c; ch += 4) {
      v128_t d[16];
      for (int k = 0; k < 16; k++) d[k] = src[k] ? wasm_v128_load(src[k] + ch) : zv;
      v128_t r[16];  // B^T d, row by row
      for (int j = 0; j < 4; j++) {
        r[j] = wasm_f32x4_sub(d[j], d[8 + j]);
        r[4 + j] = wasm_f32x4_add(d[4 + j], d[8 + j]);
        r[8 + j] = wasm_f32x4_sub(d[8 + j], d[4 + j]);
        r[12 + j] = wasm_f32x4_sub(d[4 + j], d[12 + j]);
      }
      for (int i = 0; i < 4; i++) {
        const v128_t* q = r + 4 * i;
        wasm_v128_store(out + (4 * i + 0) * es + ch, wasm_f32x4_sub(q[0], q[2]));
        wasm_v128_store(out + (4 * i + 1) * es + ch, wasm_f32x4_add(q[1], q[2]));
        wasm_v128_store(out + (4 * i + 2) * es + ch, wasm_f32x4_sub(q[2], q[1]));
        wasm_v128_store(out + (4 * i + 3) * es + ch, wasm_f32x4_sub(q[1], q[3]));
      }
    }
  }
}

// y (NHWC [.., oh, ow, co], co % 4 == 0) for tiles [t0, t0+nt) from M[e][tile - t0][co]:
// Y = A^T m A, plus bias[co] when bias is not null, then max(0, .) when relu; cells past the
// output's edge are dropped.
EXPORT(nw_winograd_output)
void nw_winograd_output(const float* m, float* y, const float* bias, int relu, int oh, int ow, int co, int tiles_h,
                        int tiles_w, int t0, int nt) {
  const int es = nt * co;
  const v128_t zv = wasm_f32x4_splat(0);
  for (int t = t0; t < t0 + nt; t++) {
    const int b = t / (tiles_h * tiles_w), rem = t % (tiles_h * tiles_w);
    const int oy = (rem / tiles_w) * 2, ox = (rem % tiles_w) * 2;
    float* img = y + (long)b * oh * ow * co;
    const float* in = m + (t - t0) * co;
    const int right = ox + 1 < ow, down = oy + 1 < oh;
    for (int ch = 0; ch < co; ch += 4) {
      v128_t q[16];
      for (int k = 0; k < 16; k++) q[k] = wasm_v128_load(in + k * es + ch);
      v128_t s[8];  // A^T m: 2 rows of 4
      for (int j = 0; j < 4; j++) {
        s[j] = wasm_f32x4_add(wasm_f32x4_add(q[j], q[4 + j]), q[8 + j]);
        s[4 + j] = wasm_f32x4_sub(wasm_f32x4_sub(q[4 + j], q[8 + j]), q[12 + j]);
      }
      const v128_t bv = bias ? wasm_v128_load(bias + ch) : zv;
      for (int i = 0; i < 2; i++) {
        if (i == 1 && !down) break;
        const v128_t* r = s + 4 * i;
        v128_t y0 = wasm_f32x4_add(wasm_f32x4_add(r[0], r[1]), r[2]);
        v128_t y1 = wasm_f32x4_sub(wasm_f32x4_sub(r[1], r[2]), r[3]);
        if (bias) y0 = wasm_f32x4_add(y0, bv), y1 = wasm_f32x4_add(y1, bv);
        if (relu) y0 = wasm_f32x4_max(y0, zv), y1 = wasm_f32x4_max(y1, zv);
        float* row = img + ((oy + i) * ow + ox) * co + ch;
        wasm_v128_store(row, y0);
        if (right) wasm_v128_store(row + co, y1);
      }
    }
  }
}

// Filter gradient by the same transform: with Y = A^T [U .* V] A, dL/dU_e = sum over tiles of
// V_e .* Z_e where Z = A dY A^T, and dL/dg = G^T (dL/dU) G. Z[e][tile - t0][co] from the 2x2 dy
// tiles (NHWC [.., oh, ow, co], co % 4 == 0; cells past the output's edge count as 0).
EXPORT(nw_winograd_dy)
void nw_winograd_dy(const float* dy, float* z, int oh, int ow, int co, int tiles_h, int tiles_w, int t0, int nt) {
  const int es = nt * co;
  const v128_t zv = wasm_f32x4_splat(0);
  for (int t = t0; t < t0 + nt; t++) {
    const int b = t / (tiles_h * tiles_w), rem = t % (tiles_h * tiles_w);
    const int oy = (rem / tiles_w) * 2, ox = (rem % tiles_w) * 2;
    const float* img = dy + (long)b * oh * ow * co;
    const int right = ox + 1 < ow, down = oy + 1 < oh;
    const float* p00 = img + (oy * ow + ox) * co;
    float* out = z + (t - t0) * co;
    for (int ch = 0; ch < co; ch += 4) {
      const v128_t y00 = wasm_v128_load(p00 + ch);
      const v128_t y01 = right ? wasm_v128_load(p00 + co + ch) : zv;
      const v128_t y10 = down ? wasm_v128_load(p00 + ow * co + ch) : zv;
      const v128_t y11 = right && down ? wasm_v128_load(p00 + ow * co + co + ch) : zv;
      // A dY: rows y0, y0 + y1, y0 - y1, -y1; then each row [a, b] -> [a, a + b, a - b, -b].
      v128_t r[8];
      r[0] = y00, r[1] = y01;
      r[2] = wasm_f32x4_add(y00, y10), r[3] = wasm_f32x4_add(y01, y11);
      r[4] = wasm_f32x4_sub(y00, y10), r[5] = wasm_f32x4_sub(y01, y11);
      r[6] = wasm_f32x4_neg(y10), r[7] = wasm_f32x4_neg(y11);
      for (int i = 0; i < 4; i++) {
        const v128_t a = r[2 * i], bb = r[2 * i + 1];
        wasm_v128_store(out + (4 * i + 0) * es + ch, a);
        wasm_v128_store(out + (4 * i + 1) * es + ch, wasm_f32x4_add(a, bb));
        wasm_v128_store(out + (4 * i + 2) * es + ch, wasm_f32x4_sub(a, bb));
        wasm_v128_store(out + (4 * i + 3) * es + ch, wasm_f32x4_neg(bb));
      }
    }
  }
}

// dW[ky][kx][ci][co] = (G^T X G) for X = dU[e][ci][co], e = 4*row + col (the filter transform's adjoint).
EXPORT(nw_winograd_filter_grad)
void nw_winograd_filter_grad(const float* du, float* dw, int c, int co) {
  const int cc = c * co;
  for (int i = 0; i < cc; i++) {
    float s[12];  // G^T X: 3 rows of 4
    for (int j = 0; j < 4; j++) {
      const float x0 = du[j * cc + i], x1 = du[(4 + j) * cc + i], x2 = du[(8 + j) * cc + i], x3 = du[(12 + j) * cc + i];
      const float h = 0.5f * (x1 + x2);
      s[j] = x0 + h;
      s[4 + j] = 0.5f * (x1 - x2);
      s[8 + j] = h + x3;
    }
    for (int r = 0; r < 3; r++) {
      const float x0 = s[4 * r], x1 = s[4 * r + 1], x2 = s[4 * r + 2], x3 = s[4 * r + 3];
      const float h = 0.5f * (x1 + x2);
      dw[(3 * r + 0) * cc + i] = x0 + h;
      dw[(3 * r + 1) * cc + i] = 0.5f * (x1 - x2);
      dw[(3 * r + 2) * cc + i] = h + x3;
    }
  }
}

// The Relu gradient in one pass: out = dy * step(x), step(x) = 1 where x > 0, NaN where x is NaN,
// else 0 (tfjs's mul(dy, cast(step(x)))), so results match the unfused ops bit for bit.
EXPORT(nw_relu_grad)
void nw_relu_grad(const float* dy, const float* x, float* out, int n) {
  const v128_t one = wasm_f32x4_splat(1), zv = wasm_f32x4_splat(0);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t xv = wasm_v128_load(x + i);
    v128_t s = wasm_v128_bitselect(one, zv, wasm_f32x4_gt(xv, zv));
    s = wasm_v128_bitselect(xv, s, wasm_f32x4_ne(xv, xv));
    wasm_v128_store(out + i, wasm_f32x4_mul(wasm_v128_load(dy + i), s));
  }
  for (; i < n; i++) {
    const float xv = x[i];
    const float s = xv != xv ? xv : xv > 0 ? 1.0f : 0.0f;
    out[i] = dy[i] * s;
  }
}

// y = x where x > 0, else 0 (NaN gives 0), in place or not: the fused dense stepper's Relu.
EXPORT(nw_relu)
void nw_relu(const float* x, float* y, int n) {
  const v128_t zv = wasm_f32x4_splat(0);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t xv = wasm_v128_load(x + i);
    wasm_v128_store(y + i, wasm_v128_bitselect(xv, zv, wasm_f32x4_gt(xv, zv)));
  }
  for (; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0.0f;
}

// The fused dense stepper's dropout, bit for bit its JavaScript applyDropout (elementwise.ts): a
// mulberry32 stream from `seed`, one draw u per value, kept (mask = scale) where u + keep >= 1.
EXPORT(nw_dropout)
void nw_dropout(const float* x, float* y, float* mask, int n, double keep, float scale, unsigned seed) {
  unsigned s = seed;
  for (int j = 0; j < n; j++) {
    s += 0x6d2b79f5u;
    unsigned t = (s ^ (s >> 15)) * (s | 1u);
    t ^= t + (t ^ (t >> 7)) * (t | 61u);
    const double u = (double)(t ^ (t >> 14)) / 4294967296.0;
    const float kept = u + keep >= 1.0 ? scale : 0.0f;
    mask[j] = kept;
    y[j] = x[j] * kept;
  }
}

// ---- wt-lstm (#17, the text model): the LSTM recurrence over a whole sequence ----
// tfjs-layers' LSTMCell (gates i, f, g, o; sigmoid gates, tanh) from a zero state, every batch row a
// step at a time: the per-step product h' U goes to nw_gemm, the gate maths to 4-lane vectors with a
// float exp (Cephes' expf: range reduction by ln 2 in two parts, degree-5 polynomial, about 1 ulp),
// where the JavaScript loop it replaces paid for several Math.exp/Math.tanh calls per unit.

// e^x per lane, x clamped to [-87, 88] (the float range; no denormals or infinities).
static inline v128_t exp4(v128_t x) {
  x = wasm_f32x4_min(wasm_f32x4_max(x, wasm_f32x4_splat(-87.0f)), wasm_f32x4_splat(88.0f));
  const v128_t n = wasm_f32x4_floor(wasm_f32x4_add(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)), wasm_f32x4_splat(0.5f)));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.9875691500e-4f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.3981999507e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(8.3334519073e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(4.1665795894e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.6666665459e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(5.0000001201e-1f));
  p = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, r), r), r), wasm_f32x4_splat(1.0f));
  const v128_t scale = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  return wasm_f32x4_mul(p, scale);
}

// 1 / (1 + e^-x).
static inline v128_t sigmoid4(v128_t x) {
  const v128_t one = wasm_f32x4_splat(1.0f);
  return wasm_f32x4_div(one, wasm_f32x4_add(one, exp4(wasm_f32x4_neg(x))));
}

// tanh x = 1 - 2 / (e^2x + 1).
static inline v128_t tanh4(v128_t x) {
  const v128_t one = wasm_f32x4_splat(1.0f);
  const v128_t e = exp4(wasm_f32x4_add(x, x));
  return wasm_f32x4_sub(one, wasm_f32x4_div(wasm_f32x4_splat(2.0f), wasm_f32x4_add(e, one)));
}

// Lanes [0, w) of p, the rest 0 (w <= 4); stores the same lanes back.
static inline v128_t lstm_load(const float* p, int w) {
  if (w >= 4) return wasm_v128_load(p);
  return wasm_f32x4_make(p[0], w > 1 ? p[1] : 0, w > 2 ? p[2] : 0, 0);
}
static inline void lstm_store(float* p, v128_t v, int w) {
  if (w >= 4) { wasm_v128_store(p, v); return; }
  p[0] = wasm_f32x4_extract_lane(v, 0);
  if (w > 1) p[1] = wasm_f32x4_extract_lane(v, 1);
  if (w > 2) p[2] = wasm_f32x4_extract_lane(v, 2);
}

// Forward: z = [batch, time, 4*units], on entry x W + b, on return the gate activations i, f, g, o
// (the products h' U are added in place); cells and hidden [batch, time, units] get c and h.
// u = U [units, 4*units] row-major; scratch as nw_gemm's.
EXPORT(nw_lstm_forward)
void nw_lstm_forward(float* z, const float* u, float* cells, float* hidden, int batch, int time, int units, float* scratch) {
  const int g4 = 4 * units;
  for (int t = 0; t < time; t++) {
    // z[b, t, :] += h[b, t-1, :] U for every row b at once.
    if (t > 0) nw_gemm(z + t * g4, time * g4, hidden + (t - 1) * units, time * units, 1, u, g4, 1, batch, units, g4, 1, scratch);
    for (int b = 0; b < batch; b++) {
      float* zr = z + (b * time + t) * g4;
      float* cr = cells + (b * time + t) * units;
      float* hr = hidden + (b * time + t) * units;
      for (int j = 0; j < units; j += 4) {
        const int w = units - j < 4 ? units - j : 4;
        const v128_t i = sigmoid4(lstm_load(zr + j, w));
        const v128_t f = sigmoid4(lstm_load(zr + units + j, w));
        const v128_t g = tanh4(lstm_load(zr + 2 * units + j, w));
        const v128_t o = sigmoid4(lstm_load(zr + 3 * units + j, w));
        v128_t c = wasm_f32x4_mul(i, g);
        if (t > 0) c = wasm_f32x4_add(wasm_f32x4_mul(f, lstm_load(cr - units + j, w)), c);
        lstm_store(zr + j, i, w);
        lstm_store(zr + units + j, f, w);
        lstm_store(zr + 2 * units + j, g, w);
        lstm_store(zr + 3 * units + j, o, w);
        lstm_store(cr + j, c, w);
        lstm_store(hr + j, wasm_f32x4_mul(o, tanh4(c)), w);
      }
    }
  }
}

// Backward through time: from the gates and cells of the forward pass and dHidden (the gradient of
// the output sequence, [batch, time, units]), dz [batch, time, 4*units], the gradient of the gate
// pre-activations. ut = U^T [4*units, units] row-major; dh and dc hold batch*units floats each.
EXPORT(nw_lstm_backward)
void nw_lstm_backward(const float* gates, const float* cells, const float* dhidden, const float* ut, float* dz, float* dh,
                      float* dc, int batch, int time, int units, float* scratch) {
  const int g4 = 4 * units;
  const v128_t one = wasm_f32x4_splat(1.0f);
  zero(dh, batch * units);
  zero(dc, batch * units);
  for (int t = time - 1; t >= 0; t--) {
    for (int b = 0; b < batch; b++) {
      const float* gr = gates + (b * time + t) * g4;
      const float* cr = cells + (b * time + t) * units;
      const float* dhr = dhidden + (b * time + t) * units;
      float* dzr = dz + (b * time + t) * g4;
      float* dhb = dh + b * units;
      float* dcb = dc + b * units;
      for (int j = 0; j < units; j += 4) {
        const int w = units - j < 4 ? units - j : 4;
        const v128_t i = lstm_load(gr + j, w), f = lstm_load(gr + units + j, w);
        const v128_t g = lstm_load(gr + 2 * units + j, w), o = lstm_load(gr + 3 * units + j, w);
        const v128_t cPrev = t > 0 ? lstm_load(cr - units + j, w) : wasm_f32x4_splat(0.0f);
        const v128_t tc = tanh4(lstm_load(cr + j, w));
        const v128_t dhu = wasm_f32x4_add(lstm_load(dhr + j, w), lstm_load(dhb + j, w));
        const v128_t dcu = wasm_f32x4_add(lstm_load(dcb + j, w), wasm_f32x4_mul(wasm_f32x4_mul(dhu, o), wasm_f32x4_sub(one, wasm_f32x4_mul(tc, tc))));
        lstm_store(dzr + j, wasm_f32x4_mul(wasm_f32x4_mul(wasm_f32x4_mul(dcu, g), i), wasm_f32x4_sub(one, i)), w);
        lstm_store(dzr + units + j, wasm_f32x4_mul(wasm_f32x4_mul(wasm_f32x4_mul(dcu, cPrev), f), wasm_f32x4_sub(one, f)), w);
        lstm_store(dzr + 2 * units + j, wasm_f32x4_mul(wasm_f32x4_mul(dcu, i), wasm_f32x4_sub(one, wasm_f32x4_mul(g, g))), w);
        lstm_store(dzr + 3 * units + j, wasm_f32x4_mul(wasm_f32x4_mul(wasm_f32x4_mul(dhu, tc), o), wasm_f32x4_sub(one, o)), w);
        lstm_store(dcb + j, wasm_f32x4_mul(dcu, f), w);
      }
    }
    // dh for the step before: dz[:, t, :] U^T.
    if (t > 0) nw_gemm(dh, units, dz + t * g4, time * g4, 1, ut, units, 1, batch, g4, units, 0, scratch);
  }
}

// ---- wt-lstm (#17): the Embedding's gather and its gradient, and a small transpose ----

// out[id] += x[r] (rows of `inner` floats) for each row r, in row order, out zeroed first; ids
// outside [0, segments) are dropped, as on the cpu backend (UnsortedSegmentSum, Gather's gradient).
EXPORT(nw_segment_sum)
void nw_segment_sum(const float* x, const int* ids, float* out, int rows, int inner, int segments) {
  zero(out, segments * inner);
  for (int r = 0; r < rows; r++) {
    const int id = ids[r];
    if (id < 0 || id >= segments) continue;
    float* d = out + id * inner;
    const float* s = x + r * inner;
    int j = 0;
    for (; j + 4 <= inner; j += 4) wasm_v128_store(d + j, wasm_f32x4_add(wasm_v128_load(d + j), wasm_v128_load(s + j)));
    for (; j < inner; j++) d[j] += s[j];
  }
}

// out[i] = x[ids[i]] (rows of `width` floats); the caller has checked every id is in range.
EXPORT(nw_gather_rows)
void nw_gather_rows(const float* x, const int* ids, float* out, int count, int width) {
  for (int i = 0; i < count; i++) __builtin_memcpy(out + i * width, x + ids[i] * width, (unsigned long)width * 4);
}

// out [cols, rows] = x [rows, cols]^T.
EXPORT(nw_transpose2d)
void nw_transpose2d(const float* x, float* out, int rows, int cols) {
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++) out[c * rows + r] = x[r * cols + c];
}

// ---- wt-lstm (#17): the data-parallel gradient average ----
// out[i] = (first ? 0 : out[i]) + a[i] * w: one replica's part of the row-weighted average, the
// same float operations as mul by the weight then AddN (which starts from 0), in one pass.
EXPORT(nw_scaled_add)
void nw_scaled_add(float* out, const float* a, float w, int n, int first) {
  const v128_t wv = wasm_f32x4_splat(w);
  int i = 0;
  if (first) {
    const v128_t z = wasm_f32x4_splat(0.0f);
    for (; i + 4 <= n; i += 4) wasm_v128_store(out + i, wasm_f32x4_add(z, wasm_f32x4_mul(wasm_v128_load(a + i), wv)));
    for (; i < n; i++) out[i] = 0.0f + a[i] * w;
    return;
  }
  for (; i + 4 <= n; i += 4) wasm_v128_store(out + i, wasm_f32x4_add(wasm_v128_load(out + i), wasm_f32x4_mul(wasm_v128_load(a + i), wv)));
  for (; i < n; i++) out[i] += a[i] * w;
}

// ---- wt-lstm (#17): Conv1D's products without packing the patch matrix ----
// In a stride-1 Conv1D (forward, and the input gradient as a forward conv) the patch matrix's rows
// are overlapping runs of the input, each contiguous along t, so a 4 x 8 tile can stream four
// rows straight from the input instead of nw_gemm packing every 4-row slice (the patch matrix is
// k times the input). B is packed once for all images. Sums run in t order, as nw_gemm's do.

// C[i][0..7] (+)= sum over t < T of a_i[t*sa] * b[t*ldb + 0..7], for the 4 rows a_0..a_3 of A read in
// place (any stride) and 8 columns of B; C rows ldc apart. Sums run in t order. The register tile of
// the small-channel filter gradient and of nw_gemm_planes.
static inline void tile4x8_strided(float* c, int ldc, const float* a0, const float* a1, const float* a2, const float* a3, int sa,
                                   const float* b, int ldb, int T, int accumulate) {
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  if (accumulate) {
    c00 = wasm_v128_load(c), c01 = wasm_v128_load(c + 4);
    c10 = wasm_v128_load(c + ldc), c11 = wasm_v128_load(c + ldc + 4);
    c20 = wasm_v128_load(c + 2 * ldc), c21 = wasm_v128_load(c + 2 * ldc + 4);
    c30 = wasm_v128_load(c + 3 * ldc), c31 = wasm_v128_load(c + 3 * ldc + 4);
  }
  for (int t = 0, at = 0; t < T; t++, at += sa, b += ldb) {
    const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
    v128_t av = wasm_v128_load32_splat(a0 + at);
    c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(av, b0));
    c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(av, b1));
    av = wasm_v128_load32_splat(a1 + at);
    c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(av, b0));
    c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(av, b1));
    av = wasm_v128_load32_splat(a2 + at);
    c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(av, b0));
    c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(av, b1));
    av = wasm_v128_load32_splat(a3 + at);
    c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(av, b0));
    c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(av, b1));
  }
  wasm_v128_store(c, c00), wasm_v128_store(c + 4, c01);
  wasm_v128_store(c + ldc, c10), wasm_v128_store(c + ldc + 4, c11);
  wasm_v128_store(c + 2 * ldc, c20), wasm_v128_store(c + 2 * ldc + 4, c21);
  wasm_v128_store(c + 3 * ldc, c30), wasm_v128_store(c + 3 * ldc + 4, c31);
}

// The 4 x 8 tile C[rows, cols] = sum over t < T of A(r, t) B(t, n), A's rows at a0 + r*sar: an
// edge tile (fewer rows or columns) is worked out whole in `tile` (32 floats of scratch) and its
// rows x cols part copied out.
static void rows_tile4x8(float* c, int ldc, const float* a0, int sar, const float* bp, int T, int rows, int cols, float* tile) {
  const float* a1 = rows > 1 ? a0 + sar : a0;
  const float* a2 = rows > 2 ? a0 + 2 * sar : a0;
  const float* a3 = rows > 3 ? a0 + 3 * sar : a0;
  if (rows == 4 && cols == 8) {
    tile4x8_strided(c, ldc, a0, a1, a2, a3, 1, bp, 8, T, 0);
    return;
  }
  tile4x8_strided(tile, 8, a0, a1, a2, a3, 1, bp, 8, T, 0);
  for (int r = 0; r < rows; r++)
    for (int j = 0; j < cols; j++) c[r * ldc + j] = tile[r * 8 + j];
}

// Floats of scratch nw_rows_gemm needs: B [T, N] packed (N rounded up to 8 columns, times T) and
// one 4 x 8 edge tile.
EXPORT(nw_rows_gemm_scratch_floats)
int nw_rows_gemm_scratch_floats(int T, int N) { return T * ((N + 7) / 8) * 8 + 32; }

// For each image i < images: C_i[R, N] = A_i B, where C_i = c + i*cImage (row stride ldc), A_i's
// row r is the T contiguous floats at a + i*aImage + r*sar, and B [T, N] is row-major. `scratch`
// holds nw_rows_gemm_scratch_floats(T, N) floats.
EXPORT(nw_rows_gemm)
void nw_rows_gemm(float* c, int ldc, int cImage, const float* a, int sar, int aImage, const float* b, int images, int R, int T,
                  int N, float* scratch) {
  pack_b(scratch, b, N, 1, 0, T, 0, N);
  float* tile = scratch + T * ((N + 7) / 8) * 8;
  for (int i = 0; i < images; i++) {
    float* ci = c + i * cImage;
    const float* ai = a + i * aImage;
    for (int r0 = 0; r0 < R; r0 += 4) {
      const int rows = R - r0 < 4 ? R - r0 : 4;
      for (int p = 0; p < N; p += 8) rows_tile4x8(ci + r0 * ldc + p, ldc, ai + r0 * sar, sar, scratch + p * T, T, rows, N - p < 8 ? N - p : 8, tile);
    }
  }
}


// ==== wt-conv2 (#17 ResNet block / MNIST CNN step speed) ====

// ---- Winograd F(4x4, 3x3) for stride-1 3x3 convolutions (NHWC) ----
// A 6x6 input tile gives a 4x4 output tile: Y = A^T [(G g G^T) .* (B^T d B)] A, 36 multiply-adds per
// (in, out) channel pair for 16 outputs (2.25 per output, against 4 for F(2x2, 3x3) and 9 direct).
// Points 0, +-1, +-2 (Lavin and Gray):
//   B^T = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0; 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1]
//   G = [1/4 0 0; -1/6 -1/6 -1/6; -1/6 1/6 -1/6; 1/24 1/12 1/6; 1/24 -1/12 1/6; 0 0 1]
//   A^T = [1 1 1 1 1 0; 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1]
// Planes are laid out as in F(2x2, 3x3): e = 6*row + col, plane stride nt*channels.

// r[k*rs] = (B^T d)[k] for the 6 vectors d[k*ds].
static inline void wino4_bt(const v128_t* d, int ds, v128_t* r, int rs) {
  const v128_t four = wasm_f32x4_splat(4), five = wasm_f32x4_splat(5), two = wasm_f32x4_splat(2);
  const v128_t d0 = d[0], d1 = d[ds], d2 = d[2 * ds], d3 = d[3 * ds], d4 = d[4 * ds], d5 = d[5 * ds];
  const v128_t s12 = wasm_f32x4_add(d1, d2), s34 = wasm_f32x4_add(d3, d4);
  const v128_t m12 = wasm_f32x4_sub(d1, d2), m43 = wasm_f32x4_sub(d4, d3);
  const v128_t m42 = wasm_f32x4_sub(d4, d2), m31 = wasm_f32x4_sub(d3, d1);
  r[0] = wasm_f32x4_add(wasm_f32x4_sub(wasm_f32x4_mul(four, d0), wasm_f32x4_mul(five, d2)), d4);
  r[rs] = wasm_f32x4_sub(s34, wasm_f32x4_mul(four, s12));
  r[2 * rs] = wasm_f32x4_add(m43, wasm_f32x4_mul(four, m12));
  r[3 * rs] = wasm_f32x4_add(m42, wasm_f32x4_mul(two, m31));
  r[4 * rs] = wasm_f32x4_sub(m42, wasm_f32x4_mul(two, m31));
  r[5 * rs] = wasm_f32x4_add(wasm_f32x4_sub(wasm_f32x4_mul(four, d1), wasm_f32x4_mul(five, d3)), d5);
}

// U[e][ci][co] = (G g G^T)[e] for the filter g = w[ky][kx][ci][co].
EXPORT(nw_wino4_filter)
void nw_wino4_filter(const float* w, float* u, int c, int co) {
  const int cc = c * co;
  for (int i = 0; i < cc; i++) {
    double g[9];
    #pragma clang loop unroll(full)
    for (int k = 0; k < 9; k++) g[k] = w[k * cc + i];
    double t[18];  // G g: 6 rows of 3
    #pragma clang loop unroll(full)
    for (int j = 0; j < 3; j++) {
      const double g0 = g[j], g1 = g[3 + j], g2 = g[6 + j];
      t[j] = g0 / 4;
      t[3 + j] = -(g0 + g1 + g2) / 6;
      t[6 + j] = -(g0 - g1 + g2) / 6;
      t[9 + j] = g0 / 24 + g1 / 12 + g2 / 6;
      t[12 + j] = g0 / 24 - g1 / 12 + g2 / 6;
      t[15 + j] = g2;
    }
    #pragma clang loop unroll(full)
    for (int r = 0; r < 6; r++) {
      const double g0 = t[3 * r], g1 = t[3 * r + 1], g2 = t[3 * r + 2];
      u[(6 * r + 0) * cc + i] = (float)(g0 / 4);
      u[(6 * r + 1) * cc + i] = (float)(-(g0 + g1 + g2) / 6);
      u[(6 * r + 2) * cc + i] = (float)(-(g0 - g1 + g2) / 6);
      u[(6 * r + 3) * cc + i] = (float)(g0 / 24 + g1 / 12 + g2 / 6);
      u[(6 * r + 4) * cc + i] = (float)(g0 / 24 - g1 / 12 + g2 / 6);
      u[(6 * r + 5) * cc + i] = (float)g2;
    }
  }
}

// V[e][tile - t0][ci] = (B^T d B)[e] for tiles [t0, t0+nt) of x (NHWC, c % 4 == 0); tile
// (b, ty, tx) reads rows 4ty - top .. +5 and columns 4tx - left .. +5, zero outside the image.
EXPORT(nw_wino4_input)
void nw_wino4_input(const float* x, float* v, int h, int w, int c, int tiles_h, int tiles_w, int top, int left, int t0,
                    int nt) {
  const int es = nt * c;
  const v128_t zv = wasm_f32x4_splat(0);
  for (int t = t0; t < t0 + nt; t++) {
    const int b = t / (tiles_h * tiles_w), rem = t % (tiles_h * tiles_w);
    const int y0 = (rem / tiles_w) * 4 - top, x0 = (rem % tiles_w) * 4 - left;
    const float* img = x + (long)b * h * w * c;
    const float* src[36];
    #pragma clang loop unroll(full)
    for (int i = 0; i < 6; i++)
      #pragma clang loop unroll(full)
      for (int j = 0; j < 6; j++) {
        const int iy = y0 + i, ix = x0 + j;
        src[6 * i + j] = (iy >= 0 && iy < h && ix >= 0 && ix < w) ? img + (iy * w + ix) * c : 0;
      }
    float* out = v + (t - t0) * c;
    // Tiles wholly inside the image (most of them) load without a test per tap.
    const int inside = y0 >= 0 && y0 + 6 <= h && x0 >= 0 && x0 + 6 <= w;
    const float* corner = img + ((long)y0 * w + x0) * c;
    const int wc = w * c;
    for (int ch = 0; ch < c; ch += 4) {
      v128_t d[36], r[36];
      if (inside) {
        #pragma clang loop unroll(full)
        for (int k = 0; k < 36; k++) d[k] = wasm_v128_load(corner + (k / 6) * wc + (k % 6) * c + ch);
      } else {
        #pragma clang loop unroll(full)
        for (int k = 0; k < 36; k++) d[k] = src[k] ? wasm_v128_load(src[k] + ch) : zv;
      }
      #pragma clang loop unroll(full)
      for (int j = 0; j < 6; j++) wino4_bt(d + j, 6, r + j, 6);  // B^T d, column by column
      #pragma clang loop unroll(full)
      for (int i = 0; i < 6; i++) {
        v128_t q[6];
        wino4_bt(r + 6 * i, 1, q, 1);  // (B^T d) B, row by row
        #pragma clang loop unroll(full)
        for (int j = 0; j < 6; j++) wasm_v128_store(out + (6 * i + j) * es + ch, q[j]);
      }
    }
  }
}

// o[k] = (A^T m)[k], k < 4, for the 6 vectors m[k*ms].
static inline void wino4_at(const v128_t* m, int ms, v128_t* o) {
  const v128_t two = wasm_f32x4_splat(2), four = wasm_f32x4_splat(4), eight = wasm_f32x4_splat(8);
  const v128_t p12 = wasm_f32x4_add(m[ms], m[2 * ms]), d12 = wasm_f32x4_sub(m[ms], m[2 * ms]);
  const v128_t p34 = wasm_f32x4_add(m[3 * ms], m[4 * ms]), d34 = wasm_f32x4_sub(m[3 * ms], m[4 * ms]);
  o[0] = wasm_f32x4_add(wasm_f32x4_add(m[0], p12), p34);
  o[1] = wasm_f32x4_add(d12, wasm_f32x4_mul(two, d34));
  o[2] = wasm_f32x4_add(p12, wasm_f32x4_mul(four, p34));
  o[3] = wasm_f32x4_add(wasm_f32x4_add(d12, wasm_f32x4_mul(eight, d34)), m[5 * ms]);
}

// Stores the first `cols` (<= 4) of one output row's vectors, co floats apart, after the bias and relu.
static inline void wino4_store_row(float* row, int co, int cols, v128_t o0, v128_t o1, v128_t o2, v128_t o3, int has_bias,
                                   v128_t bv, int relu) {
  const v128_t zv = wasm_f32x4_splat(0);
  if (has_bias) o0 = wasm_f32x4_add(o0, bv), o1 = wasm_f32x4_add(o1, bv), o2 = wasm_f32x4_add(o2, bv), o3 = wasm_f32x4_add(o3, bv);
  if (relu) o0 = wasm_f32x4_max(o0, zv), o1 = wasm_f32x4_max(o1, zv), o2 = wasm_f32x4_max(o2, zv), o3 = wasm_f32x4_max(o3, zv);
  wasm_v128_store(row, o0);
  if (cols > 1) wasm_v128_store(row + co, o1);
  if (cols > 2) wasm_v128_store(row + 2 * co, o2);
  if (cols > 3) wasm_v128_store(row + 3 * co, o3);
}

// y (NHWC [.., oh, ow, co], co % 4 == 0) for tiles [t0, t0+nt) from M[e][tile - t0][co]:
// Y = A^T m A, plus bias[co] when bias is not null, then max(0, .) when relu; cells past the
// output's edge are dropped.
EXPORT(nw_wino4_output)
void nw_wino4_output(const float* m, float* y, const float* bias, int relu, int oh, int ow, int co, int tiles_h,
                     int tiles_w, int t0, int nt) {
  const int es = nt * co;
  const v128_t zv = wasm_f32x4_splat(0);
  for (int t = t0; t < t0 + nt; t++) {
    const int b = t / (tiles_h * tiles_w), rem = t % (tiles_h * tiles_w);
    const int oy = (rem / tiles_w) * 4, ox = (rem % tiles_w) * 4;
    float* img = y + (long)b * oh * ow * co;
    const float* in = m + (t - t0) * co;
    const int rows = oh - oy < 4 ? oh - oy : 4, cols = ow - ox < 4 ? ow - ox : 4;
    for (int ch = 0; ch < co; ch += 4) {
      v128_t q[36], s[24];
      #pragma clang loop unroll(full)
      for (int k = 0; k < 36; k++) q[k] = wasm_v128_load(in + k * es + ch);
      #pragma clang loop unroll(full)
      for (int j = 0; j < 6; j++) {
        v128_t o[4];
        wino4_at(q + j, 6, o);  // A^T m, column j
        #pragma clang loop unroll(full)
        for (int i = 0; i < 4; i++) s[6 * i + j] = o[i];
      }
      const v128_t bv = bias ? wasm_v128_load(bias + ch) : zv;
      #pragma clang loop unroll(full)
      for (int i = 0; i < 4; i++) {
        v128_t o[4];
        wino4_at(s + 6 * i, 1, o);
        if (i < rows) wino4_store_row(img + ((oy + i) * ow + ox) * co + ch, co, cols, o[0], o[1], o[2], o[3], bias != 0, bv, relu);
      }
    }
  }
}

// o[k] = (A y)[k], k < 6, for the 4 vectors y[k*ys] (A is A^T transposed: the output transform's adjoint).
static inline void wino4_a(const v128_t* y, int ys, v128_t* o, int os) {
  const v128_t two = wasm_f32x4_splat(2), four = wasm_f32x4_splat(4), eight = wasm_f32x4_splat(8);
  const v128_t y0 = y[0], y1 = y[ys], y2 = y[2 * ys], y3 = y[3 * ys];
  const v128_t p02 = wasm_f32x4_add(y0, y2), p13 = wasm_f32x4_add(y1, y3);
  const v128_t q02 = wasm_f32x4_add(y0, wasm_f32x4_mul(four, y2));
  const v128_t q13 = wasm_f32x4_add(wasm_f32x4_mul(two, y1), wasm_f32x4_mul(eight, y3));
  o[0] = y0;
  o[os] = wasm_f32x4_add(p02, p13);
  o[2 * os] = wasm_f32x4_sub(p02, p13);
  o[3 * os] = wasm_f32x4_add(q02, q13);
  o[4 * os] = wasm_f32x4_sub(q02, q13);
  o[5 * os] = y3;
}

// Filter gradient by the same transform: dL/dU_e = sum over tiles of V_e .* Z_e with Z = A dY A^T,
// and dL/dg = G^T (dL/dU) G. Z[e][tile - t0][co] from the 4x4 dy tiles (NHWC [.., oh, ow, co],
// co % 4 == 0; cells past the output's edge count as 0).
EXPORT(nw_wino4_dy)
void nw_wino4_dy(const float* dy, float* z, int oh, int ow, int co, int tiles_h, int tiles_w, int t0, int nt) {
  const int es = nt * co;
  const v128_t zv = wasm_f32x4_splat(0);
  for (int t = t0; t < t0 + nt; t++) {
    const int b = t / (tiles_h * tiles_w), rem = t % (tiles_h * tiles_w);
    const int oy = (rem / tiles_w) * 4, ox = (rem % tiles_w) * 4;
    const float* img = dy + (long)b * oh * ow * co;
    const int rows = oh - oy < 4 ? oh - oy : 4, cols = ow - ox < 4 ? ow - ox : 4;
    const int whole = rows == 4 && cols == 4;
    float* out = z + (t - t0) * co;
    for (int ch = 0; ch < co; ch += 4) {
      v128_t d[16], r[24];
      if (whole) {
        #pragma clang loop unroll(full)
        for (int k = 0; k < 16; k++) d[k] = wasm_v128_load(img + ((oy + k / 4) * ow + ox + k % 4) * co + ch);
      } else {
        #pragma clang loop unroll(full)
        for (int i = 0; i < 4; i++)
          #pragma clang loop unroll(full)
          for (int j = 0; j < 4; j++)
            d[4 * i + j] = i < rows && j < cols ? wasm_v128_load(img + ((oy + i) * ow + ox + j) * co + ch) : zv;
      }
      #pragma clang loop unroll(full)
      for (int j = 0; j < 4; j++) wino4_a(d + j, 4, r + j, 4);  // A dY: 6 rows of 4
      #pragma clang loop unroll(full)
      for (int i = 0; i < 6; i++) {
        v128_t q[6];
        wino4_a(r + 4 * i, 1, q, 1);
        #pragma clang loop unroll(full)
        for (int j = 0; j < 6; j++) wasm_v128_store(out + (6 * i + j) * es + ch, q[j]);
      }
    }
  }
}

// dW[ky][kx][ci][co] = (G^T X G) for X = dU[e][ci][co], e = 6*row + col (the filter transform's adjoint).
EXPORT(nw_wino4_filter_grad)
void nw_wino4_filter_grad(const float* du, float* dw, int c, int co) {
  const int cc = c * co;
  for (int i = 0; i < cc; i++) {
    double s[18];  // G^T X: 3 rows of 6
    #pragma clang loop unroll(full)
    for (int j = 0; j < 6; j++) {
      const double x0 = du[j * cc + i], x1 = du[(6 + j) * cc + i], x2 = du[(12 + j) * cc + i];
      const double x3 = du[(18 + j) * cc + i], x4 = du[(24 + j) * cc + i], x5 = du[(30 + j) * cc + i];
      s[j] = x0 / 4 - (x1 + x2) / 6 + (x3 + x4) / 24;
      s[6 + j] = (x2 - x1) / 6 + (x3 - x4) / 12;
      s[12 + j] = (x3 + x4 - x1 - x2) / 6 + x5;
    }
    #pragma clang loop unroll(full)
    for (int r = 0; r < 3; r++) {
      const double* q = s + 6 * r;
      dw[(3 * r + 0) * cc + i] = (float)(q[0] / 4 - (q[1] + q[2]) / 6 + (q[3] + q[4]) / 24);
      dw[(3 * r + 1) * cc + i] = (float)((q[2] - q[1]) / 6 + (q[3] - q[4]) / 12);
      dw[(3 * r + 2) * cc + i] = (float)((q[3] + q[4] - q[1] - q[2]) / 6 + q[5]);
    }
  }
}

// ---- Convolutions with few input channels (MNIST's 1, an RGB stem's 3), dilation 1 ----
// im2col + GEMM would stream a patch matrix K = fh*fw*c floats wide through memory; here taps are
// read straight from the input, zero-padded first by nw_pad_nhwc when the conv pads (xp is
// [n, hp, wp, c], output cell (y, x) reads rows y*sh .. and columns x*sw ..). Tap k = (ky, j),
// j = kx*c + ci, sits at ky*wp*c + j from its cell's first tap, since (kx, ci) are contiguous in NHWC.

// xp[b, top + y, left + x, :] = x[b, y, x, :], zero elsewhere.
EXPORT(nw_pad_nhwc)
void nw_pad_nhwc(const float* x, float* xp, int n, int h, int w, int c, int top, int left, int hp, int wp) {
  for (int b = 0; b < n; b++)
    for (int yp = 0; yp < hp; yp++) {
      float* dst = xp + ((long)b * hp + yp) * wp * c;
      const int y = yp - top;
      if (y < 0 || y >= h) { zero(dst, wp * c); continue; }
      const int cols = w < wp - left ? w : wp - left;
      zero(dst, left * c);
      const float* src = x + ((long)b * h + y) * w * c;
      for (int i = 0; i < cols * c; i++) dst[left * c + i] = src[i];
      zero(dst + (left + cols) * c, (wp - left - cols) * c);
    }
}

// Offset of tap k from its cell's first tap (see above).
static inline int tap_offset(int k, int fwc, int wpc) { return (k / fwc) * wpc + k % fwc; }

// dW[K, co] (K = fh*fw*c) = sum over cells (b, y, x) of tap_k(cell) dy[cell, co]: per output row, 4
// taps x 8 output channels in registers over the row's cells. co % 8 == 0. Sums run over (b, y, x) in order.
EXPORT(nw_conv_filter_grad_small)
void nw_conv_filter_grad_small(const float* xp, const float* dy, float* dw, int n, int hp, int wp, int c, int oh, int ow,
                               int co, int fh, int fw, int sh, int sw) {
  const int k = fh * fw * c, fwc = fw * c, wpc = wp * c, step = sw * c;
  zero(dw, k * co);
  for (int b = 0; b < n; b++)
    for (int y = 0; y < oh; y++) {
      const float* base = xp + ((long)b * hp + y * sh) * wpc;
      const float* g = dy + ((long)b * oh + y) * ow * co;
      int r = 0;
      for (; r + 4 <= k; r += 4) {
        const float* p0 = base + tap_offset(r, fwc, wpc);
        const float* p1 = base + tap_offset(r + 1, fwc, wpc);
        const float* p2 = base + tap_offset(r + 2, fwc, wpc);
        const float* p3 = base + tap_offset(r + 3, fwc, wpc);
        for (int cb = 0; cb < co; cb += 8) tile4x8_strided(dw + r * co + cb, co, p0, p1, p2, p3, step, g + cb, co, ow, 1);
      }
      for (; r < k; r++) {
        const float* p0 = base + tap_offset(r, fwc, wpc);
        for (int cb = 0; cb < co; cb += 8) {
          float* d0 = dw + r * co + cb;
          v128_t c00 = wasm_v128_load(d0), c01 = wasm_v128_load(d0 + 4);
          const float* gp = g + cb;
          for (int xo = 0, at = 0; xo < ow; xo++, at += step, gp += co) {
            const v128_t av = wasm_v128_load32_splat(p0 + at);
            c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(av, wasm_v128_load(gp)));
            c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(av, wasm_v128_load(gp + 4)));
          }
          wasm_v128_store(d0, c00), wasm_v128_store(d0 + 4, c01);
        }
      }
    }
}

// y[b, y, x, co] = sum over taps k of tap_k(cell) W[k, co] (+ bias[co], then max(0, .) when relu),
// 4 cells x 8 output channels in registers. co % 8 == 0. Sums run over k in (ky, kx, ci) order.
EXPORT(nw_conv_small)
void nw_conv_small(const float* xp, const float* wt, const float* bias, float* out, int relu, int n, int hp, int wp, int c,
                   int oh, int ow, int co, int fh, int fw, int sh, int sw) {
  const int fwc = fw * c, wpc = wp * c, step = sw * c;
  const v128_t zv = wasm_f32x4_splat(0);
  for (int b = 0; b < n; b++)
    for (int y = 0; y < oh; y++) {
      const float* base = xp + ((long)b * hp + y * sh) * wpc;
      float* o = out + ((long)b * oh + y) * ow * co;
      int xo = 0;
      for (; xo + 4 <= ow; xo += 4) {
        const float* p = base + xo * step;
        for (int cb = 0; cb < co; cb += 8) {
          v128_t c00 = zv, c01 = zv, c10 = zv, c11 = zv, c20 = zv, c21 = zv, c30 = zv, c31 = zv;
          for (int ky = 0; ky < fh; ky++) {
            const float* q = p + ky * wpc;
            const float* wr = wt + ky * fwc * co + cb;
            for (int j = 0; j < fwc; j++, q++, wr += co) {
              const v128_t b0 = wasm_v128_load(wr), b1 = wasm_v128_load(wr + 4);
              v128_t av = wasm_v128_load32_splat(q);
              c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(av, b0));
              c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(av, b1));
              av = wasm_v128_load32_splat(q + step);
              c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(av, b0));
              c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(av, b1));
              av = wasm_v128_load32_splat(q + 2 * step);
              c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(av, b0));
              c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(av, b1));
              av = wasm_v128_load32_splat(q + 3 * step);
              c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(av, b0));
              c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(av, b1));
            }
          }
          if (bias) {
            const v128_t b0 = wasm_v128_load(bias + cb), b1 = wasm_v128_load(bias + cb + 4);
            c00 = wasm_f32x4_add(c00, b0), c01 = wasm_f32x4_add(c01, b1), c10 = wasm_f32x4_add(c10, b0), c11 = wasm_f32x4_add(c11, b1);
            c20 = wasm_f32x4_add(c20, b0), c21 = wasm_f32x4_add(c21, b1), c30 = wasm_f32x4_add(c30, b0), c31 = wasm_f32x4_add(c31, b1);
          }
          if (relu) {
            c00 = wasm_f32x4_max(c00, zv), c01 = wasm_f32x4_max(c01, zv), c10 = wasm_f32x4_max(c10, zv), c11 = wasm_f32x4_max(c11, zv);
            c20 = wasm_f32x4_max(c20, zv), c21 = wasm_f32x4_max(c21, zv), c30 = wasm_f32x4_max(c30, zv), c31 = wasm_f32x4_max(c31, zv);
          }
          float* oc = o + xo * co + cb;
          wasm_v128_store(oc, c00), wasm_v128_store(oc + 4, c01);
          wasm_v128_store(oc + co, c10), wasm_v128_store(oc + co + 4, c11);
          wasm_v128_store(oc + 2 * co, c20), wasm_v128_store(oc + 2 * co + 4, c21);
          wasm_v128_store(oc + 3 * co, c30), wasm_v128_store(oc + 3 * co + 4, c31);
        }
      }
      for (; xo < ow; xo++) {
        const float* p = base + xo * step;
        for (int cb = 0; cb < co; cb += 8) {
          v128_t c00 = zv, c01 = zv;
          for (int ky = 0; ky < fh; ky++) {
            const float* q = p + ky * wpc;
            const float* wr = wt + ky * fwc * co + cb;
            for (int j = 0; j < fwc; j++, wr += co) {
              const v128_t av = wasm_v128_load32_splat(q + j);
              c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(av, wasm_v128_load(wr)));
              c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(av, wasm_v128_load(wr + 4)));
            }
          }
          if (bias) c00 = wasm_f32x4_add(c00, wasm_v128_load(bias + cb)), c01 = wasm_f32x4_add(c01, wasm_v128_load(bias + cb + 4));
          if (relu) c00 = wasm_f32x4_max(c00, zv), c01 = wasm_f32x4_max(c01, zv);
          wasm_v128_store(o + xo * co + cb, c00), wasm_v128_store(o + xo * co + cb + 4, c01);
        }
      }
    }
}

// ---- MaxPoolGrad for non-overlapping windows inside the image (pool size == stride, 'valid') ----
// Every x cell lies in at most one window, so dx is written once, cell by cell (dy at the window's
// first maximum, 0 elsewhere, 0 past the last whole window) instead of zeroed and scattered into.
// Same rule as nw_maxpool_grad: strict >, row-major window order, NaN never wins. c % 4 == 0.
EXPORT(nw_maxpool_grad_tiled)
void nw_maxpool_grad_tiled(const float* x, const float* dy, float* dx, int n, int h, int w, int c, int oh, int ow, int fh,
                           int fw) {
  const v128_t zv = wasm_f32x4_splat(0);
  for (int b = 0; b < n; b++) {
    const float* xi = x + (long)b * h * w * c;
    float* di = dx + (long)b * h * w * c;
    for (int y = 0; y < oh; y++) {
      for (int xo = 0; xo < ow; xo++) {
        const float* g = dy + ((b * oh + y) * ow + xo) * c;
        const int base = ((y * fh) * w + xo * fw) * c;
        for (int ch = 0; ch < c; ch += 4) {
          v128_t best = wasm_f32x4_splat(-__builtin_inff());
          v128_t at = wasm_i32x4_splat(-1);
          for (int ky = 0; ky < fh; ky++)
            for (int kx = 0; kx < fw; kx++) {
              const v128_t v = wasm_v128_load(xi + base + (ky * w + kx) * c + ch);
              const v128_t gt = wasm_f32x4_gt(v, best);
              best = wasm_v128_bitselect(v, best, gt);
              at = wasm_v128_bitselect(wasm_i32x4_splat(ky * fw + kx), at, gt);
            }
          const v128_t gv = wasm_v128_load(g + ch);
          for (int ky = 0; ky < fh; ky++)
            for (int kx = 0; kx < fw; kx++) {
              const v128_t hit = wasm_i32x4_eq(at, wasm_i32x4_splat(ky * fw + kx));
              wasm_v128_store(di + base + (ky * w + kx) * c + ch, wasm_v128_bitselect(gv, zv, hit));
            }
        }
      }
      // Columns right of the last whole window.
      for (int ky = 0; ky < fh; ky++) zero(di + ((y * fh + ky) * w + ow * fw) * c, (w - ow * fw) * c);
    }
    // Rows below the last whole window.
    zero(di + (oh * fh) * w * c, (h - oh * fh) * w * c);
  }
}

// ---- Small GEMMs without packing, batched over Winograd planes ----
// For each plane e < planes: C_e[R, N] (+)= sum over t < T of A_e(r, t) B_e[t, N], with A_e(r, t) at
// a + e*spa + r*sar + t*sat, B_e row-major (row stride ldb) at b + e*spb, C_e (row stride ldc) at
// c + e*spc; N % 8 == 0. Winograd's products are small (depth = channels, B_e a few KB), so A and B
// stay in L1 and are read in place: the 4x8 register tile of nw_gemm without its packing copies, and
// one call for every plane of a chunk. Sums run in t order.
EXPORT(nw_gemm_planes)
void nw_gemm_planes(float* c, int ldc, int spc, const float* a, int sar, int sat, int spa, const float* b, int ldb, int spb,
                    int R, int T, int N, int planes, int accumulate) {
  for (int e = 0; e < planes; e++) {
    float* ce = c + e * spc;
    const float* ae = a + e * spa;
    const float* be = b + e * spb;
    int r0 = 0;
    for (; r0 + 4 <= R; r0 += 4) {
      const float* a0 = ae + r0 * sar;
      const float* a1 = a0 + sar;
      const float* a2 = a1 + sar;
      const float* a3 = a2 + sar;
      for (int p = 0; p < N; p += 8) {
        tile4x8_strided(ce + r0 * ldc + p, ldc, a0, a1, a2, a3, sat, be + p, ldb, T, accumulate);
      }
    }
    for (; r0 < R; r0++) {
      const float* a0 = ae + r0 * sar;
      for (int p = 0; p < N; p += 8) {
        float* cc = ce + r0 * ldc + p;
        v128_t c00 = accumulate ? wasm_v128_load(cc) : wasm_f32x4_splat(0);
        v128_t c01 = accumulate ? wasm_v128_load(cc + 4) : wasm_f32x4_splat(0);
        const float* bp = be + p;
        for (int t = 0; t < T; t++, bp += ldb) {
          const v128_t av = wasm_v128_load32_splat(a0 + t * sat);
          c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(av, wasm_v128_load(bp)));
          c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(av, wasm_v128_load(bp + 4)));
        }
        wasm_v128_store(cc, c00), wasm_v128_store(cc + 4, c01);
      }
    }
  }
}

// Mean's gradient for reductions over every axis but the first and last (global average pooling)
// or over all leading axes: dx[b, r, j] = dy[b, j] / divisor for r < rows (tfjs's
// div(mul(dy, ones), divisor), one float32 division). Row 0 of each b is computed, the rest copied.
EXPORT(nw_mean_grad)
void nw_mean_grad(const float* dy, float* dx, int outer, int rows, int cols, float divisor) {
  const v128_t dv = wasm_f32x4_splat(divisor);
  for (int b = 0; b < outer; b++) {
    float* row0 = dx + (long)b * rows * cols;
    const float* g = dy + b * cols;
    int j = 0;
    for (; j + 4 <= cols; j += 4) wasm_v128_store(row0 + j, wasm_f32x4_div(wasm_v128_load(g + j), dv));
    for (; j < cols; j++) row0[j] = g[j] / divisor;
    for (int r = 1; r < rows; r++) {
      float* dst = row0 + (long)r * cols;
      int i = 0;
      for (; i + 4 <= cols; i += 4) wasm_v128_store(dst + i, wasm_v128_load(row0 + i));
      for (; i < cols; i++) dst[i] = row0[i];
    }
  }
}

// out[j] = sum over r of x[r*cols + j] (nw_sum_rows' contract) summed in blocks of 256 rows, each
// block's sum then added to the total: float32 rounding grows with (256 + rows/256) instead of
// rows. A conv's bias gradient sums dy over batch*height*width rows (65536 in the ResNet block),
// where one running float32 sum drifted ~1e-5 from the cpu backend's (which sums in double).
#define SUM_BLOCK 256
EXPORT(nw_sum_rows_blocked)
void nw_sum_rows_blocked(const float* x, float* out, int rows, int cols) {
  int j = 0;
  for (; j + 16 <= cols; j += 16) {
    v128_t s0 = wasm_f32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
    for (int r0 = 0; r0 < rows; r0 += SUM_BLOCK) {
      const int r1 = r0 + SUM_BLOCK < rows ? r0 + SUM_BLOCK : rows;
      v128_t p0 = wasm_f32x4_splat(0), p1 = p0, p2 = p0, p3 = p0;
      const float* p = x + (long)r0 * cols + j;
      for (int r = r0; r < r1; r++, p += cols) {
        p0 = wasm_f32x4_add(p0, wasm_v128_load(p));
        p1 = wasm_f32x4_add(p1, wasm_v128_load(p + 4));
        p2 = wasm_f32x4_add(p2, wasm_v128_load(p + 8));
        p3 = wasm_f32x4_add(p3, wasm_v128_load(p + 12));
      }
      s0 = wasm_f32x4_add(s0, p0), s1 = wasm_f32x4_add(s1, p1), s2 = wasm_f32x4_add(s2, p2), s3 = wasm_f32x4_add(s3, p3);
    }
    wasm_v128_store(out + j, s0), wasm_v128_store(out + j + 4, s1);
    wasm_v128_store(out + j + 8, s2), wasm_v128_store(out + j + 12, s3);
  }
  for (; j + 4 <= cols; j += 4) {
    v128_t s = wasm_f32x4_splat(0);
    for (int r0 = 0; r0 < rows; r0 += SUM_BLOCK) {
      const int r1 = r0 + SUM_BLOCK < rows ? r0 + SUM_BLOCK : rows;
      v128_t p = wasm_f32x4_splat(0);
      for (int r = r0; r < r1; r++) p = wasm_f32x4_add(p, wasm_v128_load(x + (long)r * cols + j));
      s = wasm_f32x4_add(s, p);
    }
    wasm_v128_store(out + j, s);
  }
  for (; j < cols; j++) {
    float s = 0;
    for (int r0 = 0; r0 < rows; r0 += SUM_BLOCK) {
      const int r1 = r0 + SUM_BLOCK < rows ? r0 + SUM_BLOCK : rows;
      float p = 0;
      for (int r = r0; r < r1; r++) p += x[(long)r * cols + j];
      s += p;
    }
    out[j] = s;
  }
}
