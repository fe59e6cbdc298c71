import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import * as zlib from 'node:zlib'
import { describe, expect, it } from 'vitest'
import type { StreamRead, TestResult } from '../../src/results/model.js'
import {
  ATTACHMENT_CAP,
  parseSubunit,
  readSubunit,
  readSubunitFile,
  type SubunitRecord
} from '../../src/results/subunit.js'
import { STATUS, packet, testPackets } from './subunit-writer.js'

const FIXTURES = fileURLToPath(new URL('../../__fixtures__/subunit/', import.meta.url))
const fixture = (name: string): string => path.join(FIXTURES, name)

interface ExpectedAttachment {
  mime: string
  length: number
  sha256: string
  text?: string
  first_line?: string
  last_line?: string
}
interface ExpectedRecord {
  id: string
  status: string
  tags: string[]
  start: string | null
  stop: string | null
  attachments: Record<string, ExpectedAttachment>
}
interface Expected {
  file: string
  format: 'v1' | 'v2'
  bytes: number
  parser_errors?: string[]
  final: Record<string, string>
  records: ExpectedRecord[]
  summary: { distinct_ids: number }
}

const SAMPLES = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.expected.json'))
  .map((f) => f.replace(/\.expected\.json$/, ''))
const expectedOf = (name: string): Expected =>
  JSON.parse(readFileSync(fixture(`${name}.expected.json`), 'utf8'))

/** python's isoformat (µs) → the ms our Date keeps. */
const ms = (iso: string | null): number | undefined => {
  if (iso === null) return undefined
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(iso)!
  return Date.parse(`${m[1]}.${(m[2] ?? '000').slice(0, 3).padEnd(3, '0')}${m[3]}`)
}
const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex')

async function* chunked(data: Buffer, sizes: number[]): AsyncGenerator<Uint8Array> {
  let i = 0
  let k = 0
  while (i < data.length) {
    const n = sizes[k++ % sizes.length]
    yield new Uint8Array(data.subarray(i, i + n))
    i += n
  }
}

async function records(source: Buffer | AsyncIterable<Uint8Array>): Promise<SubunitRecord[]> {
  const out: SubunitRecord[] = []
  await parseSubunit(Buffer.isBuffer(source) ? Readable.from([source]) : source, {
    onRecord: (r) => out.push(r)
  })
  return out
}

const byId = (read: StreamRead): Map<string, TestResult> => new Map(read.tests.map((t) => [t.id, t]))

describe('every python-subunit sample', () => {
  it('has samples to check', () => {
    expect(SAMPLES.length).toBeGreaterThanOrEqual(10)
  })

  it.each(SAMPLES)('%s: final statuses are exactly python-subunit`s', async (name) => {
    const expected = expectedOf(name)
    const read = await readSubunitFile(fixture(name))
    expect(read.format).toBe(expected.format)
    expect(read.bytes).toBe(expected.bytes)
    expect(Object.fromEntries(read.tests.map((t) => [t.id, t.status]))).toEqual(expected.final)
    expect(read.tests).toHaveLength(expected.summary.distinct_ids)
    if (expected.parser_errors?.length) expect(read.error?.message).toBe(expected.parser_errors[0])
  })

  it.each(SAMPLES)('%s: records, tags, times and attachments match python`s', async (name) => {
    const expected = expectedOf(name)
    const got = await records(readFileSync(fixture(name)))
    expect(got.map((r) => [r.id, r.status])).toEqual(expected.records.map((r) => [r.id, r.status]))
    got.forEach((r, i) => {
      const want = expected.records[i]
      expect([...r.tags].sort(), r.id).toEqual(want.tags)
      expect(r.start, `${r.id} start`).toBe(ms(want.start))
      expect(r.stop, `${r.id} stop`).toBe(ms(want.stop))
      if (r.status === 'success') {
        expect(r.attachments).toEqual([])
        return
      }
      const lostConnection = want.attachments.traceback?.last_line?.includes('lost connection during')
      for (const [attName, att] of Object.entries(want.attachments)) {
        if (attName === 'Packet data') continue // python's raw bytes of a bad packet: not kept
        const mine = r.attachments.find((a) => a.name === attName)
        expect(mine, `${r.id}: ${attName}`).toBeDefined()
        if (lostConnection && attName === 'traceback') {
          expect(mine!.text).toContain(att.last_line!.replace(/^.*?: /, ''))
          continue
        }
        expect(mine!.bytes, `${r.id}: ${attName} size`).toBe(att.length)
        if (att.length <= ATTACHMENT_CAP) {
          expect(mine!.truncated).toBe(false)
          expect(sha256(Buffer.from(mine!.text, 'utf8')), `${r.id}: ${attName} bytes`).toBe(att.sha256)
        } else {
          expect(mine!.truncated).toBe(true)
        }
        if (att.text !== undefined) expect(mine!.text).toBe(att.text)
        if (att.last_line !== undefined) expect(mine!.text.trimEnd().split('\n').pop()).toBe(att.last_line)
      }
    })
  })

  it.each(SAMPLES)('%s: the same result whatever the chunking', async (name) => {
    const data = readFileSync(fixture(name))
    const whole = await readSubunit(Readable.from([data]))
    const tiny = await readSubunit(chunked(data, [1, 2, 3, 5, 7, 11, 13, 4096, 1]))
    expect(tiny).toEqual(whole)
  })
})

describe('format detection and sources', () => {
  it('reads a stestr repository file as v1 and stestr last --subunit as v2, with the same outcomes', async () => {
    const v1 = await readSubunitFile(fixture('stestr-repo-0.v1'))
    const v2 = await readSubunitFile(fixture('stestr-last.v2'))
    expect(v1.format).toBe('v1')
    expect(v2.format).toBe('v2')
    const statuses = (r: StreamRead): Record<string, string> =>
      Object.fromEntries(r.tests.map((t) => [t.id, t.status]))
    expect(statuses(v1)).toEqual(statuses(v2))
    expect(v1.error).toBeUndefined()
  })

  it('follows a v1 stream with a v2 rerun appended (and the reverse)', async () => {
    const v1 = Buffer.from('test: a.B.test_x\nfailure: a.B.test_x\n')
    const v2 = testPackets('a.B.test_x', STATUS.success)
    const forward = await readSubunit(Readable.from([Buffer.concat([v1, v2])]))
    expect(forward.format).toBe('v1')
    expect(forward.tests.map((t) => [t.id, t.status])).toEqual([['a.B.test_x', 'success']])
    expect(forward.error).toBeUndefined()
    const back = await readSubunit(
      Readable.from([Buffer.concat([v2, Buffer.from('test: a.B.test_y\nsuccess: a.B.test_y\n')])])
    )
    expect(back.format).toBe('v2')
    expect(back.tests.map((t) => [t.id, t.status])).toEqual([
      ['a.B.test_x', 'success'],
      ['a.B.test_y', 'success']
    ])
    expect(back.error).toBeUndefined()
  })

  it('concatenated v2 streams fold like python: a rerun that passes wins', async () => {
    const read = await readSubunitFile(fixture('rerun-concat.v2'))
    expect(read.tests.every((t) => t.status === 'success')).toBe(true)
    expect(read.tests.every((t) => t.attachments.length === 0)).toBe(true)
  })

  it('an id listed again (exists) after it completed keeps its completed status, as python`s final', async () => {
    const stream = Buffer.concat([
      packet({ id: 'a.B.listed_then_run', status: STATUS.exists }),
      testPackets('a.B.listed_then_run', STATUS.fail),
      testPackets('a.B.run_then_listed', STATUS.success),
      packet({ id: 'a.B.run_then_listed', status: STATUS.exists }),
      packet({ id: 'a.B.only_listed', status: STATUS.exists })
    ])
    const read = await readSubunit(Readable.from([stream]))
    expect(read.tests.map((t) => [t.id, t.status])).toEqual([
      ['a.B.listed_then_run', 'fail'],
      ['a.B.run_then_listed', 'success'],
      ['a.B.only_listed', 'exists']
    ])
    expect(read.tests[0].start?.toISOString()).toBe('2026-11-26T12:00:00.000Z')
  })

  it('accepts string chunks and an old-style stream', async () => {
    const read = await readSubunit(Readable.from(['test: x\n', 'success: x\n']))
    expect(read.tests.map((t) => t.status)).toEqual(['success'])
  })

  it('a source that fails mid-stream: what was read is kept, the error says where', async () => {
    const good = testPackets('a.B.test_1', STATUS.success)
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield good
      yield packet({ id: 'a.B.test_2', status: STATUS.inprogress })
      throw new Error('ssh channel closed')
    }
    const read = await readSubunit(failing())
    expect(read.tests.map((t) => [t.id, t.status])).toEqual([
      ['a.B.test_1', 'success'],
      ['a.B.test_2', 'inprogress']
    ])
    expect(read.error?.message).toMatch(/^Reading the stream failed after \d+ bytes: ssh channel closed$/)
    expect(read.error?.offset).toBe(read.bytes)
  })

  it('an empty file has zero tests and no error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'subunit-'))
    writeFileSync(path.join(dir, 'empty'), '')
    const read = await readSubunitFile(path.join(dir, 'empty'))
    expect(read).toEqual({ format: 'v1', tests: [], bytes: 0, distinct: 0, testsRun: 0 })
  })

  it('a missing file throws an error naming the path', async () => {
    const missing = path.join(tmpdir(), 'no-such-dir-subunit', '0')
    await expect(readSubunitFile(missing)).rejects.toThrow(missing)
    await expect(readSubunitFile(tmpdir())).rejects.toThrow(/is a directory/)
  })
})

describe('broken streams', () => {
  it('v1: a line over 8 MiB is skipped to its newline across chunks, the tests around it are read', async () => {
    const before = Buffer.from('test: a.B.test_1\nsuccess: a.B.test_1\nxx')
    const after = Buffer.from('\ntest: a.B.test_2\nfailure: a.B.test_2\n')
    const long = Buffer.alloc(9 * 1024 * 1024, 'x')
    const read = await readSubunit(chunked(Buffer.concat([before, long, after]), [300_000]))
    expect(read.tests.map((t) => [t.id, t.status])).toEqual([
      ['a.B.test_1', 'success'],
      ['a.B.test_2', 'fail']
    ])
    expect(read.error).toEqual({
      message: 'A line longer than 8388608 bytes (no newline); skipped to its end',
      offset: before.length - 2
    })
  })

  it('truncated v2: complete tests kept, the running test inprogress, error at the cut packet', async () => {
    const data = readFileSync(fixture('truncated.v2'))
    const read = await readSubunit(Readable.from([data]))
    // The cut packet starts 100 bytes before the end (README: "cut 100 bytes into the packet").
    expect(read.error).toEqual({
      message: 'Short read - got 94 bytes, wanted 4288 bytes',
      offset: data.length - 100
    })
    expect(data[read.error!.offset]).toBe(0xb3)
    const tests = byId(read)
    const running = [...tests.values()].find((t) => t.id.includes('test_create_container'))!
    expect(running.status).toBe('inprogress')
    expect(running.attachments.map((a) => [a.name, a.bytes])).toEqual([["pythonlogging:''", 98304]])
    expect(tests.get('subunit.parser')?.status).toBe('fail')
    expect([...tests.values()].filter((t) => t.status === 'success')).toHaveLength(5)
  })

  it('truncated v1: the test cut in its failure report fails with "lost connection", error at its outcome line', async () => {
    const data = readFileSync(fixture('truncated.v1'))
    const read = await readSubunit(Readable.from([data]))
    const cut = read.tests.at(-1)!
    expect(cut.id).toContain('test_create_container')
    expect(cut.status).toBe('fail')
    expect(cut.attachments.find((a) => a.name === 'traceback')?.text).toBe(
      `lost connection during failure report of test '${cut.id}'`
    )
    expect(read.error?.message).toContain('ends in the middle of the failure report of test')
    expect(read.error?.offset).toBe(data.indexOf(`failure: ${cut.id} [ multipart`))
    expect(read.tests).toHaveLength(9)
  })

  it('v1 cut inside a test (before its outcome) fails it with "lost connection during test"', async () => {
    const read = await readSubunit(
      Readable.from(['time: 2026-11-26 12:00:00.000000Z\ntest: a.B.c\nsuccess: a.B.c\ntest: a.B.d\n'])
    )
    expect(read.tests.map((t) => [t.id, t.status])).toEqual([
      ['a.B.c', 'success'],
      ['a.B.d', 'fail']
    ])
    expect(read.tests[1].attachments[0].text).toBe("lost connection during test 'a.B.d'")
    expect(read.error?.offset).toBe('time: 2026-11-26 12:00:00.000000Z\ntest: a.B.c\nsuccess: a.B.c\n'.length)
  })

  it('a CRC mismatch fails subunit.parser, keeps the tests around it, and gives the offset', async () => {
    const before = testPackets('a.B.test_1', STATUS.success)
    const bad = testPackets('a.B.test_2', STATUS.success)
    const after = testPackets('a.B.test_3', STATUS.fail)
    const corrupt = Buffer.from(bad)
    const second = corrupt.indexOf(0xb3, 1) // the final-status packet of test_2
    corrupt[second + 10] ^= 0xff
    const read = await readSubunit(Readable.from([Buffer.concat([before, corrupt, after])]))
    expect(read.error?.message).toMatch(/^Bad checksum - calculated \(0x[0-9a-f]+\), stored \(0x[0-9a-f]+\)$/)
    expect(read.error?.offset).toBe(before.length + second)
    expect(read.tests.map((t) => [t.id, t.status])).toEqual([
      ['a.B.test_1', 'success'],
      ['a.B.test_2', 'inprogress'],
      ['subunit.parser', 'fail'],
      ['a.B.test_3', 'fail']
    ])
  })

  it('garbage between v2 packets is reported at its offset and skipped', async () => {
    const one = testPackets('a.B.test_1', STATUS.success)
    const two = testPackets('a.B.test_2', STATUS.success)
    const read = await readSubunit(Readable.from([Buffer.concat([one, Buffer.from('\x00\x01garbage'), two])]))
    expect(read.error?.offset).toBe(one.length)
    expect(read.error?.message).toMatch(/9 bytes of non-subunit data \(0x00…\)/)
    expect(read.tests.map((t) => t.status)).toEqual(['success', 'success'])
  })

  it('a file that is no subunit at all is an error at offset 0, with zero tests', async () => {
    const read = await readSubunit(Readable.from([randomBytes(5000).map((b) => (b === 0xb3 ? 0 : b))]))
    expect(read.tests).toEqual([])
    expect(read.error?.offset).toBe(0)
    expect(read.error?.message).toMatch(/^Not a subunit stream/)
    const text = await readSubunit(Readable.from(['just some\nlog output\n']))
    expect(text.error?.message).toMatch(/^Not a subunit stream/)
  })

  it('rejects a 4-byte packet length and a length shorter than the header', async () => {
    const good = testPackets('a.B.t', STATUS.success)
    const fourByte = Buffer.from([0xb3, 0x29, 0x02, 0xc0, 0x00, 0x00])
    const tooShort = Buffer.from([0xb3, 0x29, 0x02, 0x05, 0x00, 0x00])
    const read = await readSubunit(Readable.from([Buffer.concat([fourByte, good])]))
    expect(read.error).toEqual({ message: '3 byte maximum given but 4 byte value found.', offset: 0 })
    expect(byId(read).get('a.B.t')?.status).toBe('success')
    const short = await readSubunit(Readable.from([Buffer.concat([good, tooShort, fourByte])]))
    expect(short.error).toEqual({
      message: 'Packet length 5 is shorter than its header and checksum (and 1 more problems)',
      offset: good.length
    })
    expect(short.tests.map((t) => [t.id, t.status])).toEqual([
      ['a.B.t', 'success'],
      ['subunit.parser', 'fail']
    ])
  })

  it('rejects a string that is not UTF-8 (the packet fails, the stream goes on)', async () => {
    const p = packet({ id: 'a.B.\u00e9', status: STATUS.success })
    const at = p.indexOf(Buffer.from('\u00e9'))
    p[at + 1] = 0x28 // break the sequence, then fix the CRC
    p.writeUInt32BE(
      (zlib as unknown as { crc32: (d: Uint8Array) => number }).crc32(p.subarray(0, p.length - 4)) >>> 0,
      p.length - 4
    )
    const read = await readSubunit(Readable.from([p, testPackets('a.B.ok', STATUS.success)]))
    expect(read.error?.message).toMatch(/is not UTF8/)
    expect(read.tests.map((t) => [t.id, t.status])).toEqual([
      ['subunit.parser', 'fail'],
      ['a.B.ok', 'success']
    ])
  })
})

describe('v2 packets', () => {
  it('writes the worked examples of subunit.md byte for byte (so the test writer is trustworthy)', () => {
    expect(packet({ id: 't', status: STATUS.inprogress }).toString('hex')).toBe('b329020a017408a04434')
    expect(
      packet({
        id: 'tempest.a.B.test_c[id-1,smoke]',
        status: STATUS.success,
        time: { seconds: 1_795_694_400, nanos: 250_000_000 },
        tags: ['worker-0']
      }).toString('hex')
    ).toBe(
      'b32b83396b081f40cee6b2801e74656d706573742e612e422e746573745f635b69642d312c736d6f6b655d0108776f726b65722d3066280' +
        '4a6'
    )
    expect(
      packet({
        id: 'x',
        mime: 'text/plain;charset=utf8',
        file: { name: 'traceback', data: 'Boom\n', eof: true }
      }).toString('hex')
    ).toBe(
      'b3297032017817746578742f706c61696e3b636861727365743d757466380974726163656261636b05426f6f6d0ad50a159a'
    )
    expect(packet({ id: 'x', status: STATUS.exists, runnable: false, route: '0' }).toString('hex')).toBe(
      'b32c010c01780130e6763c01'
    )
  })

  it('reads timestamps, tags, route codes and many-chunk attachments', async () => {
    const id = 'tempest.a.B.test_c[id-1,smoke]'
    const stream = Buffer.concat([
      packet({ id, status: STATUS.exists, runnable: false, route: '0' }),
      packet({
        id,
        status: STATUS.inprogress,
        time: { seconds: 1_795_694_400, nanos: 250_000_000 },
        route: '0'
      }),
      packet({ id, mime: 'text/plain', file: { name: 'log', data: 'a'.repeat(70_000) }, route: '0' }),
      packet({ id, file: { name: 'log', data: 'b' }, route: '0' }),
      packet({ id, file: { name: 'log', data: '', eof: true }, route: '0' }),
      packet({
        id,
        mime: 'text/x-traceback',
        file: { name: 'traceback', data: 'Boom\n', eof: true },
        route: '0'
      }),
      packet({
        id,
        status: STATUS.fail,
        tags: ['worker-1', 'b-tag'],
        time: { seconds: 1_795_694_401, nanos: 999_999 },
        route: '0'
      })
    ])
    const got = await records(stream)
    expect(got.map((r) => [r.status, r.routeCode])).toEqual([
      ['exists', '0'],
      ['fail', '0']
    ])
    const fail = got[1]
    expect(fail.tags).toEqual(['b-tag', 'worker-1'])
    expect(new Date(fail.start!).toISOString()).toBe('2026-11-26T12:00:00.250Z')
    expect(new Date(fail.stop!).toISOString()).toBe('2026-11-26T12:00:01.000Z')
    expect(fail.attachments.map((a) => [a.name, a.bytes, a.truncated])).toEqual([
      ['log', 70_001, true],
      ['traceback', 5, false]
    ])
  })

  it('keeps attachments only for tests that did not pass', async () => {
    const att = [{ name: 'stdout', data: 'hello\n' }]
    const read = await readSubunit(
      Readable.from([
        Buffer.concat([
          testPackets('a.B.pass', STATUS.success, { attachments: att }),
          testPackets('a.B.skip', STATUS.skip, { attachments: [{ name: 'reason', data: 'no swift' }] }),
          testPackets('a.B.xfail', STATUS.xfail, { attachments: att })
        ])
      ])
    )
    expect(read.tests.map((t) => [t.id, t.attachments.map((a) => a.text)])).toEqual([
      ['a.B.pass', []],
      ['a.B.skip', ['no swift']],
      ['a.B.xfail', ['hello\n']]
    ])
  })
})

describe('attachment cap', () => {
  const traceback = (size: number): string => {
    const lines: string[] = ['Traceback (most recent call last):']
    let n = 0
    let length = lines[0].length
    while (length < size) {
      lines.push(`  File "/x/y.py", line ${n++}, in f — ünïcødé`)
      length += lines[n].length + 1
    }
    lines.push('AssertionError: the real message is at the end')
    return lines.join('\n') + '\n'
  }

  it.each([
    [1000, false],
    [ATTACHMENT_CAP, false],
    [ATTACHMENT_CAP + 1, true],
    [5 * 1024 * 1024, true]
  ])(
    'an attachment of %i bytes: truncated=%s, never more than 64 KiB, head and end kept',
    async (size, truncated) => {
      let text = traceback(size)
      const bytes = Buffer.from(text, 'utf8')
      text = bytes.subarray(0, size).toString('utf8') // exact size may cut a character: compare bytes below
      const data = bytes.subarray(0, Math.min(size, bytes.length))
      const read = await readSubunit(
        Readable.from([
          testPackets('a.B.t', STATUS.fail, { attachments: [{ name: 'traceback', data, chunk: 3000 }] })
        ])
      )
      const att = read.tests[0].attachments[0]
      expect(att.bytes).toBe(data.length)
      expect(att.truncated).toBe(truncated)
      expect(Buffer.byteLength(att.text, 'utf8')).toBeLessThanOrEqual(ATTACHMENT_CAP)
      expect(att.text).not.toContain('\ufffd')
      if (!truncated) {
        expect(Buffer.from(att.text, 'utf8').equals(data)).toBe(true)
      } else {
        expect(att.text.startsWith('Traceback (most recent call last):\n')).toBe(true)
        expect(att.text).toMatch(/\n\[\.\.\. \d+ bytes omitted \.\.\.\]\n/)
        const omitted = Number(/\[\.\.\. (\d+) bytes omitted/.exec(att.text)![1])
        const marker = `\n[... ${omitted} bytes omitted ...]\n`
        expect(Buffer.byteLength(att.text) - Buffer.byteLength(marker) + omitted).toBe(data.length)
        expect(
          data
            .subarray(data.length - 100)
            .toString('utf8')
            .slice(-40)
        ).toBe(att.text.slice(-40))
      }
    }
  )

  it('the 200 KiB log of the python sample is capped and marked', async () => {
    const read = await readSubunitFile(fixture('python-subunit-run.v2'))
    const t = read.tests.find((x) => x.id.includes('test_create_container'))!
    const log = t.attachments.find((a) => a.name === "pythonlogging:''")!
    expect(log).toMatchObject({ truncated: true, bytes: 204_800 })
    expect(Buffer.byteLength(log.text)).toBeLessThanOrEqual(ATTACHMENT_CAP)
    expect(t.attachments.find((a) => a.name === 'traceback')?.truncated).toBe(false)
  })
})

describe('v1 text protocol', () => {
  const v1 = async (text: string): Promise<StreamRead> =>
    readSubunit(Readable.from([Buffer.from(text, 'utf8')]))

  it('simple details: skip reason, failure traceback with an escaped "]" line, success message dropped', async () => {
    const read = await v1(
      [
        'test: pkg.C.test_skip',
        'skip: pkg.C.test_skip [',
        'no swift',
        ']',
        'test: pkg.C.test_fail',
        'failure: pkg.C.test_fail [',
        'Traceback (most recent call last):',
        ' ]',
        'AssertionError: x',
        ']',
        'test pkg.C.test_ok',
        'successful pkg.C.test_ok [',
        'all good',
        ']',
        ''
      ].join('\n')
    )
    expect(read.tests.map((t) => [t.id, t.status, t.attachments.map((a) => [a.name, a.text])])).toEqual([
      ['pkg.C.test_skip', 'skip', [['reason', 'no swift\n']]],
      [
        'pkg.C.test_fail',
        'fail',
        [['traceback', 'Traceback (most recent call last):\n]\nAssertionError: x\n']]
      ],
      ['pkg.C.test_ok', 'success', []]
    ])
  })

  it('multipart details: hex sizes counted in bytes, glued terminators, several parts', async () => {
    const reason = 'Feature not enabled — ñ'
    const size = Buffer.byteLength(reason).toString(16)
    const read = await v1(
      [
        'time: 2026-11-26 12:00:00.250000Z',
        'tags: worker-0',
        'test: __main__.T.test_x',
        'time: 2026-11-26 12:00:01.500000Z',
        'failure: __main__.T.test_x [ multipart',
        'Content-Type: text/plain;charset=utf8',
        'log',
        '14\r',
        'xxxxxxxxxxxxxxxxxxxx0\r',
        'Content-Type: text/x-traceback;charset=utf8,language=python',
        'traceback',
        '24\r',
        'Traceback...\nAssertionError: 1 != 2\n0\r',
        ']',
        'test: __main__.T.test_y',
        `skip: __main__.T.test_y [ multipart`,
        'Content-Type: text/plain;charset=utf8',
        'reason',
        `${size}\r`,
        `${reason}0\r`,
        ']',
        'progress: 3',
        ''
      ].join('\n')
    )
    expect(read.error).toBeUndefined()
    const [x, y] = read.tests
    expect(x).toMatchObject({ id: '__main__.T.test_x', status: 'fail', tags: ['worker-0'] })
    expect(x.start?.toISOString()).toBe('2026-11-26T12:00:00.250Z')
    expect(x.stop?.toISOString()).toBe('2026-11-26T12:00:01.500Z')
    expect(x.attachments.map((a) => [a.name, a.text])).toEqual([
      ['log', 'x'.repeat(20)],
      ['traceback', 'Traceback...\nAssertionError: 1 != 2\n']
    ])
    expect(y.attachments).toEqual([
      {
        name: 'reason',
        text: reason,
        truncated: false,
        bytes: Buffer.byteLength(reason)
      }
    ])
  })

  it('error: is a fail; xfail and uxsuccess keep their names; outcome lines for another id are ignored', async () => {
    const read = await v1(
      [
        'test: a.T.e',
        'error: a.T.e',
        'test: a.T.x',
        'xfail: a.T.x',
        'test: a.T.u',
        'uxsuccess: a.T.u',
        'test: a.T.w',
        'success: a.T.other',
        'success: a.T.w',
        ''
      ].join('\n')
    )
    expect(read.tests.map((t) => [t.id, t.status])).toEqual([
      ['a.T.e', 'fail'],
      ['a.T.x', 'xfail'],
      ['a.T.u', 'uxsuccess'],
      ['a.T.w', 'success']
    ])
    expect(read.tests.some((t) => t.id === 'a.T.other')).toBe(false)
  })

  it('tags: outside a test for the rest of the stream, inside a test for that test only', async () => {
    const read = await v1(
      [
        'tags: global1 global2',
        'test: a.T.one',
        'tags: local -global2',
        'success: a.T.one',
        'test: a.T.two',
        'success: a.T.two',
        ''
      ].join('\n')
    )
    expect(read.tests.map((t) => [t.id, t.tags])).toEqual([
      ['a.T.one', ['global1', 'local']],
      ['a.T.two', ['global1', 'global2']]
    ])
  })

  it('foreign lines pass through without effect', async () => {
    const read = await v1(
      'some output\n  indented: thing\ntest: a.T.t\nprint from test\nsuccess: a.T.t\ntrailer\n'
    )
    expect(read.tests.map((t) => [t.id, t.status])).toEqual([['a.T.t', 'success']])
    expect(read.error).toBeUndefined()
  })

  it('a malformed chunk size fails the test with a message and reading goes on', async () => {
    const text =
      'test: a.T.t\nfailure: a.T.t [ multipart\nContent-Type: text/plain\ntraceback\nzz\r\n]\ntest: a.T.u\nsuccess: a.T.u\n'
    const read = await v1(text)
    expect(read.tests.map((t) => [t.id, t.status])).toEqual([
      ['a.T.t', 'fail'],
      ['a.T.u', 'success']
    ])
    expect(read.error).toEqual({
      message: "Malformed chunk size in attachment 'traceback' of test 'a.T.t'",
      offset: text.indexOf('zz')
    })
  })
})
