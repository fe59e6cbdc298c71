/**
 * RecordFolder: the fold of events into test records (testtools' `_StreamToTestRecord`). The folder keeps the
 * current record out of its map until another record's event arrives; these tests hold it to a plain reference
 * fold (every open record in one map, as testtools keeps them) on interleaved, repeated and unfinished records.
 */
import { describe, expect, it } from 'vitest'
import type { TestStatus } from '../../src/results/model.js'
import { RecordFolder, type SubunitRecord } from '../../src/results/records.js'
import { prng } from '../helpers/prng.js'

interface Event {
  id: string
  route?: string
  status: TestStatus | null
  time?: number
  file?: string
}

/** The reference: testtools' fold, literally (a dict of open records keyed by id and route code). */
function referenceFold(events: Event[]): [string, TestStatus, number | undefined, number | undefined][] {
  const open = new Map<string, { id: string; status: TestStatus; start?: number; stop?: number }>()
  const out: [string, TestStatus, number | undefined, number | undefined][] = []
  for (const e of events) {
    const key = e.route === undefined ? e.id : `${e.id}\u0000${e.route}`
    let rec = open.get(key)
    if (rec === undefined) {
      rec = { id: e.id, status: 'unknown', start: e.time }
      open.set(key, rec)
    }
    if (e.status !== null) rec.status = e.status
    rec.stop = e.time
    if (e.status !== null && e.status !== 'inprogress') {
      open.delete(key)
      out.push([rec.id, rec.status, rec.start, rec.stop])
    }
  }
  for (const rec of [...open.values()].reverse()) out.push([rec.id, rec.status, rec.start, undefined])
  return out
}

function fold(events: Event[], keeps?: (id: string) => boolean): SubunitRecord[] {
  const records: SubunitRecord[] = []
  const folder = new RecordFolder({
    onOpen: (id: string) => id,
    keepsAttachments: keeps ? (id: unknown) => keeps(id as string) : undefined,
    onRecord: (r: SubunitRecord) => records.push({ ...r })
  })
  const data = Buffer.from('Traceback (most recent call last):\n  boom\n')
  for (const e of events) {
    folder.event(e.id, e.route, e.status, null, e.time, e.file ?? null, data, 0, e.file ? data.length : 0)
  }
  folder.finish()
  return records
}

const STATUSES: (TestStatus | null)[] = [
  null,
  'inprogress',
  'inprogress',
  'success',
  'fail',
  'skip',
  'exists'
]

describe('RecordFolder', () => {
  it('folds interleaved, repeated, routed and unfinished records exactly as the reference fold', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rand = prng(seed)
      const ids = Array.from({ length: 1 + Math.floor(rand() * 6) }, (_, i) => `a.B.test_${i}`)
      const events: Event[] = []
      for (let k = 0; k < 40; k++) {
        const e: Event = {
          id: ids[Math.floor(rand() * ids.length)],
          status: STATUSES[Math.floor(rand() * STATUSES.length)],
          time: rand() < 0.8 ? 1_000 + k : undefined
        }
        if (rand() < 0.15) e.route = `${Math.floor(rand() * 2)}`
        events.push(e)
        // Runs of events of one test, as a serial worker writes them.
        while (rand() < 0.5 && k < 39) {
          k++
          events.push({ ...e, status: STATUSES[Math.floor(rand() * STATUSES.length)], time: 1_000 + k })
        }
      }
      const mine = fold(events).map((r) => [r.id, r.status, r.start, r.stop])
      expect(mine, `seed ${seed}`).toEqual(referenceFold(events))
    }
  })

  it('reports records left open at the end last-opened first, the current one included', () => {
    const events: Event[] = [
      { id: 'a', status: 'inprogress', time: 1 },
      { id: 'b', status: 'inprogress', time: 2 },
      { id: 'c', status: 'inprogress', time: 3 },
      { id: 'a', status: null, time: 4 },
      { id: 'd', status: 'inprogress', time: 5 }
    ]
    expect(fold(events).map((r) => r.id)).toEqual(['d', 'c', 'b', 'a'])
    expect(fold(events).map((r) => r.id)).toEqual(referenceFold(events).map(([id]) => id))
  })

  it('hasFile sees the current record and a parked one', () => {
    const folder = new RecordFolder({ onRecord: () => undefined })
    const data = Buffer.from('x')
    folder.event('a', undefined, 'inprogress', null, 1, 'traceback', data, 0, 1)
    expect(folder.hasFile('a', 'traceback')).toBe(true)
    expect(folder.hasFile('a', 'reason')).toBe(false)
    folder.event('b', undefined, 'inprogress', null, 2, null, undefined, 0, 0)
    expect(folder.hasFile('a', 'traceback')).toBe(true)
    expect(folder.hasFile('b', 'traceback')).toBe(false)
  })

  it('keeps the attachments of failed records only where the sink wants them', () => {
    const events: Event[] = [
      { id: 'kept', status: 'inprogress' },
      { id: 'kept', status: null, file: 'traceback' },
      { id: 'kept', status: 'fail' },
      { id: 'dropped', status: 'inprogress' },
      { id: 'dropped', status: null, file: 'traceback' },
      { id: 'dropped', status: 'fail' }
    ]
    const records = fold(events, (id) => id === 'kept')
    expect(records.map((r) => [r.id, r.status, r.attachments.map((a) => a.name)])).toEqual([
      ['kept', 'fail', ['traceback']],
      ['dropped', 'fail', []]
    ])
    expect(fold(events).map((r) => r.attachments.length)).toEqual([1, 1])
  })
})
