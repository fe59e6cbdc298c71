export const id = 802;
export const ids = [802];
export const modules = {

/***/ 89502:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Fj: () => (/* binding */ confPasswords),
/* harmony export */   GS: () => (/* binding */ usesDynamicCredentials),
/* harmony export */   L_: () => (/* binding */ hasTestAccounts),
/* harmony export */   N0: () => (/* binding */ checkTempestConf),
/* harmony export */   Qj: () => (/* binding */ parseTempestConf),
/* harmony export */   Wj: () => (/* binding */ confOption),
/* harmony export */   l2: () => (/* binding */ confLine)
/* harmony export */ });
/* unused harmony export confProblems */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(38815);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(27242);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(83916);
/* harmony import */ var _secrets_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(83897);
/* harmony import */ var _toolchain_target_inputs_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(24306);
/**
 * tempest.conf, checked on the target before anything runs: refstack-client otherwise fails deep inside
 * Tempest (a missing log_dir ends test discovery with a ~200 KB traceback that hides the cause).
 * Every password it or its accounts file holds is masked before anything is logged.
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
/** Checks the config and every file and directory it names on the target; masks its passwords. */
async function checkTempestConf(target, confPath) {
    const conf = parseTempestConf(await (0,_toolchain_target_inputs_js__WEBPACK_IMPORTED_MODULE_5__/* .readInputFile */ .j)(target, _constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Input */ .pd.TempestConf, confPath));
    for (const secret of confPasswords(conf))
        (0,_secrets_js__WEBPACK_IMPORTED_MODULE_4__/* .registerSecret */ .cl)(secret);
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
        let parsed;
        try {
            parsed = yaml__WEBPACK_IMPORTED_MODULE_1__.parse(accounts);
        }
        catch (error) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .lZ(`${resolve(accountsFile)} (tempest.conf [auth] test_accounts_file) is not valid YAML: ${error.message}`);
        }
        if (Array.isArray(parsed))
            parsedAccounts.push(...parsed);
        const passwords = passwordsOf(parsedAccounts);
        for (const password of passwords)
            (0,_secrets_js__WEBPACK_IMPORTED_MODULE_4__/* .registerSecret */ .cl)(password);
        if (passwords.length === 0) {
            problems.push(`${resolve(accountsFile)} (tempest.conf [auth] test_accounts_file) lists no accounts with a password`);
        }
    }
    if (problems.length > 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .lZ(`Input '${_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Input */ .pd.TempestConf}': ${problems.join('; ')}`);
    }
    return {
        path: confPath,
        conf,
        accountsFile: accountsFile ? resolve(accountsFile) : undefined,
        logFile: logDir && logFile ? node_path__WEBPACK_IMPORTED_MODULE_0__.posix.join(resolve(logDir), logFile) : undefined,
        lockPath: lockPath ? resolve(lockPath) : undefined,
        accounts: parsedAccounts
    };
}


/***/ }),

/***/ 25802:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  prepareConf: () => (/* binding */ prepareConf)
});

// UNUSED EXPORTS: absolutePathEdits, editConf, generateArgs, keystoneV3Url, openrcInsecure, prepareTempestConf

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 12 modules
var core = __webpack_require__(3894);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(27242);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/python/programs.ts
var programs = __webpack_require__(87357);
// EXTERNAL MODULE: ./src/secrets.ts + 1 modules
var secrets = __webpack_require__(83897);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(38815);
// EXTERNAL MODULE: ./src/toolchain/target-inputs.ts
var target_inputs = __webpack_require__(24306);
;// CONCATENATED MODULE: ./src/tempest/openrc.ts
/**
 * An openrc (the `export OS_…=…` shell file OpenStack installers write, e.g. openstack-ansible's /root/openrc)
 * read the way its users read it: sourced by bash, here in a clean environment on the target
 * (`env -i`, no profile, standard input from /dev/null), keeping the OS_* variables it leaves exported.
 * Every secret is masked with registerSecret the moment it is read.
 */





/** Names whose values are secrets: masked as soon as they are read. */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|PASSPHRASE|_KEY$/i;
/**
 * bash sources the file ($1) with every assignment exported, its output sent to standard error and its
 * standard input at end of file (a `read` gets nothing), then prints the environment NUL-separated
 * (`env -0`, GNU coreutils) and exits with the file's status.
 */
const SOURCE_AND_PRINT = '. "$1" </dev/null >&2; status=$?; env -0; exit $status';
/** `read` as a command (Horizon's openrc.sh asks for the password with `read -sr OS_PASSWORD_INPUT`). */
const READ_COMMAND = /(^|[;&|({]|\bthen|\bdo)\s*read\b/m;
/** The variables of `env -0` output; a value may hold newlines. */
function parseEnv0(output) {
    const variables = {};
    for (const entry of output.split('\0')) {
        const equals = entry.indexOf('=');
        if (equals > 0)
            variables[entry.slice(0, equals)] = entry.slice(equals + 1);
    }
    return variables;
}
/**
 * Sources `file` on the target in a clean bash and returns its OS_* variables. `source` names the file in
 * errors. Throws an ActionError when the file cannot be read, bash cannot run or the file stops the shell
 * before it prints anything.
 */
async function sourceOpenrc(target, file, source) {
    const text = await (0,target_inputs/* readInputFile */.j)(target, constants/* Input */.pd.Openrc, file);
    const result = await target.exec(['env', '-i', 'bash', '--noprofile', '--norc', '-c', `set -a; ${SOURCE_AND_PRINT}`, 'openrc', file], { timeoutMs: 60_000 });
    const all = parseEnv0(result.stdout);
    for (const [name, value] of Object.entries(all))
        if (SECRET_NAME.test(name) && value)
            (0,secrets/* registerSecret */.cl)(value);
    const said = (0,errors/* lastLines */.w$)(result.stderr, 3)
        .trim()
        .replace(/\s*\n\s*/g, ' ');
    if (result.code !== 0 && Object.keys(all).length === 0) {
        throw new errors/* ActionError */.lZ(`${source}: sourcing it with bash on ${target.description} failed (${result.timedOut ? 'timed out' : `exit ${result.code}`})${said ? `: ${said}` : ''}`, 'Fix the file so that `. openrc` succeeds in a fresh shell (bash), or point it at the openrc openstack-ansible writes (/root/openrc)');
    }
    const env = {};
    for (const name of Object.keys(all).sort())
        if (name.startsWith('OS_'))
            env[name] = all[name];
    const unresolved = {};
    const why = READ_COMMAND.test(text)
        ? 'the file reads it from the terminal (read), and the action sources it with no terminal'
        : result.code !== 0
            ? `sourcing the file ended with exit ${result.code}${said ? `: ${said}` : ''}`
            : undefined;
    if (why !== undefined) {
        for (const name of ['OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD', 'OS_PROJECT_NAME']) {
            if (!env[name])
                unresolved[name] = why;
        }
    }
    return { env, unresolved };
}
const first = (env, ...names) => names.map((n) => env[n]?.trim()).find((v) => v !== undefined && v !== '');
/**
 * The password account an openrc describes. Throws an ActionError naming what is missing, or why the
 * credentials cannot go into a Tempest accounts file (application credentials, tokens).
 */
function openrcAccount(env, source = `'${constants/* Input */.pd.Openrc}'`, unresolved = {}) {
    const authType = (env.OS_AUTH_TYPE ?? 'password').toLowerCase();
    if (authType.includes('applicationcredential') || env.OS_APPLICATION_CREDENTIAL_SECRET) {
        throw new errors/* ActionError */.lZ(`${source} authenticates with an application credential (OS_AUTH_TYPE=${env.OS_AUTH_TYPE ?? ''}); Tempest's accounts file needs a user name and password`, `Use an openrc with OS_USERNAME and OS_PASSWORD of a project member, or point '${constants/* Input */.pd.TempestConf}' at a tempest.conf with pre-provisioned accounts`);
    }
    if (authType.includes('token') || (env.OS_TOKEN && !env.OS_PASSWORD)) {
        throw new errors/* ActionError */.lZ(`${source} authenticates with a token; Tempest's accounts file needs a user name and password`, `Use an openrc with OS_USERNAME and OS_PASSWORD, or point '${constants/* Input */.pd.TempestConf}' at a tempest.conf with pre-provisioned accounts`);
    }
    const missing = (name, what) => {
        const why = unresolved[name];
        return new errors/* ActionError */.lZ(why
            ? `${source}: ${name} is not set after sourcing the file (${why})`
            : `${source} sets no ${name} (${what})`, why
            ? `Write the value into the file (openstack-ansible's /root/openrc has it: export ${name}='…') so that it needs no terminal, or point '${constants/* Input */.pd.TempestConf}' at a tempest.conf with pre-provisioned accounts`
            : `Use the openrc openstack-ansible writes (/root/openrc in the utility container), or one with OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME and OS_AUTH_URL`);
    };
    const username = first(env, 'OS_USERNAME', 'OS_USER_NAME');
    if (username === undefined)
        throw missing('OS_USERNAME', 'the user Tempest and the CPID lookup authenticate as');
    const password = env.OS_PASSWORD;
    if (password === undefined || password === '')
        throw missing('OS_PASSWORD', "the user's password");
    (0,secrets/* registerSecret */.cl)(password);
    const projectName = first(env, 'OS_PROJECT_NAME', 'OS_TENANT_NAME');
    const projectId = first(env, 'OS_PROJECT_ID', 'OS_TENANT_ID');
    if (projectName === undefined && projectId === undefined) {
        throw missing('OS_PROJECT_NAME', 'the project Tempest works in; a system-scoped openrc cannot be a test account');
    }
    // A domain named or identified for the user (or project) itself wins over OS_DEFAULT_DOMAIN_*; with
    // neither, Keystone's "Default" (a project given by id needs no domain).
    const domain = (scope, needsOne) => {
        const ownId = first(env, `OS_${scope}_DOMAIN_ID`);
        const name = first(env, `OS_${scope}_DOMAIN_NAME`) ?? (ownId ? undefined : first(env, 'OS_DEFAULT_DOMAIN_NAME'));
        const id = ownId ?? (name ? undefined : first(env, 'OS_DEFAULT_DOMAIN', 'OS_DEFAULT_DOMAIN_ID'));
        return { name: name ?? (id === undefined && needsOne ? 'Default' : undefined), id };
    };
    const userDomain = domain('USER', true);
    const projectDomain = domain('PROJECT', projectName !== undefined);
    return {
        username,
        password,
        projectName,
        projectId,
        userDomainName: userDomain.name,
        userDomainId: userDomain.id,
        projectDomainName: projectDomain.name,
        projectDomainId: projectDomain.id
    };
}
/** The account's fields as a Tempest accounts file names them; unset ones are undefined (left out by YAML and JSON). */
function accountEntry(account) {
    return {
        username: account.username,
        password: account.password,
        project_name: account.projectName,
        project_id: account.projectId,
        user_domain_name: account.userDomainName,
        user_domain_id: account.userDomainId,
        project_domain_name: account.projectDomainName,
        project_domain_id: account.projectDomainId
    };
}
/**
 * A Tempest accounts file (YAML) with the openrc's user as its one account. refstack-client takes the FIRST
 * account for the CPID lookup, Tempest uses it for the tests. `roles`, when known (from Keystone), let Tempest
 * hand the account to tests that ask for a role (object storage asks for its operator role); the admin role is
 * left out on purpose: Tempest never allocates an account listed with it as a primary (non-admin) account.
 */
function accountsFromOpenrc(env, roles = [], adminRole = 'admin') {
    const listed = [...new Set(roles)].filter((role) => role.toLowerCase() !== adminRole.toLowerCase());
    const entry = { ...accountEntry(openrcAccount(env)), roles: listed.length > 0 ? listed : undefined };
    const header = '# Written by refstack-action from the openrc: the account Tempest runs the tests with.\n' +
        '# refstack-client derives the cloud provider id (CPID) from the first account.\n';
    return header + dist.stringify([entry], { defaultStringType: 'QUOTE_SINGLE', defaultKeyType: 'PLAIN' });
}

// EXTERNAL MODULE: ./src/tempest/conf.ts
var tempest_conf = __webpack_require__(89502);
;// CONCATENATED MODULE: ./src/tempest/generate-conf.ts
/**
 * The tempest.conf refstack-client runs with, made ready from an openrc when needed:
 * - a config that already names test accounts is used as it is;
 * - openstack-ansible's default (dynamic admin credentials, no accounts file) gets an accounts file with the
 *   openrc's user and a COPY of the config pointing at it (the original is never modified);
 * - without a config, one is generated on the target with `refstack-client config` (python-tempestconf), offline.
 * Credentials travel to the target's Python on standard input, never on a command line or in a log.
 */









const DEFAULT_PYTHON = '/usr/bin/python3';
/** python-tempestconf's default image is this file name at download.cirros-cloud.net. */
const TEMPESTCONF_IMAGE_NAME = 'cirros-0.4.0-x86_64-disk.img';
/** Where openstack-ansible's os_tempest role keeps the images it downloaded. */
const OS_TEMPEST_IMAGES = '/root/tempest-images';
const GENERATE_TIMEOUT_MS = 10 * 60_000;
/** Keystone's v3 URL from an OS_AUTH_URL (openstack-ansible's has no version: http://host:5000). */
function keystoneV3Url(authUrl) {
    return authUrl.trim().replace(/(\/v3|\/v2\.0)?\/*$/, '/v3');
}
/** Whether an openrc asks for no TLS verification (OS_INSECURE=true, as openstack-ansible writes it). */
function openrcInsecure(env) {
    return /^(1|true|yes|on)$/i.test(env.OS_INSECURE ?? '') || /^(0|false|no|off)$/i.test(env.OS_VERIFY ?? '');
}
/**
 * Sets or removes options in ini text, keeping every other line (comments, order, other sections) as it is;
 * lines are read by oslo.config's rules (confLine). A set option replaces its first occurrence in the section
 * (later duplicates are dropped, and the continuation lines of every replaced value) or is added at the end of
 * the section's first block; a missing section is appended.
 */
function editConf(text, edits) {
    const lines = text.split('\n');
    for (const edit of edits) {
        let section;
        let done = false;
        // After the last non-blank line of the section's first block, where a new option goes.
        let insertAt = -1;
        let inFirstBlock = false;
        for (let i = 0; i < lines.length; i++) {
            const line = (0,tempest_conf/* confLine */.l2)(lines[i]);
            if (line.kind === 'section') {
                section = line.name;
                inFirstBlock = section === edit.section && insertAt < 0;
                if (inFirstBlock)
                    insertAt = i + 1;
            }
            else if (section === edit.section && line.kind === 'option' && line.key === edit.key) {
                if (!done && edit.value !== undefined)
                    lines[i] = `${edit.key} = ${edit.value}`;
                else
                    lines.splice(i--, 1);
                while (i + 1 < lines.length && (0,tempest_conf/* confLine */.l2)(lines[i + 1]).kind === 'continuation')
                    lines.splice(i + 1, 1);
                done = true;
            }
            else if (inFirstBlock && line.kind !== 'blank')
                insertAt = i + 1;
        }
        if (done || edit.value === undefined)
            continue;
        const entry = `${edit.key} = ${edit.value}`;
        if (insertAt >= 0) {
            lines.splice(insertAt, 0, entry);
        }
        else if (edit.section === 'DEFAULT') {
            lines.unshift('[DEFAULT]', entry, '');
        }
        else {
            while (lines.length > 0 && lines[lines.length - 1].trim() === '')
                lines.pop();
            lines.push('', `[${edit.section}]`, entry, '');
        }
    }
    return lines.join('\n');
}
/** Options of a tempest.conf that hold paths, which a copy in another directory must keep pointing at. */
const PATH_OPTIONS = [
    ['DEFAULT', 'log_dir'],
    ['DEFAULT', 'log_config_append'],
    ['oslo_concurrency', 'lock_path'],
    ['oslo-concurrency', 'lock_path'],
    ['scenario', 'img_dir'],
    ['identity', 'ca_certificates_file'],
    ['auth', 'test_accounts_file']
];
/** Edits that make the config's relative paths absolute against `base` (the original's directory). */
function absolutePathEdits(conf, base) {
    const edits = [];
    for (const [section, key] of PATH_OPTIONS) {
        const value = (0,tempest_conf/* confOption */.Wj)(conf, section, key);
        if (value !== undefined && !value.startsWith('/') && !value.startsWith('~') && !value.includes('$')) {
            edits.push({ section, key, value: external_node_path_.posix.join(base, value) });
        }
    }
    return edits;
}
/** Edits every config gets from the openrc: TLS like the openrc, the user's domain for the CPID lookup. */
function openrcEdits(env, account) {
    const edits = [];
    if (openrcInsecure(env))
        edits.push({ section: 'identity', key: 'disable_ssl_certificate_validation', value: 'true' });
    if (env.OS_CACERT)
        edits.push({ section: 'identity', key: 'ca_certificates_file', value: env.OS_CACERT });
    // refstack-client's CPID lookup authenticates in [identity] domain_name (default "Default").
    if (account.userDomainName !== undefined && account.userDomainName !== 'Default') {
        edits.push({ section: 'identity', key: 'domain_name', value: account.userDomainName });
    }
    return edits;
}
async function readOpenrc(target, file) {
    const source = `Input '${constants/* Input */.pd.Openrc}' (${file})`;
    const { env, unresolved } = await sourceOpenrc(target, file, source);
    const account = openrcAccount(env, source, unresolved);
    if (!env.OS_AUTH_URL) {
        throw new errors/* ActionError */.lZ(unresolved.OS_AUTH_URL
            ? `${source}: OS_AUTH_URL is not set after sourcing the file (${unresolved.OS_AUTH_URL})`
            : `${source} sets no OS_AUTH_URL`, 'Use an openrc that exports the Keystone URL as OS_AUTH_URL');
    }
    return { path: file, env, account };
}
/** Authenticates as the openrc's user from the target; returns the user's roles in the project. */
async function keystoneRoles(target, python, workdir, openrc) {
    const { account, env } = openrc;
    const url = keystoneV3Url(env.OS_AUTH_URL);
    const input = { url, ...accountEntry(account), insecure: openrcInsecure(env), cacert: env.OS_CACERT };
    const { result, answer } = await (0,programs/* runPythonProgram */.E$)(target, { python, workdir, program: 'keystone_roles.py' }, { stdin: JSON.stringify(input), timeoutMs: 90_000 });
    if (typeof answer !== 'object' || answer === null) {
        throw new errors/* ActionError */.lZ(`Cannot check the credentials of ${openrc.path} with ${python} on ${target.description} (exit ${result.code}):\n${(0,errors/* lastLines */.w$)(result.stderr || result.stdout, 15)}`, `Python 3 must be installed on the target`);
    }
    const { roles, status, error } = answer;
    if (result.code === 0 && roles !== undefined)
        return roles;
    const who = userOfProject(account);
    if (status === 401) {
        throw new errors/* ActionError */.lZ(`Keystone at ${url} rejected the credentials of ${openrc.path} (${who}): HTTP 401`, `Check OS_PASSWORD, OS_USERNAME, OS_PROJECT_NAME and the domains in the openrc ('${constants/* Input */.pd.Openrc}')`);
    }
    throw new errors/* ActionError */.lZ(`Cannot authenticate at Keystone ${url} from ${target.description} with ${openrc.path} (${who}): ${status ? `HTTP ${status} ` : ''}${error ?? ''}`.trim(), `OS_AUTH_URL must be reachable from the target (openstack-ansible's openrc names the internal endpoint); for a self-signed certificate set OS_CACERT in the openrc`);
}
/**
 * Writes <confDir>/accounts.yaml with the openrc's user, listed with the roles Keystone gives it in the
 * project (checking the credentials from the target on the way).
 */
async function writeAccounts(target, openrc, python, confDir, adminRole) {
    const roles = await keystoneRoles(target, python, external_node_path_.posix.dirname(confDir), openrc);
    const accountsFile = external_node_path_.posix.join(confDir, 'accounts.yaml');
    await target.writeFile(accountsFile, accountsFromOpenrc(openrc.env, roles, adminRole), 0o600);
    return { accountsFile, roles };
}
function userOfProject(account) {
    return `user '${account.username}' of project '${account.projectName ?? account.projectId ?? ''}'`;
}
function describeAccount(openrc, roles) {
    const admin = roles.some((r) => r.toLowerCase() === 'admin')
        ? ' (it has the admin role: interop results are meant to come from a non-admin project member)'
        : '';
    return `${userOfProject(openrc.account)} from ${openrc.path}${admin}`;
}
/** Case (a): a copy of the config with the openrc's user as pre-provisioned account. */
async function copyWithAccounts(target, original, text, conf, openrc, python, confDir) {
    const copy = external_node_path_.posix.join(confDir, 'tempest.conf');
    if (external_node_path_.posix.resolve(original) === copy) {
        throw new errors/* ActionError */.lZ(`Input '${constants/* Input */.pd.TempestConf}' (${original}) is where the action writes its own copy`, `Point '${constants/* Input */.pd.TempestConf}' at the original config, outside ${confDir}`);
    }
    const adminRole = (0,tempest_conf/* confOption */.Wj)(conf, 'identity', 'admin_role') ?? 'admin';
    const { accountsFile, roles } = await writeAccounts(target, openrc, python, confDir, adminRole);
    const edited = editConf(text, [
        ...absolutePathEdits(conf, external_node_path_.posix.dirname(original)),
        ...openrcEdits(openrc.env, openrc.account).filter((e) => (0,tempest_conf/* confOption */.Wj)(conf, e.section, e.key) === undefined),
        { section: 'auth', key: 'use_dynamic_credentials', value: 'false' },
        { section: 'auth', key: 'test_accounts_file', value: accountsFile }
    ]);
    await target.writeFile(copy, edited, 0o600);
    return {
        path: copy,
        note: `${original} ${(0,tempest_conf/* usesDynamicCredentials */.GS)(conf) ? 'uses dynamic credentials and ' : ''}names no test accounts, which refstack-client needs: ` +
            `the run uses a copy, ${copy}, with [auth] use_dynamic_credentials = false and test_accounts_file = ${accountsFile} ` +
            `(one account: ${describeAccount(openrc, roles)}); the original is unchanged`
    };
}
/** `--image` for python-tempestconf that never downloads: an os_tempest image if there is one, else a local path. */
async function offlineImage(target, workdir) {
    const found = await target.exec([
        'find',
        OS_TEMPEST_IMAGES,
        '-maxdepth',
        '1',
        '-type',
        'f',
        '(',
        '-name',
        '*.img',
        '-o',
        '-name',
        '*.qcow2',
        ')'
    ]);
    const images = found.code === 0
        ? found.stdout
            .split('\n')
            .filter((l) => l.trim() !== '')
            .sort()
        : [];
    return images[0] ?? external_node_path_.posix.join(workdir, 'images', TEMPESTCONF_IMAGE_NAME);
}
/** The refstack-client argument list for the generation (no secrets in it). */
function generateArgs(opts) {
    return [
        'config',
        '--use-test-accounts',
        opts.accountsFile,
        '--out',
        opts.out,
        '--image',
        opts.image,
        ...(opts.insecure ? ['-k'] : [])
    ];
}
/** Case (c): generate the config on the target with refstack-client config (python-tempestconf), offline. */
async function generate(target, openrc, python, workdir, confDir) {
    const { accountsFile, roles } = await writeAccounts(target, openrc, python, confDir, 'admin');
    const out = external_node_path_.posix.join(confDir, 'tempest.conf');
    const runDir = external_node_path_.posix.join(confDir, 'tempestconf');
    const logDir = external_node_path_.posix.join(confDir, 'logs');
    const mkdir = await target.exec(['mkdir', '-p', '-m', '700', runDir, logDir]);
    if (mkdir.code !== 0)
        throw new errors/* ActionError */.lZ(`Cannot create ${runDir} on ${target.description}: ${(0,errors/* lastLines */.w$)(mkdir.stderr, 15)}`);
    await target.exec(['rm', '-f', out]);
    const image = await offlineImage(target, workdir);
    const env = { ...openrc.env, OS_AUTH_URL: keystoneV3Url(openrc.env.OS_AUTH_URL) };
    const args = generateArgs({ accountsFile, out, image, insecure: openrcInsecure(openrc.env) });
    core/* info */.pq(`Generating ${out} with refstack-client config (python-tempestconf) on ${target.description}`);
    core/* debug */.Yz(`${python} refstack_config.py ${args.join(' ')} (cwd ${runDir}; credentials on stdin)`);
    const started = Date.now();
    const { result } = await (0,programs/* runPythonProgram */.E$)(target, { python, workdir, program: 'refstack_config.py', args }, { stdin: JSON.stringify(env), cwd: runDir, timeoutMs: GENERATE_TIMEOUT_MS });
    const produced = result.code === 0
        ? await target.readFile(out).then((b) => b.toString('utf8'), () => undefined)
        : undefined;
    if (produced === undefined) {
        const output = (0,errors/* lastLines */.w$)([result.stdout, result.stderr].filter((s) => s.trim() !== '').join('\n'), 15);
        const imageTrouble = /image|IOError|FileNotFoundError|No such file/i.test(output);
        throw new errors/* ActionError */.lZ(`Generating tempest.conf from ${openrc.path} with refstack-client config failed on ${target.description} (${result.timedOut ? 'timed out' : `exit ${result.code}`}):\n${output}`, imageTrouble
            ? `python-tempestconf needs an image when the cloud has Glance and never downloads one here: upload one to Glance named '${external_node_path_.posix.basename(image)}' or put the file at ${image} on the target; or point '${constants/* Input */.pd.TempestConf}' at a ready tempest.conf. Its log: ${runDir}/tempest.log`
            : `Its log: ${runDir}/tempest.log on the target. Or point '${constants/* Input */.pd.TempestConf}' at a ready tempest.conf`);
    }
    const conf = (0,tempest_conf/* parseTempestConf */.Qj)(produced);
    for (const secret of (0,tempest_conf/* confPasswords */.Fj)(conf))
        (0,secrets/* registerSecret */.cl)(secret);
    const edits = [
        // python-tempestconf turns TLS verification off by default; keep it as the openrc has it.
        {
            section: 'identity',
            key: 'disable_ssl_certificate_validation',
            value: openrcInsecure(openrc.env) ? 'true' : 'false'
        },
        ...openrcEdits(openrc.env, openrc.account).filter((e) => e.key !== 'disable_ssl_certificate_validation'),
        { section: 'DEFAULT', key: 'log_dir', value: logDir }
    ];
    // python-tempestconf (non-admin) writes operator_role = Member; Tempest matches the accounts file's roles
    // case-sensitively, so use the spelling Keystone gave (today's Keystone: member).
    const operatorRole = (0,tempest_conf/* confOption */.Wj)(conf, 'object-storage', 'operator_role');
    const spelled = roles.find((r) => r !== operatorRole && r.toLowerCase() === operatorRole?.toLowerCase());
    if (spelled !== undefined)
        edits.push({ section: 'object-storage', key: 'operator_role', value: spelled });
    await target.writeFile(out, editConf(produced, edits), 0o600);
    await target.exec(['rm', '-f', external_node_path_.posix.join(runDir, 'tempest.log')]); // holds the password (debug log)
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    return {
        path: out,
        note: `tempest.conf generated on ${target.description} with refstack-client config (python-tempestconf, no downloads) in ${seconds} s: ${out}, test account: ${describeAccount(openrc, roles)}`
    };
}
/**
 * The tempest.conf to run with (see the file comment). Errors say which input to set or change.
 */
async function prepareTempestConf(target, opts) {
    const python = opts.python ?? DEFAULT_PYTHON;
    const confDir = external_node_path_.posix.join(opts.workdir, 'conf');
    if (opts.tempestConf) {
        const text = await (0,target_inputs/* readInputFile */.j)(target, constants/* Input */.pd.TempestConf, opts.tempestConf);
        const conf = (0,tempest_conf/* parseTempestConf */.Qj)(text);
        for (const secret of (0,tempest_conf/* confPasswords */.Fj)(conf))
            (0,secrets/* registerSecret */.cl)(secret);
        if ((0,tempest_conf/* hasTestAccounts */.L_)(conf)) {
            return {
                path: opts.tempestConf,
                note: opts.openrc
                    ? `'${constants/* Input */.pd.Openrc}' not used: ${opts.tempestConf} already names its test accounts`
                    : undefined
            };
        }
        if (!opts.openrc) {
            throw new errors/* ActionError */.lZ(`Input '${constants/* Input */.pd.TempestConf}': ${opts.tempestConf} names no test accounts ([auth] test_accounts_file)${(0,tempest_conf/* usesDynamicCredentials */.GS)(conf) ? ' and uses dynamic credentials, the openstack-ansible default' : ''}, so refstack-client stops with "User credentials cannot be found"`, `Set '${constants/* Input */.pd.Openrc}' to an openrc on the target (openstack-ansible: 'openrc: /root/openrc') and the action writes an accounts file and runs a copy of the config with it, or point '${constants/* Input */.pd.TempestConf}' at a tempest.conf with [auth] use_dynamic_credentials = false and test_accounts_file`);
        }
        const openrc = await readOpenrc(target, opts.openrc);
        return copyWithAccounts(target, opts.tempestConf, text, conf, openrc, python, confDir);
    }
    if (!opts.openrc) {
        throw new errors/* ActionError */.lZ(`Neither '${constants/* Input */.pd.TempestConf}' nor '${constants/* Input */.pd.Openrc}' is set: refstack-client needs a tempest.conf`, `Set '${constants/* Input */.pd.TempestConf}' to tempest.conf on the target, or '${constants/* Input */.pd.Openrc}' (openstack-ansible: /root/openrc) to generate one`);
    }
    const openrc = await readOpenrc(target, opts.openrc);
    return generate(target, openrc, python, opts.workdir, confDir);
}
/** Step 1's end: the given tempest.conf, a copy using an accounts file written from the openrc, or one generated from it. */
async function prepareConf(target, config, toolchain) {
    const prepared = await prepareTempestConf(target, { ...config, python: toolchain.clientPython });
    if (prepared.note)
        core/* info */.pq(prepared.note);
    return { conf: await (0,tempest_conf/* checkTempestConf */.N0)(target, prepared.path), note: prepared.note };
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
    [_constants_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.TempestConf]: 'Check the path (openstack-ansible puts it in /root/workspace/etc/tempest.conf or /opt/tempest_untagged/etc/tempest.conf) and that the SSH user may read it',
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
