/**
 * An openrc (the `export OS_…=…` shell file OpenStack installers write, e.g. openstack-ansible's /root/openrc)
 * read as bash would evaluate it, without ever running it: quoting, `export A=B C=D`, comments, line
 * continuations, `$VAR` / `${VAR:-default}` expansions, `unset`, and Horizon's
 * `if [ -z "$X" ]; then unset X; fi`. What cannot be known without running it (command substitution, `read`
 * from the terminal, `source` of another file, other conditionals) is reported per variable instead of guessed.
 * Every secret is masked with registerSecret the moment it is read.
 */
import YAML from 'yaml'
import { Input } from '../constants.js'
import { ActionError } from '../errors.js'
import { registerSecret } from '../secrets.js'

export interface ParsedOpenrc {
  /** Exported OS_* variables with their values. */
  env: Record<string, string>
  /** OS_* (and other) variables whose value cannot be known without running the file → why. */
  unresolved: Record<string, string>
}

/** Names whose values are secrets: masked as soon as they are assigned. */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|PASSPHRASE|_KEY$/i

// ---------------------------------------------------------------------------------------------------------
// Lexer: the text → commands (lists of words); a word is a list of parts, expanded later in order.

type Part =
  | { kind: 'text'; text: string }
  | { kind: 'var'; name: string; op?: string; arg?: Word }
  | { kind: 'unknown'; why: string }

type Word = Part[]

interface Command {
  words: Word[]
  /** Raw text of each word (for keywords and option names; expansions not applied). */
  raw: string[]
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const OPERATORS = [';;', '&&', '||', ';', '&', '|', '\n', '(', ')']

class Lexer {
  private i = 0
  constructor(private readonly s: string) {}

  commands(): Command[] {
    const commands: Command[] = []
    let current: Command = { words: [], raw: [] }
    const finish = (): void => {
      if (current.words.length > 0) commands.push(current)
      current = { words: [], raw: [] }
    }
    while (this.i < this.s.length) {
      const c = this.s[this.i]
      if (c === ' ' || c === '\t' || c === '\r') {
        this.i++
      } else if (c === '\\' && this.s[this.i + 1] === '\n') {
        this.i += 2
      } else if (c === '#') {
        while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++
      } else if (c === '<' || c === '>') {
        this.i++ // a redirection: its target is read as an ordinary word of the command, which is ignored
      } else {
        const op = OPERATORS.find((o) => this.s.startsWith(o, this.i))
        if (op !== undefined) {
          this.i += op.length
          finish()
        } else {
          const start = this.i
          current.words.push(this.word(false))
          current.raw.push(this.s.slice(start, this.i))
        }
      }
    }
    finish()
    return commands
  }

  /** One word; inBrace: inside `${…}`, stop at the closing brace. */
  private word(inBrace: boolean): Word {
    const parts: Word = []
    const text = (t: string): void => {
      const last = parts[parts.length - 1]
      if (last?.kind === 'text') last.text += t
      else parts.push({ kind: 'text', text: t })
    }
    while (this.i < this.s.length) {
      const c = this.s[this.i]
      if (inBrace ? c === '}' : /[\s;&|()<>]/.test(c)) break
      if (c === '\\') {
        const next = this.s[this.i + 1]
        this.i += 2
        if (next !== undefined && next !== '\n') text(next)
      } else if (c === "'") {
        const end = this.s.indexOf("'", this.i + 1)
        const stop = end < 0 ? this.s.length : end
        text(this.s.slice(this.i + 1, stop))
        this.i = stop + 1
      } else if (c === '$' && this.s[this.i + 1] === "'") {
        this.i += 2
        text(this.ansiC())
      } else if (c === '"') {
        this.i++
        this.doubleQuoted(parts, text)
      } else if (c === '$') {
        parts.push(this.dollar())
      } else if (c === '`') {
        const end = this.s.indexOf('`', this.i + 1)
        this.i = end < 0 ? this.s.length : end + 1
        parts.push({ kind: 'unknown', why: 'command substitution (`…`)' })
      } else {
        text(c)
        this.i++
      }
    }
    return parts
  }

  private doubleQuoted(parts: Word, text: (t: string) => void): void {
    while (this.i < this.s.length && this.s[this.i] !== '"') {
      const c = this.s[this.i]
      if (c === '\\') {
        const next = this.s[this.i + 1]
        if (next === '\n') this.i += 2
        else if (next !== undefined && '$`"\\'.includes(next)) {
          text(next)
          this.i += 2
        } else {
          text('\\')
          this.i++
        }
      } else if (c === '$') {
        parts.push(this.dollar())
      } else if (c === '`') {
        const end = this.s.indexOf('`', this.i + 1)
        this.i = end < 0 ? this.s.length : end + 1
        parts.push({ kind: 'unknown', why: 'command substitution (`…`)' })
      } else {
        text(c)
        this.i++
      }
    }
    this.i++ // closing quote
  }

  /** `$'…'` (ANSI-C quoting), common escapes only. */
  private ansiC(): string {
    let out = ''
    const escapes: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      '\\': '\\',
      "'": "'",
      '"': '"',
      e: '\x1b',
      a: '\x07'
    }
    while (this.i < this.s.length && this.s[this.i] !== "'") {
      if (this.s[this.i] === '\\' && this.i + 1 < this.s.length) {
        const next = this.s[this.i + 1]
        out += escapes[next] ?? `\\${next}`
        this.i += 2
      } else {
        out += this.s[this.i++]
      }
    }
    this.i++
    return out
  }

  /** At a `$`: a variable, `${…}`, `$(…)`, `$((…))`, or a literal dollar. */
  private dollar(): Part {
    const s = this.s
    const next = s[this.i + 1]
    if (next === '(') {
      let depth = 0
      let j = this.i + 1
      for (; j < s.length; j++) {
        if (s[j] === '(') depth++
        else if (s[j] === ')' && --depth === 0) break
      }
      this.i = j + 1
      return { kind: 'unknown', why: 'command substitution ($(…))' }
    }
    if (next === '{') {
      this.i += 2
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(this.i))?.[0]
      if (name === undefined) return this.skipBrace('an unsupported ${…} expansion')
      this.i += name.length
      if (s[this.i] === '}') {
        this.i++
        return { kind: 'var', name }
      }
      const op = [':-', ':=', ':+', ':?', '-', '=', '+', '?'].find((o) => s.startsWith(o, this.i))
      if (op === undefined) return this.skipBrace(`an unsupported \${${name}…} expansion`)
      this.i += op.length
      const arg = this.word(true)
      this.i++ // closing brace
      return { kind: 'var', name, op, arg }
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(this.i + 1))?.[0]
    if (name !== undefined) {
      this.i += 1 + name.length
      return { kind: 'var', name }
    }
    if (next !== undefined && /[0-9#?$!@*-]/.test(next)) {
      this.i += 2
      return { kind: 'unknown', why: `the special parameter $${next}` }
    }
    this.i++
    return { kind: 'text', text: '$' }
  }

  private skipBrace(why: string): Part {
    let depth = 1
    while (this.i < this.s.length && depth > 0) {
      if (this.s[this.i] === '{') depth++
      else if (this.s[this.i] === '}') depth--
      this.i++
    }
    return { kind: 'unknown', why }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Evaluation of the commands, with a variable table of its own (the target's environment is never read).

type Value = { value: string } | { why: string }

class Shell {
  readonly vars = new Map<string, string>()
  readonly exported = new Set<string>()
  readonly unresolved = new Map<string, string>()

  expand(word: Word): Value {
    let out = ''
    for (const part of word) {
      if (part.kind === 'text') out += part.text
      else if (part.kind === 'unknown') return { why: part.why }
      else {
        const v = this.expandVar(part)
        if ('why' in v) return v
        out += v.value
      }
    }
    return { value: out }
  }

  private expandVar(part: { name: string; op?: string; arg?: Word }): Value {
    const why = this.unresolved.get(part.name)
    if (why !== undefined) return { why: `$${part.name} is unknown: ${why}` }
    const set = this.vars.has(part.name)
    const value = this.vars.get(part.name) ?? ''
    const op = part.op
    if (op === undefined) return { value }
    const useArg = op.startsWith(':') ? !set || value === '' : !set
    const arg = (): Value => this.expand(part.arg ?? [])
    switch (op.replace(':', '')) {
      case '-':
        return useArg ? arg() : { value }
      case '=': {
        if (!useArg) return { value }
        const a = arg()
        if ('value' in a) this.assign(part.name, a.value)
        return a
      }
      case '+':
        return useArg ? { value: '' } : arg()
      default: // '?': bash would stop sourcing with an error
        return useArg ? { why: `\${${part.name}${op}…} fails when ${part.name} is unset` } : { value }
    }
  }

  assign(name: string, value: string): void {
    if (value !== '' && SECRET_NAME.test(name)) registerSecret(value)
    this.vars.set(name, value)
    this.unresolved.delete(name)
  }

  assignValue(name: string, v: Value): void {
    if ('value' in v) this.assign(name, v.value)
    else {
      this.vars.delete(name)
      this.unresolved.set(name, v.why)
    }
  }

  unset(name: string): void {
    this.vars.delete(name)
    this.exported.delete(name)
    this.unresolved.delete(name)
  }

  /** Marks every variable a skipped block could assign as unknown. */
  markUnknown(commands: Command[], why: string): void {
    for (const command of commands) {
      for (const raw of command.raw) {
        const name = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(raw)?.[1]
        if (name !== undefined) {
          this.vars.delete(name)
          this.unresolved.set(name, why)
          if (command.raw.includes('export')) this.exported.add(name)
        }
      }
      const unset = command.raw.indexOf('unset')
      if (unset >= 0) {
        for (const raw of command.raw.slice(unset + 1)) if (NAME.test(raw)) this.unresolved.set(raw, why)
      }
    }
  }

  run(commands: Command[]): void {
    let i = 0
    while (i < commands.length) {
      const command = commands[i]
      const keyword = command.raw[0]
      if (keyword === 'if') {
        i = this.runIf(commands, i)
        continue
      }
      if (['for', 'while', 'until', 'case', 'function', '{'].includes(keyword)) {
        const end = this.blockEnd(commands, i)
        this.markUnknown(commands.slice(i, end), `set inside a '${keyword}' block, which is not evaluated`)
        i = end
        continue
      }
      this.simple(command)
      i++
    }
  }

  /** Index after the block that starts at `start` (matching fi/done/esac/}). */
  private blockEnd(commands: Command[], start: number): number {
    const open: Record<string, string> = {
      if: 'fi',
      for: 'done',
      while: 'done',
      until: 'done',
      case: 'esac',
      '{': '}'
    }
    const stack: string[] = []
    for (let j = start; j < commands.length; j++) {
      // Keywords count where a command starts: first word, or the word after then/else/elif/do.
      const raw = commands[j].raw
      const heads =
        raw[0] === 'function'
          ? raw.filter((r) => r === '{')
          : ['then', 'else', 'elif', 'do'].includes(raw[0])
            ? raw.slice(0, 2)
            : raw.slice(0, 1)
      for (const head of heads) {
        if (open[head] !== undefined) stack.push(open[head])
        else if (head === stack[stack.length - 1]) {
          stack.pop()
          if (stack.length === 0) return j + 1
        }
      }
    }
    return commands.length
  }

  /** `if [ -z W ]; then …; [else …;] fi` with -z / -n / plain tests; anything else is not evaluated. */
  private runIf(commands: Command[], start: number): number {
    const end = this.blockEnd(commands, start)
    const block = commands.slice(start, end)
    const condition = block[0]
    const test = this.test({ words: condition.words.slice(1), raw: condition.raw.slice(1) })
    // Branches: commands after `then` (the keyword starts a command) up to else/elif/fi at depth 0.
    const thenBranch: Command[] = []
    const elseBranch: Command[] = []
    let target: Command[] | undefined
    let depth = 0
    let complex = false
    for (const command of block.slice(1)) {
      let cmd = command
      const head = cmd.raw[0]
      if (depth === 0 && (head === 'then' || head === 'else' || head === 'elif' || head === 'fi')) {
        if (head === 'elif') complex = true
        target = head === 'then' ? thenBranch : head === 'else' ? elseBranch : undefined
        cmd = { words: cmd.words.slice(1), raw: cmd.raw.slice(1) }
        if (cmd.raw.length === 0) continue
      }
      if (cmd.raw[0] === 'if') depth++
      if (cmd.raw[0] === 'fi') depth--
      target?.push(cmd)
    }
    if (test === undefined || complex) {
      this.markUnknown(block, 'set inside an if block whose condition is not evaluated')
    } else {
      this.run(test ? thenBranch : elseBranch)
    }
    return end
  }

  /** `[ -z W ]`, `[ -n W ]`, `[ W ]`, `[ ! … ]`, `test …`; undefined when it cannot be decided. */
  private test(command: Command): boolean | undefined {
    let words = command.words
    let raw = command.raw
    if (raw[0] === '[' && raw[raw.length - 1] === ']') {
      words = words.slice(1, -1)
      raw = raw.slice(1, -1)
    } else if (raw[0] === 'test') {
      words = words.slice(1)
      raw = raw.slice(1)
    } else return undefined
    let negate = false
    if (raw[0] === '!') {
      negate = true
      words = words.slice(1)
      raw = raw.slice(1)
    }
    let result: boolean | undefined
    const value = (w: Word): string | undefined => {
      const v = this.expand(w)
      return 'value' in v ? v.value : undefined
    }
    if (raw.length === 2 && (raw[0] === '-z' || raw[0] === '-n')) {
      const v = value(words[1])
      if (v !== undefined) result = raw[0] === '-z' ? v === '' : v !== ''
    } else if (raw.length === 1) {
      const v = value(words[0])
      if (v !== undefined) result = v !== ''
    }
    return result === undefined ? undefined : result !== negate
  }

  private simple(command: Command): void {
    const { words, raw } = command
    // Leading NAME=value words: plain assignments (left to right), or a prefix for a command.
    let n = 0
    while (n < raw.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(raw[n])) n++
    if (n === raw.length) {
      for (let k = 0; k < n; k++) this.assignWord(words[k], raw[k], false)
      return
    }
    if (n > 0) return // `A=b command`: the assignment only reaches that command
    const name = raw[0]
    if (
      name === 'export' ||
      ((name === 'declare' || name === 'typeset') && raw.slice(1).some((r) => /^-[a-z]*x/.test(r)))
    ) {
      const unexport = raw.slice(1).some((r) => /^-[a-z]*n/.test(r))
      // A declaration builtin expands every argument before assigning any.
      const args = words.slice(1).map((w, k) => ({ w, r: raw[k + 1], v: this.expand(w) }))
      for (const { w, r, v } of args) {
        if (r.startsWith('-')) continue
        const eq = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(r)
        if (eq) {
          this.assignWord(w, r, true, v)
        } else if ('value' in v && NAME.test(v.value)) {
          if (unexport) this.exported.delete(v.value)
          else this.exported.add(v.value)
        }
      }
    } else if (name === 'unset') {
      for (const r of raw.slice(1)) if (NAME.test(r)) this.unset(r)
    } else if (name === 'read') {
      const names: string[] = []
      for (let k = 1; k < raw.length; k++) {
        if (raw[k].startsWith('-')) {
          if (/^-[a-zA-Z]*[pdtnNuia]$/.test(raw[k])) k++ // option with an argument
        } else if (NAME.test(raw[k])) names.push(raw[k])
      }
      for (const v of names.length > 0 ? names : ['REPLY']) {
        this.vars.delete(v)
        this.unresolved.set(v, 'read from the terminal when the file is sourced')
      }
    }
    // Anything else (echo, alias, source, …) sets nothing this parser can know about.
  }

  /** `NAME=value` word → assignment; the value part is the word after the first `=` of its first text part. */
  private assignWord(word: Word, raw: string, exported: boolean, whole?: Value): void {
    const name = raw.slice(0, raw.indexOf('='))
    const first = word[0]
    if (first?.kind !== 'text') return
    const rest: Word = [{ kind: 'text', text: first.text.slice(name.length + 1) }, ...word.slice(1)]
    let value = this.expand(rest)
    if (whole !== undefined && 'why' in whole) value = whole
    else if (whole !== undefined && 'value' in whole) value = { value: whole.value.slice(name.length + 1) }
    this.assignValue(name, value)
    if (exported) this.exported.add(name)
  }
}

/** The openrc evaluated: exported OS_* variables, and those whose value it cannot know. Never runs it. */
export function parseOpenrcDetailed(text: string): ParsedOpenrc {
  const shell = new Shell()
  shell.run(new Lexer(text).commands())
  const env: Record<string, string> = {}
  const unresolved: Record<string, string> = {}
  for (const name of [...shell.exported].sort()) {
    if (!name.startsWith('OS_')) continue
    const value = shell.vars.get(name)
    if (value !== undefined) env[name] = value
  }
  for (const [name, why] of shell.unresolved) unresolved[name] = why
  return { env, unresolved }
}

/** The exported OS_* variables of an openrc, as bash would evaluate them; secrets are masked. */
export function parseOpenrc(text: string): Record<string, string> {
  return parseOpenrcDetailed(text).env
}

// ---------------------------------------------------------------------------------------------------------
// From the openrc's variables to one Tempest test account.

/** The user an openrc authenticates as (password authentication only). */
export interface OpenrcAccount {
  username: string
  password: string
  projectName?: string
  projectId?: string
  userDomainName?: string
  userDomainId?: string
  projectDomainName?: string
  projectDomainId?: string
}

const first = (env: Record<string, string>, ...names: string[]): string | undefined =>
  names.map((n) => env[n]?.trim()).find((v) => v !== undefined && v !== '')

/**
 * The password account an openrc describes. Throws an ActionError naming what is missing, or why the
 * credentials cannot go into a Tempest accounts file (application credentials, tokens).
 */
export function openrcAccount(
  env: Record<string, string>,
  source = `'${Input.Openrc}'`,
  unresolved: Record<string, string> = {}
): OpenrcAccount {
  const authType = (env.OS_AUTH_TYPE ?? 'password').toLowerCase()
  if (authType.includes('applicationcredential') || env.OS_APPLICATION_CREDENTIAL_SECRET) {
    throw new ActionError(
      `${source} authenticates with an application credential (OS_AUTH_TYPE=${env.OS_AUTH_TYPE ?? ''}); Tempest's accounts file needs a user name and password`,
      `Use an openrc with OS_USERNAME and OS_PASSWORD of a project member, or point '${Input.TempestConf}' at a tempest.conf with pre-provisioned accounts`
    )
  }
  if (authType.includes('token') || (env.OS_TOKEN && !env.OS_PASSWORD)) {
    throw new ActionError(
      `${source} authenticates with a token; Tempest's accounts file needs a user name and password`,
      `Use an openrc with OS_USERNAME and OS_PASSWORD, or point '${Input.TempestConf}' at a tempest.conf with pre-provisioned accounts`
    )
  }
  const missing = (name: string, what: string): ActionError => {
    const why = unresolved[name]
    return new ActionError(
      why
        ? `${source}: ${name} cannot be read without running the file (${why})`
        : `${source} sets no ${name} (${what})`,
      why
        ? `Write the value into the file (openstack-ansible's /root/openrc has it: export ${name}='…'), or point '${Input.TempestConf}' at a tempest.conf with pre-provisioned accounts`
        : `Use the openrc openstack-ansible writes (/root/openrc in the utility container), or one with OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME and OS_AUTH_URL`
    )
  }
  const username = first(env, 'OS_USERNAME', 'OS_USER_NAME')
  if (username === undefined)
    throw missing('OS_USERNAME', 'the user Tempest and the CPID lookup authenticate as')
  const password = env.OS_PASSWORD
  if (password === undefined || password === '') throw missing('OS_PASSWORD', "the user's password")
  registerSecret(password)
  const projectName = first(env, 'OS_PROJECT_NAME', 'OS_TENANT_NAME')
  const projectId = first(env, 'OS_PROJECT_ID', 'OS_TENANT_ID')
  if (projectName === undefined && projectId === undefined) {
    throw missing(
      'OS_PROJECT_NAME',
      'the project Tempest works in; a system-scoped openrc cannot be a test account'
    )
  }
  const defaultDomainName = first(env, 'OS_DEFAULT_DOMAIN_NAME')
  const defaultDomainId = first(env, 'OS_DEFAULT_DOMAIN', 'OS_DEFAULT_DOMAIN_ID')
  const userDomainId = first(env, 'OS_USER_DOMAIN_ID')
  const projectDomainId = first(env, 'OS_PROJECT_DOMAIN_ID')
  let userDomainName = first(env, 'OS_USER_DOMAIN_NAME') ?? (userDomainId ? undefined : defaultDomainName)
  let projectDomainName =
    first(env, 'OS_PROJECT_DOMAIN_NAME') ?? (projectDomainId ? undefined : defaultDomainName)
  const resolvedUserDomainId = userDomainId ?? (userDomainName ? undefined : defaultDomainId)
  const resolvedProjectDomainId = projectDomainId ?? (projectDomainName ? undefined : defaultDomainId)
  if (!userDomainName && !resolvedUserDomainId) userDomainName = 'Default'
  if (!projectDomainName && !resolvedProjectDomainId && projectName !== undefined)
    projectDomainName = 'Default'
  return {
    username,
    password,
    projectName,
    projectId,
    userDomainName,
    userDomainId: resolvedUserDomainId,
    projectDomainName,
    projectDomainId: resolvedProjectDomainId
  }
}

/**
 * A Tempest accounts file (YAML) with the openrc's user as its one account. refstack-client takes the FIRST
 * account for the CPID lookup, Tempest uses it for the tests. `roles`, when known (from Keystone), let Tempest
 * hand the account to tests that ask for a role (object storage asks for its operator role); the admin role is
 * left out on purpose: Tempest never allocates an account listed with it as a primary (non-admin) account.
 */
export function accountsFromOpenrc(
  env: Record<string, string>,
  roles: string[] = [],
  adminRole = 'admin'
): string {
  const account = openrcAccount(env)
  const entry: Record<string, unknown> = { username: account.username, password: account.password }
  if (account.projectName !== undefined) entry.project_name = account.projectName
  if (account.projectId !== undefined) entry.project_id = account.projectId
  if (account.userDomainName !== undefined) entry.user_domain_name = account.userDomainName
  if (account.userDomainId !== undefined) entry.user_domain_id = account.userDomainId
  if (account.projectDomainName !== undefined) entry.project_domain_name = account.projectDomainName
  if (account.projectDomainId !== undefined) entry.project_domain_id = account.projectDomainId
  const listed = [...new Set(roles)].filter((role) => role.toLowerCase() !== adminRole.toLowerCase())
  if (listed.length > 0) entry.roles = listed
  const header =
    '# Written by refstack-action from the openrc: the account Tempest runs the tests with.\n' +
    '# refstack-client derives the cloud provider id (CPID) from the first account.\n'
  return header + YAML.stringify([entry], { defaultStringType: 'QUOTE_SINGLE', defaultKeyType: 'PLAIN' })
}
