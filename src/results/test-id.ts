/**
 * What a Tempest test id says (Tempest's `idempotent_id` and `attr` decorators write its attributes): `module.Class.method[attr,id-<uuid>,…]`, or a class/module-level
 * pseudo-test such as `setUpClass (module.Class)`.
 */

/** The id without its attribute brackets: `a.B.test_c[id-1,smoke]` → `a.B.test_c` (as refstack-client strips). */
export function baseName(id: string): string {
  const open = id.indexOf('[')
  return open > 0 && id.endsWith(']') ? id.slice(0, open) : id
}

export const FIXTURE_KINDS = ['setUpClass', 'setUpModule', 'tearDownClass', 'tearDownModule'] as const
export type FixtureKind = (typeof FIXTURE_KINDS)[number]

export interface Fixture {
  kind: FixtureKind
  /** `module.Class` for the class forms, `module` for the module forms. */
  target: string
}

const FIXTURE = /^(setUpClass|tearDownClass|setUpModule|tearDownModule) \((.+)\)$/

/** A class- or module-level pseudo-test (`setUpClass (tempest.api.x.Y)`), or undefined for a real test. */
export function parseFixture(id: string): Fixture | undefined {
  const m = FIXTURE.exec(id)
  return m ? { kind: m[1] as FixtureKind, target: m[2] } : undefined
}

/**
 * Class and method of an id for reports: `a.b.C.test_x[id-1]` → `a.b.C` + `test_x[id-1]`; a pseudo-test is
 * filed under its class (or module) with the fixture as its name: `setUpClass (a.b.C)` → `a.b.C` + `setUpClass`.
 */
export function splitTestId(id: string): { className: string; name: string } {
  const fixture = parseFixture(id)
  if (fixture) return { className: fixture.target, name: fixture.kind }
  const base = baseName(id)
  const dot = base.lastIndexOf('.')
  if (dot <= 0) return { className: '', name: id }
  return { className: base.slice(0, dot), name: id.slice(dot + 1) }
}
