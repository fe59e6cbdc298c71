/**
 * Reports other jobs wrote, as a hostile tester writes them: fleet mode (`reports`) and `baseline` through the
 * bundled action (dist/index.js). Each report is read as a regular file of bounded size, checked field by field,
 * its verdict recomputed; what reaches the job summary is escaped text; outputs carry only checked values.
 * One test per numbered item of issue #24.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { marked } from 'marked'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- plain JavaScript helper shared with npm run demo
import { ROOT, runAction } from '../../scripts/lib/run-action.mjs'
import { STATUS, testPackets } from '../results/subunit-writer.js'
import { effectiveCommands } from './harness.js'

const REPORTS = path.join(ROOT, '__fixtures__', 'reports')
const OBJECT = { guideline: '2020.06', 'guideline-source': 'bundled', program: 'object', 'artifact-name': '' }
/** A run that hangs is killed after this long, so the test fails instead of hanging too. */
const HANG = { signalAfterMs: 60_000, signal: 'SIGKILL' }

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

function real(name = 'healthy'): Json {
  return JSON.parse(readFileSync(path.join(REPORTS, name, 'report.json'), 'utf8')) as Json
}

/** A workspace with reports/<folder>/report.json for each entry (an object is written as JSON, a string as is). */
function workspace(reports: Record<string, Json | string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hostile-reports-'))
  for (const [folder, content] of Object.entries(reports)) {
    mkdirSync(path.join(dir, 'reports', folder), { recursive: true })
    writeFileSync(
      path.join(dir, 'reports', folder, 'report.json'),
      typeof content === 'string' ? content : JSON.stringify(content)
    )
  }
  return dir
}

async function fleet(reports: Record<string, Json | string>, env: Record<string, string> = {}) {
  return runAction({ reports: 'reports/*/report.json' }, { workspace: workspace(reports), env, ...HANG })
}

/** The fleet table's rows (HTML, as GitHub renders the summary). */
async function rendered(summary: string): Promise<string> {
  return marked.parse(summary)
}

describe('1. fleet mode recomputes each verdict from the report’s counts', () => {
  it('a report that says compliant with 1/58 passed and 5 failed is inconsistent, not compliant', async () => {
    const liar = real()
    Object.assign(liar.compliance, { passed: 1, failed: 5, missing: 52, percent: 1.7 })
    const result = await fleet({ honest: real(), liar })
    expect(result.code).toBe(1)
    expect(result.outputs.compliant).toBe('false')
    expect(result.stdout).toMatch(
      /::error::1 of 2 clouds not compliant: region-one \(reports\/liar\/report\.json\) \(inconsistent report: .*says compliant, but its counts show 5 failed, 52 missing/
    )
    expect(result.summary).toContain('❌ **1 of 2 clouds not compliant**')
    expect(result.summary).toMatch(
      /\| ⚠️ \| region-one \(reports\/liar\/report\.json\) \| 1\.7% \(1\/58\) \| inconsistent report/
    )
  })

  it('zero required tests is never compliance; a percent past 100, a negative or a string count is refused', async () => {
    const zero = real()
    Object.assign(zero.compliance, {
      required: 0,
      passed: 0,
      percent: 0,
      testsRun: 0,
      tests: [],
      capabilities: []
    })
    const huge = real()
    huge.compliance.percent = 1e308
    const negative = real()
    negative.compliance.failed = -1
    const text = real()
    text.compliance.passed = '58'
    const result = await fleet({ zero, huge, negative, text })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('::error::4 of 4 clouds not compliant')
    expect(result.stdout).toMatch(/says compliant, but its counts show zero required tests, no tests ran/)
    expect(result.stdout).toMatch(/huge \(unreadable: .*invalid 'compliance\.percent'/)
    expect(result.stdout).toMatch(/negative \(unreadable: .*invalid 'compliance\.failed'/)
    expect(result.stdout).toMatch(
      /text \(unreadable: .*invalid 'compliance\.passed' \(expected number, received string\)/
    )
    expect(result.summary).not.toContain('1e+308')
  })
})

describe('2. foreign text reaches the summary escaped, and names enter only with their shape', () => {
  const hostileFolder = '<img src=x onerror=alert(1)><h1>cloud'
  const forged = [
    '</details><script>alert(1)</script>',
    'x\r| ✅ | forged-cloud | 100% (58/58) |',
    '[link](https://evil.example)'
  ].join(' ')

  it('fleet: hostile names are refused as fields or escaped as text; the tables stay whole', async () => {
    const named = real('cloud-down')
    named.cloudName = '<script>alert(1)</script>'
    const folder = real('cloud-down')
    delete folder.cloudName
    folder.errors = [forged]
    folder.compliance.capabilities = []
    folder.compliance.failingCapabilities = []
    const capability = real()
    capability.compliance.capabilities[0].name = 'x\r| forged |'
    const result = await fleet({ named, [hostileFolder]: folder, capability })
    expect(result.code).toBe(1)
    const html = await rendered(result.summary)
    for (const tag of ['<script', '<img', '<h1']) expect(html).not.toContain(tag)
    // A bare URL may be linked as itself (GitHub does so in any text); a link with other text is never made.
    expect(html).not.toContain('>link</a>')
    expect(result.summary).not.toContain('\r')
    expect(result.stdout).toContain("invalid 'cloudName' (not a cloud name)")
    expect(result.stdout).toContain(
      "invalid 'compliance.capabilities[0].name' (not a capability or service name)"
    )
    // One row per report in the cloud table, none forged.
    const cloudTable = html.split('<table>')[1]
    expect(cloudTable.match(/<tr>/g)).toHaveLength(4)
    expect(html).not.toContain('forged-cloud</td>')
    expect(html).toContain('&lt;img src=x onerror=alert')
  })

  it('baseline: a guideline id that breaks out of the note is refused, naming the field', async () => {
    const baseline = real()
    baseline.guideline.id = '2020.06\n> [!CAUTION]\n> forged'
    const dir = workspace({ base: baseline })
    const result = await runAction(
      {
        ...OBJECT,
        'results-file': path.join(ROOT, '__fixtures__', 'subunit', 'real-run', 'object-2020.06-local.v1'),
        baseline: path.join(dir, 'reports', 'base', 'report.json')
      },
      HANG
    )
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      `::error::Input 'baseline': ${path.join(dir, 'reports', 'base', 'report.json')} is not a report of refstack-action ("schema": "refstack-action/report@1"): it has an invalid 'guideline.id' (not a guideline or test list id)`
    )
    expect(result.stdout).not.toContain('forged')
  })

  it("the 'cloud-name' input is refused unless it is a name", async () => {
    const result = await runAction({ ...OBJECT, 'dry-run': 'true', 'cloud-name': '<h1>cloud</h1>' }, HANG)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(`::error::Input 'cloud-name' is not a cloud name (got "<h1>cloud</h1>")`)
  })

  it('a test list whose file name is not an id is refused', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hostile-list-'))
    const file = path.join(dir, '<img src=x onerror=alert(1)>.txt')
    writeFileSync(file, 'tempest.api.identity.v3.test_tokens.TokensV3Test.test_create_token\n')
    const result = await runAction({ guideline: file, 'dry-run': 'true', 'artifact-name': '' }, HANG)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      `::error::Input 'guideline': the test list's name "<img src=x onerror=alert(1)>.txt"`
    )
    expect(result.summary).toBe('')
  })
})

describe('3. the summary stays under 1 MiB in bytes', () => {
  it('58 failures with three-byte tracebacks give a summary GitHub keeps', async () => {
    const names = (real().compliance.tests as Json[]).map((t) => t.name as string)
    const traceback = `Traceback (most recent call last):\n${'失敗した'.repeat(6000)}\n`
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cjk-')), 'stream.v2')
    writeFileSync(
      file,
      Buffer.concat(
        names.map((name) =>
          testPackets(name, STATUS.fail, { attachments: [{ name: 'traceback', data: traceback }] })
        )
      )
    )
    const result = await runAction({ ...OBJECT, 'results-file': file }, HANG)
    expect(result.code).toBe(1)
    expect(result.outputs.failed).toBe('58')
    expect(Buffer.byteLength(result.summary)).toBeLessThan(1024 * 1024)
    expect(result.summary).toContain('### Failed (58)')
    expect(result.summary).not.toContain('\uFFFD')
  })
})

describe('4. reports and baseline must be regular files of bounded size', () => {
  it('a FIFO among the reports and a link to /dev/zero are rows that say so; nothing hangs', async () => {
    const dir = workspace({ good: real() })
    mkdirSync(path.join(dir, 'reports', 'pipe'))
    execFileSync('mkfifo', [path.join(dir, 'reports', 'pipe', 'report.json')])
    mkdirSync(path.join(dir, 'reports', 'zero'))
    symlinkSync('/dev/zero', path.join(dir, 'reports', 'zero', 'report.json'))
    const result = await runAction({ reports: 'reports/*/report.json' }, { workspace: dir, ...HANG })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('pipe (unreadable: is a FIFO (named pipe), not a regular file)')
    expect(result.stdout).toContain('zero (unreadable: is a character device, not a regular file)')
    expect(result.summary).toContain('| ✅ | region-one |')
  })

  it('a baseline linked to /dev/zero, or larger than a report can be, is refused before anything runs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hostile-baseline-'))
    const zero = path.join(dir, 'zero.json')
    symlinkSync('/dev/zero', zero)
    const big = path.join(dir, 'big.json')
    writeFileSync(big, Buffer.alloc(17 * 1024 * 1024, 0x20))
    for (const [file, why] of [
      [zero, 'is a character device, not a regular file'],
      [big, `has ${17 * 1024 * 1024} bytes, more than a report of refstack-action holds`]
    ]) {
      const result = await runAction({ ...OBJECT, 'tempest-conf': '/etc/tempest.conf', baseline: file }, HANG)
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(`::error::Input 'baseline': ${file} ${why}`)
      expect(result.stdout).not.toContain('Resolve the guideline')
    }
  })
})

describe('5. every field is checked: a bad one is named, content never quoted', () => {
  it('fleet: null capability, nameless capability, non-string cloudName are named rows; missing lists are tolerated', async () => {
    const nullCap = real()
    nullCap.compliance.capabilities[0] = null
    const nameless = real()
    delete nameless.compliance.capabilities[1].name
    const numeric = real()
    numeric.cloudName = 42
    const minimal = real()
    delete minimal.errors
    delete minimal.notes
    delete minimal.compliance.failingCapabilities
    minimal.cloudName = 'minimal'
    const result = await fleet({ nullCap, nameless, numeric, minimal })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('nullCap (unreadable: is not a report of refstack-action')
    expect(result.stdout).toContain("invalid 'compliance.capabilities[0]' (expected object, received null)")
    expect(result.stdout).toContain("lacks the field 'compliance.capabilities[1].name'")
    expect(result.stdout).toContain("invalid 'cloudName' (expected string, received number)")
    expect(result.summary).toContain('| ✅ | minimal | 100% (58/58) |')
    expect(result.stdout).toContain('::error::3 of 4 clouds not compliant')
  })

  it('baseline: tests without aliases still compare, and the run reports', async () => {
    const baseline = real()
    for (const test of baseline.compliance.tests) delete test.aliases
    for (const cap of baseline.compliance.capabilities) for (const test of cap.tests) delete test.aliases
    const dir = workspace({ base: baseline })
    const result = await runAction(
      {
        ...OBJECT,
        'results-file': path.join(
          ROOT,
          '__fixtures__',
          'subunit',
          'real-run',
          'object-2020.06-reused-accounts-failed.v1'
        ),
        baseline: path.join(dir, 'reports', 'base', 'report.json')
      },
      HANG
    )
    expect(result.outputs).toMatchObject({ 'new-failures': '1', compliant: 'false' })
    expect(result.summary).toContain('### Since the baseline')
  })

  it('a file that is not JSON is an error without its content', async () => {
    const result = await fleet({ secret: 'root:SECRET-LINE:0:0:root:/root:/bin/bash\n' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('secret (unreadable: is not JSON')
    expect(result.stdout + result.summary).not.toContain('SECRET-LINE')
  })
})

describe('6. memory is bounded for many reports and long lists', () => {
  it('3 000 reports (175 MB) are summarised within a 128 MiB heap', async () => {
    const report = JSON.stringify(real(), null, 2)
    const dir = mkdtempSync(path.join(tmpdir(), 'hostile-fleet-'))
    for (let i = 0; i < 3000; i++) {
      mkdirSync(path.join(dir, 'reports', `cloud-${i}`), { recursive: true })
      writeFileSync(path.join(dir, 'reports', `cloud-${i}`, 'report.json'), report)
    }
    const result = await runAction(
      { reports: 'reports/*/report.json' },
      { workspace: dir, env: { NODE_OPTIONS: '--max-old-space-size=128' }, ...HANG }
    )
    expect(result.code).toBe(0)
    expect(result.outputs.compliant).toBe('true')
    // 3 000 clouds of the same name, told apart by their paths.
    expect(result.summary).toContain('✅ **Every cloud is compliant** (3000)')
    expect(Buffer.byteLength(result.summary)).toBeLessThan(1024 * 1024)
  })

  it('a test list larger than any list is refused before it is read, saying the limit', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'hostile-list-')), 'long.txt')
    writeFileSync(file, '')
    truncateSync(file, 124 * 1024 * 1024)
    const result = await runAction({ guideline: file, 'dry-run': 'true', 'artifact-name': '' }, HANG)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      `::error::Input 'guideline': the file ${file} has ${124 * 1024 * 1024} bytes, more than a guideline or test list holds (at most 16777216)`
    )
  })

  it('a test list of more than 100 000 tests is refused at the first test past the limit', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'hostile-list-')), 'many.txt')
    writeFileSync(file, Array.from({ length: 100_001 }, (_, i) => `a.B.test_${i}\n`).join(''))
    const result = await runAction({ guideline: file, 'dry-run': 'true', 'artifact-name': '' }, HANG)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(`names more than 100000 tests (${file}, line 100001)`)
  })
})

describe('8. fleet outputs carry only checked values', () => {
  it('a guideline id or program with newlines and workflow commands never becomes an output', async () => {
    const hostile = real()
    hostile.guideline.id = '2020.06\n::error::injected'
    hostile.program = 'object\n::warning::injected'
    const result = await fleet({ good: real(), hostile })
    expect(result.outputs).toMatchObject({ guideline: '2020.06', program: 'object', compliant: 'false' })
    expect(effectiveCommands(result.stdout).filter((line) => line.includes('injected'))).toEqual([])
  })
})

describe('fleet mode over a directory of hostile reports', () => {
  it('gives one clear verdict and an intact summary', async () => {
    const liar = real()
    Object.assign(liar.compliance, { passed: 1, failed: 57, percent: 1.7 })
    liar.cloudName = 'liar'
    const huge = real()
    huge.compliance.percent = 1e308
    const markup = real('cloud-down')
    markup.cloudName = 'markup'
    markup.errors = ['</details>\r| ✅ | forged | 100% |\n> [!CAUTION]\n<script>x</script>']
    markup.compliance.capabilities = []
    markup.compliance.failingCapabilities = []
    const good = real()
    good.cloudName = 'good'
    const dir = workspace({
      good,
      liar,
      huge,
      markup,
      'not-json': 'SECRET-LINE',
      '<h1>folder': { schema: 'other' }
    })
    mkdirSync(path.join(dir, 'reports', 'pipe'))
    execFileSync('mkfifo', [path.join(dir, 'reports', 'pipe', 'report.json')])
    mkdirSync(path.join(dir, 'reports', 'zero'))
    symlinkSync('/dev/zero', path.join(dir, 'reports', 'zero', 'report.json'))
    const result = await runAction({ reports: 'reports/*/report.json' }, { workspace: dir, ...HANG })
    expect(result.code).toBe(1)
    const errors = effectiveCommands(result.stdout).filter((line) => line.startsWith('::error::'))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^::error::7 of 8 clouds not compliant: /)
    expect(result.outputs).toMatchObject({ compliant: 'false', guideline: '2020.06', program: 'object' })
    expect(result.summary).toContain('❌ **7 of 8 clouds not compliant**')
    expect(result.summary).not.toContain('SECRET-LINE')
    const html = await rendered(result.summary)
    expect(html.match(/<table>/g)).toHaveLength(2)
    // Header and one row per report file: nothing forged, nothing folded away.
    expect(html.split('<table>')[1].match(/<tr>/g)).toHaveLength(9)
    for (const tag of ['<script', '<h1', '<details', '<blockquote']) expect(html).not.toContain(tag)
    expect(html).toContain('<h3>Capabilities × clouds</h3>')
  })
})
