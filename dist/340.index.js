export const id = 340;
export const ids = [340,529];
export const modules = {

/***/ 61529:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   HJ: () => (/* binding */ takeLock),
/* harmony export */   claimRun: () => (/* binding */ claimRun),
/* harmony export */   fD: () => (/* binding */ workspaceLock),
/* harmony export */   releaseClaim: () => (/* binding */ releaseClaim),
/* harmony export */   sk: () => (/* binding */ accountsLock)
/* harmony export */ });
/* unused harmony exports KEEPER_GRACE_SECONDS, workdirLock */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3894);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_timers_promises__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(58500);
/* harmony import */ var node_timers_promises__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_timers_promises__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _constants_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(27242);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(83916);
/**
 * One refstack-action run at a time per workdir, per Tempest workspace and per set of test accounts.
 *
 * A run claims its workdir before it writes anything there (provisioning, tempest.conf, the accounts file),
 * then the Tempest workspace (every run in it writes `.stestr/N`) and the test accounts (a clean-up or a run
 * on accounts another run uses breaks that run). Each lock is an flock(2) held by a keeper process on the
 * target (claim.sh, keeper.sh): atomic, freed by the kernel when the keeper ends, and the keeper ends when the
 * run releases its claim or at the run's deadline, stopping whatever attempt of the run is still running. A
 * runner that dies therefore blocks the next run until the deadline at most.
 *
 * Waits count against timeout-minutes: the deadline is fixed when the run starts waiting for its workdir.
 */






/** After the deadline the keepers give the action this long to stop the run itself and read what finished. */
const KEEPER_GRACE_SECONDS = 30;
const RETRY_MS = 3000;
const TELL_EVERY_MS = 60_000;
function runId() {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    return `${stamp}-${Math.random().toString(16).slice(2, 8)}`;
}
/** The lock file of the workdir and of a Tempest workspace. */
const workdirLock = (workdir) => `${workdir.replace(/\/+$/, '')}/.refstack-action.lock`;
const workspaceLock = (workspace) => `${workspace.replace(/\/+$/, '')}/.refstack-action.lock`;
/**
 * The lock of a set of test accounts, in the target's /tmp, named by the accounts' identities (user and
 * project with their domains): two accounts files listing the same users share it. Pure.
 */
function accountsLock(accounts) {
    const text = (value) => (typeof value === 'string' ? value : '');
    const identities = accounts
        .map((a) => [
        text(a.username),
        text(a.user_domain_name) || text(a.domain_name),
        text(a.project_name) || text(a.tenant_name),
        text(a.project_domain_name) || text(a.domain_name)
    ].join('\u0000'))
        .sort();
    const key = (0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.createHash)('sha256').update(identities.join('\n')).digest('hex').slice(0, 16);
    return `/tmp/refstack-action-accounts-${key}.lock`;
}
const what = (name, lock) => name === 'workdir'
    ? `workdir ${lock.replace(/\/\.refstack-action\.lock$/, '')}`
    : name === 'workspace'
        ? `Tempest workspace ${lock.replace(/\/\.refstack-action\.lock$/, '')}`
        : 'test accounts';
/**
 * Takes one lock for the claim, waiting while another run holds it (named in the log, with since when) until
 * the claim's deadline; then an ActionError naming that run.
 */
async function takeLock(target, claim, name, lock) {
    const script = (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.readFileSync)(new URL(/* asset import */ __webpack_require__(91233), __webpack_require__.b), 'utf8');
    const keeper = (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.readFileSync)(new URL(/* asset import */ __webpack_require__(50695), __webpack_require__.b), 'utf8');
    const waitFrom = Date.now();
    let told = 0;
    for (;;) {
        const seconds = Math.max(1, Math.ceil((claim.deadline - Date.now()) / 1000) + KEEPER_GRACE_SECONDS);
        const result = await target.exec([
            'sh',
            '-c',
            script,
            'sh',
            lock,
            claim.dir,
            name,
            String(seconds),
            keeper
        ]);
        const answer = result.stdout.trim();
        if (answer === 'claimed')
            break;
        if (answer === 'noflock') {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ActionError */ .lZ(`Cannot claim the ${what(name, lock)} on ${target.description}: it has no 'flock' command`, `Install util-linux on the target (refstack-action runs one run at a time with flock)`);
        }
        if (result.code === 2 && name === 'workdir') {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ActionError */ .lZ(`Input '${_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .Input */ .pd.Workdir}': ${lock.replace(/\/[^/]*$/, '')} cannot be used as a directory on ${target.description} (${result.stderr.trim()})`, `Give a directory the SSH user may create and write`);
        }
        if (!answer.startsWith('busy ')) {
            throw new Error(`Cannot claim the ${what(name, lock)} on ${target.description}: ${result.stderr.trim() || answer || `exit ${result.code}`}`);
        }
        const holder = answer.slice(5);
        if (Date.now() >= claim.deadline) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .ActionError */ .lZ(`Another refstack-action run (${holder}) still held the ${what(name, lock)} on ${target.description} when this run reached ${_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .Input */ .pd.TimeoutMinutes} (it waited ${minutes(Date.now() - waitFrom)} for it)`, `Runs on one target go one at a time per workdir, Tempest workspace and set of test accounts: serialise the jobs with a 'concurrency' group, or give this one a longer '${_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .Input */ .pd.TimeoutMinutes}' (waiting counts in it)`);
        }
        if (Date.now() - told >= TELL_EVERY_MS) {
            told = Date.now();
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Waiting for the refstack-action run ${holder}, which holds the ${what(name, lock)} on ${target.description}; the wait counts in ${_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .Input */ .pd.TimeoutMinutes} (${minutes(claim.deadline - Date.now())} left)`);
        }
        await (0,node_timers_promises__WEBPACK_IMPORTED_MODULE_3__.setTimeout)(Math.min(RETRY_MS, Math.max(0, claim.deadline - Date.now())));
    }
    const waited = Date.now() - waitFrom;
    claim.waitedMinutes += waited / 60_000;
    if (told > 0)
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Claimed the ${what(name, lock)} after waiting ${minutes(waited)}`);
}
function minutes(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${s % 60}s`;
}
/**
 * Claims a new run directory under the workdir: the workdir's lock, held until releaseClaim (or the deadline,
 * timeout-minutes from now). The post step finds the claim in the action's state.
 */
async function claimRun(target, options) {
    const claim = {
        dir: `${options.workdir.replace(/\/+$/, '')}/runs/${runId()}`,
        deadline: Date.now() + options.timeoutMinutes * 60_000,
        waitedMinutes: 0
    };
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .saveState */ .LZ(_constants_js__WEBPACK_IMPORTED_MODULE_4__/* .State */ .Uw.ClaimDir, claim.dir);
    await takeLock(target, claim, 'workdir', workdirLock(options.workdir));
    return claim;
}
/** Ends the claim: the keepers stop any attempt still running and free the locks. Returns the stopped attempts. */
async function releaseClaim(target, dir) {
    const script = (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.readFileSync)(new URL(/* asset import */ __webpack_require__(2025), __webpack_require__.b), 'utf8');
    const result = await target.exec(['sh', '-c', script, 'sh', dir]);
    return result.stdout.split('\n').filter((line) => line !== '');
}


/***/ }),

/***/ 31340:
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




function isAnswer(value) {
    const strings = (v) => Array.isArray(v) && v.every((s) => typeof s === 'string');
    const answer = value;
    return (typeof value === 'object' &&
        value !== null &&
        strings(answer.removed) &&
        strings(answer.problems) &&
        strings(answer.running) &&
        strings(answer.elsewhere));
}
/**
 * Removes Tempest's leftovers from the accounts of tempest.conf, unless a Tempest that may use them runs on the
 * target (one on other accounts does not stop it); returns the answer. A failure is an error naming clean-test-accounts, since the run would then fail
 * for reasons not the cloud's; a listing Swift refused is a warning.
 */
async function cleanTestAccounts(target, options) {
    const { python, workdir, tempestConf, accountsFile, lockPath } = options;
    const { result, answer } = await (0,programs/* runPythonProgram */.E$)(target, {
        python,
        workdir,
        program: 'clean_accounts.py',
        args: [tempestConf, accountsFile, ...(lockPath ? [lockPath] : [])]
    });
    if (result.code !== 0 || !isAnswer(answer)) {
        throw new errors/* ActionError */.lZ(`Cleaning the test accounts of ${accountsFile} failed on ${target.description}: ${(0,errors/* lastLines */.w$)(result.stderr || result.stdout, 3).replace(/\s*\n\s*/g, ' ')}`, `Fix the accounts file or the cloud, or set 'clean-test-accounts: false' to leave the accounts untouched`);
    }
    // The names come from the cloud and the target: shown as text, never as workflow commands.
    if (answer.running.length > 0) {
        (0,foreign/* echoForeign */.O)(`Test accounts left as they are: a Tempest runs on ${target.description} and may use them (${answer.running.slice(0, 3).join('; ')})`);
        return answer;
    }
    (0,foreign/* echoForeign */.O)(answer.removed.length === 0
        ? 'Test accounts are clean: nothing left behind by earlier Tempest runs'
        : `Removed what earlier Tempest runs left in the test accounts: ${answer.removed.join('; ')}`);
    if (answer.elsewhere.length > 0) {
        (0,foreign/* echoForeign */.O)(`Left alone: ${answer.elsewhere.length} Tempest processes on ${target.description} that run on other accounts, and their allocation files (${answer.elsewhere.slice(0, 2).join('; ')})`);
    }
    for (const problem of answer.problems) {
        core/* warning */.$e(`clean-test-accounts: ${problem.replace(/[\r\n]+/g, ' ')}; left as it is`);
    }
    return answer;
}

// EXTERNAL MODULE: ./src/run/refstack-client.ts + 1 modules
var refstack_client = __webpack_require__(13586);
// EXTERNAL MODULE: ./src/run/claim.ts
var run_claim = __webpack_require__(61529);
// EXTERNAL MODULE: ./src/constants.ts
var constants = __webpack_require__(27242);
// EXTERNAL MODULE: ./src/run/workers.ts
var workers = __webpack_require__(57618);
;// CONCATENATED MODULE: ./src/run/tests.ts
/** Step 3 on the target: run the required test list through refstack-client, then rerun what failed. */










/**
 * Runs the list in a claimed run (claim.ts: the workdir already held): takes the Tempest workspace and the test
 * accounts first, cleans the accounts, runs, then reruns what failed, every attempt under the same claim.
 */
async function runTests(target, config, toolchain, resolved, ready, claim) {
    const { conf, note } = ready;
    const request = {
        toolchain,
        tempestConf: conf.path,
        workdir: config.workdir,
        workers: (0,workers/* workerCount */.Mo)(config.parallel, conf.accounts.length),
        outputDir: config.outputDir,
        tempestLog: conf.logFile
    };
    await (0,run_claim/* takeLock */.HJ)(target, claim, 'workspace', (0,run_claim/* workspaceLock */.fD)(toolchain.tempestDir));
    if (conf.accounts.length > 0)
        await (0,run_claim/* takeLock */.HJ)(target, claim, 'accounts', (0,run_claim/* accountsLock */.sk)(conf.accounts));
    if (config.cleanTestAccounts && conf.accountsFile) {
        const accountsFile = conf.accountsFile;
        await core/* group */.Os('Clean the test accounts', () => cleanTestAccounts(target, {
            python: toolchain.python,
            workdir: config.workdir,
            tempestConf: conf.path,
            accountsFile,
            lockPath: conf.lockPath
        }));
    }
    const outcome = await core/* group */.Os('Run Tempest through refstack-client', () => (0,refstack_client/* runRefstack */.NK)(target, { ...request, testList: resolved.testList }, claim));
    // rerun-failures: only the required tests that did not pass, each attempt in its own stream.
    const rerunStreams = [];
    const streams = outcome.streamFile ? [outcome.streamFile] : [];
    const wanted = (0,results_compliance/* wantedNames */.q)(resolved.selection);
    let stopped = { timedOut: outcome.timedOut, cancelled: outcome.cancelled };
    for (let attempt = 1; attempt <= config.rerunFailures && streams.length > 0 && !stopped.timedOut && !stopped.cancelled; attempt++) {
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
        if (claim.deadline - Date.now() < 60_000) {
            core/* warning */.$e(`No rerun: less than a minute is left of ${constants/* Input */.pd.TimeoutMinutes}`);
            break;
        }
        let again;
        try {
            again = await core/* group */.Os(`Rerun ${retry.size} failed required tests (attempt ${attempt} of ${config.rerunFailures})`, () => (0,refstack_client/* runRefstack */.NK)(target, { ...request, testList: list, outputName: `rerun-${attempt}` }, claim));
        }
        catch (error) {
            // The first attempt's results stand: a rerun can only turn failures into passes.
            core/* warning */.$e(`Rerun attempt ${attempt} failed, the results so far are reported: ${(0,errors/* describeError */.Uc)(error)}`);
            break;
        }
        // A rerun stopped at the deadline or by a cancel stops the run: the verdict says so.
        stopped = {
            timedOut: stopped.timedOut || again.timedOut,
            cancelled: stopped.cancelled || again.cancelled
        };
        if (!again.streamFile)
            break;
        streams.push(again.streamFile);
        rerunStreams.push(again.streamFile);
    }
    return {
        ...outcome,
        ...stopped,
        rerunStreams,
        toolchain,
        conf,
        confNote: note,
        credentials: ready.credentials
    };
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

/***/ 91233:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {

module.exports = __webpack_require__.p + "b2a3c7ee7d4fea1eedfd.sh";

/***/ }),

/***/ 50695:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {

module.exports = __webpack_require__.p + "ffa3609c0cdc5d6133be.sh";

/***/ }),

/***/ 2025:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {

module.exports = __webpack_require__.p + "30b8c7be1b64915d14da.sh";

/***/ })

};
