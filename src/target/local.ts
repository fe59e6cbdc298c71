/** The runner itself is the utility host: commands are child processes, files are local files. */
import { spawn } from 'node:child_process'
import { promises as fs } from 'node:fs'
import * as path from 'node:path'
import { childEnvironment } from './child-env.js'
import { collectOutput, type CommandResult, type ExecOptions, type Target } from './target.js'

export class LocalTarget implements Target {
  readonly description = 'the runner'

  exec(argv: readonly string[], options: ExecOptions = {}): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      const [command, ...args] = argv
      const child = spawn(command, args, {
        cwd: options.cwd,
        // Never the step's inputs or the runner's tokens: see child-env.ts.
        env: childEnvironment(process.env, options.env),
        stdio: ['pipe', 'pipe', 'pipe'],
        // Own process group, so a timeout ends the command's children too.
        detached: options.timeoutMs !== undefined
      })
      const output = collectOutput(child.stdout, child.stderr, options)
      let timedOut = false
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = true
              try {
                if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
              } catch {
                child.kill('SIGKILL')
              }
            }, options.timeoutMs)
      child.on('error', (error) => {
        if (timer) clearTimeout(timer)
        reject(new Error(`Cannot run '${command}' on the runner: ${error.message}`))
      })
      child.on('close', (code) => {
        if (timer) clearTimeout(timer)
        resolve({ code: code ?? -1, ...output(), timedOut: timedOut || undefined })
      })
      child.stdin.on('error', () => undefined) // the command may exit without reading its input
      child.stdin.end(options.stdin ?? '')
    })
  }

  async readFile(file: string): Promise<Buffer> {
    try {
      // A FIFO or a device would be read for ever (or never answer): regular files only.
      const stat = await fs.stat(file)
      if (!stat.isFile()) throw new Error('not a regular file')
      return await fs.readFile(file)
    } catch (error) {
      throw new Error(`Cannot read ${file} on the runner: ${(error as Error).message}`)
    }
  }

  async writeFile(file: string, content: string | Buffer, mode = 0o600): Promise<void> {
    await makeDirectories(path.dirname(file))
    await fs.writeFile(file, content, { mode })
    await fs.chmod(file, mode)
  }

  async download(remotePath: string, localPath: string): Promise<void> {
    if (path.resolve(remotePath) === path.resolve(localPath)) return
    await makeDirectories(path.dirname(localPath))
    await fs.copyFile(remotePath, localPath)
  }

  async close(): Promise<void> {}
}

/**
 * `mkdir -p`, one component at a time. Not fs.mkdir's `recursive`: on a kernel pseudo file system (/proc) it
 * never returns, since creating the parent "succeeds" and the child still cannot be made.
 */
async function makeDirectories(dir: string): Promise<void> {
  let current = path.parse(path.resolve(dir)).root
  for (const part of path
    .resolve(dir)
    .split(path.sep)
    .filter((p) => p !== '')) {
    current = path.join(current, part)
    try {
      await fs.mkdir(current)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
}
