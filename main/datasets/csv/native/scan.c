// The CSV record scanner behind ByteRowReader (byteRows.ts): finds the fields of well-formed
// records in a block of bytes, exactly as ByteRowReader.scan's JavaScript loop does, and stops
// where that loop would need to do anything else. Built by build.sh into scan.wasm.
#include <wasm_simd128.h>

typedef unsigned char u8;
typedef int i32;

#define QUOTE 34
#define LF 10
#define CR 13

// Why it stopped (out[1]).
#define DONE 0      // every complete record read; out[0]: where the unfinished one starts (or n)
#define JS 1        // the record at out[0] needs the JavaScript path (odd quoting, too long, too wide)
#define FULL 2      // the output arrays are full; call again from out[0]

/*
 * The first i' >= i below n where in[i'] is the delimiter, LF or (CR LF files) CR; n when none is.
 * Sixteen bytes at a time: fields are short, so most end within the first load. Bytes past n
 * that a load reads (the buffer has room) are masked off.
 */
static inline i32 next_stop(const u8 *in, i32 i, i32 n, v128_t vd, v128_t vlf, v128_t vcr) {
  while (i < n) {
    const v128_t x = wasm_v128_load(in + i);
    const v128_t m = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(x, vd), wasm_i8x16_eq(x, vlf)), wasm_i8x16_eq(x, vcr));
    unsigned bits = wasm_i8x16_bitmask(m);
    const i32 left = n - i;
    if (left < 16) bits &= (1u << left) - 1;
    if (bits) return i + __builtin_ctz(bits);
    i += 16;
  }
  return n;
}

/*
 * typing.ts's scanPlainBytes on b[s, e), step for step and with the same double arithmetic, so the
 * same value: 1 for an integer, 2 for another plain number (*out: its value), 0 for anything else
 * (not a plain number, or one scanPlainBytes leaves to Number()). pow10[k] = 10^k for k <= 22.
 */
static inline i32 plain_number(const u8 *b, i32 s, i32 e, i32 decimal, const double *pow10, double *out) {
  const i32 n = e - s;
  if (n == 0) return 0;
  i32 i = s;
  i32 neg = 0;
  i32 c = b[s];
  if (c == 45 || c == 43) {
    if (n == 1) return 0;
    neg = c == 45;
    c = b[++i];
  }
  const i32 intStart = i;
  // The digits in an integer, not a double: the same value while there are at most 15 significant
  // digits (all below 2^53), and with more the result is 0 whatever the value. `digits` counts
  // from the first nonzero digit on, as "m != 0" does for the double.
  unsigned long long m = 0;
  i32 digits = 0;
  while (c >= 48 && c <= 57) {
    m = m * 10 + (unsigned)(c - 48);
    digits += digits > 0 || c != 48;
    c = ++i < e ? b[i] : -1;
  }
  const i32 intDigits = i - intStart;
  if (intDigits > 1 && b[intStart] == 48) return 0;
  if (i == e) {
    if (intDigits == 0 || digits > 15) return 0;
    const double v = (double)m;
    *out = neg ? -v : v;
    return 1;
  }
  i32 frac = 0;
  if (c == decimal) {
    c = ++i < e ? b[i] : -1;
    const i32 fracStart = i;
    while (c >= 48 && c <= 57) {
      m = m * 10 + (unsigned)(c - 48);
      digits += digits > 0 || c != 48;
      c = ++i < e ? b[i] : -1;
    }
    frac = i - fracStart;
  }
  if (intDigits == 0 && frac == 0) return 0;
  i32 x10 = -frac;
  if (i < e) {
    if (c != 101 && c != 69) return 0;
    c = ++i < e ? b[i] : -1;
    i32 eneg = 0;
    if (c == 45 || c == 43) {
      eneg = c == 45;
      c = ++i < e ? b[i] : -1;
    }
    const i32 expStart = i;
    i32 x = 0;
    while (c >= 48 && c <= 57) {
      if (x < 100000) x = x * 10 + (c - 48);
      c = ++i < e ? b[i] : -1;
    }
    if (i != e || i == expStart) return 0;
    x10 += eneg ? -x : x;
  }
  if (digits > 15 || x10 > 22 || x10 < -22) return 0;
  const double md = (double)m;
  const double v = x10 < 0 ? md / pow10[-x10] : md * pow10[x10];
  *out = neg ? -v : v;
  return 2;
}

static inline i32 digits_at(const u8 *b, i32 from, i32 count) {
  i32 v = 0;
  for (i32 i = from; i < from + count; i++) {
    const i32 d = (i32)b[i] - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/* typing.ts's daysFromCivil (y may be -1: floor division). */
static inline i32 days_from_civil(i32 y, i32 m, i32 d) {
  y -= m <= 2 ? 1 : 0;
  const i32 era = (y >= 0 ? y : y - 399) / 400;
  const i32 yoe = y - era * 400;
  const i32 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const i32 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* typing.ts's isoDateBytes on b[s, e): the same days (a double, the same arithmetic), or NaN. */
static inline double iso_date(const u8 *b, i32 s, i32 e) {
  const double NaN = __builtin_nan("");
  const i32 n = e - s;
  if (n != 10 && n != 19) return NaN;
  const i32 sep = b[s + 4];
  if ((sep != 45 && sep != 47) || b[s + 7] != sep) return NaN;
  const i32 y = digits_at(b, s, 4);
  const i32 mo = digits_at(b, s + 5, 2);
  const i32 d = digits_at(b, s + 8, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1) return NaN;
  const i32 dim = mo == 2 ? 29 : (mo == 4 || mo == 6 || mo == 9 || mo == 11) ? 30 : 31;
  if (d > dim) return NaN;
  if (mo == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0))) return NaN;
  const i32 day = days_from_civil(y, mo, d);
  if (n == 10) return (double)day;
  double ms = (double)day * 86400000.0;
  const i32 tc = b[s + 10];
  if (sep != 45 || (tc != 84 && tc != 32) || b[s + 13] != 58 || b[s + 16] != 58) return NaN;
  const i32 hh = digits_at(b, s + 11, 2);
  const i32 mm = digits_at(b, s + 14, 2);
  if (hh < 0 || hh > 23 || mm < 0 || mm > 59) return NaN;
  ms += (double)((hh * 60 + mm) * 60000);
  const i32 ss = digits_at(b, s + 17, 2);
  if (ss < 0 || ss > 59) return NaN;
  ms += (double)(ss * 1000);
  return ms / 86400000.0;
}

/*
 * uniqueSet.ts's hash53Bytes of b[s, e) (the same number), or -1 when a byte is not ASCII; *space
 * is set to 1 when a byte is a space.
 */
static inline double hash53(const u8 *b, i32 s, i32 e, u8 *space) {
  unsigned a = 0x811c9dc5u;
  unsigned h2 = 0x01000193u ^ (unsigned)(e - s);
  u8 sp = 0;
  for (i32 i = s; i < e; i++) {
    const unsigned c = b[i];
    if (c >= 128) {
      *space = 0;
      return -1;
    }
    sp |= c == 32;
    a = (a ^ c) * 0x01000193u;
    h2 = (h2 ^ c) * 0x5bd1e995u;
    h2 ^= h2 >> 13;
  }
  *space = sp;
  const double h = (double)a * 2097152.0 + (double)(h2 & 0x1fffffu);
  return h == 0 ? 1 : h;
}

/* want[j] bits: take the field's hash (and space flag), its plain number, its ISO date. */
#define WANT_HASH 1
#define WANT_NUMBER 2
#define WANT_DATE 4

/*
 * What the column profiles take from field k, j its place in the record: what want[j] asks for
 * (everything past wantCols). What is not taken reads as nothing: fkind 0, fdate NaN, fhash -2.
 */
static inline void field_info(const u8 *in, i32 s, i32 e, u8 doubled, i32 j, const u8 *want, i32 wantCols, i32 decimal,
                              const double *pow10, double *fnum, u8 *fkind, double *fhash, u8 *fspace, double *fdate, i32 k) {
  const i32 w = doubled ? 0 : j < wantCols ? want[j] : 7;
  fkind[k] = (w & WANT_NUMBER) ? plain_number(in, s, e, decimal, pow10, fnum + k) : 0;
  fdate[k] = (w & WANT_DATE) ? iso_date(in, s, e) : __builtin_nan("");
  if (w & WANT_HASH) fhash[k] = hash53(in, s, e, fspace + k);
  else fhash[k] = -2;
}

/*
 * Scans records of in[from, n). Per field k: fs[k], fe[k] its byte range (quotes stripped), fd[k] 1
 * when it holds doubled quotes. Per record r: rend[r] the field index past its last field, and
 * rlines[r] the physical lines it ends (line breaks in it). Per
 * field also its plain number (plain_number: fkind[k] 0, 1 or 2, fnum[k] the value; 0 for fields
 * with doubled quotes, with `decimal` the decimal mark), ISO date and hash, each where the
 * profiles ask for it (field_info). D: the
 * delimiter; crlf: records end in CR LF (a lone LF is data); final: in ends at the end of the file;
 * maxBytes: longer records go to JavaScript (it judges the field limit in characters). Returns the
 * number of records; out[0] and out[1] say where and why it stopped.
 */
i32 nw_csv_scan(const u8 *in, i32 from, i32 n, i32 D, i32 crlf, i32 final, i32 maxBytes,
                i32 *fs, i32 *fe, u8 *fd, i32 fcap, i32 *rend, i32 *rlines, i32 rcap, i32 *out,
                i32 decimal, const double *pow10, double *fnum, u8 *fkind,
                const u8 *want, i32 wantCols, double *fhash, u8 *fspace, double *fdate) {
  const v128_t vd = wasm_i8x16_splat((char)D);
  const v128_t vlf = wasm_i8x16_splat(LF);
  // Without CR LF records a CR is data: compare with LF twice instead.
  const v128_t vcr = wasm_i8x16_splat(crlf ? CR : LF);
  i32 rec = from, nf = 0, nr = 0;
  while (rec < n) {
    if (nr == rcap) { out[0] = rec; out[1] = FULL; return nr; }
    const i32 k0 = nf;
    i32 i = rec, lines = 0, end = -1;
    for (;;) {
      const i32 start = i;
      if (nf == fcap) {
        if (k0 == 0) { out[0] = rec; out[1] = JS; return nr; }
        out[0] = rec; out[1] = FULL; return nr;
      }
      if (i < n && in[i] == QUOTE) {
        i32 j = i + 1;
        u8 doubled = 0;
        for (;;) {
          while (j < n && in[j] != QUOTE) {
            if (in[j] == LF) lines++;
            j++;
          }
          if (j >= n) {
            out[0] = rec;
            out[1] = final ? JS : DONE;
            return nr;
          }
          if (j + 1 < n && in[j + 1] == QUOTE) { doubled = 1; j += 2; continue; }
          break;
        }
        fs[nf] = start + 1; fe[nf] = j; fd[nf] = doubled;
        field_info(in, start + 1, j, doubled, nf - k0, want, wantCols, decimal, pow10, fnum, fkind, fhash, fspace, fdate, nf);
        nf++;
        if (j + 1 >= n) { end = n; break; }
        const i32 c = in[j + 1];
        if (c == D) { i = j + 2; continue; }
        if (!crlf && c == LF) { end = j + 2; lines++; break; }
        if (crlf && c == CR && j + 2 < n && in[j + 2] == LF) { end = j + 3; lines++; break; }
        out[0] = rec; out[1] = JS; return nr;
      }
      i32 c = -1;
      for (;;) {
        i = next_stop(in, i, n, vd, vlf, vcr);
        if (i < n) c = in[i];
        if (i >= n) break;
        if (c == LF && crlf) { lines++; i++; continue; }
        if (c == CR) {
          if (i + 1 < n && in[i + 1] == LF) break;
          i++;
          continue;
        }
        break;
      }
      if (i >= n) {
        if (!final) { out[0] = rec; out[1] = DONE; return nr; }
        fs[nf] = start; fe[nf] = n; fd[nf] = 0;
        field_info(in, start, n, 0, nf - k0, want, wantCols, decimal, pow10, fnum, fkind, fhash, fspace, fdate, nf);
        nf++;
        end = n;
        break;
      }
      fs[nf] = start; fe[nf] = i; fd[nf] = 0;
      field_info(in, start, i, 0, nf - k0, want, wantCols, decimal, pow10, fnum, fkind, fhash, fspace, fdate, nf);
      nf++;
      if (c == D) { i++; continue; }
      end = c == LF ? i + 1 : i + 2;
      lines++;
      break;
    }
    if (end - rec > maxBytes) { out[0] = rec; out[1] = JS; return nr; }
    rend[nr] = nf; rlines[nr] = lines; nr++;
    rec = end;
  }
  out[0] = rec; out[1] = DONE;
  return nr;
}
