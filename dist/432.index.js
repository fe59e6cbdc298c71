export const id = 432;
export const ids = [432];
export const modules = {

/***/ 40432:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   provisionTarget: () => (/* binding */ provisionTarget)
/* harmony export */ });
/* unused harmony exports parseProbe, existingToolchain, provision */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3894);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(27242);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(83916);
/* harmony import */ var _target_inputs_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(24306);
/**
 * Gets refstack-client and Tempest onto the target: use what is there, Debian/Ubuntu packages, or a git
 * checkout with refstack-client's setup_env. A marker in the workdir records what was provisioned, so a
 * warm run costs one probe.
 */





/** Debian's refstack-client hard-codes its Tempest workspace. */
const DEBIAN_TEMPEST_DIR = '/var/lib/tempest';
/** The keys of probe.sh's output; marker: what an earlier run of the action installed, "<origin> <version> <date>". */
const PROBE_KEYS = ['path', 'git', 'gitcommit', 'debian-workspace', 'dpkg', 'apt', 'marker'];
/** probe.sh's key=value lines (an absent key: empty). */
function parseProbe(stdout) {
    const values = new Map();
    for (const line of stdout.split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0)
            values.set(line.slice(0, eq), line.slice(eq + 1).trim());
    }
    return Object.fromEntries(PROBE_KEYS.map((key) => [key, values.get(key) ?? '']));
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
/** probe.sh (copied next to the bundle by ncc) run on the target. */
async function probe(target, workdir) {
    const script = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(__webpack_require__.ab + "probe.sh", 'utf8');
    const result = await target.exec(['sh', '-c', script, 'sh', workdir, DEBIAN_TEMPEST_DIR]);
    return parseProbe(result.stdout);
}
async function installApt(target) {
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Installing refstack-client and tempest with apt on ${target.description}`);
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    const install = ['apt-get', 'install', '-y', '-q', '--no-install-recommends', 'refstack-client', 'tempest'];
    let result = await target.exec(install, { env });
    if (result.code !== 0) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq('apt-get install failed; updating the package lists and trying once more');
        await target.exec(['apt-get', 'update', '-q'], { env });
        result = await target.exec(install, { env });
    }
    if (result.code !== 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .lZ(`Installing refstack-client with apt failed on ${target.description} (exit ${result.code}):\n${(0,_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .lastLines */ .w$)(result.stderr || result.stdout, 20)}`, `Install the Debian/Ubuntu packages 'refstack-client' and 'tempest' on the target yourself, or set '${_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Input */ .pd.Install}: git'`);
    }
}
async function installGit(target, config) {
    const checkout = `${config.workdir}/refstack-client`;
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Cloning ${config.refstackClientRepo} at ${config.refstackClientRef} into ${checkout}`);
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
        const result = await target.exec(argv);
        if (result.code !== 0) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .lZ(`'${argv.slice(0, 2).join(' ')}' failed on ${target.description} (exit ${result.code}):\n${(0,_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .lastLines */ .w$)(result.stderr || result.stdout, 20)}`, `Check '${_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Input */ .pd.RefstackClientRepo}' and '${_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Input */ .pd.RefstackClientRef}' (the target must reach the repository)`);
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
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Running ${setup.join(' ')} (needs PyPI and opendev.org from the target)`);
    const result = await target.exec(['sh', '-c', 'cd "$1" && shift && exec "$@"', 'sh', checkout, ...setup], {
        onStdout: (chunk) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(chunk.toString('utf8').trimEnd()),
        onStderr: (chunk) => _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .debug */ .Yz(chunk.toString('utf8').trimEnd())
    });
    if (result.code !== 0) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .lZ(`refstack-client's setup_env failed on ${target.description} (exit ${result.code}); its last lines:\n${(0,_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .lastLines */ .w$)(result.stdout + result.stderr, 20)}`, `setup_env downloads from PyPI and opendev.org: give the target that access (or a proxy), or use '${_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Input */ .pd.Install}: apt'`);
    }
}
async function provision(target, config) {
    const before = await probe(target, config.workdir);
    const existing = existingToolchain(before, config.workdir);
    const mode = config.install;
    if (existing && reusable(existing, before, config)) {
        const by = before.marker === '' ? '' : `; provisioned by refstack-action: ${before.marker}`;
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`refstack-client found on ${target.description}: ${existing.refstackClient} (${existing.version}${by})`);
        return existing;
    }
    if (mode === 'none') {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .lZ(`refstack-client was not found on ${target.description}${before.path !== '' ? ` (found ${before.path}, but not its Tempest workspace ${DEBIAN_TEMPEST_DIR}/.stestr.conf: install the 'tempest' package)` : ''}`, `Install it on the target, or set '${_constants_js__WEBPACK_IMPORTED_MODULE_2__/* .Input */ .pd.Install}: auto' to let the action install it`);
    }
    const origin = mode === 'apt' || (mode === 'auto' && before.apt !== '') ? 'apt' : 'git';
    if (origin === 'apt')
        await installApt(target);
    else
        await installGit(target, config);
    const toolchain = existingToolchain(await probe(target, config.workdir), config.workdir);
    if (!toolchain) {
        throw origin === 'apt'
            ? new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .lZ(`apt installed refstack-client on ${target.description}, but it or ${DEBIAN_TEMPEST_DIR}/.stestr.conf is still missing`, `Install the 'tempest' package on the target`)
            : new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .ActionError */ .lZ(`setup_env finished but ${config.workdir}/refstack-client/.venv/bin/refstack-client does not exist on ${target.description}`, `Check the output of setup_env on the target`);
    }
    // Records what was installed, so a warm run of the same version skips installing (and the log says why).
    const version = origin === 'apt'
        ? toolchain.version
        : `${config.refstackClientRef} ${toolchain.version.replace(/^git /, '')}`;
    await target.writeFile(`${config.workdir}/provisioned`, `${origin} ${version} ${new Date().toISOString()}\n`, 0o644);
    return { ...toolchain, origin };
}
/**
 * Whether what is there serves the requested install mode. Pure. `git` reuses a checkout only when the marker
 * says it was made from the same refstack-client-ref (a warm run skips the clone and setup_env).
 */
function reusable(existing, probe, config) {
    if (config.install === 'apt')
        return existing.tempestDir === DEBIAN_TEMPEST_DIR;
    if (config.install === 'git')
        return probe.git !== '' && probe.marker.split(' ')[1] === config.refstackClientRef;
    return true; // auto and none: whatever is there
}
/** Step 1: the inputs naming paths on the target checked, then refstack-client + Tempest provisioned. */
async function provisionTarget(target, config) {
    await (0,_target_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .checkTargetInputs */ .l)(target, config);
    return _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .group */ .Os(`Provision refstack-client and Tempest on ${target.description}`, () => provision(target, config));
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
