/**
 * Subunit version 1 (the text protocol of python-subunit's README, "Version 1"): a push parser working line by
 * line on Buffers, with python-subunit's semantics (`subunit.TestProtocolServer` feeding testtools'
 * `ExtendedToStreamDecorator`): keyword with or without colon, outcome lines only count for the test currently
 * started, simple and multipart details, hex-chunked attachment bodies, `tags:` global or per test, `time:` for
 * the events that follow, and "lost connection" when the input ends inside a test.
 */
import type { TestStatus } from './model.js'
import { ChunkParser, type Handoff } from './records.js'

const SIGNATURE = 0xb3
const NL = 0x0a

/**
 * The longest line kept, in bytes. A v1 line is a directive or one line of a traceback (bodies of chunked
 * attachments are not lines); Tempest's are under a few KiB. A longer one (a stream without newlines,
 * `/dev/zero`, a corrupted file) makes the stream damaged at that line's offset, and its bytes are skipped
 * up to its newline without being kept, so memory stays bounded whatever the input.
 */
const MAX_LINE_BYTES = 8 * 1024 * 1024

// Parser states.
const OUTSIDE = 0
const IN_TEST = 1
const SIMPLE = 2
const MULTI_HEADER = 3
const MULTI_NAME = 4
const CHUNK_SIZE = 5
const CHUNK_BODY = 6

/**
 * An outcome directive: its status (v1 error and failure both become fail), python's label for it, and the
 * attachment name of its simple (bracketed) details.
 */
interface Outcome {
  status: TestStatus
  label: string
  detail: string
}

type Directive = 'test' | 'tags' | 'time' | 'progress' | Outcome

const SUCCESS: Outcome = { status: 'success', label: 'success', detail: 'message' }

const KEYWORDS = new Map<string, Directive>([
  ['test', 'test'],
  ['testing', 'test'],
  ['success', SUCCESS],
  ['successful', SUCCESS],
  ['failure', { status: 'fail', label: 'failure', detail: 'traceback' }],
  ['error', { status: 'fail', label: 'error', detail: 'traceback' }],
  ['skip', { status: 'skip', label: 'skip', detail: 'reason' }],
  ['xfail', { status: 'xfail', label: 'xfail', detail: 'traceback' }],
  ['uxsuccess', { status: 'uxsuccess', label: 'uxsuccess', detail: 'traceback' }],
  ['tags', 'tags'],
  ['time', 'time'],
  ['progress', 'progress']
])

/** The directive of the keyword buf[s, e) (colons already stripped), undefined when it is none. */
function keywordAt(buf: Buffer, s: number, e: number): Directive | undefined {
  // The longest keyword has 10 letters: a longer word is none (and is not decoded).
  return e - s > 10 ? undefined : KEYWORDS.get(buf.toString('latin1', s, e))
}

function isSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d)
}

/**
 * Is there a v1 directive keyword at `p` (`test:`, `time `, …)? 1 yes, 0 no, -1 cannot tell yet (the input ends
 * within the first 12 bytes and more may come). Used by the v2 parser to notice v1 text appended to a v2 stream.
 */
export function v1DirectiveAt(buf: Buffer, p: number, n: number, final: boolean): number {
  let k = p
  while (k < n && k - p <= 11 && buf[k] >= 0x61 && buf[k] <= 0x7a) k++
  if (k === n && k - p <= 11) return final ? 0 : -1
  if (keywordAt(buf, p, k) === undefined) return 0
  const after = buf[k]
  return after === 0x3a || after === 0x20 || after === 0x09 ? 1 : 0
}

const MULTIPART = Buffer.from(' [ multipart', 'latin1')

export class SubunitV1Parser extends ChunkParser {
  /** Inside a line longer than MAX_LINE_BYTES: its bytes are dropped up to its newline. */
  private skippingLine = false
  private state = OUTSIDE
  /** The test currently started, its raw id bytes, and where its `test:` line is. */
  private testId = ''
  private testIdRaw: Buffer = Buffer.alloc(0)
  private testOffset = 0
  private outcome = SUCCESS
  private outcomeOffset = 0
  private partName = ''
  private chunkLeft = 0
  private globalTags = new Set<string>()
  private localTags: Set<string> | undefined
  private time: number | undefined

  /** Parse the next chunk of input. Returns a handoff when a v2 packet starts at the beginning of a line. */
  override push(chunk: Buffer): Handoff | undefined {
    if (this.skippingLine) {
      const nl = chunk.indexOf(NL)
      this.offset += nl === -1 ? chunk.length : nl + 1
      if (nl === -1) return undefined
      this.skippingLine = false
      return this.run(chunk.subarray(nl + 1), false)
    }
    if (this.carried > 0 && this.carried + chunk.length > MAX_LINE_BYTES && chunk.indexOf(NL) === -1) {
      this.ctx.error(
        `A line longer than ${MAX_LINE_BYTES} bytes (no newline); skipped to its end`,
        this.offset
      )
      this.offset += this.carried + chunk.length
      this.dropCarry()
      this.skippingLine = true
      return undefined
    }
    return super.push(chunk)
  }

  /** A line started in an earlier chunk ends at the first newline. */
  protected completes(chunk: Buffer): number {
    const nl = chunk.indexOf(NL)
    return nl === -1 ? -1 : nl + 1
  }

  /** End of input: a last line without newline is processed as python does, then an open test is "lost". */
  override end(): Handoff | undefined {
    this.skippingLine = false
    const handoff = super.end()
    if (handoff) return handoff
    this.lostConnection()
    return undefined
  }

  protected run(buf: Buffer, final: boolean): Handoff | undefined {
    const n = buf.length
    let p = 0
    while (p < n) {
      if (this.state === CHUNK_BODY) {
        const take = Math.min(this.chunkLeft, n - p)
        this.file(this.partName, buf, p, p + take)
        this.chunkLeft -= take
        p += take
        if (this.chunkLeft === 0) this.state = CHUNK_SIZE
        continue
      }
      const nl = buf.indexOf(NL, p)
      if (nl === -1 && !final) break
      const le = nl === -1 ? n : nl + 1
      if (buf[p] === SIGNATURE && (this.state === OUTSIDE || this.state === IN_TEST)) {
        this.lostConnection()
        return this.handOff(buf, p)
      }
      this.line(buf, p, le)
      p = le
    }
    return this.consumed(buf, p)
  }

  /** One line buf[ls, le), newline included (absent only for the last line of the input). */
  private line(buf: Buffer, ls: number, le: number): void {
    switch (this.state) {
      case OUTSIDE:
      case IN_TEST:
        this.directive(buf, ls, le)
        return
      case SIMPLE:
        if (le - ls === 2 && buf[ls] === 0x5d && buf[ls + 1] === NL) return this.finish()
        // " ]" at the start of a line is an escaped "]".
        this.file(this.outcome.detail, buf, buf[ls] === 0x20 && buf[ls + 1] === 0x5d ? ls + 1 : ls, le)
        return
      case MULTI_HEADER: {
        if (le - ls === 2 && buf[ls] === 0x5d && buf[ls + 1] === NL) return this.finish()
        const space = buf.indexOf(0x20, ls)
        if (space === -1 || space >= le - 1) {
          return this.abortDetails(`Malformed attachment header in the details of test '${this.testId}'`, ls)
        }
        this.state = MULTI_NAME
        return
      }
      case MULTI_NAME:
        this.partName = buf.toString('utf8', ls, le - 1)
        this.state = CHUNK_SIZE
        return
      case CHUNK_SIZE: {
        // Hex digits then CRLF (python's chunked decoder is strict about the CR).
        const sizeLine = /^([0-9A-Fa-f]+)\r\n$/.exec(buf.toString('latin1', ls, le))
        if (sizeLine === null) {
          return this.abortDetails(
            `Malformed chunk size in attachment '${this.partName}' of test '${this.testId}'`,
            ls
          )
        }
        this.chunkLeft = parseInt(sizeLine[1], 16)
        this.state = this.chunkLeft === 0 ? MULTI_HEADER : CHUNK_BODY
        return
      }
    }
  }

  private directive(buf: Buffer, ls: number, le: number): void {
    // python: line.split(None, 1) must give two parts and the line must not start with whitespace.
    let k = ls
    while (k < le && !isSpace(buf[k])) k++
    if (k === ls) return
    let r = k
    while (r < le && isSpace(buf[r])) r++
    if (r === le) return
    let kwEnd = k
    while (kwEnd > ls && buf[kwEnd - 1] === 0x3a) kwEnd--
    const kind = keywordAt(buf, ls, kwEnd)
    if (kind === undefined) return
    // The argument: after the keyword and one separator, up to (not including) the last byte of the line.
    const as = k + 1
    const ae = Math.max(as, le - 1)
    switch (kind) {
      case 'test': {
        if (this.state !== OUTSIDE) return
        this.ctx.protocol = true
        const id = buf.toString('utf8', as, ae)
        this.testId = id
        // Outcome lines are matched against the id's bytes (copied: the caller reuses its buffers).
        this.testIdRaw = Buffer.from(buf.subarray(as, ae))
        this.testOffset = this.offset + ls
        this.localTags = undefined
        this.state = IN_TEST
        this.ctx.folder.event(id, undefined, 'inprogress', null, this.time, null, undefined, 0, 0)
        return
      }
      case 'tags':
        this.ctx.protocol = true
        this.tags(buf, as, le)
        return
      case 'time': {
        this.ctx.protocol = true
        const t = parseTime(buf, as, ae)
        if (t !== undefined) this.time = t
        return
      }
      case 'progress':
        this.ctx.protocol = true
        return
      default:
        if (this.state !== IN_TEST) return
        this.outcomeLine(kind, buf, ls, as, ae)
    }
  }

  /** `tags: a b -c`: outside a test for the rest of the stream, inside one for that test only (copy on write). */
  private tags(buf: Buffer, s: number, e: number): void {
    let tags = this.globalTags
    if (this.state === IN_TEST) tags = this.localTags ??= new Set(this.globalTags)
    const gone: string[] = []
    let i = s
    while (i < e) {
      while (i < e && isSpace(buf[i])) i++
      const t = i
      while (i < e && !isSpace(buf[i])) i++
      if (i === t) continue
      if (buf[t] === 0x2d) gone.push(buf.toString('utf8', t + 1, i))
      else tags.add(buf.toString('utf8', t, i))
    }
    for (const g of gone) tags.delete(g)
  }

  /** An outcome line while a test is open: it counts only when its argument is exactly the open test's id. */
  private outcomeLine(outcome: Outcome, buf: Buffer, ls: number, as: number, ae: number): void {
    const idEnd = as + this.testIdRaw.length
    if (idEnd > ae || buf.compare(this.testIdRaw, 0, this.testIdRaw.length, as, idEnd) !== 0) return
    const rest = ae - idEnd
    this.outcome = outcome
    this.outcomeOffset = this.offset + ls
    if (rest === 0) this.finish()
    else if (rest === 2 && buf[idEnd] === 0x20 && buf[idEnd + 1] === 0x5b) this.state = SIMPLE
    else if (rest === MULTIPART.length && buf.compare(MULTIPART, 0, rest, idEnd, ae) === 0)
      this.state = MULTI_HEADER
    else return
    this.ctx.protocol = true
  }

  private file(name: string, buf: Buffer, start: number, end: number): void {
    this.ctx.folder.event(this.testId, undefined, null, null, this.time, name, buf, start, end)
  }

  /** The outcome (and its details) is complete: the final status event closes the record. */
  private finish(status: TestStatus = this.outcome.status): void {
    const tags = this.ctx.tags.fromSet(this.localTags ?? this.globalTags)
    this.ctx.folder.event(this.testId, undefined, status, tags, this.time, null, undefined, 0, 0)
    this.state = OUTSIDE
    this.localTags = undefined
  }

  /** Fails the open test with `message` added to its traceback. */
  private failWith(message: string): void {
    const text = Buffer.from(message, 'utf8')
    this.file('traceback', text, 0, text.length)
    this.finish('fail')
  }

  /** Details python could not parse (it would raise): report, fail the test with the message, go on. */
  private abortDetails(message: string, ls: number): void {
    this.ctx.error(message, this.offset + ls)
    this.failWith(message)
  }

  /** End of input (or a switch to v2) inside a test: python records an error "lost connection during …". */
  private lostConnection(): void {
    if (this.state === OUTSIDE) return
    // Any state past IN_TEST is inside the outcome's details.
    const inDetails = this.state !== IN_TEST
    const what = inDetails ? `${this.outcome.label} report of test` : 'test'
    const message = `lost connection during ${what} '${this.testId}'`
    this.ctx.error(
      `The stream ends in the middle of ${inDetails ? `the ${this.outcome.label} report of ` : ''}test '${this.testId}' (${message})`,
      inDetails ? this.outcomeOffset : this.testOffset
    )
    this.failWith(this.ctx.folder.hasFile(this.testId, 'traceback') ? '\n' + message : message)
  }
}

/** `time:` argument (ISO 8601, `T` or a space between date and time, as subunit writes it) → ms since the epoch. */
function parseTime(buf: Buffer, s: number, e: number): number | undefined {
  const t = Date.parse(buf.toString('utf8', s, e).trim().replace(' ', 'T'))
  return Number.isNaN(t) ? undefined : t
}
