export const id = 906;
export const ids = [906];
export const modules = {

/***/ 17906:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  provisionTarget: () => (/* binding */ provisionTarget)
});

// UNUSED EXPORTS: existingToolchain, parseProbe, provision, reusable

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 12 modules
var core = __webpack_require__(3894);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(27242);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
;// CONCATENATED MODULE: ./src/toolchain/target-inputs.ts


async function checkTargetInputs(target, config) {
    await checkWorkdir(target, config.workdir);
    if (config.tempestConf) {
        await checkReadable(target, constants/* Input */.pd.TempestConf, config.tempestConf, 'Check the path (openstack-ansible puts it in /root/workspace/etc/tempest.conf or /opt/tempest_untagged/etc/tempest.conf) and that the SSH user may read it');
    }
    if (config.openrc) {
        await checkReadable(target, constants/* Input */.pd.Openrc, config.openrc, 'Check the path (openstack-ansible writes /root/openrc in the utility container, mode 0600: the user must be root)');
    }
}
/** The workdir is created if absent (as provisioning would); it must end up a directory the user may write. */
async function checkWorkdir(target, workdir) {
    const created = await target.exec(['mkdir', '-p', '--', workdir]);
    const writable = created.code === 0 ? await target.exec(['test', '-w', workdir]) : undefined;
    if (created.code === 0 && writable?.code === 0)
        return;
    const why = created.code !== 0 ? created.stderr.trim() || `mkdir exited ${created.code}` : 'not writable';
    throw new errors/* ActionError */.lZ(`Input '${constants/* Input */.pd.Workdir}': ${workdir} cannot be used as a directory on ${target.description} (${why})`, `Set '${constants/* Input */.pd.Workdir}' to a directory the user may create and write (e.g. /var/lib/refstack-action), not a file`);
}
async function checkReadable(target, input, file, hint) {
    try {
        await target.readFile(file);
    }
    catch {
        throw new errors/* ActionError */.lZ(`Input '${input}': cannot read ${file} on ${target.description}`, hint);
    }
}

;// CONCATENATED MODULE: ./src/toolchain/provision.ts
/**
 * Gets refstack-client and Tempest onto the target: use what is there, Debian/Ubuntu packages, or a git
 * checkout with refstack-client's setup_env. A marker in the workdir records what was provisioned, so a
 * warm run costs one probe.
 */





/** Debian's refstack-client hard-codes its Tempest workspace. */
const DEBIAN_TEMPEST_DIR = '/var/lib/tempest';
function parseProbe(stdout) {
    const values = {};
    for (const line of stdout.split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0)
            values[line.slice(0, eq)] = line.slice(eq + 1).trim();
    }
    const get = (key) => values[key] ?? '';
    return {
        path: get('path'),
        git: get('git'),
        gitcommit: get('gitcommit'),
        'debian-workspace': get('debian-workspace'),
        dpkg: get('dpkg'),
        apt: get('apt'),
        tempest: get('tempest'),
        marker: get('marker')
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
/** probe.sh (copied next to the bundle by ncc) run on the target. */
async function probe(target, workdir) {
    const script = (0,external_node_fs_.readFileSync)(__webpack_require__.ab + "probe.sh", 'utf8');
    const result = await target.exec(['sh', '-c', script, 'sh', workdir, DEBIAN_TEMPEST_DIR]);
    return parseProbe(result.stdout);
}
async function installApt(target) {
    core/* info */.pq(`Installing refstack-client and tempest with apt on ${target.description}`);
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    const install = ['apt-get', 'install', '-y', '-q', '--no-install-recommends', 'refstack-client', 'tempest'];
    let result = await target.exec(install, { env });
    if (result.code !== 0) {
        core/* info */.pq('apt-get install failed; updating the package lists and trying once more');
        await target.exec(['apt-get', 'update', '-q'], { env });
        result = await target.exec(install, { env });
    }
    if (result.code !== 0) {
        throw new errors/* ActionError */.lZ(`Installing refstack-client with apt failed on ${target.description} (exit ${result.code}):\n${(0,errors/* lastLines */.w$)(result.stderr || result.stdout, 20)}`, `Install the Debian/Ubuntu packages 'refstack-client' and 'tempest' on the target yourself, or set '${constants/* Input */.pd.Install}: git'`);
    }
}
async function installGit(target, config) {
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
        const result = await target.exec(argv);
        if (result.code !== 0) {
            throw new errors/* ActionError */.lZ(`'${argv.slice(0, 2).join(' ')}' failed on ${target.description} (exit ${result.code}):\n${(0,errors/* lastLines */.w$)(result.stderr || result.stdout, 20)}`, `Check '${constants/* Input */.pd.RefstackClientRepo}' and '${constants/* Input */.pd.RefstackClientRef}' (the target must reach the repository)`);
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
    core/* info */.pq(`Running ${setup.join(' ')} (needs PyPI and opendev.org from the target)`);
    const result = await target.exec(['sh', '-c', 'cd "$1" && shift && exec "$@"', 'sh', checkout, ...setup], {
        onStdout: (chunk) => core/* debug */.Yz(chunk.toString('utf8').trimEnd()),
        onStderr: (chunk) => core/* debug */.Yz(chunk.toString('utf8').trimEnd())
    });
    if (result.code !== 0) {
        throw new errors/* ActionError */.lZ(`refstack-client's setup_env failed on ${target.description} (exit ${result.code}); its last lines:\n${(0,errors/* lastLines */.w$)(result.stdout + result.stderr, 20)}`, `setup_env downloads from PyPI and opendev.org: give the target that access (or a proxy), or use '${constants/* Input */.pd.Install}: apt'`);
    }
}
async function provision(target, config) {
    const before = await probe(target, config.workdir);
    const existing = existingToolchain(before, config.workdir);
    const mode = config.install;
    if (existing && reusable(existing, before, config)) {
        const by = before.marker === '' ? '' : `; provisioned by refstack-action: ${before.marker}`;
        core/* info */.pq(`refstack-client found on ${target.description}: ${existing.refstackClient} (${existing.version}${by})`);
        return existing;
    }
    if (mode === 'none') {
        throw new errors/* ActionError */.lZ(`refstack-client was not found on ${target.description}${before.path !== '' ? ` (found ${before.path}, but not its Tempest workspace ${DEBIAN_TEMPEST_DIR}/.stestr.conf: install the 'tempest' package)` : ''}`, `Install it on the target, or set '${constants/* Input */.pd.Install}: auto' to let the action install it`);
    }
    if (mode === 'apt' || (mode === 'auto' && before.apt !== '')) {
        await installApt(target);
        const toolchain = existingToolchain(await probe(target, config.workdir), config.workdir);
        if (!toolchain) {
            throw new errors/* ActionError */.lZ(`apt installed refstack-client on ${target.description}, but it or ${DEBIAN_TEMPEST_DIR}/.stestr.conf is still missing`, `Install the 'tempest' package on the target`);
        }
        await writeMarker(target, config.workdir, 'apt', toolchain.version);
        return { ...toolchain, origin: 'apt' };
    }
    await installGit(target, config);
    const toolchain = existingToolchain(await probe(target, config.workdir), config.workdir);
    if (!toolchain) {
        throw new errors/* ActionError */.lZ(`setup_env finished but ${config.workdir}/refstack-client/.venv/bin/refstack-client does not exist on ${target.description}`, `Check the output of setup_env on the target`);
    }
    await writeMarker(target, config.workdir, 'git', `${config.refstackClientRef} ${toolchain.version.replace(/^git /, '')}`);
    return { ...toolchain, origin: 'git' };
}
/**
 * Whether what is there serves the requested install mode. Pure. `git` reuses a checkout only when the marker
 * says it was made from the same refstack-client-ref (a warm run skips the clone and setup_env).
 */
function reusable(existing, probe, config) {
    switch (config.install) {
        case 'auto':
        case 'none':
            return true;
        case 'apt':
            return existing.tempestDir === DEBIAN_TEMPEST_DIR;
        case 'git':
            return probe.git !== '' && probe.marker.split(' ')[1] === config.refstackClientRef;
    }
}
/** Records what was installed, so a warm run of the same version skips installing (and the log says why). */
async function writeMarker(target, workdir, origin, version) {
    await target.writeFile(`${workdir}/provisioned`, `${origin} ${version} ${new Date().toISOString()}\n`, 0o644);
}
/** Step 1: the inputs naming paths on the target checked, then refstack-client + Tempest provisioned. */
async function provisionTarget(target, config) {
    await checkTargetInputs(target, config);
    return core/* group */.Os(`Provision refstack-client and Tempest on ${target.description}`, () => provision(target, config));
}


/***/ })

};
