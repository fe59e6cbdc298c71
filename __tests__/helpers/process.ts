/** Is process `pid` alive (signal 0 reaches it)? */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
