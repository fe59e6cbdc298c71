import './esm-shim.js'
import { run } from './main.js'

await run()
// Open sockets (SSH keepalives, HTTP agents) must not keep the step alive once it is done.
process.exit(process.exitCode ?? 0)
