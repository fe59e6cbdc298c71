/** The action's version: package.json's, inlined into dist/ by the bundler at build time. */
import pkg from '../package.json' with { type: 'json' }

export const ACTION_VERSION: string = pkg.version
