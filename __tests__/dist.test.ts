/**
 * dist/ is the same whether or not `npm ci` compiled ssh2's optional native addons: the bundle never holds them
 * (neither the compiled `.node` files nor cpu-features' loader of its binary) and loads them, at most, from
 * outside itself, where a runner has none. (.ci/run proves the rest: it builds after a plain `npm ci` and
 * compares with the committed dist/.)
 */
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const DIST = path.resolve(import.meta.dirname, '..', 'dist')
const files = readdirSync(DIST, { recursive: true, encoding: 'utf8' })
const bundles = files.filter((f) => f.endsWith('.js')).map((f) => readFileSync(path.join(DIST, f), 'utf8'))

describe('dist/', () => {
  it('holds no native addon', () => {
    expect(files.filter((f) => f.endsWith('.node'))).toEqual([])
  })

  it('requires ssh2’s optional addons from outside the bundle, and bundles no code of them', () => {
    // ssh2's crypto (protocol/crypto.js) is bundled; the addons it tries are external requires.
    expect(bundles.some((text) => text.includes('bindingAvailable'))).toBe(true)
    const all = bundles.join('\n')
    expect(all).toContain('createRequire(import.meta.url)("cpu-features")')
    expect(all).toContain('createRequire(import.meta.url)("./crypto/build/Release/sshcrypto.node")')
    // cpu-features' own loader (`binding.getCPUInfo`) would pick up a binary compiled at build time.
    for (const text of bundles) expect(text).not.toContain('getCPUInfo')
  })
  it('loads ssh2 only when a target is used: the start-up bundle (dist/index.js) holds none of it', () => {
    // ssh2's client identifies itself with this banner; a static import anywhere main.ts reaches would bundle it.
    expect(bundles.some((text) => text.includes('SSH-2.0-ssh2js'))).toBe(true)
    expect(readFileSync(path.join(DIST, 'index.js'), 'utf8')).not.toContain('SSH-2.0-ssh2js')
  })
})
