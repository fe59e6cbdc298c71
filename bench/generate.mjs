/**
 * Deterministic Tempest-like subunit streams for the benchmark: `tests` tests spread over 4 workers, tempest
 * ids with idempotent ids and attributes, a timestamp on every status packet, ~10% failures carrying a ~2 KB
 * traceback (3 chunks in v2, as testtools sends it; one multipart part in v1, as stestr stores it).
 *
 * Among them, spread evenly through the stream, the tests of the 2020.06 platform program (the bundled
 * guideline's required capabilities of both components) under their real names and idempotent ids, so that the
 * action's verdict on these streams matches, passes and fails real required tests.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as zlib from 'node:zlib'

const GUIDELINE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'data',
  'guidelines',
  '2020.06.json'
)

/** The 2020.06 platform program's tests: { name, uuid } in guideline order (288 of them). */
export function platformTests() {
  const g = JSON.parse(readFileSync(GUIDELINE, 'utf8'))
  const caps = ['os_powered_compute', 'os_powered_storage'].flatMap(
    (c) => g.components[c].capabilities.required
  )
  const seen = new Set()
  const tests = []
  for (const cap of caps) {
    for (const [name, t] of Object.entries(g.capabilities[cap].tests)) {
      if (seen.has(name)) continue
      seen.add(name)
      tests.push({ name, uuid: t.idempotent_id.replace(/^id-/, '') })
    }
  }
  return tests
}

const SERVICES = ['compute.servers', 'identity.v3', 'object_storage', 'image.v2', 'network', 'volume']
const EPOCH = 1_795_694_400 // 2026-11-26T12:00:00Z

/** mulberry32: a tiny seeded PRNG, so every run writes the same bytes. */
function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function uuid(rand) {
  const hex = () => Math.floor(rand() * 16).toString(16)
  const part = (n) => Array.from({ length: n }, hex).join('')
  return `${part(8)}-${part(4)}-${part(4)}-${part(4)}-${part(12)}`
}

/** The tests, as plain data: id, worker, times (µs), and the traceback of the failing ones. */
export function* tempestTests(count, seed = 42) {
  const rand = prng(seed)
  const real = platformTests()
  // Test i is real test j when i = floor(j * count / real.length) (all of them when count >= 288).
  let nextReal = 0
  const realAt = (j) => (j < real.length ? Math.floor((j * count) / real.length) : -1)
  let clock = EPOCH * 1_000_000
  for (let i = 0; i < count; i++) {
    const service = SERVICES[i % SERVICES.length]
    const cls = `Test${service.replace(/[._]/g, '')}Case${Math.floor(i / 25)}`
    const attrs = [`id-${uuid(rand)}`]
    if (rand() < 0.3) attrs.push('smoke')
    let name = `tempest.api.${service}.test_module_${Math.floor(i / 100)}.${cls}.test_operation_number_${i}`
    if (realAt(nextReal) === i) {
      name = real[nextReal].name
      attrs[0] = `id-${real[nextReal].uuid}`
      nextReal++
    }
    const id = `${name}[${attrs.sort().join(',')}]`
    const start = clock
    clock += 1000 + Math.floor(rand() * 50_000)
    const stop = clock
    clock += 100
    const failed = rand() < 0.1
    let traceback
    if (failed) {
      const frames = []
      while (frames.join('').length < 1900) {
        frames.push(
          `  File "/usr/lib/python3/dist-packages/tempest/lib/common/rest_client.py", line ${100 + frames.length}, in request\n    resp, body = self._request(method, url, headers=headers, body=body)\n`
        )
      }
      traceback = [
        'Traceback (most recent call last):\n',
        frames.join(''),
        `tempest.lib.exceptions.ServerFault: Got server fault\nDetails: test ${i} got HTTP 500 from the cloud\n`
      ]
    }
    yield { id, worker: i % 4, start, stop, traceback }
  }
}

// ---------------------------------------------------------------------------------------------- v2 writer

function varint(n) {
  if (n < 0x40) return Buffer.from([n])
  if (n < 0x4000) return Buffer.from([0x40 | (n >> 8), n & 0xff])
  if (n < 0x400000) return Buffer.from([0x80 | (n >> 16), (n >> 8) & 0xff, n & 0xff])
  return Buffer.from([0xc0 | (n >>> 24), (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff])
}

function str(s) {
  const b = Buffer.from(s, 'utf8')
  return Buffer.concat([varint(b.length), b])
}

function packet({ id, status = 0, tags, micros, mime, file, eof }) {
  let flags = 0x2000 | 0x0100 | status
  const body = []
  if (micros !== undefined) {
    flags |= 0x0200
    const s = Buffer.alloc(4)
    s.writeUInt32BE(Math.floor(micros / 1_000_000))
    body.push(s, varint((micros % 1_000_000) * 1000))
  }
  flags |= 0x0800
  body.push(str(id))
  if (tags) {
    flags |= 0x0080
    body.push(varint(tags.length), ...tags.map(str))
  }
  if (mime) {
    flags |= 0x0020
    body.push(str(mime))
  }
  if (file) {
    flags |= 0x0040
    if (eof) flags |= 0x0010
    body.push(str(file.name), varint(file.data.length), file.data)
  }
  const bodyLen = body.reduce((n, b) => n + b.length, 0)
  const base = 1 + 2 + bodyLen + 4
  const total = base + 1 <= 0x3f ? base + 1 : base + 2 <= 0x3fff ? base + 2 : base + 3
  const content = Buffer.concat([Buffer.from([0xb3, flags >> 8, flags & 0xff]), varint(total), ...body])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(zlib.crc32(content) >>> 0)
  return Buffer.concat([content, crc])
}

const TRACEBACK_MIME = 'text/x-traceback; charset="utf8"; language="python"'

/** The v2 stream, as `tempest run --subunit` would print it (without the enumeration), in ~1 MiB pieces. */
export function* v2Stream(count, seed) {
  let pieces = []
  let size = 0
  const push = (p) => {
    pieces.push(p)
    size += p.length
  }
  for (const t of tempestTests(count, seed)) {
    push(packet({ id: t.id, status: 2, micros: t.start }))
    if (t.traceback) {
      t.traceback.forEach((chunk, k) => {
        push(
          packet({
            id: t.id,
            mime: TRACEBACK_MIME,
            file: { name: 'traceback', data: Buffer.from(chunk) },
            eof: k === t.traceback.length - 1
          })
        )
      })
    }
    push(packet({ id: t.id, status: t.traceback ? 6 : 3, tags: [`worker-${t.worker}`], micros: t.stop }))
    if (size >= 1 << 20) {
      yield Buffer.concat(pieces)
      pieces = []
      size = 0
    }
  }
  if (pieces.length) yield Buffer.concat(pieces)
}

function time(micros) {
  const d = new Date(Math.floor(micros / 1000))
  const us = String(micros % 1_000_000).padStart(6, '0')
  return `time: ${d.toISOString().slice(0, 19).replace('T', ' ')}.${us}Z\n`
}

/** The same tests as stestr stores them (`.stestr/N`, subunit v1), in ~1 MiB pieces. */
export function* v1Stream(count, seed) {
  let text = []
  let size = 0
  for (const t of tempestTests(count, seed)) {
    const tag = `worker-${t.worker}`
    let out = `${time(t.start)}tags: ${tag}\ntest: ${t.id}\n${time(t.stop)}`
    if (t.traceback) {
      const tb = t.traceback.join('')
      out +=
        `failure: ${t.id} [ multipart\nContent-Type: text/x-traceback;charset=utf8,language=python\ntraceback\n` +
        `${Buffer.byteLength(tb).toString(16).toUpperCase()}\r\n${tb}0\r\n]\n`
    } else {
      out += `successful: ${t.id} [ multipart\n]\n`
    }
    out += `tags: -${tag}\n`
    text.push(out)
    size += out.length
    if (size >= 1 << 20) {
      yield Buffer.from(text.join(''), 'utf8')
      text = []
      size = 0
    }
  }
  if (text.length) yield Buffer.from(text.join(''), 'utf8')
}
