export const id = 801;
export const ids = [801];
export const modules = {

/***/ 99801:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  submitResults: () => (/* binding */ submitResults)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 12 modules
var core = __webpack_require__(3894);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 1 modules
var lib = __webpack_require__(44942);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/refstack/tempest-conf.ts
var tempest_conf = __webpack_require__(56612);
;// CONCATENATED MODULE: ./src/refstack/cpid.ts
/**
 * The cloud provider id (CPID) refstack-client puts in its results (refstack.md §3.5): the id of the identity
 * service in the Keystone catalog, got with a token request as the first test account; when that fails, the
 * md5 of the auth URL's host name. Passwords go to Keystone only: no message here carries one.
 */




/** Python's `a or b` over optional YAML values. */
function firstTruthy(...values) {
    for (const value of values)
        if (value !== undefined && value !== null && value !== '')
            return String(value);
    return null;
}
/**
 * refstack-client's `_get_keystone_config` + `_generate_keystone_data`: the auth URL from `[identity]`, the
 * credentials of the first account (or the deprecated `[identity] username/password/tenant_name`), the domain
 * from `[identity] domain_name` (default `Default`; an account's own domain_name is not used, as in the client).
 * Throws an ActionError where refstack-client stops (no URL, no credentials).
 */
function keystoneRequest(conf, accounts) {
    const version = (0,tempest_conf/* confOption */.Wj)(conf, 'identity', 'auth_version') ?? 'v3';
    if (version !== 'v2' && version !== 'v3') {
        throw new errors/* ActionError */.l(`tempest.conf [identity] auth_version must be v2 or v3 (got '${version}')`);
    }
    const uriKey = version === 'v2' ? 'uri' : 'uri_v3';
    const uri = (0,tempest_conf/* confOption */.Wj)(conf, 'identity', uriKey);
    if (uri === undefined) {
        throw new errors/* ActionError */.l(`tempest.conf has no [identity] ${uriKey}: the CPID cannot be computed`, 'Set it to the Keystone URL (e.g. https://keystone.example.com:5000/v3)');
    }
    if (!/^https?:\/\//i.test(uri)) {
        throw new errors/* ActionError */.l(`tempest.conf [identity] ${uriKey} must start with http:// or https:// (got '${uri}')`);
    }
    const authUrl = `${uri.replace(/\/+$/, '')}${version === 'v2' ? '/tokens' : '/auth/tokens'}`;
    const domain = (0,tempest_conf/* confOption */.Wj)(conf, 'identity', 'domain_name') ?? 'Default';
    let username;
    let password;
    let projectId;
    let projectName;
    const first = accounts[0];
    if (first !== undefined) {
        username = firstTruthy(first.username);
        password = firstTruthy(first.password);
        projectId = firstTruthy(first.tenant_id, first.project_id);
        projectName = firstTruthy(first.tenant_name, first.project_name);
    }
    else if ((0,tempest_conf/* confOption */.Wj)(conf, 'identity', 'username') !== undefined) {
        username = (0,tempest_conf/* confOption */.Wj)(conf, 'identity', 'username') ?? null;
        password = (0,tempest_conf/* confOption */.Wj)(conf, 'identity', 'password') ?? null;
        projectId = (0,tempest_conf/* confOption */.Wj)(conf, 'identity', 'tenant_id') ?? (0,tempest_conf/* confOption */.Wj)(conf, 'identity', 'project_id') ?? null;
        projectName = (0,tempest_conf/* confOption */.Wj)(conf, 'identity', 'tenant_name') ?? (0,tempest_conf/* confOption */.Wj)(conf, 'identity', 'project_name') ?? null;
    }
    else {
        throw new errors/* ActionError */.l('User credentials cannot be found for the CPID: the accounts file lists no account and tempest.conf has no [identity] username', 'Give tempest.conf an [auth] test_accounts_file with at least one account');
    }
    if (version === 'v2') {
        const passwordCredentials = { username, password };
        return {
            authVersion: version,
            authUrl,
            body: {
                auth: projectId
                    ? { tenantId: projectId, passwordCredentials }
                    : { tenantName: projectName, passwordCredentials }
            }
        };
    }
    return {
        authVersion: version,
        authUrl,
        body: {
            auth: {
                identity: {
                    methods: ['password'],
                    password: { user: { name: username, domain: { name: domain }, password } }
                },
                scope: { project: { name: projectName, domain: { name: domain } } }
            }
        }
    };
}
/** refstack-client's `_generate_cpid_from_endpoint`: md5 (hex) of the URL's host name (lower case, no port). */
function cpidFromHost(url) {
    let host;
    try {
        const parsed = new URL(url);
        if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
            throw new Error('scheme');
        host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    }
    catch {
        throw new errors/* ActionError */.l(`Invalid Keystone endpoint '${url}': it must include the URL scheme (http:// or https://)`);
    }
    return (0,external_node_crypto_.createHash)('md5').update(host, 'utf8').digest('hex');
}
/** The CPID from a token answer as refstack-client reads it; a string = why it could not. */
function cpidFromAnswer(status, text, authVersion) {
    let json;
    try {
        json = JSON.parse(text);
    }
    catch {
        return { problem: `HTTP ${status} with a body that is not JSON` };
    }
    const notFound = {
        problem: `the Keystone ${authVersion} catalog or its identity service was not found in the token answer`
    };
    const rsp = (json ?? {});
    if (status === 200 || status === 203) {
        // Keystone v2: the first endpoint of the identity service.
        const catalog = rsp.access?.serviceCatalog;
        if (!Array.isArray(catalog))
            return notFound;
        for (const service of catalog) {
            if (service?.type !== 'identity')
                continue;
            if (!Array.isArray(service.endpoints) || service.endpoints.length === 0)
                return notFound;
            const endpointId = service.endpoints[0]?.id;
            if (typeof endpointId === 'string' && endpointId !== '')
                return { cpid: endpointId };
        }
        return notFound;
    }
    if (status === 201) {
        // Keystone v3: the id of the identity service.
        const catalog = rsp.token?.catalog;
        if (!Array.isArray(catalog))
            return notFound;
        for (const service of catalog) {
            if (service?.type === 'identity' && typeof service.id === 'string' && service.id !== '')
                return { cpid: service.id };
        }
        return notFound;
    }
    const error = rsp.error;
    const said = typeof error?.message === 'string' ? `: ${error.message}` : '';
    return { problem: `HTTP ${status}${said}` };
}
/**
 * What refstack-client does before a run (§3.5): a token request to Keystone as the first test account; the
 * CPID is the identity service's id in the catalog. Any failure (unreachable, refused credentials, no
 * catalog) gives the md5 of the auth URL's host name and a warning saying why.
 */
async function computeCpid(conf, accounts, options = {}) {
    const request = keystoneRequest(conf, accounts);
    const timeoutMs = options.timeoutMs ?? 30_000;
    const client = new lib/* HttpClient */.Qq('refstack-action', [], {
        socketTimeout: timeoutMs,
        allowRetries: false,
        allowRedirects: false,
        keepAlive: false,
        ignoreSslError: options.insecure ?? false
    });
    let timer;
    let problem;
    try {
        const deadline = new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        });
        const exchange = (async () => {
            const response = await client.post(request.authUrl, JSON.stringify(request.body), {
                'content-type': 'application/json',
                accept: 'application/json'
            });
            return { status: response.message.statusCode ?? 0, text: await response.readBody() };
        })();
        exchange.catch(() => undefined);
        const answer = await Promise.race([exchange, deadline]);
        const outcome = cpidFromAnswer(answer.status, answer.text, request.authVersion);
        if ('cpid' in outcome)
            return { cpid: outcome.cpid, source: 'keystone' };
        problem = outcome.problem;
    }
    catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const code = error.code;
        problem = message.startsWith('Request timeout')
            ? `no answer within ${timeoutMs} ms`
            : typeof code === 'string' && !message.includes(code)
                ? `${code}: ${message}`
                : message;
    }
    finally {
        clearTimeout(timer);
        client.dispose();
    }
    const cpid = cpidFromHost(request.authUrl);
    return {
        cpid,
        source: 'hostname',
        warning: `Could not get the CPID from Keystone ${request.authVersion} (${request.authUrl}): ${problem}. Using the md5 of the host name instead, as refstack-client does: ${cpid}`
    };
}

// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(27242);
// EXTERNAL MODULE: ./src/log/foreign.ts
var foreign = __webpack_require__(9850);
;// CONCATENATED MODULE: ./src/refstack/upload.ts
/**
 * Uploading a run to a RefStack server (refstack.md §2.5, §3.6, §3.8): the JSON body refstack-client builds from
 * the passes of a stream, the optional RSA signature, and `POST {server}/v1/results/` with bounded retries.
 *
 * The key (`upload-key`) is never logged: only the public key line and its self-signature, both public, may
 * appear in messages (they are what the user registers in the RefStack profile).
 */





// --- the body ------------------------------------------------------------------------------------------------
/** refstack-client's `re.sub(r'\[.*\]', '', id)`: the span from the first `[` to the last `]` goes (per line). */
function resultName(id) {
    return id.replace(/\[[^\n]*\]/g, '');
}
/**
 * refstack-client's `get_test_uuid`: the attributes between the first `[` and the next `]`, the first one
 * starting with `id-`, without `id-`. Undefined when there is none (or it is empty), as the client omits it.
 */
function resultUuid(id) {
    const open = id.indexOf('[');
    if (open < 0)
        return undefined;
    const afterOpen = id.slice(open + 1);
    const nextOpen = afterOpen.indexOf('[');
    const piece = nextOpen < 0 ? afterOpen : afterOpen.slice(0, nextOpen);
    const attrs = piece.split(']')[0].split(',');
    const attr = attrs.find((a) => a.startsWith('id-'));
    if (attr === undefined)
        return undefined;
    const uuid = attr.slice(3);
    return uuid === '' ? undefined : uuid;
}
/**
 * The body refstack-client POSTs: `{"cpid", "duration_seconds", "results": [{"name", "uuid"}]}` with the passes
 * only, in stream order. Names are de-duplicated ignoring case (the server's result table has a unique,
 * case-insensitive (test, name) key: a repeated name is a 500), keeping the first. Serialised once, compactly.
 */
function uploadBody(tests, cpid, durationSeconds) {
    const seen = new Set();
    const results = [];
    for (const test of tests) {
        if (test.status !== 'success')
            continue;
        const name = resultName(test.id);
        const folded = name.toLowerCase();
        if (seen.has(folded))
            continue;
        seen.add(folded);
        const uuid = resultUuid(test.id);
        results.push(uuid === undefined ? { name } : { name, uuid });
    }
    if (results.length === 0) {
        throw new errors/* ActionError */.l(`Nothing to upload: no test passed (${tests.length} test${tests.length === 1 ? '' : 's'} in the results)`, 'The RefStack server rejects an upload without a passing test (HTTP 400 "Uploaded results must contain at least one passing test."); fix the run first');
    }
    const duration = Number.isFinite(durationSeconds) && durationSeconds > 0 ? Math.floor(durationSeconds) : 0;
    return { body: JSON.stringify({ cpid, duration_seconds: duration, results }), passed: results.length };
}
function sshString(data) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([length, data]);
}
/** RFC 4251 mpint of a non-negative big-endian magnitude: no leading zeros, a 0x00 if the top bit is set. */
function sshMpint(magnitude) {
    let start = 0;
    while (start < magnitude.length && magnitude[start] === 0)
        start++;
    let bytes = magnitude.subarray(start);
    if (bytes.length > 0 && (bytes[0] & 0x80) !== 0)
        bytes = Buffer.concat([Buffer.from([0]), bytes]);
    return sshString(bytes);
}
/** The OpenSSH public key line of an RSA key: `ssh-rsa ` + base64(string "ssh-rsa", mpint e, mpint n). */
function sshRsaPublicKey(key) {
    const jwk = (key.type === 'private' ? (0,external_node_crypto_.createPublicKey)(key) : key).export({ format: 'jwk' });
    if (jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') {
        throw new Error('not an RSA key');
    }
    const blob = Buffer.concat([
        sshString(Buffer.from('ssh-rsa')),
        sshMpint(Buffer.from(jwk.e, 'base64url')),
        sshMpint(Buffer.from(jwk.n, 'base64url'))
    ]);
    return `ssh-rsa ${blob.toString('base64')}`;
}
const KEY_HINT = `'${constants/* Input */.pd.UploadKey}' must be an unencrypted PEM RSA private key ("-----BEGIN RSA PRIVATE KEY-----" or "-----BEGIN PRIVATE KEY-----"), as refstack-client's --sign takes; make one with: ssh-keygen -t rsa -b 4096 -m PEM -N '' -f refstack-key`;
/** Reads the `upload-key` input. Errors name the input, never the key's text. */
function loadSigningKey(pem) {
    const text = pem.trim();
    if (/-----BEGIN OPENSSH PRIVATE KEY-----/.test(text)) {
        throw new errors/* ActionError */.l(`Input '${constants/* Input */.pd.UploadKey}' is an OpenSSH-format private key, which RefStack signing cannot use`, `Convert a copy to PEM with: ssh-keygen -p -m PEM -f <copy-of-key> (the public key stays the same). ${KEY_HINT}`);
    }
    if (/ENCRYPTED/.test(text)) {
        throw new errors/* ActionError */.l(`Input '${constants/* Input */.pd.UploadKey}' is an encrypted private key`, `Remove the passphrase from a copy (ssh-keygen -p -N '' -m PEM -f <copy-of-key>, or openssl rsa -in key -out key.pem). ${KEY_HINT}`);
    }
    let privateKey;
    try {
        privateKey = (0,external_node_crypto_.createPrivateKey)({ key: text, format: 'pem' });
    }
    catch {
        throw new errors/* ActionError */.l(`Input '${constants/* Input */.pd.UploadKey}' cannot be read as a PEM private key`, KEY_HINT);
    }
    if (privateKey.asymmetricKeyType !== 'rsa') {
        throw new errors/* ActionError */.l(`Input '${constants/* Input */.pd.UploadKey}' is a${privateKey.asymmetricKeyType === 'ec' || privateKey.asymmetricKeyType === 'ed25519' ? 'n' : ''} ${privateKey.asymmetricKeyType ?? 'unknown'} key, not an RSA key: the RefStack server only verifies RSA signatures`, KEY_HINT);
    }
    return { privateKey, publicKey: sshRsaPublicKey(privateKey) };
}
/** RSA PKCS#1 v1.5 / SHA-256 over the bytes, lower-case hex (refstack-client's `binascii.b2a_hex`). */
function signHex(key, data) {
    return (0,external_node_crypto_.sign)('sha256', typeof data === 'string' ? Buffer.from(data, 'utf8') : data, {
        key: key.privateKey,
        padding: external_node_crypto_.constants.RSA_PKCS1_PADDING
    }).toString('hex');
}
/** The "self signature" the RefStack profile asks for with a new key: the same scheme over `signature`. */
function selfSignature(key) {
    return signHex(key, 'signature');
}
/**
 * `{server}/v1/results/`, exactly as refstack-client posts (the path used against refstack.openstack.org for
 * years). The server's routing takes it with or without the trailing slash: `results` is a Pecan RestController
 * under a plain V1Controller, and a POST with an empty remainder or `['']` both reach its `post()` (checked with
 * Pecan 1.4.1 and the same controller layout: 201 for both).
 */
function resultsEndpoint(server) {
    return `${server.trim().replace(/\/+$/, '')}/v1/results/`;
}
async function post(url, body, headers, timeoutMs, insecure) {
    const client = new lib/* HttpClient */.Qq('refstack-action', [], {
        socketTimeout: timeoutMs,
        allowRetries: false,
        keepAlive: false,
        ignoreSslError: insecure
    });
    let timer;
    const deadline = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const exchange = (async () => {
        const response = await client.post(url, body, headers);
        const text = await response.readBody();
        return { status: response.message.statusCode ?? 0, body: text };
    })();
    exchange.catch(() => undefined); // a late failure after the deadline must not become an unhandled rejection
    try {
        return { ok: true, answer: await Promise.race([exchange, deadline]) };
    }
    catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const code = error.code;
        if (message.startsWith('Request timeout'))
            return { ok: false, transport: `no answer within ${timeoutMs} ms` };
        return {
            ok: false,
            transport: typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message
        };
    }
    finally {
        clearTimeout(timer);
        client.dispose();
    }
}
/** `title` and `detail` of a RefStack error body (§2.1), or the start of a non-JSON body. */
function errorText(body) {
    try {
        const json = JSON.parse(body);
        if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
            const { title, detail } = json;
            const t = typeof title === 'string' && title !== '' ? title : undefined;
            const d = typeof detail === 'string' && detail !== '' ? detail : undefined;
            return { title: t, detail: d, text: [t, d].filter((v) => v !== undefined).join(': ') };
        }
    }
    catch {
        // not JSON: an HTML error page of a proxy or of a URL that is not the API
    }
    const flat = body
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    return { text: flat.length > 200 ? `${flat.slice(0, 200)}…` : flat };
}
/** A refusal by the server: the HTTP status and the server's own words, for callers that branch on them. */
class UploadRefused extends errors/* ActionError */.l {
    status;
    title;
    detail;
    constructor(message, hint, status, title, detail) {
        super(message, hint);
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.name = 'UploadRefused';
    }
}
function refused(server, answer, key) {
    const { title, detail, text } = errorText(answer.body);
    const message = `RefStack server ${server} refused the upload: HTTP ${answer.status}${text ? ` (${text})` : ''}`;
    const said = `${title ?? ''} ${detail ?? ''}`;
    let hint;
    if (answer.status === 401 && /specified key not found/i.test(said)) {
        hint = key
            ? `Log into the RefStack server, open your profile and import this public key with its self signature, then upload again. Public key: ${key.publicKey} Self signature: ${selfSignature(key)}`
            : `Register the public key of '${constants/* Input */.pd.UploadKey}' in your RefStack profile`;
    }
    else if (answer.status === 401 && /anonymous/i.test(said)) {
        hint = `This server only takes signed uploads: set '${constants/* Input */.pd.UploadKey}' to a PEM RSA private key whose public key is registered in your RefStack profile (ssh-keygen -t rsa -b 4096 -m PEM -N '' -f refstack-key)`;
    }
    else if (answer.status === 400 && /signature verification failed/i.test(said)) {
        hint =
            'The signature did not match the body the server received: something between the runner and the server (a proxy) changed the body, or the server verifies differently. Try again without a proxy';
    }
    else if (answer.status === 400 && /malformed (signature|public key)/i.test(said)) {
        hint = `The server could not read the X-Signature / X-Public-Key headers made from '${constants/* Input */.pd.UploadKey}': ${KEY_HINT}`;
    }
    else if (answer.status === 400 && /at least one passing test/i.test(said)) {
        hint = 'The run has no passing test; fix the run first';
    }
    else if (answer.status === 400) {
        hint = 'The server rejected the body as built by the action (refstack-client format): please report this';
    }
    else if (answer.status === 404 || answer.status === 405) {
        hint = `'${constants/* Input */.pd.RefstackServer}' must be the API base URL, e.g. https://refstack.openstack.org/api (the action posts to ${resultsEndpoint(server)})`;
    }
    else if (answer.status === 500) {
        hint =
            'The server failed while storing the result (a result with the same test name twice makes the database fail); the action retried. Check with the server operator, or upload the results file later';
    }
    else if (answer.status >= 500) {
        hint =
            'The server or a proxy in front of it is unavailable; the action retried. Upload the results file later';
    }
    else {
        hint = `Check '${constants/* Input */.pd.RefstackServer}' (the action posts to ${resultsEndpoint(server)})`;
    }
    return new UploadRefused(message, hint, answer.status, title, detail);
}
/**
 * POSTs the body, signed when a key is given. 201 → the result's id and URL. Timeouts, connection errors and 5xx
 * answers are retried (bounded, doubling waits); any other answer is an ActionError with the server's words.
 */
async function uploadResults(options) {
    const key = options.signingKey !== undefined && options.signingKey.trim() !== ''
        ? loadSigningKey(options.signingKey)
        : undefined;
    const url = resultsEndpoint(options.server);
    const headers = { 'content-type': 'application/json', accept: 'application/json' };
    if (key) {
        headers['x-signature'] = signHex(key, options.body);
        headers['x-public-key'] = key.publicKey;
    }
    const timeoutMs = options.timeoutMs ?? 60_000;
    const retries = Math.max(0, Math.floor(options.retries ?? 2));
    let delay = options.retryDelayMs ?? 2000;
    let last = '';
    for (let attempt = 0;; attempt++) {
        const result = await post(url, options.body, headers, timeoutMs, options.insecure ?? false);
        if (result.ok) {
            const { answer } = result;
            if (answer.status === 201)
                return created(url, answer);
            if (answer.status < 500 || attempt >= retries)
                throw refused(options.server, answer, key);
            last = `HTTP ${answer.status}${errorText(answer.body).text ? ` (${errorText(answer.body).text})` : ''}`;
        }
        else {
            last = result.transport;
            if (attempt >= retries)
                break;
        }
        // The server's answer is foreign text: shown, never acted on as a workflow command.
        (0,foreign/* echoForeign */.O)(`Upload to ${url}: ${last}; retrying in ${delay >= 1000 ? `${Math.round(delay / 100) / 10} s` : `${delay} ms`} (${retries - attempt} left)`);
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay *= 2;
    }
    throw new errors/* ActionError */.l(`Cannot upload to RefStack server ${options.server}: ${last} (${retries + 1} attempt${retries === 0 ? '' : 's'})`, `Check that '${constants/* Input */.pd.RefstackServer}' is reachable from the runner (proxies: HTTPS_PROXY / NO_PROXY), or upload the results file later`);
}
function created(url, answer) {
    try {
        const json = JSON.parse(answer.body);
        if (typeof json.test_id === 'string' && json.test_id !== '') {
            return { id: json.test_id, url: typeof json.url === 'string' ? json.url : '' };
        }
    }
    catch {
        // fall through
    }
    throw new errors/* ActionError */.l(`RefStack server answered the upload to ${url} with HTTP 201 but without a test_id: ${errorText(answer.body).text || '(empty body)'}`, 'The result was probably stored; check the server. Is the URL a RefStack API?');
}

;// CONCATENATED MODULE: ./src/refstack/submit.ts
/** Step 5: upload the passed tests to a RefStack server, signed when a key is given. */




/**
 * The CPID refstack-client computed on the target (which reaches Keystone) is in its JSON results; the runner
 * may not reach Keystone at all. Only without that file is the CPID asked from Keystone here.
 */
async function cloudId(execution) {
    if (execution.jsonFile) {
        try {
            const json = JSON.parse(await (0,promises_.readFile)(execution.jsonFile, 'utf8'));
            if (typeof json.cpid === 'string' && json.cpid !== '')
                return json.cpid;
        }
        catch (error) {
            core/* debug */.Yz(`refstack-client's JSON results unreadable: ${error.message}`);
        }
    }
    const { cpid, warning } = await computeCpid(execution.conf.conf, execution.conf.accounts);
    if (warning)
        core/* warning */.$e(warning);
    return cpid;
}
async function submitResults(config, execution, read) {
    const cpid = await cloudId(execution);
    const { body, passed } = uploadBody(read.tests, cpid, execution.durationSeconds);
    core/* info */.pq(`Uploading ${passed} passed tests to ${config.refstackServer} (CPID ${cpid}, ${config.uploadKey ? 'signed' : 'unsigned'})`);
    const uploaded = await uploadResults({ server: config.refstackServer, body, signingKey: config.uploadKey });
    core/* info */.pq(`RefStack result: ${uploaded.url}`);
    return uploaded;
}


/***/ }),

/***/ 56612:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fj: () => (/* binding */ confPasswords),
/* harmony export */   N0: () => (/* binding */ checkTempestConf),
/* harmony export */   Qj: () => (/* binding */ parseTempestConf),
/* harmony export */   Wj: () => (/* binding */ confOption)
/* harmony export */ });
/* unused harmony exports accountPasswords, confProblems */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(38815);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(27242);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(83916);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(83897);
/**
 * tempest.conf, checked on the target before anything runs: refstack-client otherwise fails deep inside
 * Tempest (a missing log_dir ends test discovery with a ~200 KB traceback that hides the cause).
 * Every password it or its accounts file holds is masked before anything is logged.
 */





/**
 * tempest.conf as oslo.config reads it (oslo_config/iniparser.py), the one reader every caller shares:
 * `[section]` lines; `key = value` or `key: value` (split at the first `=` or `:`, whichever comes first);
 * `#` and `;` start a comment only at the start of a line, so `password = pa;ss#word` is the whole
 * `pa;ss#word`; a line starting with a space or tab continues the previous value (joined with a newline); a
 * blank line ends it; one pair of matching quotes around the first line's value is removed; the last assignment wins.
 * Lines it cannot read (a key before any section, a continuation without a key) are skipped, as Tempest
 * would fail on them itself with a clearer message. Pure.
 */
function parseTempestConf(text) {
    const conf = {};
    let section;
    let key;
    let value = [];
    const flush = () => {
        if (section !== undefined && key !== undefined) {
            conf[section][key] = value.join('\n');
        }
        key = undefined;
        value = [];
    };
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.trimEnd();
        if (line === '') {
            flush();
            continue;
        }
        if (line.startsWith(' ') || line.startsWith('\t')) {
            if (key !== undefined)
                value.push(line.trimStart());
            continue;
        }
        flush();
        if (line.startsWith('[')) {
            if (line.endsWith(']') && line.length > 2) {
                section = line.slice(1, -1);
                conf[section] ??= {};
            }
        }
        else if (!line.startsWith('#') && !line.startsWith(';')) {
            const equal = line.indexOf('=');
            const colon = line.indexOf(':');
            const at = colon < 0 || (equal >= 0 && equal < colon) ? equal : colon;
            if (at > 0 && line.slice(0, at).trim() !== '') {
                const first = line.slice(at + 1).trim();
                key = line.slice(0, at).trim();
                value = [/^["']/.test(first) && first.endsWith(first[0]) ? first.slice(1, -1) : first];
            }
        }
    }
    flush();
    return conf;
}
/** A non-empty option of a parsed tempest.conf, trimmed. */
function confOption(conf, section, key) {
    const value = conf[section]?.[key]?.trim();
    return value === undefined || value === '' ? undefined : value;
}
/** Passwords a tempest.conf holds: any option whose name ends in "password". */
function confPasswords(conf) {
    const found = [];
    for (const values of Object.values(conf)) {
        for (const [key, value] of Object.entries(values)) {
            if (/password$/i.test(key) && value.trim() !== '')
                found.push(value.trim());
        }
    }
    return found;
}
/** Passwords of a Tempest accounts file (YAML list of {username, password, …}). */
function accountPasswords(yamlText) {
    return passwordsOf(YAML.parse(yamlText));
}
/** Passwords of a parsed accounts file. */
function passwordsOf(accounts) {
    if (!Array.isArray(accounts))
        return [];
    return accounts
        .map((account) => account?.password)
        .filter((password) => password !== undefined && password !== null)
        .map((password) => String(password))
        .filter((password) => password !== '');
}
function mask(values) {
    for (const value of values)
        (0,_secrets_js__WEBPACK_IMPORTED_MODULE_4__/* .registerSecret */ .cl)(value);
}
/**
 * What refstack-client needs of the config, decided from its text (pure): credentials for the CPID and the
 * run, and the paths the config names. Returns the problems, each a sentence naming what to change.
 */
function confProblems(conf, confPath) {
    const problems = [];
    const dynamic = (confOption(conf, 'auth', 'use_dynamic_credentials') ?? 'true').toLowerCase() === 'true';
    const accounts = confOption(conf, 'auth', 'test_accounts_file');
    const legacyUser = confOption(conf, 'identity', 'username') && confOption(conf, 'identity', 'password');
    if (!accounts && !legacyUser) {
        problems.push(dynamic
            ? `${confPath} uses dynamic credentials and names no [auth] test_accounts_file: refstack-client stops with "User credentials cannot be found". Set '${_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Input */ .pd.Openrc}' so the action writes an accounts file, or point '${_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Input */ .pd.TempestConf}' at a config with [auth] use_dynamic_credentials = false and test_accounts_file`
            : `${confPath} sets [auth] use_dynamic_credentials = false but names no [auth] test_accounts_file: add one listing the pre-provisioned test accounts`);
    }
    const authVersion = confOption(conf, 'identity', 'auth_version') ?? 'v3';
    const uriKey = authVersion === 'v2' ? 'uri' : 'uri_v3';
    const uri = confOption(conf, 'identity', uriKey);
    if (!uri) {
        problems.push(`${confPath} has no [identity] ${uriKey}: set it to the Keystone URL (e.g. https://keystone.example.com:5000/v3)`);
    }
    else if (!/^https?:\/\//.test(uri)) {
        problems.push(`${confPath} [identity] ${uriKey} must start with http:// or https:// (got '${uri}')`);
    }
    return problems;
}
/** Checks the config and every file and directory it names on the target; masks its passwords. */
async function checkTempestConf(target, confPath) {
    let text;
    try {
        text = (await target.readFile(confPath)).toString('utf8');
    }
    catch {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .l(`Input '${_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Input */ .pd.TempestConf}': cannot read ${confPath} on ${target.description}`, `Check the path (openstack-ansible puts it in /opt/tempest_untagged/etc/tempest.conf or /root/workspace/etc/tempest.conf) and that the SSH user may read it`);
    }
    const conf = parseTempestConf(text);
    const secrets = confPasswords(conf);
    mask(secrets);
    const problems = confProblems(conf, confPath);
    const base = node_path__WEBPACK_IMPORTED_MODULE_0__.posix.dirname(confPath);
    const resolve = (p) => (p.startsWith('/') ? p : node_path__WEBPACK_IMPORTED_MODULE_0__.posix.join(base, p));
    const accountsFile = confOption(conf, 'auth', 'test_accounts_file');
    const logDir = confOption(conf, 'DEFAULT', 'log_dir');
    const logFile = confOption(conf, 'DEFAULT', 'log_file');
    const lockPath = confOption(conf, 'oslo_concurrency', 'lock_path');
    const needed = [];
    if (accountsFile)
        needed.push(['[auth] test_accounts_file', resolve(accountsFile), 'f']);
    if (logDir)
        needed.push(['[DEFAULT] log_dir', resolve(logDir), 'd']);
    if (lockPath)
        needed.push(['[oslo_concurrency] lock_path', resolve(lockPath), 'd']);
    for (const [name, file, kind] of needed) {
        const test = await target.exec(['test', `-${kind}`, file, '-a', '-r', file]);
        if (test.code !== 0) {
            problems.push(`${name} = ${file} ${kind === 'd' ? 'is not a readable directory' : 'is not a readable file'} on ${target.description}: create it or fix the option in ${confPath}`);
        }
    }
    const parsedAccounts = [];
    if (accountsFile && problems.length === 0) {
        const accounts = (await target.readFile(resolve(accountsFile))).toString('utf8');
        let passwords;
        try {
            const parsed = yaml__WEBPACK_IMPORTED_MODULE_1__.parse(accounts);
            if (Array.isArray(parsed))
                parsedAccounts.push(...parsed);
            passwords = passwordsOf(parsed);
        }
        catch (error) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .l(`${resolve(accountsFile)} (tempest.conf [auth] test_accounts_file) is not valid YAML: ${error.message}`);
        }
        mask(passwords);
        secrets.push(...passwords);
        if (passwords.length === 0) {
            problems.push(`${resolve(accountsFile)} (tempest.conf [auth] test_accounts_file) lists no accounts with a password`);
        }
    }
    if (problems.length > 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .l(`Input '${_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Input */ .pd.TempestConf}': ${problems.join('; ')}`);
    }
    return {
        path: confPath,
        conf,
        accountsFile: accountsFile ? resolve(accountsFile) : undefined,
        logFile: logDir && logFile ? node_path__WEBPACK_IMPORTED_MODULE_0__.posix.join(resolve(logDir), logFile) : undefined,
        lockPath: lockPath ? resolve(lockPath) : undefined,
        secrets,
        accounts: parsedAccounts
    };
}


/***/ })

};
