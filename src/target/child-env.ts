/**
 * The environment a command on the runner receives: only what the tools need (locale, proxies, CA bundles,
 * pip's settings), never the step's inputs (INPUT_SSH-PRIVATE-KEY, INPUT_UPLOAD-KEY …) nor the runner's
 * tokens (ACTIONS_RUNTIME_TOKEN, ACTIONS_ID_TOKEN_REQUEST_TOKEN, GITHUB_TOKEN …). Pure.
 */

/** Names passed on as they are. */
const PASSED = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'TERM',
  'TZ',
  'TMPDIR',
  'LANG',
  'LANGUAGE',
  // Proxies (both spellings: curl and Python's urllib read the lower-case ones, others the upper-case).
  'http_proxy',
  'https_proxy',
  'ftp_proxy',
  'no_proxy',
  'all_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'FTP_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  // CA bundles of OpenSSL, requests and pip.
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'REQUESTS_CA_BUNDLE',
  'CURL_CA_BUNDLE'
])

/** Families of names passed on: the locale (LC_*) and pip's own configuration (PIP_INDEX_URL …). */
const PASSED_PREFIXES = ['LC_', 'PIP_']

/** The runner's environment cut to the allowlist, with the command's own variables over it. */
export function childEnvironment(
  parent: NodeJS.ProcessEnv,
  extra: Readonly<Record<string, string>> = {}
): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(parent)) {
    const passed = PASSED.has(name) || PASSED_PREFIXES.some((prefix) => name.startsWith(prefix))
    if (value !== undefined && passed) env[name] = value
  }
  return { ...env, ...extra }
}
