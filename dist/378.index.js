export const id = 378;
export const ids = [378];
export const modules = {

/***/ 23378:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  connectTarget: () => (/* binding */ connectTarget)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 12 modules
var core = __webpack_require__(3894);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(27242);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(31421);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
;// CONCATENATED MODULE: ./src/target/child-env.ts
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
]);
/** Families of names passed on: the locale (LC_*) and pip's own configuration (PIP_INDEX_URL …). */
const PASSED_PREFIXES = ['LC_', 'PIP_'];
/** The runner's environment cut to the allowlist, with the command's own variables over it. */
function childEnvironment(parent, extra = {}) {
    const env = {};
    for (const [name, value] of Object.entries(parent)) {
        const passed = PASSED.has(name) || PASSED_PREFIXES.some((prefix) => name.startsWith(prefix));
        if (value !== undefined && passed)
            env[name] = value;
    }
    return { ...env, ...extra };
}

;// CONCATENATED MODULE: ./src/target/target.ts
/** Collects a command's output while passing each chunk on to `onStdout`/`onStderr`; `output()` returns it so far. */
function collectOutput(stdout, stderr, options) {
    const out = [];
    const err = [];
    stdout.on('data', (chunk) => {
        out.push(chunk);
        options.onStdout?.(chunk);
    });
    stderr.on('data', (chunk) => {
        err.push(chunk);
        options.onStderr?.(chunk);
    });
    return () => ({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
}

;// CONCATENATED MODULE: ./src/target/local.ts
/** The runner itself is the utility host: commands are child processes, files are local files. */





class LocalTarget {
    description = 'the runner';
    exec(argv, options = {}) {
        return new Promise((resolve, reject) => {
            const [command, ...args] = argv;
            const child = (0,external_node_child_process_.spawn)(command, args, {
                cwd: options.cwd,
                // Never the step's inputs or the runner's tokens: see child-env.ts.
                env: childEnvironment(process.env, options.env),
                stdio: ['pipe', 'pipe', 'pipe'],
                // Own process group, so a timeout ends the command's children too.
                detached: options.timeoutMs !== undefined
            });
            const output = collectOutput(child.stdout, child.stderr, options);
            let timedOut = false;
            const timer = options.timeoutMs === undefined
                ? undefined
                : setTimeout(() => {
                    timedOut = true;
                    try {
                        if (child.pid !== undefined)
                            process.kill(-child.pid, 'SIGKILL');
                    }
                    catch {
                        child.kill('SIGKILL');
                    }
                }, options.timeoutMs);
            child.on('error', (error) => {
                if (timer)
                    clearTimeout(timer);
                reject(new Error(`Cannot run '${command}' on the runner: ${error.message}`));
            });
            child.on('close', (code) => {
                if (timer)
                    clearTimeout(timer);
                resolve({ code: code ?? -1, ...output(), timedOut: timedOut || undefined });
            });
            child.stdin.on('error', () => undefined); // the command may exit without reading its input
            child.stdin.end(options.stdin ?? '');
        });
    }
    async readFile(file) {
        try {
            // A FIFO or a device would be read for ever (or never answer): regular files only.
            const stat = await external_node_fs_.promises.stat(file);
            if (!stat.isFile())
                throw new Error('not a regular file');
            return await external_node_fs_.promises.readFile(file);
        }
        catch (error) {
            throw new Error(`Cannot read ${file} on the runner: ${error.message}`);
        }
    }
    async writeFile(file, content, mode = 0o600) {
        await makeDirectories(external_node_path_.dirname(file));
        await external_node_fs_.promises.writeFile(file, content, { mode });
        await external_node_fs_.promises.chmod(file, mode);
    }
    async download(remotePath, localPath) {
        if (external_node_path_.resolve(remotePath) === external_node_path_.resolve(localPath))
            return;
        await makeDirectories(external_node_path_.dirname(localPath));
        await external_node_fs_.promises.copyFile(remotePath, localPath);
    }
    async close() { }
}
/**
 * `mkdir -p`, one component at a time. Not fs.mkdir's `recursive`: on a kernel pseudo file system (/proc) it
 * never returns, since creating the parent "succeeds" and the child still cannot be made.
 */
async function makeDirectories(dir) {
    let current = external_node_path_.parse(external_node_path_.resolve(dir)).root;
    for (const part of external_node_path_.resolve(dir)
        .split(external_node_path_.sep)
        .filter((p) => p !== '')) {
        current = external_node_path_.join(current, part);
        try {
            await external_node_fs_.promises.mkdir(current);
        }
        catch (error) {
            if (error.code !== 'EEXIST')
                throw error;
        }
    }
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/target/quote.ts
var quote = __webpack_require__(72897);
;// CONCATENATED MODULE: ./src/target/lxc.ts
/**
 * The LXC target: commands and files inside a container, through `lxc-attach` run by another target
 * (the runner itself, or an SSH host). How lxc-attach(1) behaves shapes it:
 * the caller's environment leaks unless --clear-env, signals never reach the command inside, and a
 * running container's overlay must not be written from the host — so files go in and out through
 * `lxc-attach` too.
 */





/** PATH inside the container (--clear-env leaves lxc's own minimal default; set it explicitly). */
const CONTAINER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Container names LXC accepts (and that cannot be taken for an option). */
const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** openstack-ansible utility container names: `*_utility_container-*` (up to 2023.2) and `*-utility-container-*`. */
const UTILITY_CONTAINER = /(_utility_container-|-utility-container-)/;
/**
 * The argument list that runs `argv` inside container `name`:
 * `lxc-attach -n NAME --clear-env -v HOME=/root -v PATH=… [--keep-var K]… -- [timeout …] [sh -c cd…] argv…`.
 * No shell is involved unless `cwd` is set (then `sh -c 'cd -- "$1" && shift && exec "$@"'`, arguments
 * passed positionally, never spliced into the script).
 */
function lxcAttachArgv(name, argv, options = {}) {
    checkContainerName(name);
    if (argv.length === 0)
        throw new Error('lxc-attach: empty argument list');
    for (const variable of options.keepVars ?? []) {
        if (!(0,quote/* isEnvName */.Xc)(variable))
            throw new Error(`Invalid environment variable name '${variable}'`);
    }
    const inContainer = options.cwd === undefined
        ? [...argv]
        : ['sh', '-c', 'cd -- "$1" && shift && exec "$@"', 'sh', options.cwd, ...argv];
    return [
        'lxc-attach',
        ...(options.lxcPath === undefined ? [] : ['-P', options.lxcPath]),
        '-n',
        name,
        '--clear-env',
        '-v',
        'HOME=/root',
        '-v',
        `PATH=${CONTAINER_PATH}`,
        ...(options.keepVars ?? []).flatMap((variable) => ['--keep-var', variable]),
        '--',
        ...(0,quote/* withTimeout */.wj)(inContainer, options.timeoutMs)
    ];
}
function checkContainerName(name) {
    if (!CONTAINER_NAME.test(name)) {
        throw new errors/* ActionError */.lZ(`Input 'container' is not a valid LXC container name (got '${name}')`, "Use the name as `lxc-ls -1` prints it, or 'utility' to find the openstack-ansible utility container");
    }
}
let writeScript;
class LxcTarget {
    inner;
    name;
    options;
    description;
    constructor(
    /** The target that runs lxc-attach (the container's host). */
    inner, 
    /** The container name. */
    name, options = {}) {
        this.inner = inner;
        this.name = name;
        this.options = options;
        checkContainerName(name);
        this.description = `container ${name} on ${inner.description}`;
    }
    async exec(argv, options = {}) {
        const { cwd, timeoutMs, ...passOn } = options;
        // Values travel in lxc-attach's environment (never on its command line) and --keep-var lets them in.
        const keepVars = Object.keys(options.env ?? {});
        const attach = lxcAttachArgv(this.name, argv, { ...this.options, keepVars, cwd, timeoutMs });
        const startedAt = Date.now();
        let result;
        try {
            result = await this.inner.exec(attach, {
                ...passOn,
                // The in-container `timeout` acts first; the inner limit only catches a hung host.
                timeoutMs: timeoutMs === undefined ? undefined : timeoutMs + (quote/* TIMEOUT_KILL_AFTER_S */.Y2 + 5) * 1000
            });
        }
        catch (error) {
            if (error instanceof Error && /ENOENT/.test(error.message))
                throw this.notInstalled();
            throw error;
        }
        this.checkAttached(result);
        if (result.timedOut === true || (0,quote/* hitTimeout */.BA)(result.code, Date.now() - startedAt, timeoutMs)) {
            return { ...result, code: -1, timedOut: true };
        }
        return result;
    }
    async readFile(path) {
        const chunks = [];
        const result = await this.exec(['cat', '--', path], { onStdout: (chunk) => chunks.push(chunk) });
        if (result.code !== 0) {
            throw new Error(`Cannot read ${path} in ${this.description}: ${lastLine(result.stderr, result.code)}`);
        }
        return Buffer.concat(chunks);
    }
    async writeFile(path, content, mode = 0o600) {
        // ncc copies lxc-write-file.sh next to the bundle; read once, on the first write.
        writeScript ??= (0,external_node_fs_.readFileSync)(new URL(/* asset import */ __webpack_require__(25257), __webpack_require__.b), 'utf8');
        const result = await this.exec(['sh', '-c', writeScript, 'sh', path, mode.toString(8)], {
            stdin: typeof content === 'string' ? Buffer.from(content, 'utf8') : content
        });
        if (result.code !== 0) {
            throw new Error(`Cannot write ${path} in ${this.description}: ${lastLine(result.stderr, result.code)}`);
        }
    }
    async download(remotePath, localPath) {
        const content = await this.readFile(remotePath);
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(localPath), { recursive: true });
        await (0,promises_.writeFile)(localPath, content);
    }
    async reconnect() {
        await this.inner.reconnect?.();
    }
    /** Closes the inner target too (the LXC target owns it). */
    async close() {
        await this.inner.close();
    }
    notInstalled() {
        return new errors/* ActionError */.lZ(`lxc-attach is not installed on ${this.inner.description}`, "Input 'container' needs LXC on that host (the openstack-ansible infra host); leave 'container' empty to run on the host itself");
    }
    /** lxc-attach's own failures (not the command's) become ActionErrors: the command never ran. */
    checkAttached(result) {
        const { code, stderr } = result;
        if (code === 127 && /lxc-attach: (command )?not found|lxc-attach: No such file/i.test(stderr)) {
            throw this.notInstalled();
        }
        if (code !== 1 && code !== 255)
            return;
        // Only lxc-attach's own lines count: the command inside may well print "does not exist" and exit 1.
        const own = lxcAttachLines(stderr);
        if (/Failed to get (the )?init pid|Failed to get attach context|does not exist|is not running|not defined/i.test(own)) {
            throw new errors/* ActionError */.lZ(`Container ${this.name} is not running (or does not exist) on ${this.inner.description}`, `Start it (\`lxc-start -n ${this.name}\`) or set 'container' to a running container (\`lxc-ls -f\` on the host lists them)`);
        }
        if (/Permission denied|Operation not permitted/i.test(own)) {
            throw new errors/* ActionError */.lZ(`lxc-attach into ${this.name} was refused on ${this.inner.description}: ${lastLine(own, code)}`, 'lxc-attach needs root on the host: set ssh-user to root');
        }
    }
}
/**
 * The openstack-ansible utility container on the host behind `inner` (`container: utility`):
 * exactly one name from `lxc-ls -1` matching `*_utility_container-*` or `*-utility-container-*`.
 */
async function findUtilityContainer(inner, options = {}) {
    const argv = ['lxc-ls', ...(options.lxcPath === undefined ? [] : ['-P', options.lxcPath]), '-1'];
    let result;
    try {
        result = await inner.exec(argv);
    }
    catch (error) {
        if (error instanceof errors/* ActionError */.lZ)
            throw error;
        throw new errors/* ActionError */.lZ(`Cannot run lxc-ls on ${inner.description}: ${(0,errors/* describeError */.Uc)(error)}`, "Input 'container: utility' needs LXC on that host (the openstack-ansible infra host)");
    }
    if (result.code !== 0) {
        throw new errors/* ActionError */.lZ(`lxc-ls failed on ${inner.description} (exit ${result.code}): ${lastLine(result.stderr, result.code)}`, result.code === 127
            ? "Input 'container: utility' needs LXC on that host (the openstack-ansible infra host)"
            : 'lxc-ls must run as root to see the system containers: set ssh-user to root');
    }
    const names = result.stdout.split(/\s+/).filter((name) => name !== '');
    const matches = names.filter((name) => UTILITY_CONTAINER.test(name));
    if (matches.length === 1)
        return matches[0];
    const found = names.length === 0 ? 'no containers at all' : `only: ${names.join(', ')}`;
    if (matches.length === 0) {
        throw new errors/* ActionError */.lZ(`No openstack-ansible utility container on ${inner.description} (lxc-ls -1 lists ${found})`, "Set 'container' to the container's name, or point ssh-host at the infra host that runs it");
    }
    throw new errors/* ActionError */.lZ(`Several utility containers on ${inner.description}: ${matches.join(', ')}`, "Set 'container' to one of these names (openstack-ansible installs Tempest in the first utility host)");
}
/** The lines lxc-attach itself wrote (`lxc-attach: NAME: file: function: line message`), not the command's. */
function lxcAttachLines(stderr) {
    return stderr
        .split('\n')
        .filter((line) => line.trimStart().startsWith('lxc-attach: '))
        .join('\n');
}
/** The last line of a failed command's error output, or its exit status when it printed nothing. */
function lastLine(stderr, code) {
    return (0,errors/* lastLines */.w$)(stderr).trim() || `exit ${code}`;
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: ./node_modules/node-ssh/lib/esm/index.mjs + 2 modules
var esm = __webpack_require__(19487);
// EXTERNAL MODULE: ./node_modules/ssh2/lib/index.js
var lib = __webpack_require__(85472);
var lib_default = /*#__PURE__*/__webpack_require__.n(lib);
// EXTERNAL MODULE: ./src/target/known-hosts.ts
var known_hosts = __webpack_require__(49212);
// EXTERNAL MODULE: ./src/target/pkcs8.ts
var pkcs8 = __webpack_require__(20680);
;// CONCATENATED MODULE: ./src/target/ssh.ts
/**
 * The SSH target: commands and files on a remote utility host, optionally through one bastion (jump host).
 * node-ssh (over ssh2) for the connection and SFTP; commands go through the ssh2 client directly so stdin
 * and output stay binary-safe. Host keys are checked against `ssh-known-hosts`.
 */










/** The connection dropped (network, reboot, sshd restart). `reconnect()` and retry. */
class SshConnectionLostError extends errors/* ActionError */.lZ {
    constructor(description, detail) {
        super(`The SSH connection to ${description} was lost${detail === '' ? '' : ` (${detail})`}`, 'Check that the host is up and reachable from the runner; a long run on the target keeps going and can be reattached');
        this.name = 'SshConnectionLostError';
    }
}
/** Default host key algorithms for each known_hosts key type (to prefer the pinned types in negotiation). */
const ALGORITHMS_FOR_TYPE = {
    'ssh-ed25519': ['ssh-ed25519'],
    'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
    'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
    'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
    'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']
};
class SshTarget {
    description;
    /** The host keys offered in the latest connection (jump host first). */
    hostKeys = [];
    options;
    knownHosts;
    privateKey;
    connection;
    connecting;
    closed = false;
    constructor(options) {
        this.options = { ...options };
        this.knownHosts = (0,known_hosts/* parseKnownHosts */.uJ)(options.knownHosts ?? '');
        // Secrets pasted into a web form often come with CRLF line ends or without the final newline.
        // PKCS#8 keys, which OpenSSH accepts, are converted to a form ssh2 reads.
        this.privateKey = (0,pkcs8/* sshReadableKey */.U)(`${options.privateKey.replace(/\r\n?/g, '\n').trim()}\n`, options.passphrase);
        const { host, port, user, jumpHost } = options;
        const via = jumpHost === undefined ? '' : ` via ${jumpHost.user}@${hostPort(jumpHost.host, jumpHost.port)}`;
        this.description = `${user}@${hostPort(host, port)}${via}`;
    }
    /** Connect (jump host first, if any). Throws an ActionError naming the input to fix. */
    async connect() {
        await this.ensureConnection();
    }
    async reconnect() {
        if (this.closed)
            throw new Error(`SSH target ${this.description} is closed`);
        await this.disconnect();
        await this.ensureConnection();
    }
    async close() {
        this.closed = true;
        await this.disconnect();
    }
    async exec(argv, options = {}) {
        // Contains env values (possibly secrets): never logged, never put into an error message.
        const command = (0,quote/* buildRemoteCommand */.MQ)(argv, options);
        const connection = await this.ensureConnection();
        return new Promise((resolve, reject) => {
            try {
                connection.client.exec(command, (error, channel) => {
                    if (error === undefined)
                        this.collect(connection, channel, argv, options).then(resolve, reject);
                    else
                        reject(connection.lost ??
                            new Error(`Cannot start '${argv[0]}' on ${this.description}: ${error.message}`));
                });
            }
            catch (error) {
                // ssh2 throws "Not connected" synchronously when the socket just went away.
                reject(connection.lost ?? new SshConnectionLostError(this.description, (0,errors/* describeError */.Uc)(error)));
            }
        });
    }
    async readFile(path) {
        const sftp = await this.sftp();
        try {
            // A FIFO or a device would be read for ever (or never answer): regular files only.
            const stats = await sftpCall((done) => sftp.stat(path, done));
            if (!stats.isFile())
                throw new Error('not a regular file');
            return await sftpCall((done) => sftp.readFile(path, done));
        }
        catch (error) {
            throw this.fileError('read', path, error);
        }
    }
    async writeFile(path, content, mode = 0o600) {
        const connection = await this.ensureConnection();
        const sftp = await this.sftp();
        const parent = external_node_path_.posix.dirname(path);
        try {
            await connection.target.mkdir(parent, 'sftp', sftp);
        }
        catch (error) {
            throw this.fileError('create the directory of', path, error);
        }
        // Write a private temp file next to it and rename it over the target: readers never see a partial
        // file, and a secret never sits in a file with wider permissions.
        const temp = `${path}.tmp-${(0,external_node_crypto_.randomBytes)(4).toString('hex')}`;
        try {
            await sftpCall((done) => sftp.writeFile(temp, content, { mode: 0o600 }, done));
            await sftpCall((done) => sftp.chmod(temp, mode, done)); // the server's umask applied to the open
            await sftpCall((done) => sftp.ext_openssh_rename(temp, path, done)).catch(async () => {
                // Without posix-rename@openssh.com, SFTP rename refuses to replace an existing file.
                await sftpCall((done) => sftp.unlink(path, done)).catch(() => undefined);
                await sftpCall((done) => sftp.rename(temp, path, done));
            });
        }
        catch (error) {
            await sftpCall((done) => sftp.unlink(temp, done)).catch(() => undefined);
            throw this.fileError('write', path, error);
        }
    }
    async download(remotePath, localPath) {
        const connection = await this.ensureConnection();
        const sftp = await this.sftp();
        await (0,promises_.mkdir)((0,external_node_path_.dirname)(localPath), { recursive: true });
        try {
            await connection.target.getFile(localPath, remotePath, sftp);
        }
        catch (error) {
            throw this.fileError('download', remotePath, error);
        }
    }
    async collect(connection, channel, argv, options) {
        const startedAt = Date.now();
        return new Promise((resolve, reject) => {
            const output = collectOutput(channel, channel.stderr, options);
            let code;
            let signal;
            const result = () => ({ code: -1, ...output() });
            // Only the first outcome counts (a promise settles once).
            const finish = (outcome) => {
                clearTimeout(timer);
                if (outcome instanceof Error)
                    reject(outcome);
                else
                    resolve(outcome);
            };
            channel.on('exit', (exitCode, exitSignal) => {
                if (exitCode !== null)
                    code = exitCode;
                else
                    signal = exitSignal ?? 'unknown';
            });
            // The remote `timeout` (withTimeout) stops the command; this is the backstop when it cannot
            // (no `timeout` there, a hung host): give up waiting, the command may keep running.
            const timer = options.timeoutMs === undefined
                ? undefined
                : setTimeout(() => {
                    finish({ ...result(), timedOut: true });
                    channel.close();
                }, options.timeoutMs + (quote/* TIMEOUT_KILL_AFTER_S */.Y2 + 2) * 1000);
            channel.on('close', () => {
                const elapsed = Date.now() - startedAt;
                // GNU timeout re-raises a KILL it had to send: then there is an exit signal, not a status.
                const killed = signal !== undefined && (0,quote/* hitTimeout */.BA)(137, elapsed, options.timeoutMs);
                if (killed || (0,quote/* hitTimeout */.BA)(code, elapsed, options.timeoutMs))
                    finish({ ...result(), timedOut: true });
                else if (code !== undefined)
                    finish({ ...result(), code });
                else if (signal !== undefined)
                    finish(result());
                else {
                    // No exit status: the connection went down (ssh2 emits the client's 'close' first).
                    finish(connection.lost ?? new SshConnectionLostError(this.description, `while running '${argv[0]}'`));
                }
            });
            channel.on('error', (error) => {
                finish(connection.lost ?? new Error(`'${argv[0]}' on ${this.description}: ${error.message}`));
            });
            if (options.stdin !== undefined)
                channel.end(options.stdin);
            else
                channel.end();
        });
    }
    async sftp() {
        const connection = await this.ensureConnection();
        if (connection.sftp === undefined) {
            connection.sftp = connection.target.requestSFTP();
            connection.sftp.catch(() => {
                connection.sftp = undefined;
            });
        }
        try {
            return await connection.sftp;
        }
        catch (error) {
            throw connection.lost ?? new Error(`Cannot start SFTP on ${this.description}: ${(0,errors/* describeError */.Uc)(error)}`);
        }
    }
    fileError(verb, path, error) {
        if (error instanceof SshConnectionLostError)
            return error;
        if (this.connection?.lost !== undefined)
            return this.connection.lost;
        return new Error(`Cannot ${verb} ${path} on ${this.description}: ${(0,errors/* describeError */.Uc)(error)}`);
    }
    async ensureConnection() {
        if (this.closed)
            throw new Error(`SSH target ${this.description} is closed`);
        if (this.connection !== undefined) {
            if (this.connection.lost !== undefined)
                throw this.connection.lost;
            return this.connection;
        }
        if (this.connecting === undefined) {
            this.connecting = this.open().finally(() => {
                this.connecting = undefined;
            });
        }
        return this.connecting;
    }
    /** Waits for a connection attempt under way, then closes the connection. */
    async disconnect() {
        await this.connecting?.catch(() => undefined);
        if (this.connection !== undefined)
            this.drop(this.connection, 'closed by the action');
        this.connection = undefined;
    }
    /** Marks the connection lost (every later use rejects with that error until reconnect()) and closes it. */
    drop(connection, detail) {
        connection.lost ??= new SshConnectionLostError(this.description, detail);
        connection.target.dispose();
        connection.jump?.dispose();
    }
    async open() {
        const { host, port, user, jumpHost } = this.options;
        this.checkPrivateKey();
        this.hostKeys = [];
        let jump;
        let sock;
        if (jumpHost !== undefined) {
            jump = await this.connectHop(jumpHost, 'jump host');
            try {
                sock = await jump.forwardOut('127.0.0.1', 0, host, port);
            }
            catch (error) {
                jump.dispose();
                const target = hostPort(host, port);
                const via = hostPort(jumpHost.host, jumpHost.port);
                throw new errors/* ActionError */.lZ(`The jump host ${via} could not open a connection to ${target}: ${(0,errors/* describeError */.Uc)(error)}`, `Check ssh-host and ssh-port as the jump host sees them (\`nc -zv ${host} ${port}\` on ${jumpHost.host}), ` +
                    `and that its sshd allows TCP forwarding (AllowTcpForwarding yes)`);
            }
        }
        let target;
        try {
            target = await this.connectHop({ host, port, user }, 'target', sock);
        }
        catch (error) {
            jump?.dispose();
            throw error;
        }
        // Set by connect(); node-ssh clears it only on 'close', which cannot come before this line runs.
        const client = target.connection;
        const connection = { target, client, ...(jump === undefined ? {} : { jump }) };
        let lastError = '';
        const onError = (error) => {
            const keepalive = errorProperty(error, 'level') === 'client-timeout';
            lastError = keepalive ? `no keepalive answer: ${error.message}` : error.message;
        };
        const onClose = () => this.drop(connection, lastError);
        // ssh2 emits 'error' after connect (keepalive timeout, reset): without a listener it would crash the process.
        client.on('error', onError);
        client.on('close', onClose);
        if (jump !== undefined) {
            jump.connection?.on('error', onError);
            jump.connection?.on('close', onClose);
        }
        this.connection = connection;
        return connection;
    }
    /** Connect one hop; host key checked in hostVerifier; every failure becomes an ActionError. */
    async connectHop(endpoint, role, sock) {
        const ssh = new esm/* NodeSSH */.H();
        let refusedKey;
        const hostVerifier = (key) => {
            // Called again at every re-key: check every time, report once.
            const info = this.describeHostKey(endpoint, role, key);
            const seen = this.hostKeys.some((k) => k.role === role && k.fingerprint === info.fingerprint);
            if (!seen)
                this.hostKeys.push(info);
            if (info.status === 'match')
                return true;
            if (!this.options.strictHostKeyChecking) {
                if (!seen)
                    this.options.onUnverifiedHostKey?.(info);
                return true;
            }
            refusedKey = info;
            return false;
        };
        try {
            await ssh.connect({
                ...(sock === undefined ? { host: endpoint.host } : { sock }),
                port: endpoint.port,
                username: endpoint.user,
                privateKey: this.privateKey,
                ...(this.options.passphrase === undefined || this.options.passphrase === ''
                    ? {}
                    : { passphrase: this.options.passphrase }),
                hostVerifier,
                algorithms: this.algorithmsFor(endpoint),
                readyTimeout: this.options.readyTimeoutMs,
                keepaliveInterval: this.options.keepaliveIntervalMs,
                keepaliveCountMax: 3,
                tryKeyboard: false
            });
        }
        catch (error) {
            ssh.dispose();
            if (refusedKey !== undefined)
                throw hostKeyError(refusedKey, this.options.jumpHost !== undefined);
            throw this.connectError(endpoint, role, error);
        }
        return ssh;
    }
    /** Prefer the key types ssh-known-hosts pins for this host, as OpenSSH does. */
    algorithmsFor(endpoint) {
        const preferred = (0,known_hosts/* knownKeyTypes */.C2)(this.knownHosts, endpoint.host, endpoint.port).flatMap((type) => ALGORITHMS_FOR_TYPE[type] ?? []);
        if (preferred.length === 0)
            return undefined;
        // Order matters: ssh2 applies the operations in key order, and prepend skips names already listed.
        return { serverHostKey: { remove: preferred, prepend: preferred, append: [] } };
    }
    describeHostKey(endpoint, role, key) {
        return {
            role,
            host: endpoint.host,
            port: endpoint.port,
            keyType: (0,known_hosts/* keyTypeOf */.zj)(key) ?? 'unknown',
            fingerprint: (0,known_hosts/* fingerprintSha256 */._O)(key),
            status: (0,known_hosts/* checkHostKey */.Ex)(this.knownHosts, endpoint.host, endpoint.port, key),
            knownHostsLine: (0,known_hosts/* knownHostsLine */.TZ)(endpoint.host, endpoint.port, key)
        };
    }
    /** Fail early, with the input to change, when the key cannot be used (before any network traffic). */
    checkPrivateKey() {
        const { passphrase } = this.options;
        if (this.privateKey.trim() === '') {
            throw new errors/* ActionError */.lZ('ssh-private-key is empty', 'Set ssh-private-key to the private key text (a secret)');
        }
        const parsed = lib_default().utils.parseKey(this.privateKey, passphrase === '' ? undefined : passphrase);
        if (parsed instanceof Error) {
            if (/no passphrase given/i.test(parsed.message)) {
                throw new errors/* ActionError */.lZ('ssh-private-key is encrypted with a passphrase', 'Set ssh-passphrase to its passphrase (as a secret)');
            }
            if (/bad passphrase|integrity check failed|decrypt/i.test(parsed.message)) {
                throw new errors/* ActionError */.lZ('ssh-passphrase does not decrypt ssh-private-key', 'Set ssh-passphrase to the passphrase of this key (check the secret for trailing spaces or newlines)');
            }
            throw new errors/* ActionError */.lZ(`ssh-private-key is not a usable private key (${parsed.message})`, 'Paste the whole private key file, from "-----BEGIN" to "-----END … KEY-----", into the secret');
        }
        const key = Array.isArray(parsed) ? parsed[0] : parsed;
        if (key === undefined || !key.isPrivateKey()) {
            throw new errors/* ActionError */.lZ('ssh-private-key holds a public key, not a private key', 'Use the private key file (e.g. id_ed25519, not id_ed25519.pub)');
        }
    }
    connectError(endpoint, role, error) {
        const where = hostPort(endpoint.host, endpoint.port);
        const hop = role === 'target' ? `SSH host ${where}` : `SSH jump host ${where}`;
        const hostInputs = role === 'target' ? 'ssh-host and ssh-port' : 'ssh-jump-host';
        const userInput = role === 'target' ? 'ssh-user' : 'the user in ssh-jump-host';
        const code = errorProperty(error, 'code');
        const level = errorProperty(error, 'level');
        const message = (0,errors/* describeError */.Uc)(error);
        if (code === 'ECONNREFUSED') {
            return new errors/* ActionError */.lZ(`Connection to ${hop} refused`, `Check ${hostInputs}: nothing accepts connections there (is sshd running on that port?)`);
        }
        if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || level === 'client-dns') {
            return new errors/* ActionError */.lZ(`Cannot resolve the ${role === 'target' ? 'SSH host' : 'SSH jump host'} name '${endpoint.host}'`, `Check ${hostInputs} (the runner must be able to resolve it)`);
        }
        if (level === 'client-timeout' ||
            code === 'ETIMEDOUT' ||
            code === 'EHOSTUNREACH' ||
            code === 'ENETUNREACH' ||
            /timed out/i.test(message)) {
            return new errors/* ActionError */.lZ(`No SSH answer from ${hop} within ${Math.round(this.options.readyTimeoutMs / 1000)} s (${message})`, `Check ${hostInputs}, and that the runner can reach that host and port (firewall, VPN, security group)`);
        }
        if (level === 'client-authentication' || /authentication methods failed/i.test(message)) {
            return new errors/* ActionError */.lZ(`SSH authentication as ${endpoint.user} on ${hop} failed: the server did not accept ssh-private-key`, `Add the public half of ssh-private-key to ~${endpoint.user}/.ssh/authorized_keys on ${endpoint.host}, ` +
                `or fix ${userInput}`);
        }
        if (code === 'ECONNRESET' || /before handshake|connection lost/i.test(message)) {
            return new errors/* ActionError */.lZ(`${hop} closed the connection during the SSH handshake (${message})`, `Check ${hostInputs} point at an SSH server, and the server's logs (MaxStartups, AllowUsers, sshd_config)`);
        }
        return new errors/* ActionError */.lZ(`SSH connection to ${hop} failed: ${message}`, `Check ${hostInputs} and ${userInput}`);
    }
}
/** The ActionError for a refused host key: what was offered, and how to pin it. */
function hostKeyError(key, behindJumpHost) {
    const hop = `${key.role === 'target' ? 'SSH host' : 'SSH jump host'} ${hostPort(key.host, key.port)}`;
    const offered = `${key.keyType} key ${key.fingerprint}`;
    const name = (0,known_hosts/* knownHostsName */.on)(key.host, key.port);
    let message;
    if (key.status === 'revoked') {
        message = `The ${hop} offered the ${offered}, which ssh-known-hosts marks @revoked`;
    }
    else if (key.status === 'mismatch') {
        message =
            `The ${hop} offered the ${offered}, which does not match the key(s) ssh-known-hosts lists for ${name}. ` +
                'The host may have been reinstalled — or someone is intercepting the connection';
    }
    else {
        message = `The ${hop} offered the ${offered}, but ssh-known-hosts has no entry for ${name}`;
    }
    const scanWhere = key.role === 'target' && behindJumpHost
        ? ' on the jump host (the runner cannot reach this host directly)'
        : '';
    const hint = `Check that fingerprint on the host itself (\`ssh-keygen -lf /etc/ssh/ssh_host_${shortKeyType(key.keyType)}_key.pub\`), ` +
        `then put its line into ssh-known-hosts: run \`${(0,known_hosts/* keyscanCommand */.md)(key.host, key.port)}\`${scanWhere}, ` +
        `or add exactly: ${key.knownHostsLine} ` +
        '(ssh-strict-host-key-checking: false skips this check — not recommended)';
    return new errors/* ActionError */.lZ(message, hint);
}
/** An SFTP request with a Node-style callback, as a promise. */
function sftpCall(request) {
    return new Promise((resolve, reject) => request((error, value) => (error ? reject(error) : resolve(value))));
}
/** `host:port`, with IPv6 addresses in brackets. */
function hostPort(host, port) {
    return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
function shortKeyType(keyType) {
    if (keyType === 'ssh-ed25519')
        return 'ed25519';
    if (keyType.startsWith('ecdsa-'))
        return 'ecdsa';
    if (keyType === 'ssh-rsa')
        return 'rsa';
    return '*';
}
function errorProperty(error, name) {
    if (typeof error !== 'object' || error === null || !(name in error))
        return undefined;
    const value = error[name];
    return typeof value === 'string' ? value : undefined;
}

;// CONCATENATED MODULE: ./src/target/connect.ts
/** The target the config names: the runner, an SSH host (optionally through a bastion), and/or an LXC container. */





async function hostTarget(config) {
    if (!config.ssh)
        return new LocalTarget();
    const target = new SshTarget({
        ...config.ssh,
        keepaliveIntervalMs: 15_000,
        readyTimeoutMs: 30_000,
        onUnverifiedHostKey: (key) => core/* warning */.$e(`Host key of ${key.role} ${key.host}:${key.port} was NOT verified (${constants/* Input */.pd.SshStrictHostKeyChecking}: false): it offered ${key.keyType} ${key.fingerprint}. Anyone in the path could impersonate it. Pin it with '${constants/* Input */.pd.SshKnownHosts}': ${key.knownHostsLine}`, { title: 'Insecure SSH host key setting' })
    });
    await target.connect();
    return target;
}
async function connectTarget(config) {
    const host = await hostTarget(config);
    if (!config.container) {
        core/* info */.pq(`Running on ${host.description}`);
        return host;
    }
    let target;
    try {
        const name = config.container === 'utility' ? await findUtilityContainer(host) : config.container;
        target = new LxcTarget(host, name);
    }
    catch (error) {
        await host.close();
        throw error;
    }
    core/* info */.pq(`Running on ${target.description}`);
    return target;
}


/***/ }),

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

/***/ 25257:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {

module.exports = __webpack_require__.p + "dc2e765c1fbba4d24dfd.sh";

/***/ })

};
