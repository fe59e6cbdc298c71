/**
 * The CRC-32 of every subunit v2 packet: a damaged packet is reported at its own offset and read past, whatever
 * the chunking of the input; well-formed streams of big and small packets read clean.
 */
import { Readable } from 'node:stream'
import * as zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { readSubunit } from '../../src/results/subunit.js'
import { STATUS, packet, testPackets } from './subunit-writer.js'
import { prng } from '../helpers/prng.js'

describe('the v2 reader checks each packet', () => {
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
      // Pieces of odd sizes, so that packets carried over between chunks meet the damage too.
      const pieces: Buffer[] = []
      for (let p = 0; p < damaged.length;) {
        const size = 1 + Math.floor(rand() * 5000)
        pieces.push(damaged.subarray(p, p + size))
        p += size
      }
      const read = await readSubunit(Readable.from(pieces))
      expect(read.error?.offset).toBe(offset + second)
      // The final-status packet is the last of the test's: it ends with its stored CRC.
      const packetEnd = offset + tests[i].length
      const computed = zlib.crc32(damaged.subarray(offset + second, packetEnd - 4))
      const stored = damaged.readUInt32BE(packetEnd - 4)
      expect(read.error?.message).toBe(
        `Bad checksum - calculated (0x${computed.toString(16)}), stored (0x${stored.toString(16)})`
      )
      const statuses = read.tests.filter((t) => t.id !== 'subunit.parser').map((t) => t.status)
      expect(statuses.filter((s) => s === 'success')).toHaveLength(299)
      expect(read.tests.find((t) => t.id === `a.B.test_${i}`)?.status).toBe('inprogress')
    }
  })

  it('attachment chunks big and small mixed with status packets read clean', async () => {
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
