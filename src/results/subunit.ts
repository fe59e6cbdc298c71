/**
 * Reading a subunit stream, v1 or v2, chosen by the first byte (0xB3 starts a v2 packet). The input is consumed
 * chunk by chunk; a stream that switches format at a boundary (a v1 file with a v2 rerun appended, or the
 * reverse) is followed across the switch. Results are folded as python-subunit/testtools do (testtools' `StreamToDict`).
 */
import { readSync } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { crc32 } from 'node:zlib'
import { ActionError } from '../errors.js'
import { FAILED, type StreamRead, type TestResult, type TestStatus } from './model.js'
import {
  RecordFolder,
  TagInterner,
  type ChunkParser,
  type Handoff,
  type ParseContext,
  type RecordSink,
  type SubunitRecord
} from './records.js'
import { SubunitV1Parser } from './subunit-v1.js'
import { SIGNATURE, SubunitV2Parser } from './subunit-v2.js'
import { baseName, parseFixture } from './test-id.js'

export type { RecordSink, SubunitRecord } from './records.js'
export { ATTACHMENT_CAP } from './records.js'

/** The stream's bytes in pieces: a file's chunks, a Node stream (`Readable` is async iterable), strings. */
export type SubunitSource = AsyncIterable<Uint8Array | string>

/** What `parseSubunit` learned about the stream itself. */
export type StreamInfo = Pick<StreamRead, 'format' | 'bytes' | 'error'>

function toBuffer(piece: Uint8Array | string): Buffer {
  if (typeof piece === 'string') return Buffer.from(piece, 'utf8')
  return Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength)
}

/**
 * The streaming core: every record is handed to `sink` as it completes (records of passed tests carry no
 * attachments), so memory stays flat whatever the stream's size. Never throws for bad content: problems end up
 * in `error` (the first one, with its byte offset) and reading goes on past them where it can.
 */
export async function parseSubunit<S>(source: SubunitSource, sink: RecordSink<S>): Promise<StreamInfo> {
  let first: { message: string; offset: number } | undefined
  let problems = 0
  const ctx: ParseContext = {
    folder: new RecordFolder(sink as RecordSink),
    tags: new TagInterner(),
    protocol: false,
    error(message: string, offset: number): void {
      problems++
      first ??= { message, offset }
    }
  }
  let parser: ChunkParser | undefined
  let format: 'v1' | 'v2' = 'v1'
  let bytes = 0
  const handOver = (from: ChunkParser, handoff: Handoff): ChunkParser =>
    from instanceof SubunitV2Parser
      ? new SubunitV1Parser(ctx, handoff.offset)
      : new SubunitV2Parser(ctx, handoff.offset)
  const pieces = source[Symbol.asyncIterator]()
  for (;;) {
    // Only the source's own failures (a read error, a dropped connection) become a stream error; a bug in a
    // parser or a sink still throws.
    let step: IteratorResult<Uint8Array | string>
    try {
      step = await pieces.next()
    } catch (e) {
      ctx.error(
        `Reading the stream failed after ${bytes} bytes: ${e instanceof Error ? e.message : String(e)}`,
        bytes
      )
      break
    }
    if (step.done) break
    const chunk = toBuffer(step.value)
    if (chunk.length === 0) continue
    if (parser === undefined) {
      format = chunk[0] === SIGNATURE ? 'v2' : 'v1'
      parser = format === 'v2' ? new SubunitV2Parser(ctx) : new SubunitV1Parser(ctx)
    }
    bytes += chunk.length
    let handoff = parser.push(chunk)
    while (handoff) {
      parser = handOver(parser, handoff)
      handoff = parser.push(handoff.rest)
    }
  }
  if (parser) {
    let handoff = parser.end()
    while (handoff) {
      parser = handOver(parser, handoff)
      handoff = parser.push(handoff.rest) ?? parser.end()
    }
  }
  ctx.folder.finish()
  if (bytes > 0 && !ctx.protocol && problems === 0) {
    ctx.error(`Not a subunit stream: none of its ${bytes} bytes is a v2 packet or a v1 protocol line`, 0)
  }
  const info: StreamInfo = { format, bytes }
  if (first) {
    info.error =
      problems > 1
        ? { message: `${first.message} (and ${problems - 1} more problems)`, offset: first.offset }
        : first
  }
  return info
}

interface Slot {
  result: TestResult | null
}

/**
 * How much a record of an id says about it, for folding several records of one id (a rerun appended, two
 * workers, concatenated files): a pass in any attempt is a pass (RefStack counts a test passed when any of its
 * results passed); a failure outweighs a record that did not finish, which outweighs a skip, which outweighs a
 * bare enumeration. Records of equal weight keep the first. Order never matters.
 */
const WEIGHT: Readonly<Record<TestStatus, number>> = {
  success: 5,
  fail: 4,
  uxsuccess: 4,
  xfail: 3,
  inprogress: 2,
  unknown: 2,
  skip: 1,
  exists: 0
}

/**
 * Folds one completed record into its id's slot: the weightiest record decides (see WEIGHT). A passed result
 * that another record of the id contradicts carries that failed record in `failedRecord`.
 */
function settle(slot: Slot, r: SubunitRecord): void {
  const previous = slot.result
  if (previous !== null && WEIGHT[r.status] <= WEIGHT[previous.status]) {
    if (previous.status === 'success' && FAILED.has(r.status) && previous.failedRecord === undefined)
      previous.failedRecord = toResult(r)
    return
  }
  const t = toResult(r)
  if (t.status === 'success' && previous !== null) {
    const failure = FAILED.has(previous.status) ? previous : previous.failedRecord
    if (failure !== undefined) t.failedRecord = failure
  }
  slot.result = t
}

function toResult(r: SubunitRecord): TestResult {
  const t: TestResult = { id: r.id, status: r.status, tags: r.tags as string[], attachments: r.attachments }
  if (r.start !== undefined) t.start = new Date(r.start)
  if (r.stop !== undefined) t.stop = new Date(r.stop)
  return t
}

/**
 * Counts distinct test ids without keeping them, off the JS heap: each id is noted as one number, its length and
 * its CRC-32, and the numbers are counted once sorted. 100 000 ids cost 800 KB here, where a Set of the id
 * strings grows a process by ~50 MiB. Two different ids count as one only when they have the same length and the
 * same CRC-32, which never happens for ids that differ within 4 consecutive bytes, and has a chance of about
 * n² / 2^33 per length otherwise.
 */
class DistinctIds {
  private keys = new Float64Array(1024)
  private count = 0

  add(id: string): void {
    if (this.count === this.keys.length) {
      const grown = new Float64Array(2 * this.count)
      grown.set(this.keys)
      this.keys = grown
    }
    this.keys[this.count++] = (id.length % 2 ** 21) * 2 ** 32 + crc32(id)
  }

  get size(): number {
    const sorted = this.keys.subarray(0, this.count).sort()
    let distinct = 0
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++
    return distinct
  }
}

/**
 * Reads a stream, the one reader of every pass (the run, its reruns, report-only): one result per test id, in
 * the order of each id's first event, folded from all of the id's records (see `settle`: a pass in any record
 * is a pass, and a failed record beside it is kept as `failedRecord`). With `wanted`, only the results whose
 * base name is in it and the class/module fixture pseudo-tests are kept and the other ids only counted, so that
 * memory does not grow with the stream. Attachments are kept only for kept tests that did not pass, each capped
 * at 64 KiB.
 */
export async function readSubunit(source: SubunitSource, wanted?: ReadonlySet<string>): Promise<StreamRead> {
  const keep = (id: string): boolean =>
    wanted === undefined || wanted.has(baseName(id)) || parseFixture(id) !== undefined
  // The kept ids' slots, in the order of their first event: the result that decides the id, null until a
  // record of it completes. The folder hands the slot back with each record.
  const kept = new Map<string, Slot>()
  const ids = new DistinctIds()
  // Ids of the records that ran (any status but `exists`), the parser's own `subunit.parser` left out.
  const ran = new DistinctIds()
  const info = await parseSubunit<Slot | undefined>(source, {
    onOpen(id: string): Slot | undefined {
      let slot = kept.get(id)
      if (slot === undefined && keep(id)) kept.set(id, (slot = { result: null }))
      return slot
    },
    keepsAttachments: (slot: Slot | undefined): boolean => slot !== undefined,
    onRecord(r: SubunitRecord, slot: Slot | undefined): void {
      ids.add(r.id)
      if (r.status !== 'exists' && r.id !== 'subunit.parser') ran.add(r.id)
      if (slot !== undefined) settle(slot, r)
    }
  })
  const tests = [...kept.values()].flatMap((slot) => slot.result ?? [])
  return { ...info, tests, distinct: ids.size, testsRun: ran.size }
}

/** Read size for files: big enough to keep system calls rare, small enough to stay in the L2 cache. */
const FILE_CHUNK = 256 * 1024

/**
 * The file's bytes in chunks, read synchronously into one reused buffer (the parsers copy whatever they keep).
 * A local file read from the page cache takes microseconds; overlapping it with parsing through the thread pool
 * costs more in hand-offs than it saves.
 */
async function* fileChunks(handle: FileHandle): AsyncGenerator<Buffer> {
  const buffer = Buffer.allocUnsafe(FILE_CHUNK)
  try {
    for (;;) {
      const bytesRead = readSync(handle.fd, buffer, 0, FILE_CHUNK, null)
      if (bytesRead === 0) return
      yield buffer.subarray(0, bytesRead)
    }
  } finally {
    await handle.close()
  }
}

/** The opened stream file. */
async function openStream(path: string): Promise<FileHandle> {
  let handle: FileHandle
  try {
    handle = await open(path, 'r')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ActionError(
        `Subunit stream ${path} does not exist`,
        'Give the path of a subunit v1 or v2 file (stestr keeps each run as .stestr/N in the Tempest directory)'
      )
    }
    throw new ActionError(`Cannot open subunit stream ${path}: ${(e as Error).message}`)
  }
  if ((await handle.stat()).isDirectory()) {
    await handle.close()
    throw new ActionError(`Subunit stream ${path} is a directory`, 'Give the path of the stream file itself')
  }
  return handle
}

/** `readSubunit` on a file. A missing or unreadable file throws an error that names it. */
export async function readSubunitFile(path: string, wanted?: ReadonlySet<string>): Promise<StreamRead> {
  return readSubunit(fileChunks(await openStream(path)), wanted)
}

/** `parseSubunit` on a file (records streamed to `sink`, nothing retained). Throws for a missing file. */
export async function parseSubunitFile<S>(path: string, sink: RecordSink<S>): Promise<StreamInfo> {
  return parseSubunit(fileChunks(await openStream(path)), sink)
}
