/**
 * CRC-32 of subunit v2 packets: the per-packet check, and runs of small packets checked with one native pass
 * (their result must be exactly what checking each packet alone gives).
 */
import { Readable } from 'node:stream'
import * as zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { BATCH_BELOW, crc32, crc32Js, verifiedRun } from '../../src/results/crc32.js'
import { readSubunit } from '../../src/results/subunit.js'
import { STATUS, packet, testPackets } from './subunit-writer.js'
import { prng } from '../helpers/prng.js'

/** A well-formed packet of `length` bytes (7 to 16 383) with random content and a right CRC. */
function rawPacket(length: number, rand: () => number): Buffer {
  const lenBytes = length <= 63 ? 1 : 2
  const head =
    lenBytes === 1 ? [0xb3, 0x20, 0x00, length] : [0xb3, 0x20, 0x00, 0x40 | (length >> 8), length & 0xff]
  const body = Buffer.from(Array.from({ length: length - 4 - head.length }, () => Math.floor(rand() * 256)))
  const content = Buffer.concat([Buffer.from(head), body])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(zlib.crc32(content) >>> 0)
  return Buffer.concat([content, crc])
}

/** Each packet checked alone: the offsets of the bad ones. */
function badOffsets(buf: Buffer, lengths: number[]): number[] {
  const bad: number[] = []
  let p = 0
  for (const length of lengths) {
    if (crc32(buf, p, p + length - 4) !== buf.readUInt32BE(p + length - 4)) bad.push(p)
    p += length
  }
  return bad
}

describe('crc32', () => {
  it('the JS table loop and the dispatching crc32 agree with zlib', () => {
    const rand = prng(7)
    for (const size of [0, 1, 7, 8, 15, 16, 17, BATCH_BELOW - 1, BATCH_BELOW, 1000, 65_537]) {
      const data = Buffer.from(Array.from({ length: size + 5 }, () => Math.floor(rand() * 256)))
      const want = zlib.crc32(data.subarray(3, 3 + size)) >>> 0
      expect(crc32Js(data, 3, 3 + size)).toBe(want)
      expect(crc32(data, 3, 3 + size)).toBe(want)
    }
  })

  it('a run of right packets is verified whole, of every length under the batch limit', () => {
    const rand = prng(1)
    const lengths = Array.from({ length: BATCH_BELOW - 8 }, (_, i) => i + 8)
    const buf = Buffer.concat(lengths.map((n) => rawPacket(n, rand)))
    expect(verifiedRun(buf, 0, buf.length, buf.length)).toEqual({ verified: buf.length, scanned: buf.length })
  })

  it('agrees with packet-by-packet checks under every kind of damage', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const rand = prng(seed)
      const lengths = Array.from({ length: 2 + Math.floor(rand() * 12) }, () => 8 + Math.floor(rand() * 250))
      const buf = Buffer.concat(lengths.map((n) => rawPacket(n, rand)))
      // One to three flipped bits in contents or CRCs (not in the headers: those change the framing).
      const flips = 1 + Math.floor(rand() * 3)
      let p = 0
      const starts = lengths.map((n) => ((p += n), p - n))
      for (let f = 0; f < flips; f++) {
        const k = Math.floor(rand() * lengths.length)
        const at = starts[k] + 5 + Math.floor(rand() * (lengths[k] - 5))
        buf[at] ^= 1 << Math.floor(rand() * 8)
      }
      const bad = badOffsets(buf, lengths)
      const run = verifiedRun(buf, 0, buf.length, buf.length)
      expect(run.scanned, `seed ${seed}`).toBe(buf.length)
      expect(run.verified, `seed ${seed}`).toBe(bad.length === 0 ? buf.length : 0)
    }
  })

  it('stops a run before a large packet, a foreign byte, an incomplete packet or the limit', () => {
    const rand = prng(3)
    const small = [rawPacket(40, rand), rawPacket(100, rand), rawPacket(200, rand)]
    const head = Buffer.concat(small)
    const big = rawPacket(BATCH_BELOW, rand)
    expect(verifiedRun(Buffer.concat([head, big]), 0, head.length + big.length, 1 << 20)).toEqual({
      verified: head.length,
      scanned: head.length
    })
    const foreign = Buffer.concat([head, Buffer.from('test: x\n')])
    expect(verifiedRun(foreign, 0, foreign.length, 1 << 20).verified).toBe(head.length)
    expect(verifiedRun(head, 0, head.length - 1, 1 << 20).verified).toBe(140)
    expect(verifiedRun(head, 0, head.length, 140).verified).toBe(140)
    // One packet is no run: the caller checks it alone.
    expect(verifiedRun(head, 0, 40, 1 << 20)).toEqual({ verified: 0, scanned: 40 })
  })
})

describe('the v2 reader with runs of packets checked at once', () => {
  it('a bad CRC anywhere in a long stream is found at its packet, as checking each packet finds it', async () => {
    const tests = Array.from({ length: 300 }, (_, i) => testPackets(`a.B.test_${i}`, STATUS.success))
    const clean = Buffer.concat(tests)
    const whole = await readSubunit(Readable.from([clean]))
    expect(whole.error).toBeUndefined()
    expect(whole.tests).toHaveLength(300)
    const rand = prng(11)
    for (let trial = 0; trial < 30; trial++) {
      const i = Math.floor(rand() * 300)
      const offset = tests.slice(0, i).reduce((n, t) => n + t.length, 0)
      const second = tests[i].indexOf(0xb3, 1)
      const damaged = Buffer.from(clean)
      damaged[offset + second + 8] ^= 0x10
      // Pieces of odd sizes, so runs and carried-over packets both meet the damage.
      const pieces: Buffer[] = []
      for (let p = 0; p < damaged.length;) {
        const size = 1 + Math.floor(rand() * 5000)
        pieces.push(damaged.subarray(p, p + size))
        p += size
      }
      const read = await readSubunit(Readable.from(pieces))
      expect(read.error?.offset).toBe(offset + second)
      expect(read.error?.message).toMatch(/^Bad checksum/)
      const statuses = read.tests.filter((t) => t.id !== 'subunit.parser').map((t) => t.status)
      expect(statuses.filter((s) => s === 'success')).toHaveLength(299)
      expect(read.tests.find((t) => t.id === `a.B.test_${i}`)?.status).toBe('inprogress')
    }
  })

  it('attachment chunks big and small mixed with status packets read as without runs', async () => {
    const log = Buffer.from('x'.repeat(10_000))
    const stream = Buffer.concat([
      testPackets('a.B.ok', STATUS.success),
      testPackets('a.B.bad', STATUS.fail, { attachments: [{ name: 'traceback', data: log, chunk: 700 }] }),
      testPackets('a.B.small', STATUS.fail, { attachments: [{ name: 'traceback', data: log, chunk: 50 }] }),
      packet({ id: 'a.B.ok2', status: STATUS.success })
    ])
    const read = await readSubunit(Readable.from([stream]))
    expect(read.error).toBeUndefined()
    expect(read.tests.map((t) => [t.id, t.status, t.attachments[0]?.text.length])).toEqual([
      ['a.B.ok', 'success', undefined],
      ['a.B.bad', 'fail', 10_000],
      ['a.B.small', 'fail', 10_000],
      ['a.B.ok2', 'success', undefined]
    ])
  })
})
