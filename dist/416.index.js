export const id = 416;
export const ids = [416];
export const modules = {

/***/ 15416:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runTests: () => (/* binding */ runTests)
});

// UNUSED EXPORTS: rerunList

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 12 modules
var core = __webpack_require__(3894);
// EXTERNAL MODULE: ./src/results/compliance.ts
var results_compliance = __webpack_require__(12243);
// EXTERNAL MODULE: ./src/results/test-id.ts
var test_id = __webpack_require__(57932);
// EXTERNAL MODULE: ./src/results/subunit.ts + 3 modules
var subunit = __webpack_require__(26701);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(83916);
// EXTERNAL MODULE: ./src/log/foreign.ts
var foreign = __webpack_require__(9850);
// EXTERNAL MODULE: ./src/python/programs.ts
var programs = __webpack_require__(87357);
;// CONCATENATED MODULE: ./src/tempest/clean-accounts.ts
/**
 * clean-test-accounts: before a run, remove what earlier Tempest runs left in the pre-provisioned accounts
 * (see src/python/clean_accounts.py). It runs on the target with the Python that runs Tempest, reading the
 * same tempest.conf and accounts file; passwords never travel on a command line.
 */



/**
 * Removes Tempest's leftovers from the accounts of tempest.conf; returns what it removed ("user: container x").
 * A failure is an error naming clean-test-accounts, since the run would then fail for reasons not the cloud's.
 */
async function cleanTestAccounts(target, options) {
    const { python, tempestConf, accountsFile, lockPath } = options;
    const program = await (0,programs/* installPythonProgram */.q)(target, options.workdir, 'clean_accounts.py');
    const result = await target.exec([
        python,
        program,
        tempestConf,
        accountsFile,
        ...(lockPath ? [lockPath] : [])
    ]);
    const last = (0,errors/* lastLines */.w$)(result.stdout).trim();
    if (result.code !== 0 || !last.startsWith('[')) {
        throw new errors/* ActionError */.lZ(`Cleaning the test accounts of ${accountsFile} failed on ${target.description}: ${(0,errors/* lastLines */.w$)(result.stderr || result.stdout, 3).replace(/\s*\n\s*/g, ' ')}`, `Fix the accounts file or the cloud, or set 'clean-test-accounts: false' to leave the accounts untouched`);
    }
    const removed = JSON.parse(last);
    // The names come from the cloud: shown as text, never as workflow commands.
    (0,foreign/* echoForeign */.O)(removed.length === 0
        ? 'Test accounts are clean: nothing left behind by earlier Tempest runs'
        : `Removed what earlier Tempest runs left in the test accounts: ${removed.join('; ')}`);
    return removed;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(58500);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(27242);
// EXTERNAL MODULE: ./src/secrets.ts + 1 modules
var secrets = __webpack_require__(83897);
;// CONCATENATED MODULE: ./src/run/detached.ts
/**
 * A long command run detached on the target: its own session (setsid), a pid file, a log and an
 * exit-status file in a run directory. A dropped connection neither kills nor loses it: the action
 * follows the log by offset and can reattach from any new connection, and the post step can stop it.
 * Needs only a POSIX shell on the target.
 */

// $0 = run dir, "$@" = the command. The exit status is written atomically after the log is complete.
const LEADER = [
    'echo $$ > "$0/pid.tmp" && mv "$0/pid.tmp" "$0/pid"',
    '"$@" > "$0/output.log" 2>&1 < /dev/null',
    'echo $? > "$0/exit-status.tmp"',
    'mv "$0/exit-status.tmp" "$0/exit-status"'
].join('; ');
const START = `mkdir -p "$1" && d=$1 && shift && setsid sh -c '${LEADER}' "$d" "$@" > /dev/null 2>&1 < /dev/null &`;
/** Starts argv detached in dir (created if needed) and waits for its pid file. */
async function startDetached(target, dir, argv) {
    const started = await target.exec(['sh', '-c', START, 'sh', dir, ...argv]);
    if (started.code !== 0) {
        throw new Error(`Cannot start '${argv[0]}' on ${target.description}: ${started.stderr.trim() || `exit ${started.code}`}`);
    }
    for (let attempt = 0; attempt < 100; attempt++) {
        const pid = await target.exec(['cat', `${dir}/pid`]);
        if (pid.code === 0 && /^\d+\s*$/.test(pid.stdout))
            return { dir, pid: Number(pid.stdout.trim()) };
        await (0,promises_.setTimeout)(100);
    }
    throw new Error(`'${argv[0]}' did not start on ${target.description} (no pid file in ${dir} after 10 s)`);
}
// $1 = run dir, $2 = log offset + 1. First line: the state; then the log from the offset on.
const POLL = [
    'if [ -f "$1/exit-status" ]; then echo "exited $(cat "$1/exit-status")"',
    'elif kill -0 "$(cat "$1/pid" 2>/dev/null)" 2>/dev/null; then echo running',
    'else echo vanished; fi',
    'tail -c +"$2" "$1/output.log" 2>/dev/null; true'
].join('; ');
/** One look at a detached run: its state and the log written since `offset` bytes. */
async function pollDetached(target, run, offset) {
    // Raw bytes, not the decoded text: the offset counts bytes, and a character may be cut at the boundary.
    const chunks = [];
    await target.exec(['sh', '-c', POLL, 'sh', run.dir, String(offset + 1)], {
        onStdout: (chunk) => chunks.push(chunk)
    });
    const raw = Buffer.concat(chunks);
    const newline = raw.indexOf(0x0a);
    const head = raw.subarray(0, newline).toString('utf8');
    const output = raw.subarray(newline + 1);
    const exited = /^exited (\d+)/.exec(head);
    const state = exited
        ? { state: 'exited', code: Number(exited[1]) }
        : head === 'running'
            ? { state: 'running' }
            : { state: 'vanished' };
    return { state, output };
}
/** Sends a signal to a process group through the target's POSIX shell (`kill -SIG -PGID`, dash's form). */
async function signalGroup(target, pgid, signal) {
    const result = await target.exec(['sh', '-c', `kill -${signal} -"$1" 2>/dev/null`, 'sh', String(pgid)]);
    return result.code === 0;
}
// $1 = run dir, $2 = pid. The run's own leader only: the run dir names that pid and has no exit status yet, and
// the process's arguments hold the run dir (START passes it as the leader's $0), so a pid the system gave
// to another process after the run ended is never signalled. /proc where there is one, else POSIX ps.
const OWNS = [
    '[ "$(cat "$1/pid" 2>/dev/null)" = "$2" ] && [ ! -f "$1/exit-status" ] || exit 1',
    'if [ -r "/proc/$2/cmdline" ]; then tr \'\\000\' \'\\n\' < "/proc/$2/cmdline" | grep -qxF -- "$1"',
    'else ps -o args= -p "$2" 2>/dev/null | grep -qF -- "$1"; fi'
].join('\n');
/** Whether run.pid is still the leader of the run in run.dir (not a pid reused by another process). */
async function ownsPid(target, run) {
    const result = await target.exec(['sh', '-c', OWNS, 'sh', run.dir, String(run.pid)]);
    return result.code === 0;
}
/**
 * Ends the run's whole process group: TERM, then KILL after graceMs. Returns true if it was running; false,
 * signalling nothing, when it had ended or its pid is no longer its leader (see ownsPid).
 */
async function stopDetached(target, run, graceMs = 5000) {
    if (!(await ownsPid(target, run)))
        return false;
    await signalGroup(target, run.pid, 'TERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline) {
        if (!(await signalGroup(target, run.pid, '0')))
            return true;
        await (0,promises_.setTimeout)(250);
    }
    await signalGroup(target, run.pid, 'KILL');
    return true;
}

// EXTERNAL MODULE: ./src/run/workers.ts
var workers = __webpack_require__(57618);
;// CONCATENATED MODULE: ./src/run/refstack-client.ts
/**
 * The Tempest run through refstack-client: detached on the target, followed by its log (progress, ETA),
 * stopped at the timeout, and its results copied back to the runner whatever happened.
 */










/** Progress of a run, read from its output. Pure: fed line by line. */
class Progress {
    total;
    done = 0;
    passed = 0;
    failed = 0;
    skipped = 0;
    streamPath;
    jsonPath;
    notInTempest = [];
    /** Returns true when the line reports a finished test. */
    feed(line) {
        const test = /^\{\d+\}\s+\S+.*\.\.\.\s+(ok|FAILED|SKIPPED)/.exec(line);
        if (test) {
            this.done++;
            if (test[1] === 'ok')
                this.passed++;
            else if (test[1] === 'FAILED')
                this.failed++;
            else
                this.skipped++;
            return true;
        }
        let match;
        if ((match = /list_parser:\d+ DEBUG Number of tests: (\d+)/.exec(line)))
            this.total = Number(match[1]);
        else if ((match = /Test (\S+) not found in Tempest list\./.exec(line)))
            this.notInTempest.push(match[1]);
        else if ((match = /Subunit results located in: (\S+)/.exec(line)))
            this.streamPath = match[1];
        else if ((match = /JSON results saved in: (\S+)/.exec(line)))
            this.jsonPath = match[1];
        return false;
    }
    summary(elapsedMs) {
        const of = this.total === undefined ? `${this.done}` : `${this.done}/${this.total}`;
        let eta = '';
        if (this.total !== undefined && this.done > 0 && this.done < this.total) {
            const remaining = ((elapsedMs / this.done) * (this.total - this.done)) / 1000;
            eta = `, about ${formatDuration(remaining)} left`;
        }
        return `${of} tests: ${this.passed} passed, ${this.failed} failed, ${this.skipped} skipped${eta}`;
    }
}
function formatDuration(seconds) {
    const s = Math.max(0, Math.round(seconds));
    if (s < 60)
        return `${s}s`;
    const m = Math.floor(s / 60);
    return m < 60 ? `${m}m ${s % 60}s` : `${Math.floor(m / 60)}h ${m % 60}m`;
}
function refstackCommand(request, listFile) {
    return [
        request.toolchain.refstackClient,
        'test',
        '-c',
        request.tempestConf,
        '--test-list',
        listFile,
        '-v',
        ...(request.workers !== undefined ? ['-p'] : [])
    ];
}
function runId() {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    return `${stamp}-${Math.random().toString(16).slice(2, 8)}`;
}
/** Follows a detached run until it ends, streaming its output; stops it at the deadline. */
async function follow(target, run, progress, deadline, pollIntervalMs) {
    const started = Date.now();
    let offset = 0;
    // Undecoded bytes after the last newline: a poll may end inside a line, even inside a character.
    let pending = Buffer.alloc(0);
    let lastReport = 0;
    const emit = (bytes, final) => {
        pending = Buffer.concat([pending, bytes]);
        const end = final ? pending.length : pending.lastIndexOf(0x0a) + 1;
        const complete = pending.subarray(0, end).toString('utf8');
        pending = pending.subarray(end);
        const lines = complete.split('\n').filter((line) => line !== '');
        if (lines.length === 0)
            return;
        // The target's lines are text, never workflow commands to the runner.
        (0,foreign/* withCommandsStopped */.c)(() => {
            for (const line of lines) {
                core/* info */.pq(line);
                if (progress.feed(line) && Date.now() - lastReport > 30_000) {
                    lastReport = Date.now();
                    core/* info */.pq(`[refstack-action] ${progress.summary(Date.now() - started)}`);
                }
            }
        });
    };
    // The runner sends SIGINT (then SIGTERM) when the job is cancelled: stop the remote run instead of dying.
    const cancel = new AbortController();
    const onSignal = () => cancel.abort();
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
        for (;;) {
            const poll = await pollSurvivingDrops(target, run, offset);
            offset += poll.output.length;
            emit(poll.output, poll.state.state !== 'running');
            if (poll.state.state === 'exited')
                return { exitCode: poll.state.code, timedOut: false, cancelled: false };
            if (poll.state.state === 'vanished') {
                core/* warning */.$e(`The Tempest run on ${target.description} ended without an exit status (killed, or the host restarted)`);
                return { timedOut: false, cancelled: false };
            }
            const timedOut = Date.now() >= deadline;
            if (timedOut || cancel.signal.aborted) {
                core/* warning */.$e(timedOut
                    ? 'The Tempest run reached timeout-minutes; stopping it and reporting what finished'
                    : 'The job is being cancelled; stopping the Tempest run and reporting what finished');
                await stopDetached(target, run, 4000);
                const last = await pollSurvivingDrops(target, run, offset);
                emit(last.output, true);
                return { timedOut, cancelled: !timedOut };
            }
            await (0,promises_.setTimeout)(pollIntervalMs, undefined, { signal: cancel.signal }).catch(() => undefined);
        }
    }
    finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
    }
}
/** Backoff between reconnection attempts: 1 s, 2 s, 4 s … at most 30 s, for up to 10 minutes in all. */
const RECONNECT_DELAYS_MS = Array.from({ length: 23 }, (_, attempt) => Math.min(2 ** attempt, 30) * 1000);
/** One poll; when the connection drops, reconnect with backoff and reattach to the same run. */
async function pollSurvivingDrops(target, run, offset) {
    for (let attempt = 0;; attempt++) {
        try {
            return await pollDetached(target, run, offset);
        }
        catch (error) {
            if (!target.reconnect || attempt >= RECONNECT_DELAYS_MS.length)
                throw error;
            const delay = RECONNECT_DELAYS_MS[attempt];
            core/* warning */.$e(`Lost the connection to ${target.description} (${error.message}); the run goes on there. Reconnecting in ${delay / 1000}s`);
            await (0,promises_.setTimeout)(delay);
            try {
                await target.reconnect();
                core/* info */.pq(`Reconnected to ${target.description}; following the run from byte ${offset} of its log`);
            }
            catch (reconnectError) {
                core/* debug */.Yz(`reconnect failed: ${reconnectError.message}`);
            }
        }
    }
}
async function readNextStream(target, tempestDir) {
    const result = await target.exec(['cat', `${tempestDir}/.stestr/next-stream`]);
    return result.code === 0 && /^\d+\s*$/.test(result.stdout) ? Number(result.stdout.trim()) : 0;
}
/** Copies a result file back; a log gets every registered secret redacted: the tools' output was never masked. */
async function copyBack(target, remote, local, log = false) {
    try {
        await target.download(remote, local);
    }
    catch (error) {
        core/* debug */.Yz(`could not copy ${remote}: ${error.message}`);
        return undefined;
    }
    if (log)
        await (0,secrets/* redactFile */.it)(local);
    return local;
}
/**
 * A new run directory under the workdir, claimed: waits until no other refstack-action run uses the target's
 * Tempest workspace (runs with other workdirs included: they share `.stestr/`), then holds it until this run
 * ends. The claim holds before the run starts too (for the test-account clean-up).
 */
async function claimRunDir(target, request) {
    const dir = `${request.workdir}/runs/${runId()}`;
    const workspace = request.toolchain.tempestDir;
    const deadline = Date.now() + request.timeoutMinutes * 60_000;
    // claim-workspace.sh, read from the bundle (ncc copies the file next to it).
    const script = (0,external_node_fs_.readFileSync)(new URL(/* asset import */ __webpack_require__(29109), __webpack_require__.b), 'utf8');
    let told = 0;
    for (;;) {
        const result = await target.exec(['sh', '-c', script, 'sh', workspace, dir]);
        const answer = result.stdout.trim();
        if (answer === 'claimed')
            return dir;
        if (!answer.startsWith('busy ')) {
            throw new Error(`Cannot claim the Tempest workspace ${workspace} on ${target.description}: ${result.stderr.trim() || answer}`);
        }
        if (Date.now() >= deadline) {
            throw new errors/* ActionError */.lZ(`Another refstack-action run (${answer.slice(5)}) was still using the Tempest workspace ${workspace} on ${target.description} at timeout-minutes`, `Runs on one target go one at a time (they share refstack-client's Tempest workspace): serialise the jobs with a 'concurrency' group, or give this one a longer 'timeout-minutes'`);
        }
        if (Date.now() - told > 60_000) {
            told = Date.now();
            core/* info */.pq(`Another refstack-action run is using the Tempest workspace on ${target.description} (${answer.slice(5)}); waiting for it to end`);
        }
        // The last attempt is made at the deadline itself.
        await (0,promises_.setTimeout)(Math.min(10_000, Math.max(0, deadline - Date.now())));
    }
}
/** Gives up a claim whose run never started (claim-workspace.sh takes over a run directory with an exit status). */
async function releaseRunDir(target, dir) {
    await target.writeFile(`${dir}/exit-status`, 'released before the run started\n', 0o644);
}
/** Runs the list through refstack-client in `claimed` (a directory from claimRunDir), or in a new claimed one. */
async function runRefstack(target, request, claimed) {
    const dir = claimed ?? (await claimRunDir(target, request));
    const listFile = `${dir}/test-list.txt`;
    await target.writeFile(listFile, request.testList.join('\n'), 0o644);
    const streamNumber = await readNextStream(target, request.toolchain.tempestDir);
    let argv = refstackCommand(request, listFile);
    if (request.workers !== undefined) {
        argv = await (0,workers/* withWorkers */.O8)(target, request.workdir, request.workers, argv);
        core/* info */.pq(`Tempest runs with ${request.workers} workers`);
    }
    core/* info */.pq(`Running on ${target.description}: ${argv.join(' ')}`);
    const started = Date.now();
    const run = await startDetached(target, dir, argv);
    core/* saveState */.LZ(constants/* State */.Uw.RunDir, run.dir);
    core/* saveState */.LZ(constants/* State */.Uw.RunPid, String(run.pid));
    const progress = new Progress();
    const deadline = started + request.timeoutMinutes * 60_000;
    const { exitCode, timedOut, cancelled } = await follow(target, run, progress, deadline, request.pollIntervalMs ?? 2000);
    core/* saveState */.LZ(constants/* State */.Uw.RunFinished, 'true');
    const durationSeconds = Math.round((Date.now() - started) / 1000);
    core/* info */.pq(`[refstack-action] ${progress.summary(Date.now() - started)} in ${formatDuration(durationSeconds)}`);
    // Results are copied back whatever happened: a failed or stopped run still reports what finished.
    await external_node_fs_.promises.mkdir(request.outputDir, { recursive: true });
    const remoteStream = progress.streamPath ?? `${request.toolchain.tempestDir}/.stestr/${streamNumber}`;
    const remoteJson = progress.jsonPath ?? `${request.toolchain.tempestDir}/.stestr/${streamNumber}.json`;
    const name = request.outputName ?? 'tempest';
    const logFile = external_node_path_.join(request.outputDir, `${name === 'tempest' ? 'refstack-client' : name}.log`);
    await copyBack(target, `${dir}/output.log`, logFile, true);
    return {
        exitCode,
        timedOut,
        cancelled,
        streamFile: await copyBack(target, remoteStream, external_node_path_.join(request.outputDir, `${name}.subunit`)),
        jsonFile: await copyBack(target, remoteJson, external_node_path_.join(request.outputDir, `${name}-refstack-client.json`)),
        logFile,
        tempestLogFile: request.tempestLog && name === 'tempest'
            ? await copyBack(target, request.tempestLog, external_node_path_.join(request.outputDir, 'tempest.log'), true)
            : undefined,
        notInTempest: progress.notInTempest,
        durationSeconds
    };
}

;// CONCATENATED MODULE: ./src/run/tests.ts
/** Step 3 on the target: run the required test list through refstack-client, then rerun what failed. */







async function runTests(target, config, toolchain, resolved, ready) {
    const { conf, note } = ready;
    const request = {
        toolchain,
        tempestConf: conf.path,
        workdir: config.workdir,
        workers: (0,workers/* workerCount */.Mo)(config.parallel, conf.accounts.length),
        timeoutMinutes: config.timeoutMinutes,
        outputDir: config.outputDir,
        tempestLog: conf.logFile
    };
    // The workspace is claimed before the accounts are cleaned: another run may be using them.
    const claimed = await claimRunDir(target, request);
    if (config.cleanTestAccounts && conf.accountsFile) {
        const accountsFile = conf.accountsFile;
        await core/* group */.Os('Clean the test accounts', () => cleanTestAccounts(target, {
            python: toolchain.python,
            workdir: config.workdir,
            tempestConf: conf.path,
            accountsFile,
            lockPath: conf.lockPath
        }))
            .catch(async (error) => {
            // The next job must not wait for a run that will never start.
            await releaseRunDir(target, claimed);
            throw error;
        });
    }
    const started = Date.now();
    const outcome = await core/* group */.Os('Run Tempest through refstack-client', () => runRefstack(target, { ...request, testList: resolved.testList }, claimed));
    // rerun-failures: only the required tests that did not pass, each attempt in its own stream.
    const rerunStreams = [];
    const streams = outcome.streamFile ? [outcome.streamFile] : [];
    const wanted = (0,results_compliance/* wantedNames */.q)(resolved.selection);
    for (let attempt = 1; attempt <= config.rerunFailures && streams.length > 0 && !outcome.timedOut && !outcome.cancelled; attempt++) {
        const [first, ...reruns] = await Promise.all(streams.map((file) => (0,subunit/* readSubunitFile */.VY)(file, wanted)));
        const compliance = (0,results_compliance/* computeCompliance */.D)(resolved.selection, first.tests, {
            reruns: reruns.map((r) => r.tests)
        });
        const retry = new Set(compliance.tests
            .filter((t) => !t.flagged && (t.outcome === 'failed' || t.outcome === 'missing'))
            .map((t) => t.name));
        const list = rerunList(resolved.testList, retry, compliance.tests);
        if (list.length === 0)
            break;
        const remaining = config.timeoutMinutes - (Date.now() - started) / 60_000;
        if (remaining < 1)
            break;
        const again = await core/* group */.Os(`Rerun ${retry.size} failed required tests (attempt ${attempt} of ${config.rerunFailures})`, () => runRefstack(target, {
            ...request,
            testList: list,
            timeoutMinutes: Math.floor(remaining),
            outputName: `rerun-${attempt}`
        }));
        if (!again.streamFile)
            break;
        streams.push(again.streamFile);
        rerunStreams.push(again.streamFile);
    }
    return { ...outcome, rerunStreams, toolchain, conf, confNote: note };
}
/** The lines of the run list that belong to the tests to retry (by name or alias). Pure. */
function rerunList(testList, retry, tests) {
    const names = new Set();
    for (const test of tests) {
        if (!retry.has(test.name))
            continue;
        names.add(test.name);
        for (const alias of test.aliases)
            names.add(alias);
    }
    return testList.filter((line) => names.has((0,test_id/* baseName */.Fl)(line)));
}


/***/ }),

/***/ 29109:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {

module.exports = __webpack_require__.p + "5097e8de9b9290955d8a.sh";

/***/ })

};
