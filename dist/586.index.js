export const id = 586;
export const ids = [586];
export const modules = {

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

/***/ 61586:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  prepareConf: () => (/* binding */ prepareConf)
});

// UNUSED EXPORTS: absolutePathEdits, cpidUserEdits, cpidUserOfConf, cpidUserOfOpenrc, dynamicCredentialsEdits, dynamicRolesProblem, editConf, generateArgs, hasAdminRole, keystoneV3Url, openrcInsecure, prepareTempestConf

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
// EXTERNAL MODULE: ./src/tempest/conf.ts + 1 modules
var tempest_conf = __webpack_require__(12366);
;// CONCATENATED MODULE: ./src/tempest/account-roles.ts
/**
 * Whether the pre-provisioned accounts of tempest.conf make any test run as an admin: each account logs in at
 * Keystone (src/python/keystone_roles.py, credentials on standard input) and its token's roles are compared
 * with [identity] admin_role. Tempest hands an account listed with the admin role (or type) only to tests that
 * ask for admin credentials; any other account with the admin role in Keystone runs ordinary tests as an admin.
 */




/** Whether an accounts file entry is reserved for admin tests: listed with the admin role or type. */
function listedAsAdmin(account, adminRole) {
    const named = (key) => Array.isArray(account[key]) ? account[key].map((v) => String(v).toLowerCase()) : [];
    return named('roles').includes(adminRole.toLowerCase()) || named('types').includes('admin');
}
/** The `accounts-file` credentials from Keystone's answer for each account (same order as `accounts`). Pure. */
function accountsCredentials(file, accounts, found, adminRole) {
    const admins = [];
    let answered = 0;
    let reserved = 0;
    accounts.forEach((account, i) => {
        if (listedAsAdmin(account, adminRole)) {
            reserved++;
            return;
        }
        const roles = found[i]?.roles;
        if (roles === undefined)
            return;
        answered++;
        if (roles.some((r) => r.toLowerCase() === adminRole.toLowerCase())) {
            admins.push(`${found[i].username} (project ${found[i].project ?? '?'})`);
        }
    });
    const of = `${accounts.length} pre-provisioned account${accounts.length === 1 ? '' : 's'} of ${file}`;
    const reservedNote = reserved > 0
        ? `; ${reserved} listed with the admin role, which Tempest gives only to tests asking for an admin`
        : '';
    if (admins.length > 0) {
        return {
            kind: 'accounts-file',
            admin: true,
            description: `${of}: ${admins.join(', ')} ${admins.length === 1 ? 'has' : 'have'} the admin role '${adminRole}' in Keystone without being listed with it, so tests run as an admin${reservedNote}`
        };
    }
    const unchecked = accounts.length - reserved - answered;
    return {
        kind: 'accounts-file',
        admin: false,
        description: `${of}: Keystone gives none of the ${answered} checked the admin role '${adminRole}'${unchecked > 0 ? ` (${unchecked} refused a token, see the pre-flight)` : ''}${reservedNote}`
    };
}
/** Checks the accounts of a config through Keystone; a check that cannot run says so and is not an error. */
async function checkAccountRoles(target, run, conf) {
    const file = conf.accountsFile ?? conf.path;
    const adminRole = (0,tempest_conf/* confOption */.Wj)(conf.conf, 'identity', 'admin_role') ?? 'admin';
    const url = (0,tempest_conf/* confOption */.Wj)(conf.conf, 'identity', 'uri_v3');
    const unchecked = (why) => {
        core/* warning */.$e(`The roles of the test accounts of ${file} were not checked: ${why}`);
        return {
            kind: 'accounts-file',
            admin: null,
            description: `${conf.accounts.length} pre-provisioned accounts of ${file}; their roles were not checked (${why})`
        };
    };
    if (!url || ((0,tempest_conf/* confOption */.Wj)(conf.conf, 'identity', 'auth_version') ?? 'v3') !== 'v3') {
        return unchecked('tempest.conf has no [identity] uri_v3 (Identity API v3)');
    }
    const request = {
        url,
        accounts: conf.accounts,
        default_domain_name: (0,tempest_conf/* confOption */.Wj)(conf.conf, 'auth', 'default_credentials_domain_name'),
        insecure: ((0,tempest_conf/* confOption */.Wj)(conf.conf, 'identity', 'disable_ssl_certificate_validation') ?? '').toLowerCase() === 'true',
        cacert: (0,tempest_conf/* confOption */.Wj)(conf.conf, 'identity', 'ca_certificates_file')
    };
    try {
        const { answer } = await (0,programs/* runPythonProgram */.E$)(target, { ...run, program: 'keystone_roles.py' }, { stdin: JSON.stringify(request), timeoutMs: 120_000 });
        const found = answer?.accounts;
        if (!Array.isArray(found))
            return unchecked(`keystone_roles.py gave no answer`);
        const credentials = accountsCredentials(file, conf.accounts, found, adminRole);
        if (credentials.admin)
            core/* warning */.$e(`Interop results must come from non-admin project members: ${credentials.description}`);
        return credentials;
    }
    catch (error) {
        return unchecked((0,errors/* describeError */.Uc)(error));
    }
}

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

;// CONCATENATED MODULE: ./src/tempest/generate-conf.ts
/**
 * The tempest.conf refstack-client runs with, made ready from an openrc when needed. No test runs as an admin:
 * - a config that already names test accounts is used as it is;
 * - a config with dynamic credentials (openstack-ansible's default: [auth] admin_* and no accounts file) keeps
 *   them: Tempest creates its own non-admin project member per test class. refstack-client needs a user only
 *   for its CPID lookup, which it reads from [identity] username/password/tenant_name; a COPY of the config
 *   gets them there (options Tempest does not have, so they change nothing of the run);
 * - a config without accounts and without dynamic credentials, with an admin openrc: the copy turns dynamic
 *   credentials on with the openrc's user as Tempest's admin; with a non-admin openrc, that user becomes the one
 *   pre-provisioned account;
 * - without a config, one is generated on the target with `refstack-client config` (python-tempestconf),
 *   offline, and then made the same way (dynamic credentials for an admin openrc).
 * The original is never modified. Credentials travel to the target's Python on standard input, never on a
 * command line or in a log.
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
 * project (the admin role left out: see accountsFromOpenrc). Only for a non-admin user, or as the input
 * python-tempestconf reads.
 */
async function writeAccounts(target, openrc, roles, confDir, adminRole) {
    const accountsFile = external_node_path_.posix.join(confDir, 'accounts.yaml');
    await target.writeFile(accountsFile, accountsFromOpenrc(openrc.env, roles, adminRole), 0o600);
    return accountsFile;
}
function userOfProject(account) {
    return `user '${account.username}' of project '${account.projectName ?? account.projectId ?? ''}'`;
}
/** Whether `roles` (as Keystone names them) hold the admin role ([identity] admin_role, matched as Keystone does). */
function hasAdminRole(roles, adminRole = 'admin') {
    return roles.some((r) => r.toLowerCase() === adminRole.toLowerCase());
}
/**
 * [identity] username/password/tenant_name(/tenant_id)/domain_name: where refstack-client's `_get_keystone_config`
 * reads a user when the config names no accounts file. Tempest has none of these options (its [identity] group is
 * the Keystone endpoint only), so they serve the CPID lookup and nothing of the run. Pure.
 */
function cpidUserEdits(user) {
    return [
        { section: 'identity', key: 'username', value: user.username },
        { section: 'identity', key: 'password', value: user.password },
        // refstack-client reads tenant_name, then project_name, with configparser's get(): one must exist.
        { section: 'identity', key: 'tenant_name', value: user.projectName ?? '' },
        { section: 'identity', key: 'tenant_id', value: user.projectId },
        { section: 'identity', key: 'domain_name', value: user.domainName }
    ];
}
/** The CPID user from an openrc's account. */
function cpidUserOfOpenrc(account) {
    return {
        username: account.username,
        password: account.password,
        projectName: account.projectName,
        projectId: account.projectId,
        domainName: account.userDomainName
    };
}
/** The CPID user from the config's own [auth] admin_* (Tempest's admin for dynamic credentials), when complete. */
function cpidUserOfConf(conf) {
    const username = (0,tempest_conf/* confOption */.Wj)(conf, 'auth', 'admin_username');
    const password = (0,tempest_conf/* confOption */.Wj)(conf, 'auth', 'admin_password');
    const projectName = (0,tempest_conf/* confOption */.Wj)(conf, 'auth', 'admin_project_name');
    if (!username || !password || !projectName)
        return undefined;
    const domainName = (0,tempest_conf/* confOption */.Wj)(conf, 'auth', 'admin_user_domain_name') ?? (0,tempest_conf/* confOption */.Wj)(conf, 'auth', 'admin_domain_name');
    return { username, password, projectName, domainName };
}
/** [auth] edits that make Tempest create its own test users, with the openrc's (admin) user as Tempest's admin. */
function dynamicCredentialsEdits(account, source) {
    if (!account.projectName) {
        throw new errors/* ActionError */.lZ(`${source} names its project by id only (OS_PROJECT_ID); Tempest's [auth] admin_project_name needs its name`, `Export OS_PROJECT_NAME in the openrc, or point '${constants/* Input */.pd.TempestConf}' at a tempest.conf with [auth] admin_* or test accounts`);
    }
    return [
        { section: 'auth', key: 'use_dynamic_credentials', value: 'true' },
        { section: 'auth', key: 'test_accounts_file', value: undefined },
        { section: 'auth', key: 'admin_username', value: account.username },
        { section: 'auth', key: 'admin_password', value: account.password },
        { section: 'auth', key: 'admin_project_name', value: account.projectName },
        { section: 'auth', key: 'admin_user_domain_name', value: account.userDomainName ?? 'Default' },
        { section: 'auth', key: 'admin_project_domain_name', value: account.projectDomainName ?? 'Default' },
        { section: 'auth', key: 'admin_domain_name', value: account.userDomainName ?? 'Default' }
    ];
}
/**
 * Why dynamic credentials would make an admin of every test user: [auth] tempest_roles (roles Tempest gives every
 * user it creates) holding [identity] admin_role. Pure.
 */
function dynamicRolesProblem(conf, confPath) {
    const adminRole = (0,tempest_conf/* confOption */.Wj)(conf, 'identity', 'admin_role') ?? 'admin';
    const roles = ((0,tempest_conf/* confOption */.Wj)(conf, 'auth', 'tempest_roles') ?? '')
        .split(',')
        .map((r) => r.trim())
        .filter((r) => r !== '');
    return hasAdminRole(roles, adminRole)
        ? `${confPath} [auth] tempest_roles = ${roles.join(', ')} gives every test user Tempest creates the admin role '${adminRole}': interop results must come from non-admin project members; remove it from tempest_roles`
        : undefined;
}
/** The `dynamic` credentials, after checking that they make no admin. */
function dynamicCredentials(conf, confPath) {
    const problem = dynamicRolesProblem(conf, confPath);
    if (problem !== undefined)
        throw new errors/* ActionError */.lZ(`Input '${constants/* Input */.pd.TempestConf}': ${problem}`);
    const extra = (0,tempest_conf/* confOption */.Wj)(conf, 'auth', 'tempest_roles');
    return {
        kind: 'dynamic',
        admin: false,
        description: `dynamic credentials: Tempest creates a project member per test class${extra ? ` (with [auth] tempest_roles ${extra})` : ''} ` +
            `and deletes it afterwards; none has the admin role ([auth] tempest_roles holds no admin role)`
    };
}
/** The openrc's user as the one pre-provisioned account: never an admin (Keystone says which roles it has). */
function openrcAccountCredentials(openrc, roles) {
    return {
        kind: 'openrc-account',
        admin: false,
        description: `one pre-provisioned account, ${userOfProject(openrc.account)} from ${openrc.path}, with the roles ${roles.join(', ') || '(none)'} in Keystone: not admin`
    };
}
const NOT_IN_PLACE = (original, confDir) => new errors/* ActionError */.lZ(`Input '${constants/* Input */.pd.TempestConf}' (${original}) is where the action writes its own copy`, `Point '${constants/* Input */.pd.TempestConf}' at the original config, outside ${confDir}`);
/**
 * A copy of a config without accounts (the original is unchanged): dynamic credentials kept, or turned on
 * with an admin openrc; or, with a non-admin openrc and no dynamic credentials, the openrc's user as account.
 */
async function copyForRun(target, original, text, conf, openrc, python, confDir) {
    const copy = external_node_path_.posix.join(confDir, 'tempest.conf');
    if (external_node_path_.posix.resolve(original) === copy)
        throw NOT_IN_PLACE(original, confDir);
    const adminRole = (0,tempest_conf/* confOption */.Wj)(conf, 'identity', 'admin_role') ?? 'admin';
    const roles = openrc ? await keystoneRoles(target, python, external_node_path_.posix.dirname(confDir), openrc) : [];
    const openrcAdmin = openrc !== undefined && hasAdminRole(roles, adminRole);
    const dynamic = (0,tempest_conf/* usesDynamicCredentials */.GS)(conf);
    const edits = [
        ...absolutePathEdits(conf, external_node_path_.posix.dirname(original)),
        ...(openrc
            ? openrcEdits(openrc.env, openrc.account).filter((e) => (0,tempest_conf/* confOption */.Wj)(conf, e.section, e.key) === undefined)
            : [])
    ];
    let credentials;
    let what;
    if (dynamic || openrcAdmin) {
        const adminFromOpenrc = openrcAdmin && (!dynamic || cpidUserOfConf(conf) === undefined);
        const confUser = cpidUserOfConf(conf);
        if (!adminFromOpenrc && confUser === undefined) {
            throw new errors/* ActionError */.lZ(`Input '${constants/* Input */.pd.TempestConf}': ${original} uses dynamic credentials without a complete [auth] admin_username, admin_password and admin_project_name${openrc ? `, and ${userOfProject(openrc.account)} of '${constants/* Input */.pd.Openrc}' has no admin role` : ''}: Tempest cannot create its test users`, `Set '${constants/* Input */.pd.Openrc}' to an admin openrc (openstack-ansible: /root/openrc), or complete [auth] admin_* in ${original}`);
        }
        if (adminFromOpenrc && openrc)
            edits.push(...dynamicCredentialsEdits(openrc.account, `Input '${constants/* Input */.pd.Openrc}' (${openrc.path})`));
        const cpidUser = openrc ? cpidUserOfOpenrc(openrc.account) : confUser;
        edits.push(...cpidUserEdits(cpidUser));
        credentials = dynamicCredentials((0,tempest_conf/* parseTempestConf */.Qj)(editConf(text, edits)), original);
        what =
            (dynamic
                ? 'keeps dynamic credentials'
                : `turns dynamic credentials on with ${userOfProject(openrc.account)} of ${openrc.path} as Tempest's admin`) +
                ` and names ${`user '${cpidUser.username}'`} in [identity] username for refstack-client's CPID lookup only (Tempest has no such option: no test runs as that user)`;
    }
    else {
        if (!openrc)
            throw new Error('unreachable: a config without accounts and dynamic credentials needs an openrc');
        const accountsFile = await writeAccounts(target, openrc, roles, confDir, adminRole);
        edits.push({ section: 'auth', key: 'use_dynamic_credentials', value: 'false' }, { section: 'auth', key: 'test_accounts_file', value: accountsFile });
        credentials = openrcAccountCredentials(openrc, roles);
        what = `names ${accountsFile} in [auth] test_accounts_file`;
    }
    await target.writeFile(copy, editConf(text, edits), 0o600);
    return {
        path: copy,
        note: `${original} names no test accounts: the run uses a copy, ${copy}, that ${what}; the original is unchanged`,
        credentials
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
    const roles = await keystoneRoles(target, python, workdir, openrc);
    const admin = hasAdminRole(roles);
    // python-tempestconf reads the user from an accounts file; for an admin openrc that file serves the
    // generation only and is removed once the config has dynamic credentials.
    const accountsFile = await writeAccounts(target, openrc, roles, confDir, 'admin');
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
    for (const secret of (0,tempest_conf/* confSecrets */.gj)(conf))
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
    if (admin) {
        edits.push(...dynamicCredentialsEdits(openrc.account, `Input '${constants/* Input */.pd.Openrc}' (${openrc.path})`), ...cpidUserEdits(cpidUserOfOpenrc(openrc.account)));
    }
    const written = editConf(produced, edits);
    const credentials = admin
        ? dynamicCredentials((0,tempest_conf/* parseTempestConf */.Qj)(written), out)
        : openrcAccountCredentials(openrc, roles);
    await target.writeFile(out, written, 0o600);
    await target.exec(['rm', '-f', external_node_path_.posix.join(runDir, 'tempest.log')]); // holds the password (debug log)
    if (admin)
        await target.exec(['rm', '-f', accountsFile]);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    return {
        path: out,
        note: `tempest.conf generated on ${target.description} with refstack-client config (python-tempestconf, no downloads) in ${seconds} s: ${out}; ${admin
            ? `${userOfProject(openrc.account)} of ${openrc.path} has the admin role, so it is Tempest's admin for dynamic credentials and refstack-client's user for the CPID lookup, and runs no test`
            : `test account: ${userOfProject(openrc.account)}`}`,
        credentials
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
        for (const secret of (0,tempest_conf/* confSecrets */.gj)(conf))
            (0,secrets/* registerSecret */.cl)(secret);
        if ((0,tempest_conf/* hasTestAccounts */.L_)(conf)) {
            return {
                path: opts.tempestConf,
                note: opts.openrc
                    ? `'${constants/* Input */.pd.Openrc}' not used: ${opts.tempestConf} already names its test accounts`
                    : undefined,
                credentials: givenCredentials(conf, opts.tempestConf)
            };
        }
        if (!opts.openrc && !((0,tempest_conf/* usesDynamicCredentials */.GS)(conf) && cpidUserOfConf(conf) !== undefined)) {
            throw new errors/* ActionError */.lZ(`Input '${constants/* Input */.pd.TempestConf}': ${opts.tempestConf} names no test accounts ([auth] test_accounts_file) and ${(0,tempest_conf/* usesDynamicCredentials */.GS)(conf) ? 'no complete [auth] admin_username, admin_password and admin_project_name for its dynamic credentials' : 'does not use dynamic credentials'}, so Tempest has no user to run the tests with`, `Set '${constants/* Input */.pd.Openrc}' to an openrc on the target (openstack-ansible: 'openrc: /root/openrc'): with an admin openrc Tempest creates non-admin test users itself (dynamic credentials), with a member's openrc that user runs the tests; or point '${constants/* Input */.pd.TempestConf}' at a tempest.conf with [auth] test_accounts_file`);
        }
        const openrc = opts.openrc ? await readOpenrc(target, opts.openrc) : undefined;
        return copyForRun(target, opts.tempestConf, text, conf, openrc, python, confDir);
    }
    if (!opts.openrc) {
        throw new errors/* ActionError */.lZ(`Neither '${constants/* Input */.pd.TempestConf}' nor '${constants/* Input */.pd.Openrc}' is set: refstack-client needs a tempest.conf`, `Set '${constants/* Input */.pd.TempestConf}' to tempest.conf on the target, or '${constants/* Input */.pd.Openrc}' (openstack-ansible: /root/openrc) to generate one`);
    }
    const openrc = await readOpenrc(target, opts.openrc);
    return generate(target, openrc, python, opts.workdir, confDir);
}
/**
 * The credentials of a config used as it is: its accounts file, or its dynamic credentials when it names
 * only refstack-client's [identity] user (whether accounts have the admin role is checked by checkTempestConf).
 */
function givenCredentials(conf, confPath) {
    if ((0,tempest_conf/* confOption */.Wj)(conf, 'auth', 'test_accounts_file') === undefined && (0,tempest_conf/* usesDynamicCredentials */.GS)(conf)) {
        return dynamicCredentials(conf, confPath);
    }
    return {
        kind: 'accounts-file',
        admin: false,
        description: `the pre-provisioned accounts of ${(0,tempest_conf/* confOption */.Wj)(conf, 'auth', 'test_accounts_file') ?? `${confPath} [identity] username`}`
    };
}
/**
 * Step 1's end: the given tempest.conf, a copy of it, or one generated from the openrc; with the credentials that
 * run the tests (a config's own accounts checked through Keystone for the admin role).
 */
async function prepareConf(target, config, toolchain) {
    const prepared = await prepareTempestConf(target, { ...config, python: toolchain.clientPython });
    if (prepared.note)
        core/* info */.pq(prepared.note);
    const conf = await (0,tempest_conf/* checkTempestConf */.N0)(target, prepared.path);
    const credentials = prepared.credentials.kind === 'accounts-file' && conf.accounts.length > 0
        ? await checkAccountRoles(target, { python: toolchain.clientPython, workdir: config.workdir }, conf)
        : prepared.credentials;
    core/* info */.pq(`Test credentials: ${credentials.description}`);
    return { conf, note: prepared.note, credentials };
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
