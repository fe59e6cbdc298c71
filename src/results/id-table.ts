/**
 * A compact set of test ids for the streaming passes: each distinct id gets a dense number (0, 1, 2, … in the
 * order ids are first added) without keeping the id itself, so a 100k-test stream costs ~2 MiB here instead of
 * the ~15 MiB its id strings would. Ids are told apart by a 64-bit hash: two different ids of one stream share
 * an entry only with a probability of about n² / 2^65 (3·10⁻¹⁰ for 100 000 ids).
 */

const EMPTY = 0

/**
 * Two 32-bit hashes of the id's UTF-16 code units (FNV-1a-like and a multiply-rotate over pairs of code units, so
 * half the steps), each finished with fmix32 and the length.
 */
function hash64(id: string, out: Int32Array): void {
  let a = 0x811c9dc5 | 0
  let b = 0x9747b28c | 0
  const n = id.length
  let i = 0
  for (; i + 1 < n; i += 2) {
    const c = id.charCodeAt(i) | (id.charCodeAt(i + 1) << 16)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
    b = (b << 13) | (b >>> 19)
  }
  if (i < n) {
    const c = id.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
  }
  out[0] = fmix32(a ^ n)
  out[1] = fmix32(b ^ n)
}

function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}

export class IdTable {
  /** Distinct ids added. */
  size = 0
  /** Set by `add`: whether the id was new. */
  added = false
  /** Open addressing: entry number + 1, or EMPTY. */
  private slots: Int32Array
  /** The two hash halves of entry n at 2n and 2n + 1. */
  private keys: Int32Array
  private readonly h = new Int32Array(2)

  /** `expected`: about how many ids will be added (sizes the table once instead of growing it step by step). */
  constructor(expected = 512) {
    // Capped: a guess from a file size must not reserve much (262k entries: 4 MiB); past it the table grows.
    const entries = Math.min(Math.max(expected, 512), 1 << 18)
    let slots = 1024
    while (slots < 2 * entries) slots *= 2
    this.slots = new Int32Array(slots)
    this.keys = new Int32Array(2 * entries)
  }

  /** The entry number of `id`, added when new (then `added` is true). */
  add(id: string): number {
    hash64(id, this.h)
    const h0 = this.h[0]
    const h1 = this.h[1]
    const mask = this.slots.length - 1
    let i = h0 & mask
    for (;;) {
      const s = this.slots[i]
      if (s === EMPTY) break
      if (this.keys[2 * (s - 1)] === h0 && this.keys[2 * (s - 1) + 1] === h1) {
        this.added = false
        return s - 1
      }
      i = (i + 1) & mask
    }
    const n = this.size++
    if (2 * n + 2 > this.keys.length) {
      const keys = new Int32Array(this.keys.length * 2)
      keys.set(this.keys)
      this.keys = keys
    }
    this.keys[2 * n] = h0
    this.keys[2 * n + 1] = h1
    this.slots[i] = n + 1
    // Keep the load at or under one half.
    if (this.size * 2 > this.slots.length) this.grow()
    this.added = true
    return n
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2)
    const mask = slots.length - 1
    for (let n = 0; n < this.size; n++) {
      let i = this.keys[2 * n] & mask
      while (slots[i] !== EMPTY) i = (i + 1) & mask
      slots[i] = n + 1
    }
    this.slots = slots
  }
}

/** A byte per entry (or per record), growing as entries are added. */
export class ByteArray {
  private data = new Uint8Array(1024)

  get(n: number): number {
    return n < this.data.length ? this.data[n] : 0
  }

  set(n: number, value: number): void {
    if (n >= this.data.length) {
      let length = this.data.length
      while (length <= n) length *= 2
      const data = new Uint8Array(length)
      data.set(this.data)
      this.data = data
    }
    this.data[n] = value
  }
}
