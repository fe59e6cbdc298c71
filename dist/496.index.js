export const id = 496;
export const ids = [496];
export const modules = {

/***/ 72897:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BA: () => (/* binding */ hitTimeout),
/* harmony export */   MQ: () => (/* binding */ buildRemoteCommand),
/* harmony export */   X1: () => (/* binding */ quoteArg),
/* harmony export */   Xc: () => (/* binding */ isEnvName),
/* harmony export */   Y2: () => (/* binding */ TIMEOUT_KILL_AFTER_S),
/* harmony export */   wj: () => (/* binding */ withTimeout)
/* harmony export */ });
/* unused harmony exports quoteCommand, withEnv */
/**
 * POSIX shell quoting. SSH sends one command string that the remote user's login shell parses, so every
 * argument is quoted exactly once here and the remote shell turns the string back into the same argv.
 * Assumes a POSIX-compatible login shell (sh, bash, dash, zsh, ksh) — csh/tcsh treat `!` and newlines
 * inside single quotes differently.
 */
/** Characters that never need quoting anywhere in a word (no `=`: a first word `A=b` would be an assignment). */
const SAFE = /^[A-Za-z0-9_\-+.,/:@%]+$/;
/** Quote one argument so that a POSIX shell reads it back as exactly this string (no expansion at all). */
function quoteArg(arg) {
    if (arg === '')
        return "''";
    if (SAFE.test(arg))
        return arg;
    // Inside single quotes nothing is special except the single quote itself: close, add \', reopen.
    return `'${arg.replace(/'/g, `'\\''`)}'`;
}
/** Quote an argument list into one command string: `['printf', '%s\n', 'a b']` → `printf '%s\n' 'a b'`. */
function quoteCommand(argv) {
    if (argv.length === 0)
        throw new Error('quoteCommand: empty argument list');
    return argv.map(quoteArg).join(' ');
}
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Whether `name` is a valid environment variable name (what `env NAME=VALUE` and `lxc-attach -v` accept). */
function isEnvName(name) {
    return ENV_NAME.test(name);
}
/**
 * `env 'K=V' … argv…` as an argument list, for targets that pass the environment on the command line.
 * Throws on an invalid name (the value is never put in the message: it may be a secret).
 */
function withEnv(argv, env) {
    const entries = Object.entries(env ?? {});
    if (entries.length === 0)
        return [...argv];
    for (const [name] of entries) {
        if (!isEnvName(name))
            throw new Error(`Invalid environment variable name '${name}'`);
    }
    return ['env', ...entries.map(([name, value]) => `${name}=${value}`), ...argv];
}
/**
 * The full remote command: optional `cd DIR &&`, optional `timeout …` (see withTimeout), optional
 * `env K=V`, then the quoted argv. If `cd` fails the command does not run (non-zero, the shell's message on stderr).
 */
function buildRemoteCommand(argv, options = {}) {
    const command = quoteCommand(withTimeout(withEnv(argv, options.env), options.timeoutMs));
    return options.cwd === undefined ? command : `cd -- ${quoteArg(options.cwd)} && ${command}`;
}
/** Seconds between `timeout`'s TERM and its KILL when the command ignores TERM. */
const TIMEOUT_KILL_AFTER_S = 5;
/**
 * `timeout -s TERM -k 5 SECONDS argv…`: the limit enforced on the remote side. Closing an SSH channel
 * does not end the command (no pty; and OpenSSH ignores signal requests in root sessions), and signals to
 * `lxc-attach` never reach the command inside, so only a watchdog next to the command can stop it.
 */
function withTimeout(argv, timeoutMs) {
    if (timeoutMs === undefined)
        return [...argv];
    const seconds = Math.max(timeoutMs, 1) / 1000;
    return ['timeout', '-s', 'TERM', '-k', String(TIMEOUT_KILL_AFTER_S), String(seconds), ...argv];
}
/** Whether a result of a `withTimeout` command means the limit was hit (timeout's 124, or 137 after KILL). */
function hitTimeout(code, elapsedMs, timeoutMs) {
    if (timeoutMs === undefined || code === undefined)
        return false;
    return (code === 124 || code === 137) && elapsedMs >= timeoutMs - 20;
}


/***/ }),

/***/ 6496:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  provisionTarget: () => (/* binding */ provisionTarget)
});

// UNUSED EXPORTS: existingToolchain, markerTempest, operatorTempest, parseProbe, provision, workspaceCandidates

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 12 modules
var core = __webpack_require__(3894);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(27242);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/python/programs.ts
var programs = __webpack_require__(87357);
// EXTERNAL MODULE: ./src/target/quote.ts
var quote = __webpack_require__(72897);
// EXTERNAL MODULE: ./src/log/foreign.ts
var foreign = __webpack_require__(9850);
;// CONCATENATED MODULE: ./src/toolchain/install.ts
/**
 * The commands that install something on the target: apt-get and a git checkout with refstack-client's
 * setup_env. Each is bounded in time (apt also waits at most APT_LOCK_WAIT_S for dpkg's lock, held e.g. by
 * unattended-upgrades or an Ansible run), and its output goes to the log as it comes (the caller's group).
 */




const APT_LOCK_WAIT_S = 120;
const APT_UPDATE_TIMEOUT_MS = 10 * 60_000;
const APT_INSTALL_TIMEOUT_MS = 20 * 60_000;
const GIT_TIMEOUT_MS = 10 * 60_000;
const SETUP_ENV_TIMEOUT_MS = 45 * 60_000;
/** Runs argv with its output in the log (workflow commands off: the lines are the target's). */
async function logged(target, argv, options) {
    core/* info */.pq(`$ ${argv.join(' ')}`);
    // Whole lines only (a chunk may end mid-line), each stream on its own.
    const lines = () => {
        let pending = '';
        const show = (text) => {
            if (text.trim() !== '')
                (0,foreign/* echoForeign */.O)(text);
        };
        return {
            feed: (chunk) => {
                pending += chunk.toString('utf8');
                const end = pending.lastIndexOf('\n');
                if (end < 0)
                    return;
                show(pending.slice(0, end).replace(/\s+$/, ''));
                pending = pending.slice(end + 1);
            },
            flush: () => show(pending.replace(/\s+$/, ''))
        };
    };
    const out = lines();
    const err = lines();
    try {
        return await target.exec(argv, { ...options, onStdout: out.feed, onStderr: err.feed });
    }
    finally {
        out.flush();
        err.flush();
    }
}
/**
 * apt-get's argument list for `packages` (pure): with a lock timeout, and keeping every configuration file
 * already there — Debian's `tempest` package (a dependency of refstack-client) ships /etc/tempest/tempest.conf,
 * where openstack-ansible keeps the operator's: dpkg would otherwise ask, and stop without a terminal.
 */
function aptInstallArgv(packages) {
    return [
        'apt-get',
        '-o',
        `DPkg::Lock::Timeout=${APT_LOCK_WAIT_S}`,
        '-o',
        'Dpkg::Options::=--force-confdef',
        '-o',
        'Dpkg::Options::=--force-confold',
        'install',
        '-y',
        '-q',
        '--no-install-recommends',
        ...packages
    ];
}
function failed(result, timeoutMs) {
    return result.timedOut === true ? `stopped after ${timeoutMs / 60_000} minutes` : `exit ${result.code}`;
}
/**
 * Installs `packages` with apt-get (updating the package lists once when the first attempt fails).
 * `env`: the proxy and mirror settings for the target. Throws an ActionError with the output's last lines.
 */
async function installApt(target, packages, env) {
    core/* info */.pq(`Installing ${packages.join(' and ')} with apt on ${target.description}`);
    const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = aptInstallArgv(packages);
    let result = await logged(target, install, { env: aptEnv, timeoutMs: APT_INSTALL_TIMEOUT_MS });
    if (result.code !== 0 && result.timedOut !== true) {
        core/* info */.pq('apt-get install failed; updating the package lists and trying once more');
        const update = ['apt-get', '-o', `DPkg::Lock::Timeout=${APT_LOCK_WAIT_S}`, 'update', '-q'];
        await logged(target, update, { env: aptEnv, timeoutMs: APT_UPDATE_TIMEOUT_MS });
        result = await logged(target, install, { env: aptEnv, timeoutMs: APT_INSTALL_TIMEOUT_MS });
    }
    if (result.code !== 0) {
        throw new errors/* ActionError */.lZ(`Installing ${packages.join(', ')} with apt failed on ${target.description} (${failed(result, APT_INSTALL_TIMEOUT_MS)}):\n${(0,errors/* lastLines */.w$)(result.stderr || result.stdout, 20)}`, `Install the Debian/Ubuntu package${packages.length > 1 ? 's' : ''} ${packages.map((p) => `'${p}'`).join(' and ')} on the target yourself, or set '${constants/* Input */.pd.Install}: git'`);
    }
}
/** A git checkout of refstack-client in <workdir>/refstack-client, and its setup_env (which installs Tempest). */
async function installGit(target, config, env) {
    const checkout = `${config.workdir}/refstack-client`;
    core/* info */.pq(`Cloning ${config.refstackClientRepo} at ${config.refstackClientRef} into ${checkout}`);
    const steps = [
        ['mkdir', '-p', config.workdir],
        ['rm', '-rf', checkout],
        // `--`: the repository is an argument, never an option (`--upload-pack=…` runs a command).
        ['git', 'clone', '--quiet', '--', config.refstackClientRepo, checkout],
        [
            'git',
            '-C',
            checkout,
            '-c',
            'advice.detachedHead=false',
            'checkout',
            '--quiet',
            config.refstackClientRef
        ]
    ];
    for (const argv of steps) {
        const result = await target.exec(argv, { env, timeoutMs: GIT_TIMEOUT_MS });
        if (result.code !== 0) {
            throw new errors/* ActionError */.lZ(`'${argv.slice(0, 2).join(' ')}' failed on ${target.description} (${failed(result, GIT_TIMEOUT_MS)}):\n${(0,errors/* lastLines */.w$)(result.stderr || result.stdout, 20)}`, `Check '${constants/* Input */.pd.RefstackClientRepo}' and '${constants/* Input */.pd.RefstackClientRef}' (the target must reach the repository)`);
        }
    }
    // -q: no prompt when .tempest exists; -p 3: the system python3; -t: the Tempest tag or commit.
    const setup = [
        './setup_env',
        '-q',
        '-p',
        '3',
        ...(config.tempestVersion ? ['-t', config.tempestVersion] : [])
    ];
    core/* info */.pq(`Running ${setup.join(' ')} in ${checkout} (needs PyPI and opendev.org from the target)`);
    const result = await logged(target, ['sh', '-c', 'cd "$1" && shift && exec "$@"', 'sh', checkout, ...setup], {
        env,
        timeoutMs: SETUP_ENV_TIMEOUT_MS
    });
    if (result.code !== 0) {
        throw new errors/* ActionError */.lZ(`refstack-client's setup_env failed on ${target.description} (${failed(result, SETUP_ENV_TIMEOUT_MS)}); its last lines:\n${(0,errors/* lastLines */.w$)(result.stdout + result.stderr, 20)}`, `setup_env downloads from PyPI and opendev.org: give the target that access (or a proxy), or use '${constants/* Input */.pd.Install}: apt'`);
    }
}

// EXTERNAL MODULE: ./src/toolchain/target-inputs.ts
var target_inputs = __webpack_require__(24306);
;// CONCATENATED MODULE: ./src/toolchain/provision.ts
/**
 * Gets refstack-client onto the target around a Tempest: the operator's own when the target has one
 * (openstack-ansible's venv, the runbook's refstack-client checkout, a tempest on PATH, or the one
 * `tempest-path` names), else refstack-client's own (Debian/Ubuntu packages, or a git checkout with
 * refstack-client's setup_env). An operator's Tempest is never replaced, upgraded or shadowed: refstack-client
 * is run against it. A marker in the workdir records what the action installed, so a warm run costs one probe.
 */









/** Debian's refstack-client hard-codes its Tempest workspace. */
const DEBIAN_TEMPEST_DIR = '/var/lib/tempest';
/** openstack-ansible's Tempest workspace (Stein and later), made by `tempest init`. */
const OSA_WORKSPACE = '/root/workspace';
const TEMPEST_INIT_TIMEOUT_MS = 2 * 60_000;
/** The keys of probe.sh's output; marker: what an earlier run of the action installed, "<origin> <version> <date> …". */
const PROBE_KEYS = [
    'path',
    'git',
    'gitcommit',
    'debian-workspace',
    'dpkg',
    'apt',
    'marker',
    'given-tempest',
    'runbook',
    'path-tempest'
];
/** probe.sh's key=value lines (an absent key: empty). */
function parseProbe(stdout) {
    const values = new Map();
    const osaTempest = [];
    for (const line of stdout.split('\n')) {
        const eq = line.indexOf('=');
        if (eq <= 0)
            continue;
        const key = line.slice(0, eq);
        const value = line.slice(eq + 1).trim();
        if (key === 'osa-tempest') {
            if (value !== '')
                osaTempest.push(value);
        }
        else
            values.set(key, value);
    }
    return {
        ...Object.fromEntries(PROBE_KEYS.map((key) => [key, values.get(key) ?? ''])),
        osaTempest
    };
}
/** What is usable as it is, or undefined. Pure: decided from the probe. */
function existingToolchain(probe, workdir) {
    if (probe.git !== '') {
        return {
            refstackClient: probe.git,
            tempestDir: `${workdir}/refstack-client/.tempest`,
            python: `${workdir}/refstack-client/.tempest/.venv/bin/python`,
            clientPython: `${workdir}/refstack-client/.venv/bin/python`,
            origin: 'existing',
            version: `git ${probe.gitcommit.slice(0, 12)}`
        };
    }
    if (probe.path !== '' && probe['debian-workspace'] === 'yes') {
        return {
            refstackClient: probe.path,
            tempestDir: DEBIAN_TEMPEST_DIR,
            python: '/usr/bin/python3',
            clientPython: '/usr/bin/python3',
            origin: 'existing',
            version: probe.dpkg === '' ? 'unknown' : `deb ${probe.dpkg}`
        };
    }
    return undefined;
}
/**
 * Which Tempest the target already has, in this order: the one `tempest-path` names; openstack-ansible's venv
 * (exactly one, else `tempest-path` must choose); the runbook's refstack-client checkout; a `tempest` on PATH
 * unless refstack-client's own toolchain is there and `tempest-workspace` is empty. Undefined: none (refstack-client's own Tempest is used), or
 * `install: git`, which asks for refstack-client's own. Pure.
 */
function operatorTempest(probe, config) {
    if (config.tempestPath !== undefined) {
        if (probe['given-tempest'] === '') {
            throw new errors/* ActionError */.lZ(`Input '${constants/* Input */.pd.TempestPath}': no tempest executable at ${config.tempestPath} (looked for ${config.tempestPath}/bin/tempest, ${config.tempestPath}/tempest and the path itself)`, `Point '${constants/* Input */.pd.TempestPath}' at a Tempest virtualenv (e.g. /openstack/venvs/tempest-<tag>), its bin directory or the tempest executable, or leave it empty to use the one found`);
        }
        return { kind: 'given', executable: probe['given-tempest'] };
    }
    if (config.install === 'git')
        return undefined;
    if (probe.osaTempest.length > 1) {
        throw new errors/* ActionError */.lZ(`Several openstack-ansible Tempest virtualenvs on the target: ${probe.osaTempest.map((t) => external_node_path_.posix.dirname(external_node_path_.posix.dirname(t))).join(', ')}`, `Set '${constants/* Input */.pd.TempestPath}' to the one to run (openstack-ansible's current release is the one its inventory names as venv_tag)`);
    }
    if (probe.osaTempest.length === 1)
        return { kind: 'openstack-ansible', executable: probe.osaTempest[0] };
    if (probe.runbook !== '')
        return { kind: 'runbook', checkout: probe.runbook };
    // refstack-client's own toolchain runs in its fixed workspace (Debian's /var/lib/tempest): a workspace the
    // input names is run around the Tempest on PATH instead, so that it is used and never silently ignored.
    const ownToolchain = existingToolchain(probe, config.workdir) !== undefined;
    if ((!ownToolchain || config.tempestWorkspace !== undefined) && probe['path-tempest'] !== '')
        return { kind: 'path', executable: probe['path-tempest'] };
    return undefined;
}
/** Where to look for a Tempest's workspace, in order (pure): the input, openstack-ansible's, the venv's own. */
function workspaceCandidates(executable, given) {
    if (given !== undefined)
        return [given];
    const prefix = external_node_path_.posix.dirname(external_node_path_.posix.dirname(executable));
    const candidates = [OSA_WORKSPACE, external_node_path_.posix.join(prefix, 'workspace')];
    if (executable === '/usr/bin/tempest')
        candidates.push(DEBIAN_TEMPEST_DIR);
    return candidates;
}
/** probe.sh (copied next to the bundle by ncc) run on the target. */
async function probe(target, config) {
    const script = (0,external_node_fs_.readFileSync)(new URL(/* asset import */ __webpack_require__(86905), __webpack_require__.b), 'utf8');
    const result = await target.exec([
        'sh',
        '-c',
        script,
        'sh',
        config.workdir,
        DEBIAN_TEMPEST_DIR,
        config.tempestPath ?? ''
    ]);
    return parseProbe(result.stdout);
}
/** tempest-info.sh run on the target: the Python, version and workspace of the Tempest at `executable`. */
async function describeTempest(target, executable, candidates) {
    const script = (0,external_node_fs_.readFileSync)(new URL(/* asset import */ __webpack_require__(57518), __webpack_require__.b), 'utf8');
    const result = await target.exec(['sh', '-c', script, 'sh', executable, ...candidates]);
    const values = new Map(result.stdout
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).trim()]));
    const python = values.get('python') ?? '';
    if (result.code !== 0 || python === '') {
        throw new errors/* ActionError */.lZ(`Cannot tell which Python runs ${executable} on ${target.description} (its first line names none)`, `Point '${constants/* Input */.pd.TempestPath}' at a Tempest installed by pip or a distribution package`);
    }
    const workspace = values.get('workspace');
    return { python, version: values.get('version') || 'unknown', workspace: workspace || undefined };
}
/** The tempest-version input against the version found; only a Tempest the action installed may differ. */
function checkVersion(config, tempest) {
    if (config.tempestVersion === undefined || config.tempestVersion === tempest.version)
        return;
    throw new errors/* ActionError */.lZ(`Input '${constants/* Input */.pd.TempestVersion}' asks for Tempest ${config.tempestVersion}, but the Tempest at ${tempest.executable} on the target is ${tempest.version}`, `The action never replaces a Tempest it did not install: leave '${constants/* Input */.pd.TempestVersion}' empty to run this one, point '${constants/* Input */.pd.TempestPath}' at a Tempest of that version, or set '${constants/* Input */.pd.Install}: git' to run refstack-client's own Tempest at that version`);
}
/** A workspace for `executable` in the workdir (`tempest init`), when its own has none. */
async function initWorkspace(target, executable, workdir) {
    const workspace = external_node_path_.posix.join(workdir, 'tempest-workspace');
    const exists = await target.exec(['test', '-f', `${workspace}/.stestr.conf`]);
    if (exists.code === 0)
        return workspace;
    core/* info */.pq(`No Tempest workspace found for ${executable}: making ${workspace} with tempest init`);
    const result = await logged(target, [executable, 'init', workspace], { timeoutMs: TEMPEST_INIT_TIMEOUT_MS });
    if (result.code !== 0) {
        throw new errors/* ActionError */.lZ(`'${executable} init ${workspace}' failed on ${target.description} (exit ${result.code}):\n${(0,errors/* lastLines */.w$)(result.stderr || result.stdout, 15)}`, `Set '${constants/* Input */.pd.TempestWorkspace}' to a workspace made with 'tempest init'`);
    }
    return workspace;
}
/** The workspace `config` names, checked; or the found one; or a new one in the workdir. */
async function workspaceFor(target, config, executable, found) {
    if (found !== undefined)
        return found;
    if (config.tempestWorkspace !== undefined) {
        throw new errors/* ActionError */.lZ(`Input '${constants/* Input */.pd.TempestWorkspace}': ${config.tempestWorkspace} on ${target.description} is not a Tempest workspace (no .stestr.conf)`, `Make it with '${executable} init ${config.tempestWorkspace}', or leave '${constants/* Input */.pd.TempestWorkspace}' empty`);
    }
    return initWorkspace(target, executable, config.workdir);
}
/**
 * refstack-client around an operator's Tempest: Debian's refstack-client (installed with apt when missing),
 * run by a wrapper in <workdir>/bin that puts that Tempest first in PATH and its workspace in place of
 * Debian's fixed /var/lib/tempest.
 */
async function aroundOperatorTempest(target, config, before, executable) {
    const info = await describeTempest(target, executable, workspaceCandidates(executable, config.tempestWorkspace));
    const workspace = await workspaceFor(target, config, executable, info.workspace);
    const tempest = {
        executable,
        python: info.python,
        version: info.version,
        workspace,
        owner: 'operator'
    };
    checkVersion(config, tempest);
    core/* info */.pq(`Tempest ${tempest.version} found on ${target.description}: ${executable} (workspace ${workspace}); the run uses it as it is`);
    let probed = before;
    let installed;
    if (probed.path === '') {
        if (config.install === 'none' || before.apt === '') {
            throw new errors/* ActionError */.lZ(`refstack-client was not found on ${target.description}, to run the Tempest at ${executable}`, before.apt === ''
                ? `Install refstack-client on the target yourself (the target has no apt-get), or set '${constants/* Input */.pd.Install}: git' to run refstack-client's own Tempest instead`
                : `Install the Debian/Ubuntu package 'refstack-client' on the target, or set '${constants/* Input */.pd.Install}: auto' to let the action install it`);
        }
        await installApt(target, ['refstack-client'], config.targetEnv);
        probed = await probe(target, config);
        if (probed.path === '') {
            throw new errors/* ActionError */.lZ(`apt installed refstack-client on ${target.description}, but it is not on PATH`);
        }
        installed = `refstack-client ${probed.dpkg} (Debian/Ubuntu package, with the dependencies apt chose) — ${executable} still runs the tests`;
        await target.writeFile(`${config.workdir}/provisioned`, `apt deb ${probed.dpkg} ${new Date().toISOString()} around=${executable}\n`, 0o644);
    }
    const launcher = await (0,programs/* installPythonProgram */.qn)(target, config.workdir, 'refstack_client_around.py');
    const wrapper = `${config.workdir}/bin/refstack-client`;
    const template = (0,external_node_fs_.readFileSync)(new URL(/* asset import */ __webpack_require__(84742), __webpack_require__.b), 'utf8');
    const values = [
        `bin=${(0,quote/* quoteArg */.X1)(external_node_path_.posix.dirname(executable))}`,
        `workers=${(0,quote/* quoteArg */.X1)(`${config.workdir.replace(/\/+$/, '')}/tempest-workers`)}`,
        `client_python=${(0,quote/* quoteArg */.X1)('/usr/bin/python3')}`,
        `launcher=${(0,quote/* quoteArg */.X1)(launcher)}`,
        `workspace=${(0,quote/* quoteArg */.X1)(workspace)}`
    ].join('\n');
    await target.writeFile(wrapper, template.replace('# @VALUES@', values), 0o755);
    return {
        refstackClient: wrapper,
        tempestDir: workspace,
        python: info.python,
        clientPython: '/usr/bin/python3',
        origin: installed === undefined ? 'existing' : 'apt',
        version: probed.dpkg === '' ? `${probed.path}` : `deb ${probed.dpkg}`,
        tempest,
        installed
    };
}
/** The runbook's checkout as it is: its refstack-client, its .tempest. */
async function runbookToolchain(target, config, checkout) {
    const executable = `${checkout}/.tempest/.venv/bin/tempest`;
    const info = await describeTempest(target, executable, [`${checkout}/.tempest`]);
    const tempest = {
        executable,
        python: info.python,
        version: info.version,
        workspace: `${checkout}/.tempest`,
        owner: 'operator'
    };
    checkVersion(config, tempest);
    const commit = await target.exec(['git', '-C', checkout, 'rev-parse', 'HEAD']);
    core/* info */.pq(`refstack-client found on ${target.description}: ${checkout} with Tempest ${tempest.version} in ${checkout}/.tempest; the run uses them as they are`);
    return {
        refstackClient: `${checkout}/.venv/bin/refstack-client`,
        tempestDir: `${checkout}/.tempest`,
        python: info.python,
        clientPython: `${checkout}/.venv/bin/python`,
        origin: 'existing',
        version: commit.code === 0 ? `git ${commit.stdout.trim().slice(0, 12)}` : `checkout ${checkout}`,
        tempest
    };
}
/** The Tempest of refstack-client's own toolchain (Debian's tempest on PATH, or setup_env's .tempest). */
async function ownTempest(target, toolchain, probed) {
    const executable = toolchain.tempestDir === DEBIAN_TEMPEST_DIR
        ? probed['path-tempest'] || '/usr/bin/tempest'
        : `${toolchain.tempestDir}/.venv/bin/tempest`;
    const info = await describeTempest(target, executable, []).catch(() => ({
        python: toolchain.python,
        version: 'unknown'
    }));
    return {
        executable,
        python: info.python,
        version: info.version,
        workspace: toolchain.tempestDir,
        owner: 'refstack-client'
    };
}
/** The Tempest version a marker records (`tempest=<version>`; empty: setup_env's default). Pure. */
function markerTempest(marker) {
    return / tempest=(\S*)/.exec(marker)?.[1];
}
async function provision(target, config) {
    const before = await probe(target, config);
    const operator = operatorTempest(before, config);
    if (operator?.kind === 'runbook')
        return runbookToolchain(target, config, operator.checkout);
    if (operator !== undefined)
        return aroundOperatorTempest(target, config, before, operator.executable);
    const existing = existingToolchain(before, config.workdir);
    const mode = config.install;
    if (existing && reusable(existing, before, config)) {
        const by = before.marker === '' ? '' : `; provisioned by refstack-action: ${before.marker}`;
        core/* info */.pq(`refstack-client found on ${target.description}: ${existing.refstackClient} (${existing.version}${by})`);
        return { ...existing, tempest: await ownTempest(target, existing, before) };
    }
    if (mode === 'none') {
        throw new errors/* ActionError */.lZ(`refstack-client was not found on ${target.description}${before.path !== '' ? ` (found ${before.path}, but not its Tempest workspace ${DEBIAN_TEMPEST_DIR}/.stestr.conf: install the 'tempest' package)` : ''}`, `Install it on the target, or set '${constants/* Input */.pd.Install}: auto' to let the action install it`);
    }
    // auto: the action's own checkout made for another tempest-version is made again the same way.
    const redoCheckout = existing !== undefined && before.marker.startsWith('git ');
    let origin = mode === 'apt' || (mode === 'auto' && before.apt !== '' && !redoCheckout) ? 'apt' : 'git';
    if (origin === 'apt') {
        try {
            await installApt(target, ['refstack-client', 'tempest'], config.targetEnv);
        }
        catch (error) {
            // `auto` promises git when apt cannot: say why, then try it.
            if (mode !== 'auto')
                throw error;
            core/* warning */.$e(`${error.message.split('\n')[0].replace(/:$/, '')}; trying git (clone + setup_env) instead`);
            origin = 'git';
        }
    }
    if (origin === 'git')
        await installGit(target, config, config.targetEnv);
    const after = await probe(target, config);
    const toolchain = existingToolchain(after, config.workdir);
    if (!toolchain) {
        throw origin === 'apt'
            ? new errors/* ActionError */.lZ(`apt installed refstack-client on ${target.description}, but it or ${DEBIAN_TEMPEST_DIR}/.stestr.conf is still missing`, `Install the 'tempest' package on the target`)
            : new errors/* ActionError */.lZ(`setup_env finished but ${config.workdir}/refstack-client/.venv/bin/refstack-client does not exist on ${target.description}`, `Check the output of setup_env on the target`);
    }
    // Records what was installed, so a warm run of the same versions skips installing (and the log says why).
    const version = origin === 'apt'
        ? toolchain.version
        : `${config.refstackClientRef} ${toolchain.version.replace(/^git /, '')}`;
    await target.writeFile(`${config.workdir}/provisioned`, `${origin} ${version} ${new Date().toISOString()}${origin === 'git' ? ` tempest=${config.tempestVersion ?? ''}` : ''}\n`, 0o644);
    const tempest = await ownTempest(target, toolchain, after);
    const installed = origin === 'apt'
        ? `refstack-client and tempest (Debian/Ubuntu packages, ${toolchain.version})`
        : `refstack-client ${config.refstackClientRef} in ${config.workdir}/refstack-client, with Tempest ${tempest.version} from its setup_env`;
    core/* info */.pq(`Installed on ${target.description}: ${installed}`);
    return { ...toolchain, origin, tempest, installed };
}
/**
 * Whether what is there serves the requested install mode. Pure. `git` reuses a checkout only when the marker
 * says it was made from the same refstack-client-ref and tempest-version (a warm run skips the clone and
 * setup_env); so does `auto` when the checkout was made by the action for another tempest-version.
 */
function reusable(existing, probe, config) {
    const sameTempest = markerTempest(probe.marker) === (config.tempestVersion ?? '');
    const ownCheckout = probe.git !== '' && probe.marker.startsWith('git ');
    if (config.install === 'apt')
        return existing.tempestDir === DEBIAN_TEMPEST_DIR;
    if (config.install === 'git')
        return probe.git !== '' && probe.marker.split(' ')[1] === config.refstackClientRef && sameTempest;
    if (config.install === 'auto' && ownCheckout && config.tempestVersion !== undefined)
        return sameTempest;
    return true; // auto and none: whatever is there
}
/** Step 1: the inputs naming paths on the target checked, then refstack-client + Tempest provisioned. */
async function provisionTarget(target, config) {
    await (0,target_inputs/* checkTargetInputs */.l)(target, config);
    return core/* group */.Os(`Provision refstack-client and Tempest on ${target.description}`, async () => {
        const toolchain = await provision(target, config);
        const tempest = toolchain.tempest;
        if (tempest !== undefined) {
            core/* info */.pq(`The run uses Tempest ${tempest.version} at ${tempest.executable} (workspace ${tempest.workspace}) with refstack-client ${toolchain.version}`);
        }
        return toolchain;
    });
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


/***/ }),

/***/ 86905:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {

module.exports = __webpack_require__.p + "a86a56fd3d432dfd6d3d.sh";

/***/ }),

/***/ 84742:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {

module.exports = __webpack_require__.p + "f4b3939860792c781c58.sh";

/***/ }),

/***/ 57518:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {

module.exports = __webpack_require__.p + "0a035a40174a29f417f6.sh";

/***/ })

};
