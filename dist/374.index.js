export const id = 374;
export const ids = [374];
export const modules = {

/***/ 56374:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  submitResults: () => (/* binding */ submitResults)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 12 modules
var core = __webpack_require__(3894);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./src/log/foreign.ts
var foreign = __webpack_require__(9850);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/http.ts
var http = __webpack_require__(76803);
// EXTERNAL MODULE: ./src/tempest/conf.ts + 1 modules
var tempest_conf = __webpack_require__(12366);
;// CONCATENATED MODULE: ./src/refstack-api/cpid.ts
/**
 * The cloud provider id (CPID) as refstack-client's `_get_cpid_from_keystone` gets it: the identity service's id
 * in the Keystone catalog of a token request as the first test account, else the md5 of the auth URL's host name.
 * Passwords go to Keystone only: no message here carries one.
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
        throw new errors/* ActionError */.lZ(`tempest.conf [identity] auth_version must be v2 or v3 (got '${version}')`);
    }
    const uriKey = version === 'v2' ? 'uri' : 'uri_v3';
    const uri = (0,tempest_conf/* confOption */.Wj)(conf, 'identity', uriKey);
    if (uri === undefined) {
        throw new errors/* ActionError */.lZ(`tempest.conf has no [identity] ${uriKey}: the CPID cannot be computed`, 'Set it to the Keystone URL (e.g. https://keystone.example.com:5000/v3)');
    }
    if (!/^https?:\/\//i.test(uri)) {
        throw new errors/* ActionError */.lZ(`tempest.conf [identity] ${uriKey} must start with http:// or https:// (got '${uri}')`);
    }
    const authUrl = `${uri.replace(/\/+$/, '')}${version === 'v2' ? '/tokens' : '/auth/tokens'}`;
    const domain = (0,tempest_conf/* confOption */.Wj)(conf, 'identity', 'domain_name') ?? 'Default';
    const identity = (key) => (0,tempest_conf/* confOption */.Wj)(conf, 'identity', key) ?? null;
    const first = accounts[0];
    if (first === undefined && identity('username') === null) {
        throw new errors/* ActionError */.lZ('User credentials cannot be found for the CPID: the accounts file lists no account and tempest.conf has no [identity] username', 'Give tempest.conf an [auth] test_accounts_file with at least one account');
    }
    const [username, password, projectId, projectName] = first
        ? [
            firstTruthy(first.username),
            firstTruthy(first.password),
            firstTruthy(first.tenant_id, first.project_id),
            firstTruthy(first.tenant_name, first.project_name)
        ]
        : [
            identity('username'),
            identity('password'),
            identity('tenant_id') ?? identity('project_id'),
            identity('tenant_name') ?? identity('project_name')
        ];
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
        throw new errors/* ActionError */.lZ(`Invalid Keystone endpoint '${url}': it must include the URL scheme (http:// or https://)`);
    }
    return (0,external_node_crypto_.createHash)('md5').update(host, 'utf8').digest('hex');
}
/**
 * The CPID in a token answer as refstack-client reads it: Keystone v2 (200, 203) the first endpoint's id of the
 * identity service, v3 (201) the identity service's id. Throws why there is none.
 */
function cpidFromAnswer({ status, body }, authVersion) {
    let answer;
    try {
        answer = (JSON.parse(body) ?? {});
    }
    catch {
        throw new Error(`HTTP ${status} with a body that is not JSON`);
    }
    if (status !== 200 && status !== 201 && status !== 203) {
        const said = typeof answer.error?.message === 'string' ? `: ${answer.error.message}` : '';
        throw new Error(`HTTP ${status}${said}`);
    }
    const v3 = status === 201;
    const catalog = v3 ? answer.token?.catalog : answer.access?.serviceCatalog;
    for (const service of Array.isArray(catalog) ? catalog : []) {
        // refstack-client indexes without guards: a service without a type, an identity service without an id
        // (v3) or without endpoints (v2) ends its search (KeyError, IndexError) in the host-name fallback.
        if (service?.type === undefined)
            break;
        if (service.type !== 'identity')
            continue;
        const id = v3 ? service.id : service.endpoints?.[0]?.id;
        if (id === undefined)
            break;
        if (typeof id === 'string' && id !== '')
            return id;
    }
    throw new Error(`the Keystone ${authVersion} catalog or its identity service was not found in the token answer`);
}
/** The CPID from Keystone; any failure (unreachable, refused credentials, no catalog) → the host name's md5 and why. */
async function computeCpid(conf, accounts, options = {}) {
    const request = keystoneRequest(conf, accounts);
    try {
        const answer = await (0,http/* httpRequest */.aj)({
            method: 'POST',
            url: request.authUrl,
            body: JSON.stringify(request.body),
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            timeoutMs: options.timeoutMs ?? 30_000,
            allowRedirects: false
        });
        return { cpid: cpidFromAnswer(answer, request.authVersion), source: 'keystone' };
    }
    catch (error) {
        const cpid = cpidFromHost(request.authUrl);
        return {
            cpid,
            source: 'hostname',
            warning: `Could not get the CPID from Keystone ${request.authVersion} (${request.authUrl}): ${(0,http/* transportProblem */.B0)(error)}. Using the md5 of the host name instead, as refstack-client does: ${cpid}`
        };
    }
}

// EXTERNAL MODULE: ./src/refstack-api/upload.ts
var upload = __webpack_require__(5749);
;// CONCATENATED MODULE: ./src/refstack-api/submit.ts
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
/** Uploads every passed test of every attempt (`reruns`: the rerun-failures streams), as the verdict counts them. */
async function submitResults(config, execution, read, reruns = []) {
    const cpid = await cloudId(execution);
    const { body, passed, passedOnRerun } = (0,upload/* uploadBody */.E3)(read.tests, cpid, execution.durationSeconds, reruns.map((r) => r.tests));
    const fromReruns = passedOnRerun.length > 0 ? `; ${passedOnRerun.length} of them passed on a rerun` : '';
    core/* info */.pq(`Uploading ${passed} passed tests to ${config.refstackServer} (CPID ${cpid}, ${config.uploadKey ? 'signed' : 'unsigned'}${fromReruns})`);
    // Test names come from the stream: echoed as text, never as workflow commands.
    (0,foreign/* echoForeign */.O)(passedOnRerun.map((name) => `  passed on a rerun: ${name}`).join('\n'));
    const uploaded = await (0,upload/* uploadResults */.g4)({ server: config.refstackServer, body, signingKey: config.uploadKey });
    core/* info */.pq(`RefStack result: ${uploaded.url}`);
    return { ...uploaded, passedOnRerun };
}


/***/ }),

/***/ 12366:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  N0: () => (/* binding */ checkTempestConf),
  l2: () => (/* binding */ confLine),
  Wj: () => (/* binding */ confOption),
  gj: () => (/* binding */ confSecrets),
  L_: () => (/* binding */ hasTestAccounts),
  Qj: () => (/* binding */ parseTempestConf),
  GS: () => (/* binding */ usesDynamicCredentials)
});

// UNUSED EXPORTS: confProblems, repeatedSectionProblems

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(27242);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/secrets.ts + 1 modules
var secrets = __webpack_require__(83897);
// EXTERNAL MODULE: ./src/toolchain/target-inputs.ts
var target_inputs = __webpack_require__(24306);
;// CONCATENATED MODULE: ./src/tempest/secret-options.ts
/**
 * The tempest.conf options whose values are secrets, and nothing else: Tempest's own options that oslo.config
 * marks `secret=True`, listed by `tempest.config.list_opts()` of Debian's python3-tempest 1:33.0.0-1 (Tempest
 * 33.0.0; __tests__/tempest/secret-options.test.ts lists them again from the installed package and compares),
 * plus `[identity] password`, which Tempest does not have but refstack-client reads for its CPID lookup (the
 * action writes the lookup's user there). A Tempest plugin's own secret options are not known here.
 */
const TEMPEST_SECRET_OPTIONS = [
    ['auth', 'admin_password'],
    ['validation', 'image_ssh_password'],
    ['validation', 'image_alt_ssh_password']
];
/** Options refstack-client reads that hold a secret, outside Tempest's own. */
const REFSTACK_CLIENT_SECRET_OPTIONS = [
    ['identity', 'password']
];

;// CONCATENATED MODULE: ./src/tempest/conf.ts
/**
 * tempest.conf, checked on the target before anything runs: refstack-client otherwise fails deep inside
 * Tempest (a missing log_dir ends test discovery with a ~200 KB traceback that hides the cause).
 * Its secret options' values and its accounts' passwords are masked before anything is logged.
 */







/**
 * A line by oslo.config's rules (oslo_config/iniparser.py), shared by the reader and the editor:
 * `[section]` lines; `key = value` or `key: value` (split at the first `=` or `:`, whichever comes first);
 * `#` and `;` start a comment only at the start of a line, so `password = pa;ss#word` is the whole
 * `pa;ss#word`; a line starting with a space or tab continues the previous value; one pair of matching quotes
 * around the first line's value is removed. Pure.
 */
function confLine(raw) {
    const line = raw.trimEnd();
    if (line === '')
        return { kind: 'blank' };
    if (line.startsWith(' ') || line.startsWith('\t'))
        return { kind: 'continuation', text: line.trimStart() };
    if (line.startsWith('[')) {
        return line.endsWith(']') && line.length > 2
            ? { kind: 'section', name: line.slice(1, -1) }
            : { kind: 'other' };
    }
    if (line.startsWith('#') || line.startsWith(';'))
        return { kind: 'other' };
    const equal = line.indexOf('=');
    const colon = line.indexOf(':');
    const at = colon < 0 || (equal >= 0 && equal < colon) ? equal : colon;
    if (at <= 0 || line.slice(0, at).trim() === '')
        return { kind: 'other' };
    const first = line.slice(at + 1).trim();
    const value = /^["']/.test(first) && first.endsWith(first[0]) ? first.slice(1, -1) : first;
    return { kind: 'option', key: line.slice(0, at).trim(), value };
}
/**
 * tempest.conf as oslo.config reads it, the one reader every caller shares (lines: see confLine): continuation
 * lines join the value with newlines, any other line ends it, the last assignment wins. Lines it cannot read
 * (a key before any section, a continuation without a key) are skipped, as Tempest would fail on them itself
 * with a clearer message. Pure.
 */
function parseTempestConf(text) {
    const conf = {};
    let section;
    let key;
    for (const raw of text.split(/\r?\n/)) {
        const line = confLine(raw);
        if (line.kind === 'continuation') {
            if (section !== undefined && key !== undefined)
                conf[section][key] += `\n${line.text}`;
            continue;
        }
        key = undefined;
        if (line.kind === 'section') {
            section = line.name;
            conf[section] ??= {};
        }
        else if (line.kind === 'option' && section !== undefined) {
            key = line.key;
            conf[section][key] = line.value;
        }
    }
    return conf;
}
/** A non-empty option of a parsed tempest.conf, trimmed. */
function confOption(conf, section, key) {
    const value = conf[section]?.[key]?.trim();
    return value === undefined || value === '' ? undefined : value;
}
/** An option name as oslo.config matches it: dashes and underscores alike. */
const optionName = (name) => name.trim().toLowerCase().replace(/-/g, '_');
const SECRET_OPTIONS = new Set([...TEMPEST_SECRET_OPTIONS, ...REFSTACK_CLIENT_SECRET_OPTIONS].map(([s, o]) => `${s}/${optionName(o)}`));
/**
 * The secrets a tempest.conf holds: the values of the options oslo.config marks secret (secret-options.ts),
 * never another option's (a `change_password = false` is a feature flag, not a password). Pure.
 */
function confSecrets(conf) {
    const found = [];
    for (const [section, values] of Object.entries(conf)) {
        for (const [key, value] of Object.entries(values)) {
            if (SECRET_OPTIONS.has(`${section}/${optionName(key)}`) && value.trim() !== '')
                found.push(value.trim());
        }
    }
    return found;
}
/** Passwords of a parsed Tempest accounts file (YAML list of {username, password, …}). */
function passwordsOf(accounts) {
    return accounts
        .map((account) => account?.password)
        .filter((password) => password !== undefined && password !== null)
        .map(String)
        .filter((password) => password !== '');
}
/** Whether the config names credentials refstack-client can use (accounts file, or the legacy identity user). */
function hasTestAccounts(conf) {
    return (confOption(conf, 'auth', 'test_accounts_file') !== undefined ||
        (confOption(conf, 'identity', 'username') !== undefined &&
            confOption(conf, 'identity', 'password') !== undefined));
}
/** [auth] use_dynamic_credentials, whose default is true. */
function usesDynamicCredentials(conf) {
    return (confOption(conf, 'auth', 'use_dynamic_credentials') ?? 'true').toLowerCase() === 'true';
}
/**
 * The Keystone URL refstack-client needs of the config, checked from its text (pure; the test accounts were
 * made sure of when the config was prepared). Returns the problems, each a sentence naming what to change.
 */
function confProblems(conf, confPath) {
    const problems = [];
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
/**
 * Sections that appear twice: oslo.config (Tempest) merges them, but refstack-client reads the file with Python's
 * configparser, which stops on a repeated section (DuplicateSectionError) before any test runs. Pure.
 */
function repeatedSectionProblems(text, confPath) {
    const seen = new Set();
    const repeated = new Set();
    for (const raw of text.split(/\r?\n/)) {
        const line = confLine(raw);
        if (line.kind !== 'section')
            continue;
        if (seen.has(line.name))
            repeated.add(line.name);
        seen.add(line.name);
    }
    return [...repeated].map((name) => `${confPath} has the section [${name}] more than once, which refstack-client's configparser refuses (DuplicateSectionError): merge them into one`);
}
/** Checks the config and every file and directory it names on the target; masks its secrets. */
async function checkTempestConf(target, confPath) {
    const text = await (0,target_inputs/* readInputFile */.j)(target, constants/* Input */.pd.TempestConf, confPath);
    const conf = parseTempestConf(text);
    for (const secret of confSecrets(conf))
        (0,secrets/* registerSecret */.cl)(secret);
    const problems = [...repeatedSectionProblems(text, confPath), ...confProblems(conf, confPath)];
    const base = external_node_path_.posix.dirname(confPath);
    const resolve = (p) => (p.startsWith('/') ? p : external_node_path_.posix.join(base, p));
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
        let parsed;
        try {
            parsed = dist.parse(accounts);
        }
        catch (error) {
            throw new errors/* ActionError */.lZ(`${resolve(accountsFile)} (tempest.conf [auth] test_accounts_file) is not valid YAML: ${error.message}`);
        }
        if (Array.isArray(parsed))
            parsedAccounts.push(...parsed);
        const passwords = passwordsOf(parsedAccounts);
        for (const password of passwords)
            (0,secrets/* registerSecret */.cl)(password);
        if (passwords.length === 0) {
            problems.push(`${resolve(accountsFile)} (tempest.conf [auth] test_accounts_file) lists no accounts with a password`);
        }
    }
    if (problems.length > 0) {
        throw new errors/* ActionError */.lZ(`Input '${constants/* Input */.pd.TempestConf}': ${problems.join('; ')}`);
    }
    return {
        path: confPath,
        conf,
        accountsFile: accountsFile ? resolve(accountsFile) : undefined,
        logFile: logDir && logFile ? external_node_path_.posix.join(resolve(logDir), logFile) : undefined,
        lockPath: lockPath ? resolve(lockPath) : undefined,
        accounts: parsedAccounts
    };
}


/***/ }),

/***/ 24306:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   j: () => (/* binding */ readInputFile),
/* harmony export */   l: () => (/* binding */ checkTargetInputs)
/* harmony export */ });
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(27242);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(83916);


const READ_HINTS = {
    [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.TempestConf]: 'Check the path (openstack-ansible since Stein writes /etc/tempest/tempest.conf and /root/workspace/etc/tempest.conf; Mitaka /opt/tempest_untagged/etc/tempest.conf) and that the SSH user may read it',
    [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Openrc]: 'Check the path (openstack-ansible writes /root/openrc in the utility container, mode 0600: the user must be root)'
};
async function checkTargetInputs(target, config) {
    await checkWorkdir(target, config.workdir);
    if (config.tempestConf)
        await readInputFile(target, _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.TempestConf, config.tempestConf);
    if (config.openrc)
        await readInputFile(target, _constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Openrc, config.openrc);
}
/** The workdir is created if absent (as provisioning would); it must end up a directory the user may write. */
async function checkWorkdir(target, workdir) {
    const created = await target.exec(['mkdir', '-p', '--', workdir]);
    const writable = created.code === 0 ? await target.exec(['test', '-w', workdir]) : undefined;
    if (created.code === 0 && writable?.code === 0)
        return;
    const why = created.code !== 0 ? created.stderr.trim() || `mkdir exited ${created.code}` : 'not writable';
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ(`Input '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Workdir}': ${workdir} cannot be used as a directory on ${target.description} (${why})`, `Set '${_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.Workdir}' to a directory the user may create and write (e.g. /var/lib/refstack-action), not a file`);
}
/** The text of the file an input names on the target; an error naming the input when it cannot be read. */
async function readInputFile(target, input, file) {
    try {
        return (await target.readFile(file)).toString('utf8');
    }
    catch {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ(`Input '${input}': cannot read ${file} on ${target.description}`, READ_HINTS[input]);
    }
}


/***/ })

};
