import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { marked } from 'marked'
import { describe, expect, it } from 'vitest'
import {
  capabilityGrid,
  fleetRows,
  fleetVerdict,
  nameEntries,
  readFleet,
  renderFleetSummary
} from '../../src/report/fleet.js'

// Reports the action wrote from real refstack-client runs (__fixtures__/reports/README.md), laid out as
// actions/download-artifact lays out a matrix's artifacts: one folder per artifact.
const FIXTURES = path.join(import.meta.dirname, '..', '..', '__fixtures__', 'reports')
function downloadedArtifacts(folders: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fleet-test-'))
  for (const [artifact, fixture] of Object.entries(folders)) {
    mkdirSync(path.join(dir, artifact))
    copyFileSync(path.join(FIXTURES, fixture, 'report.json'), path.join(dir, artifact, 'report.json'))
  }
  return dir
}
const THREE = {
  'refstack-results-a': 'healthy',
  'refstack-results-b': 'one-failure',
  'refstack-results-c': 'cloud-down'
}

describe('fleet mode', () => {
  it('reads the reports a glob matches, named by cloud-name, else by their folder (the artifact)', async () => {
    const dir = downloadedArtifacts(THREE)
    const entries = await readFleet(path.join(dir, '*', 'report.json'))
    expect(entries.map((e) => e.cloud)).toEqual(['region-one', 'region-two', 'refstack-results-c'])
  })

  it('gives one row per cloud: verdict, cloud, compliance, failing capabilities, guideline, when', async () => {
    const entries = await readFleet(path.join(downloadedArtifacts(THREE), '*', 'report.json'))
    const rows = fleetRows(entries)
    expect(rows.map((r) => r.slice(0, 5))).toEqual([
      ['✅', 'region-one', '100% (58/58)', '', '2020.06 object'],
      ['❌', 'region-two', '98.3% (57/58)', 'objectstore-account-list', '2020.06 object'],
      [
        '❌',
        'refstack-results-c',
        '0% (0/58)',
        expect.stringMatching(/^identity-v3-tokens-create, /),
        '2020.06 object'
      ]
    ])
    expect(rows[0][5]).toBe(entries[0].report?.generatedAt)
  })

  it('shows which capability fails where in a capability × cloud grid', async () => {
    const entries = await readFleet(path.join(downloadedArtifacts(THREE), '*', 'report.json'))
    const grid = capabilityGrid(entries)
    expect(grid.header).toEqual(['Capability', 'region-one', 'region-two', 'refstack-results-c'])
    expect(grid.rows).toHaveLength(20)
    expect(grid.rows.find((r) => r[0] === 'objectstore-account-list')).toEqual([
      'objectstore-account-list',
      '✅',
      '❌',
      '❌'
    ])
    expect(grid.rows.find((r) => r[0] === 'objectstore-info-request')).toEqual([
      'objectstore-info-request',
      '✅',
      '✅',
      '❌'
    ])
  })

  it('leaves a capability blank for a cloud whose report does not hold it', async () => {
    const entries = await readFleet(
      path.join(downloadedArtifacts({ now: 'healthy', old: 'older-guideline' }), '*', 'report.json')
    )
    const grid = capabilityGrid(entries)
    const absent = grid.rows.filter((r) => r[2] === '')
    expect(absent.length).toBeGreaterThan(0)
    expect(absent.every((r) => r[1] === '✅')).toBe(true)
  })

  it('is compliant only when every cloud is, and names the others', async () => {
    const three = await readFleet(path.join(downloadedArtifacts(THREE), '*', 'report.json'))
    expect(fleetVerdict(three)).toEqual({
      compliant: false,
      failing: ['region-two', 'refstack-results-c'],
      message: expect.stringMatching(
        /^2 of 3 clouds not compliant: region-two \(98\.3%: objectstore-account-list\); refstack-results-c \(0%: identity-v3-tokens-create, identity-v3-tokens-delete, objectstore-object-copy, objectstore-object-create, objectstore-object-delete and 15 more\)$/
      )
    })
    const healthy = await readFleet(path.join(downloadedArtifacts({ x: 'healthy' }), '*', 'report.json'))
    expect(fleetVerdict(healthy)).toEqual({
      compliant: true,
      message: 'Every cloud is compliant (1)',
      failing: []
    })
  })

  it('renders both tables as Markdown GitHub shows as tables', async () => {
    const entries = await readFleet(path.join(downloadedArtifacts(THREE), '*', 'report.json'))
    const markdown = renderFleetSummary(entries)
    expect(markdown).toMatch(
      /^## RefStack interop compliance: 3 clouds\n\n❌ \*\*2 of 3 clouds not compliant\*\*: region-two, refstack-results-c\n/
    )
    expect(markdown).toContain(
      '| ❌ | region-two | 98.3% (57/58) | objectstore-account-list | 2020.06 object |'
    )
    expect(markdown).toContain('| objectstore-account-list | ✅ | ❌ | ❌ |')
    const html = await marked.parse(markdown)
    expect(html.match(/<table>/g)).toHaveLength(2)
  })

  it('tells apart two reports of the same cloud name by their path', () => {
    const [a, b] = nameEntries([
      { file: 'x/report.json', cloudName: 'dc1' },
      { file: 'y/report.json', cloudName: 'dc1' }
    ] as never)
    expect([a.cloud, b.cloud]).toEqual(['dc1 (x/report.json)', 'dc1 (y/report.json)'])
  })

  it('is an error naming the input when the glob matches nothing; a file that is not a report is a row saying so', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fleet-test-'))
    await expect(readFleet(path.join(dir, '*', 'report.json'))).rejects.toThrow(
      `Input 'reports' matches no file`
    )
    mkdirSync(path.join(dir, 'junk'))
    writeFileSync(path.join(dir, 'junk', 'report.json'), '{"schema": "other"}')
    const [junk] = await readFleet(path.join(dir, '*', 'report.json'))
    expect(junk).toMatchObject({ cloud: 'junk', compliant: false })
    expect(junk.unreadable).toMatch(/^is not a report of refstack-action/)
    expect(fleetVerdict([junk]).message).toMatch(
      /^1 of 1 clouds not compliant: junk \(unreadable: is not a report/
    )
  })
})
