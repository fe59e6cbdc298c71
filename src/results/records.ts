/**
 * The format-independent half of the subunit readers: events (from v1 lines or v2 packets) are folded into
 * test records exactly as testtools' `StreamToDict` does it, and attachments are reassembled
 * under a size cap. Both parsers feed one `RecordFolder`, so a stream that switches format half-way (v1 file
 * followed by a v2 rerun) still folds into one set of records.
 */
import type { Attachment, TestStatus } from './model.js'

/** Largest attachment text kept per attachment (bytes of UTF-8, marker included). */
export const ATTACHMENT_CAP = 64 * 1024
/** Bytes kept from the start of an attachment that is over the cap; the rest of the cap goes to its end. */
const HEAD_KEEP = 8 * 1024
const TAIL_KEEP = ATTACHMENT_CAP - HEAD_KEEP

/**
 * One completed (or, at the end of the stream, abandoned) record of a test, as the streaming reader hands it
 * over: like a `TestResult`, but times are plain numbers (ms since the epoch) so that records nobody keeps cost
 * no Date objects.
 */
export interface SubunitRecord {
  id: string
  /** Set when the stream routes events (multiplexed streams); records are keyed by id and route code. */
  routeCode: string | undefined
  status: TestStatus
  /** Sorted, and shared between records: do not modify. */
  tags: readonly string[]
  /** Timestamp of the record's first event, and of its last one (undefined when that event had none). */
  start: number | undefined
  stop: number | undefined
  /** Attachments, only for records that did not pass (each capped at ATTACHMENT_CAP). */
  attachments: Attachment[]
}

/** Where records go. `S` is whatever `onOpen` returns, handed back with the record (saves a lookup by id). */
export interface RecordSink<S = unknown> {
  /** A record for `id` was opened by its first event (called once per record, before its `onRecord`). */
  onOpen?(id: string): S
  /**
   * Whether the attachments of the record opened with `slot` are wanted (default: yes), asked when its first file
   * bytes arrive. A sink that drops most records (the verdict's digest) says no for those, and their file bytes
   * are never copied.
   */
  keepsAttachments?(slot: S): boolean
  /** A record completed (its status became final) or the stream ended while it was open. */
  onRecord(record: SubunitRecord, slot: S | undefined): void
}

/** Everything that shares one stream: the fold, the error list, tag interning. Parsers write into it. */
export interface ParseContext {
  folder: RecordFolder
  tags: TagInterner
  /** Report a problem at an absolute byte offset; reading carries on. */
  error(message: string, offset: number): void
  /** Set by the v1 parser when it meets a protocol line (tells a v1 stream from text that is no subunit). */
  protocol: boolean
}

/** The stream continues in another format from `offset` (absolute): hand `rest` to that parser. */
export interface Handoff {
  rest: Buffer
  offset: number
}

/**
 * The chunk handling both parsers share. What a parser needs whole (a v1 line, a v2 packet) may straddle input
 * chunks: the incomplete tail of a chunk is copied (the caller may reuse its buffers) and completed from the head
 * of the next one; nothing else is kept between calls, so memory does not grow with the stream.
 */
export abstract class ChunkParser {
  private carry: Buffer[] = []
  /** Bytes carried over from earlier chunks. */
  protected carried = 0

  constructor(
    protected readonly ctx: ParseContext,
    /** Absolute offset of the first byte not yet consumed. */
    protected offset = 0
  ) {}

  /** Parses what it can of `buf` and ends with `consumed`, or returns a handoff to the other format. */
  protected abstract run(buf: Buffer, final: boolean): Handoff | undefined

  /** How many bytes at the head of `chunk` complete the carried bytes; -1 when they do not end in it. */
  protected abstract completes(chunk: Buffer): number

  /** Parse the next chunk of input. */
  push(chunk: Buffer): Handoff | undefined {
    if (this.carried === 0) return this.run(chunk, false)
    const take = this.completes(chunk)
    if (take < 0) {
      this.carry.push(Buffer.from(chunk))
      this.carried += chunk.length
      return undefined
    }
    this.carry.push(chunk.subarray(0, take))
    const handoff = this.run(this.dropCarry(), false)
    if (handoff) return { rest: Buffer.concat([handoff.rest, chunk.subarray(take)]), offset: handoff.offset }
    return this.push(chunk.subarray(take))
  }

  /** End of input: the bytes carried are parsed as the last ones. */
  end(): Handoff | undefined {
    return this.carried === 0 ? undefined : this.run(this.dropCarry(), true)
  }

  /** `run` is done with `buf` up to `p`: the rest is carried to the next chunk. */
  protected consumed(buf: Buffer, p: number): undefined {
    if (p < buf.length) {
      this.carry = [Buffer.from(buf.subarray(p))]
      this.carried = buf.length - p
    }
    this.offset += p
    return undefined
  }

  /** The stream continues in the other format at `buf[p]`. */
  protected handOff(buf: Buffer, p: number): Handoff {
    this.offset += p
    return { rest: buf.subarray(p), offset: this.offset }
  }

  /** The bytes carried, as one buffer; none are carried any more. */
  protected dropCarry(): Buffer {
    const whole = Buffer.concat(this.carry)
    this.carry = []
    this.carried = 0
    return whole
  }
}

const EMPTY: readonly string[] = Object.freeze([])
const NO_ATTACHMENTS = Object.freeze([]) as unknown as Attachment[]

/**
 * Reassembles one attachment from its chunks without keeping more than the cap: the first HEAD_KEEP bytes and
 * the last TAIL_KEEP bytes. Chunks are copied, so the input buffers are never retained.
 */
export class CappedBytes {
  /** Total bytes appended. */
  size = 0
  private head: Buffer[] = []
  private tail: Buffer[] = []
  private tailLen = 0

  constructor(readonly name: string) {}

  append(src: Buffer, start: number, end: number): void {
    if (end <= start) return
    // The head fills first: while it is not full, every byte so far is in it.
    if (this.size < HEAD_KEEP) {
      const take = Math.min(end - start, HEAD_KEEP - this.size)
      this.head.push(Buffer.from(src.subarray(start, start + take)))
      this.size += take
      start += take
      if (start === end) return
    }
    this.size += end - start
    if (end - start >= TAIL_KEEP) {
      this.tail = [Buffer.from(src.subarray(end - TAIL_KEEP, end))]
      this.tailLen = TAIL_KEEP
      return
    }
    this.tail.push(Buffer.from(src.subarray(start, end)))
    this.tailLen += end - start
    while (this.tailLen - this.tail[0].length >= TAIL_KEEP) this.tailLen -= this.tail.shift()!.length
  }

  toAttachment(): Attachment {
    if (this.size <= ATTACHMENT_CAP) {
      const all = Buffer.concat(this.head.concat(this.tail))
      return { name: this.name, text: all.toString('utf8'), truncated: false, bytes: this.size }
    }
    const head = Buffer.concat(this.head)
    const headEnd = utf8Boundary(head)
    const tail = Buffer.concat(this.tail)
    // The marker's size depends on the omitted count, which depends on the tail kept: size it generously.
    const markerBudget = `\n[... ${this.size} bytes omitted ...]\n`.length
    let tailStart = tail.length - (TAIL_KEEP - markerBudget)
    while (tailStart < tail.length && (tail[tailStart] & 0xc0) === 0x80) tailStart++
    const omitted = this.size - headEnd - (tail.length - tailStart)
    const text =
      head.toString('utf8', 0, headEnd) +
      `\n[... ${omitted} bytes omitted ...]\n` +
      tail.toString('utf8', tailStart)
    return { name: this.name, text, truncated: true, bytes: this.size }
  }
}

/** The largest end of `buf` that does not cut a UTF-8 sequence in two. */
function utf8Boundary(buf: Buffer): number {
  const end = buf.length
  let i = end
  // Step back over at most 3 continuation bytes to the lead byte of the last sequence.
  while (i > 0 && end - i < 4 && (buf[i - 1] & 0xc0) === 0x80) i--
  if (i === 0) return end
  const lead = buf[i - 1]
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1
  return end - (i - 1) >= need ? end : i - 1
}

/** Shares identical tag lists between records: a 100k-test stream has only a handful of distinct ones. */
export class TagInterner {
  private readonly byKey = new Map<string, readonly string[]>()

  /** The shared, sorted, frozen list for `tags`; `key` identifies it (e.g. the raw bytes as latin1). */
  get(key: string, make: () => string[]): readonly string[] {
    let found = this.byKey.get(key)
    if (found === undefined) {
      const tags = make()
      found = tags.length === 0 ? EMPTY : Object.freeze(tags.sort())
      if (this.byKey.size >= 4096) this.byKey.clear()
      this.byKey.set(key, found)
    }
    return found
  }

  fromSet(tags: ReadonlySet<string>): readonly string[] {
    if (tags.size === 0) return EMPTY
    if (tags.size === 1) {
      const [only] = tags
      return this.get('\n' + only, () => [only])
    }
    const list = [...tags].sort()
    // Keys start with a newline, which no v1 tag holds and no v2 tag block starts with.
    return this.get('\n' + list.join('\n'), () => list)
  }
}

/** A record being folded; handed over as the SubunitRecord itself once complete. */
interface OpenRecord extends SubunitRecord {
  files: CappedBytes[] | undefined
  /** Asked of the sink at the record's first file bytes (most records have none). */
  keepFiles: boolean | undefined
  /** In `open` (parked when an event of another record arrived while this one was still open). */
  parked: boolean
  slot: unknown
}

/**
 * testtools' `_StreamToTestRecord`: key by (id, route code); the first event opens a record with its timestamp
 * as start; every event sets the stop timestamp (even to "none"), replaces the status when it has one, appends
 * non-empty file bytes and replaces the tags when it has them; a status other than inprogress closes the record.
 */
export class RecordFolder {
  /**
   * Open records other than the current one, in the order they were opened. A test's events are usually
   * consecutive, so most records open and close as the current one without ever entering this map: setting and
   * deleting an entry per record grew the action's peak memory on a 100k-test stream by ~10 MiB (npm run bench).
   */
  private readonly open = new Map<string, OpenRecord>()
  /** The record of the last event, still open (the next event is very often for the same test), and its key. */
  private lastKey: string | undefined
  private lastRec: OpenRecord | undefined

  constructor(private readonly sink: RecordSink) {}

  /**
   * One event. `status` null = no status change (v2 status 0); `tags` null = the event carries no tags;
   * `time` = ms since the epoch or undefined; `file` null = no file content, else bytes `data[start, end)`.
   */
  event(
    id: string,
    routeCode: string | undefined,
    status: TestStatus | null,
    tags: readonly string[] | null,
    time: number | undefined,
    file: string | null,
    data: Buffer | undefined,
    start: number,
    end: number
  ): void {
    const key = routeCode === undefined ? id : id + '\u0000' + routeCode
    let rec: OpenRecord | undefined
    if (key === this.lastKey) rec = this.lastRec
    else {
      const last = this.lastRec
      if (last !== undefined && !last.parked) {
        // Opened after every parked record: parking it now keeps the map in opening order.
        last.parked = true
        this.open.set(this.lastKey as string, last)
      }
      rec = this.open.size === 0 ? undefined : this.open.get(key)
    }
    if (rec === undefined) {
      const slot = this.sink.onOpen?.(id)
      rec = {
        id,
        routeCode,
        status: 'unknown',
        tags: EMPTY,
        start: time,
        stop: undefined,
        attachments: NO_ATTACHMENTS,
        files: undefined,
        keepFiles: undefined,
        parked: false,
        slot
      }
    }
    this.lastKey = key
    this.lastRec = rec
    if (status !== null) rec.status = status
    rec.stop = time
    if (
      file !== null &&
      data !== undefined &&
      end > start &&
      (rec.keepFiles ??= this.sink.keepsAttachments?.(rec.slot) ?? true)
    ) {
      const files = (rec.files ??= [])
      let target = files.find((f) => f.name === file)
      if (target === undefined) {
        target = new CappedBytes(file)
        files.push(target)
      }
      target.append(data, start, end)
    }
    if (tags !== null) rec.tags = tags
    if (status !== null && status !== 'inprogress') {
      if (rec.parked) this.open.delete(key)
      this.lastKey = this.lastRec = undefined
      this.emit(rec)
    }
  }

  /** Does the open record of `id` (no route code) have bytes of attachment `name`? */
  hasFile(id: string, name: string): boolean {
    const rec = id === this.lastKey ? this.lastRec : this.open.get(id)
    return rec?.files?.some((f) => f.name === name) ?? false
  }

  /** End of stream: records still open are reported with the status they have and no stop time (LIFO, as python). */
  finish(): void {
    const left = [...this.open.values()]
    if (this.lastRec !== undefined && !this.lastRec.parked) left.push(this.lastRec)
    left.reverse()
    this.open.clear()
    this.lastKey = this.lastRec = undefined
    for (const rec of left) {
      rec.stop = undefined
      this.emit(rec)
    }
  }

  private emit(rec: OpenRecord): void {
    if (rec.files !== undefined) {
      if (rec.status !== 'success') rec.attachments = rec.files.map((f) => f.toAttachment())
      rec.files = undefined
    }
    const slot = rec.slot
    rec.slot = undefined
    this.sink.onRecord(rec, slot)
  }
}
