/** A minimal subunit v2 writer for tests (the layout of subunit.md §2; checked against its worked examples). */
import * as zlib from 'node:zlib'

export interface PacketSpec {
  id?: string
  /** 0 none, 1 exists, 2 inprogress, 3 success, 4 uxsuccess, 5 skip, 6 fail, 7 xfail */
  status?: number
  runnable?: boolean
  tags?: string[]
  /** Seconds and nanoseconds since the epoch. */
  time?: { seconds: number; nanos: number }
  mime?: string
  file?: { name: string; data: Buffer | string; eof?: boolean }
  route?: string
}

export const STATUS = {
  none: 0,
  exists: 1,
  inprogress: 2,
  success: 3,
  uxsuccess: 4,
  skip: 5,
  fail: 6,
  xfail: 7
}

export function varint(n: number): Buffer {
  if (n < 0x40) return Buffer.from([n])
  if (n < 0x4000) return Buffer.from([0x40 | (n >> 8), n & 0xff])
  if (n < 0x400000) return Buffer.from([0x80 | (n >> 16), (n >> 8) & 0xff, n & 0xff])
  return Buffer.from([0xc0 | (n >>> 24), (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff])
}

function str(s: string): Buffer {
  const b = Buffer.from(s, 'utf8')
  return Buffer.concat([varint(b.length), b])
}

function crc(data: Buffer): number {
  const native = (zlib as { crc32?: (d: Uint8Array) => number }).crc32
  if (!native) throw new Error('tests need zlib.crc32 (Node >= 20.15)')
  return native(data) >>> 0
}

export function packet(spec: PacketSpec): Buffer {
  let flags = 0x2000 | (spec.status ?? 0)
  const body: Buffer[] = []
  if (spec.runnable ?? true) flags |= 0x0100
  if (spec.time) {
    flags |= 0x0200
    const s = Buffer.alloc(4)
    s.writeUInt32BE(spec.time.seconds)
    body.push(s, varint(spec.time.nanos))
  }
  if (spec.id !== undefined) {
    flags |= 0x0800
    body.push(str(spec.id))
  }
  if (spec.tags) {
    flags |= 0x0080
    body.push(varint(spec.tags.length), ...spec.tags.map(str))
  }
  if (spec.mime !== undefined) {
    flags |= 0x0020
    body.push(str(spec.mime))
  }
  if (spec.file) {
    flags |= 0x0040
    if (spec.file.eof) flags |= 0x0010
    const data = typeof spec.file.data === 'string' ? Buffer.from(spec.file.data, 'utf8') : spec.file.data
    body.push(str(spec.file.name), varint(data.length), data)
  }
  if (spec.route !== undefined) {
    flags |= 0x0400
    body.push(str(spec.route))
  }
  const bodyLen = body.reduce((n, b) => n + b.length, 0)
  const base = 1 + 2 + bodyLen + 4
  const total = base + 1 <= 0x3f ? base + 1 : base + 2 <= 0x3fff ? base + 2 : base + 3
  const head = Buffer.from([0xb3, flags >> 8, flags & 0xff])
  const content = Buffer.concat([head, varint(total), ...body])
  const tail = Buffer.alloc(4)
  tail.writeUInt32BE(crc(content))
  return Buffer.concat([content, tail])
}

/** inprogress → (attachment chunks) → final status, the way testtools writes one test. */
export function testPackets(
  id: string,
  status: number,
  options: {
    seconds?: number
    tags?: string[]
    attachments?: { name: string; data: string | Buffer; chunk?: number }[]
  } = {}
): Buffer {
  const seconds = options.seconds ?? 1_795_694_400
  const out = [packet({ id, status: STATUS.inprogress, time: { seconds, nanos: 0 } })]
  for (const a of options.attachments ?? []) {
    const data = typeof a.data === 'string' ? Buffer.from(a.data, 'utf8') : a.data
    const size = a.chunk ?? 4096
    for (let i = 0; i < data.length || i === 0; i += size) {
      const last = i + size >= data.length
      out.push(
        packet({
          id,
          mime: 'text/plain; charset="utf8"',
          file: { name: a.name, data: data.subarray(i, i + size), eof: last }
        })
      )
      if (last) break
    }
  }
  out.push(
    packet({
      id,
      status,
      tags: options.tags ?? ['worker-0'],
      time: { seconds: seconds + 1, nanos: 250_000_000 }
    })
  )
  return Buffer.concat(out)
}
