/**
 * publishReport's hand-over to @actions/artifact. The artifact service is GitHub's and cannot run here (no stand-in
 * may answer for it), so the client is replaced at the module boundary: these tests check what the action gives it
 * — every file of the results directory, the name, the root — and that a failed upload only warns, with every
 * result kept. The upload itself is exercised by the workflow in .github/workflows/ci.yml on GitHub.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { publishReport } from '../../src/report/publish.js'
import { report } from '../helpers/report-fixture.js'

const uploads: { name: string; files: string[]; root: string }[] = []
let failUpload: Error | undefined

vi.mock('@actions/artifact', () => ({
  DefaultArtifactClient: class {
    async uploadArtifact(name: string, files: string[], root: string): Promise<{ id: number; size: number }> {
      uploads.push({ name, files: [...files].sort(), root })
      if (failUpload) throw failUpload
      return { id: 1, size: 1234 }
    }
  }
}))

const SUMMARY = path.join(mkdtempSync(path.join(tmpdir(), 'publish-summary-')), 'summary.md')

describe('publishReport and the results artifact', () => {
  let dir: string
  let stdout: string[]
  const env = { ...process.env }

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'publish-'))
    uploads.length = 0
    failUpload = undefined
    stdout = []
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout.push(String(chunk))
      return true
    })
    // core.summary keeps the first file it wrote to: one summary file for all, emptied per test.
    process.env.GITHUB_STEP_SUMMARY = SUMMARY
    writeFileSync(SUMMARY, '')
  })
  afterEach(() => {
    vi.restoreAllMocks()
    process.env = { ...env }
  })

  /** The results directory of a failed run (the test's own directory): stream, list, logs. */
  function resultsDir(): { out: string; stream: string } {
    const files = {
      'tempest.subunit': '',
      'test-list.txt': 'a.B.c\n',
      'refstack-client.log': 'x',
      'tempest.log': 'y'
    }
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(path.join(dir, name), text)
    }
    return { out: dir, stream: path.join(dir, 'tempest.subunit') }
  }

  it('hands every file of the results directory over, the report and the JUnit file included', async () => {
    process.env.ACTIONS_RUNTIME_TOKEN = 'runtime-token'
    const { out, stream } = resultsDir()
    const r = report()
    r.files = { stream, testList: path.join(out, 'test-list.txt') }
    writeFileSync(stream, Buffer.from('test: a.B.c\nfailure: a.B.c\n'))
    const read = { format: 'v1' as const, tests: [], bytes: 28 }
    const published = await publishReport(r, read, {
      outputDir: out,
      junitFile: path.join(out, 'junit.xml'),
      artifactName: 'refstack-results'
    })
    expect(uploads).toHaveLength(1)
    expect(uploads[0].name).toBe('refstack-results')
    expect(uploads[0].root).toBe(out)
    expect(uploads[0].files.map((f) => path.relative(out, f))).toEqual(
      expect.arrayContaining([
        'junit.xml',
        'refstack-client.log',
        'report.json',
        'tempest.log',
        'tempest.subunit',
        'test-list.txt'
      ])
    )
    expect(published.outputs['report-file']).toBe(path.join(out, 'report.json'))
    expect(stdout.join('')).toContain("Uploaded artifact 'refstack-results' (1234 bytes)")
  })

  it('a failed upload is a warning: the report, summary and outputs are all there', async () => {
    process.env.ACTIONS_RUNTIME_TOKEN = 'runtime-token'
    failUpload = new Error('Failed to CreateArtifact: Unable to make request: ECONNREFUSED')
    const { out } = resultsDir()
    const published = await publishReport(report(), undefined, { outputDir: out, artifactName: 'results' })
    expect(uploads).toHaveLength(1)
    expect(stdout.join('')).toContain(
      "::warning::Could not upload the results artifact 'results': Failed to CreateArtifact"
    )
    expect(JSON.parse(readFileSync(published.reportFile, 'utf8')).compliance.compliant).toBe(false)
    expect(readFileSync(SUMMARY, 'utf8')).toContain('Not compliant')
    expect(published.outputs.compliant).toBe('false')
  })

  it('outside GitHub Actions (no runtime token) nothing is uploaded and the log says where the files are', async () => {
    delete process.env.ACTIONS_RUNTIME_TOKEN
    const { out } = resultsDir()
    await publishReport(report(), undefined, { outputDir: out, artifactName: 'results' })
    expect(uploads).toHaveLength(0)
    expect(stdout.join('')).toContain(
      `Artifact 'results' not uploaded: not running inside GitHub Actions (its files are kept in ${out}: `
    )
    expect(existsSync(path.join(out, 'report.json'))).toBe(true)
  })

  it('an empty artifact-name uploads nothing', async () => {
    process.env.ACTIONS_RUNTIME_TOKEN = 'runtime-token'
    const { out } = resultsDir()
    await publishReport(report(), undefined, { outputDir: out })
    expect(uploads).toHaveLength(0)
  })
})
