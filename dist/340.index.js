export const id = 340;
export const ids = [340];
export const modules = {

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



/**
 * Removes Tempest's leftovers from the accounts of tempest.conf; returns what it removed ("user: container x").
 * A failure is an error naming clean-test-accounts, since the run would then fail for reasons not the cloud's.
 */
async function cleanTestAccounts(target, options) {
    const { python, workdir, tempestConf, accountsFile, lockPath } = options;
    const { result, answer } = await (0,programs/* runPythonProgram */.E$)(target, {
        python,
        workdir,
        program: 'clean_accounts.py',
        args: [tempestConf, accountsFile, ...(lockPath ? [lockPath] : [])]
    });
    if (result.code !== 0 || !Array.isArray(answer)) {
        throw new errors/* ActionError */.lZ(`Cleaning the test accounts of ${accountsFile} failed on ${target.description}: ${(0,errors/* lastLines */.w$)(result.stderr || result.stdout, 3).replace(/\s*\n\s*/g, ' ')}`, `Fix the accounts file or the cloud, or set 'clean-test-accounts: false' to leave the accounts untouched`);
    }
    const removed = answer;
    // The names come from the cloud: shown as text, never as workflow commands.
    (0,foreign/* echoForeign */.O)(removed.length === 0
        ? 'Test accounts are clean: nothing left behind by earlier Tempest runs'
        : `Removed what earlier Tempest runs left in the test accounts: ${removed.join('; ')}`);
    return removed;
}

// EXTERNAL MODULE: ./src/run/refstack-client.ts + 2 modules
var refstack_client = __webpack_require__(84522);
// EXTERNAL MODULE: ./src/run/workers.ts
var workers = __webpack_require__(57618);
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
    const claimed = await (0,refstack_client/* claimRunDir */.rI)(target, request);
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
            await (0,refstack_client/* releaseRunDir */.MI)(target, claimed);
            throw error;
        });
    }
    const started = Date.now();
    const outcome = await core/* group */.Os('Run Tempest through refstack-client', () => (0,refstack_client/* runRefstack */.NK)(target, { ...request, testList: resolved.testList }, claimed));
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
        const again = await core/* group */.Os(`Rerun ${retry.size} failed required tests (attempt ${attempt} of ${config.rerunFailures})`, () => (0,refstack_client/* runRefstack */.NK)(target, {
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
    return { ...outcome, rerunStreams, toolchain, conf, confNote: note, credentials: ready.credentials };
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


/***/ })

};
