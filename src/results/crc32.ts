/**
 * CRC-32 (IEEE 802.3, polynomial 0xEDB88320, as zlib.crc32) for subunit v2 packets: native zlib.crc32 (Node ≥
 * 20.15) for large packets, a slice-by-16 table loop for small ones and on older Node 20 releases.
 */
import * as zlib from 'node:zlib'

type Crc32 = (data: Uint8Array, start: number, end: number) => number

/** Slice-by-16 tables, flat: table k at [k * 256, k * 256 + 256). Int32 so the XORs stay small integers. */
let TABLE: Int32Array | undefined

function buildTable(): Int32Array {
  const t = new Int32Array(256 * 16)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c
  }
  for (let k = 1; k < 16; k++) {
    for (let n = 0; n < 256; n++) {
      const prev = t[(k - 1) * 256 + n]
      t[k * 256 + n] = (prev >>> 8) ^ t[prev & 0xff]
    }
  }
  return t
}

/** Pure-JS CRC-32 of `data[start, end)` (slice-by-16; exported for tests). */
export function crc32Js(data: Uint8Array, start: number, end: number): number {
  const t = (TABLE ??= buildTable())
  let c = -1
  let i = start
  for (; i + 16 <= end; i += 16) {
    const a = c ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24))
    c =
      t[3840 + (a & 0xff)] ^
      t[3584 + ((a >>> 8) & 0xff)] ^
      t[3328 + ((a >>> 16) & 0xff)] ^
      t[3072 + (a >>> 24)] ^
      t[2816 + data[i + 4]] ^
      t[2560 + data[i + 5]] ^
      t[2304 + data[i + 6]] ^
      t[2048 + data[i + 7]] ^
      t[1792 + data[i + 8]] ^
      t[1536 + data[i + 9]] ^
      t[1280 + data[i + 10]] ^
      t[1024 + data[i + 11]] ^
      t[768 + data[i + 12]] ^
      t[512 + data[i + 13]] ^
      t[256 + data[i + 14]] ^
      t[data[i + 15]]
  }
  for (; i < end; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8)
  return (c ^ -1) >>> 0
}

const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32

/**
 * A native call costs ~0.2 µs whatever the size, the table loop ~0.7 ns a byte (measured on Node 20, x86-64):
 * packets shorter than this (most of a stream: status packets, short attachment chunks) are faster in JS alone,
 * and are the ones verified in runs (`verifiedRun`); longer ones are checked natively, one by one.
 */
export const BATCH_BELOW = 300

/** CRC-32 of `data[start, end)`. */
export const crc32: Crc32 =
  typeof native === 'function'
    ? (data, start, end) =>
        end - start < BATCH_BELOW ? crc32Js(data, start, end) : native(data.subarray(start, end)) >>> 0
    : crc32Js

/*
 * Verifying many small packets with one native pass. With U(s, bytes) the raw (reflected, not inverted) register
 * update, zlib's crc32(M) = ~U(~0, M), and U is affine: U(s, M) = Z_n(s) ^ U(0, M) with Z_n the linear map "feed n
 * zero bytes". A packet P = M ‖ be32(c) whose stored CRC c is right leaves U(~0, P) = U(~c, be32(c)) =: h(c). So
 * over packets P_1 … P_k laid end to end, all right, the register after each is
 *   s_0 = ~0,  s_i = U(s_{i-1}, P_i) = Z_{n_i}(s_{i-1} ^ ~0) ^ h(c_i)
 * and the native crc32 of the whole run must be ~s_k. Equal: every packet is right (unless errors in two or more
 * packets cancel, a 2^-32 chance for damaged data — the check a CRC-32 gives each packet alone). Different: some
 * packet is wrong, and the caller checks that run packet by packet, as without batching.
 */

/** Z_n as four byte-indexed tables (x → T0[x & 255] ^ T1[x >> 8 & 255] ^ …), built on first use of length n. */
const zeroTables = new Map<number, Int32Array>()

/** Z_n of the 32 basis vectors for every n below BATCH_BELOW: Z_n(1 << j) at 32n + j (Z_n = Z_1 applied n times). */
let ZERO_BASES: Int32Array | undefined

function buildZeroBases(): Int32Array {
  const t = (TABLE ??= buildTable())
  const bases = new Int32Array(32 * BATCH_BELOW)
  for (let j = 0; j < 32; j++) bases[j] = 1 << j
  for (let n = 1; n < BATCH_BELOW; n++) {
    for (let j = 0; j < 32; j++) {
      const s = bases[32 * (n - 1) + j]
      bases[32 * n + j] = t[s & 0xff] ^ (s >>> 8)
    }
  }
  return bases
}

function zeroTable(n: number): Int32Array {
  let z = zeroTables.get(n)
  if (z !== undefined) return z
  const bases = (ZERO_BASES ??= buildZeroBases())
  // Every byte value's image per byte position, from the images of its bits.
  z = new Int32Array(1024)
  for (let k = 0; k < 4; k++) {
    for (let v = 1; v < 256; v++) {
      const low = 31 - Math.clz32(v & -v)
      z[k * 256 + v] = z[k * 256 + (v & (v - 1))] ^ bases[32 * n + 8 * k + low]
    }
  }
  zeroTables.set(n, z)
  return z
}

/**
 * The run of well-formed v2 packets under BATCH_BELOW bytes from `start` (at most `limit` bytes, complete within
 * `end`), checked with one native CRC pass. `verified`: the end of the run when all its CRCs are right, else
 * `start` (also for a run of fewer than two packets): the packets up to `scanned` are then checked one by one.
 */
export function verifiedRun(
  buf: Uint8Array,
  start: number,
  end: number,
  limit: number
): { verified: number; scanned: number } {
  if (typeof native !== 'function') return { verified: start, scanned: end }
  const t = (TABLE ??= buildTable())
  const stop = Math.min(end, start + limit)
  let s = -1
  let p = start
  let packets = 0
  while (p + 6 <= stop && buf[p] === 0xb3) {
    const b0 = buf[p + 3]
    const lenBytes = (b0 >> 6) + 1
    if (lenBytes > 2) break
    const length = lenBytes === 1 ? b0 : ((b0 & 0x3f) << 8) | buf[p + 4]
    if (length < 3 + lenBytes + 4 || length >= BATCH_BELOW || p + length > stop) break
    const q = p + length - 4
    const c = ((buf[q] << 24) | (buf[q + 1] << 16) | (buf[q + 2] << 8) | buf[q + 3]) >>> 0
    // h(c): the register from ~c through the four stored bytes, most significant first.
    let h = ~c
    h = t[(h ^ buf[q]) & 0xff] ^ (h >>> 8)
    h = t[(h ^ buf[q + 1]) & 0xff] ^ (h >>> 8)
    h = t[(h ^ buf[q + 2]) & 0xff] ^ (h >>> 8)
    h = t[(h ^ buf[q + 3]) & 0xff] ^ (h >>> 8)
    const x = ~s
    const z = zeroTable(length)
    s = z[x & 0xff] ^ z[256 + ((x >>> 8) & 0xff)] ^ z[512 + ((x >>> 16) & 0xff)] ^ z[768 + (x >>> 24)] ^ h
    p += length
    packets++
  }
  if (packets < 2) return { verified: start, scanned: p }
  const whole = native(buf.subarray(start, p)) | 0
  return { verified: whole === ~s ? p : start, scanned: p }
}
