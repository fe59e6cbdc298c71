/**
 * Imported first by the entry points. ssh2 ships an emscripten-built poly1305 that reads `__dirname` when
 * it loads; an ES module has none, so give the bundle's own directory.
 */
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

const scope = globalThis as { __dirname?: string }
scope.__dirname ??= path.dirname(fileURLToPath(import.meta.url))
