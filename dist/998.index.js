export const id = 998;
export const ids = [998];
export const modules = {

/***/ 42998:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   writeJUnitFile: () => (/* binding */ writeJUnitFile)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var fast_xml_parser__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(20925);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(83916);
/* harmony import */ var _results_subunit_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(26701);
/* harmony import */ var _results_test_id_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(57932);
/**
 * JUnit XML of a stream, for the test-report tools CI systems have: every test in the stream (required or not,
 * class-level pseudo-tests and tests that were only listed included), one <testsuite> per test class, failures
 * and skips with their messages and tracebacks, times from the stream's timestamps. The tests are those of
 * `readSubunitFile` (one per id, the record that decides it); fast-xml-parser's XMLBuilder escapes markup in
 * attributes and text, and characters XML 1.0 cannot hold become U+FFFD.
 *
 * Mapping (python's subunit2junitxml where it has one): success → pass; fail → <failure>; uxsuccess →
 * <failure> "unexpected success"; xfail → pass, its reason in <system-out>; skip → <skipped>; exists (listed,
 * never run) → <skipped>; inprogress/unknown (never finished) → <error>. A damaged stream adds an <error>
 * test case `subunit.stream` saying where it broke.
 */





const MESSAGE_MAX = 500;
function seconds(t) {
    if (t.start === undefined || t.stop === undefined)
        return 0;
    return Math.max(0, (t.stop.getTime() - t.start.getTime()) / 1000);
}
/** The case kind of a status (the mapping in the header). */
const KIND = {
    success: 'pass',
    xfail: 'pass',
    fail: 'failure',
    uxsuccess: 'failure',
    skip: 'skipped',
    exists: 'skipped',
    inprogress: 'error',
    unknown: 'error'
};
/** The exception line of a Python traceback: its last non-blank line. */
function lastLine(text) {
    const line = (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .lastLines */ .w$)(text).trim();
    return line.length > MESSAGE_MAX ? line.slice(0, MESSAGE_MAX - 1) + '…' : line;
}
/** `tempest.lib.exceptions.NotFound: Object not found` → `tempest.lib.exceptions.NotFound`. */
function exceptionType(line) {
    const m = /^([A-Za-z_][\w.]*)(?::|$)/.exec(line);
    return m ? m[1] : undefined;
}
/** Attachments other than the ones shown in the failure/skip element, for <system-out> / <system-err>. */
function streams(t, shown) {
    const rest = t.attachments.filter((a) => !shown.includes(a.name));
    const join = (list) => list.length === 0
        ? undefined
        : list.map((a) => (list.length === 1 ? a.text : `${a.name}:\n${a.text}`)).join('\n');
    return {
        out: join(rest.filter((a) => a.name !== 'stderr')),
        err: join(rest.filter((a) => a.name === 'stderr'))
    };
}
function toCase(t) {
    const { className, name } = (0,_results_test_id_js__WEBPACK_IMPORTED_MODULE_3__/* .splitTestId */ .Wf)(t.id);
    const base = { className, name, kind: KIND[t.status], time: seconds(t), start: t.start };
    if (t.status === 'success')
        return base;
    const traceback = t.attachments.find((a) => a.name === 'traceback');
    const reason = t.attachments.find((a) => a.name === 'reason');
    switch (t.status) {
        case 'fail': {
            if (traceback) {
                const message = lastLine(traceback.text);
                const type = exceptionType(message) ?? 'Failure';
                return { ...base, message, type, body: traceback.text, ...streams(t, ['traceback']) };
            }
            const body = t.attachments.map((a) => `${a.name}:\n${a.text}`).join('\n');
            return { ...base, type: 'Failure', message: body ? lastLine(body) : 'failed', body };
        }
        case 'uxsuccess':
            return {
                ...base,
                type: 'unittest.case._UnexpectedSuccess',
                message: 'unexpected success: the test is marked as an expected failure but passed',
                body: reason?.text ?? '',
                ...streams(t, ['reason'])
            };
        case 'xfail': {
            const why = reason?.text ?? traceback?.text;
            return { ...base, ...streams(t, []), out: `expected failure${why ? `: ${why}` : ''}` };
        }
        case 'skip':
            return {
                ...base,
                message: reason ? lastLine(reason.text) : 'skipped',
                body: reason?.text ?? '',
                ...streams(t, ['reason'])
            };
        case 'exists':
            return { ...base, message: 'not run: the test was listed but never started' };
        default:
            return {
                ...base,
                type: 'Incomplete',
                message: 'the test did not finish: the stream ended while it was running',
                body: traceback?.text ?? '',
                ...streams(t, ['traceback'])
            };
    }
}
function streamErrorCase(read, error) {
    return {
        className: 'subunit',
        name: 'stream',
        kind: 'error',
        time: 0,
        type: 'StreamError',
        message: `the subunit stream is damaged at byte ${error.offset}: ${error.message}`,
        body: `The ${read.format} stream (${read.bytes} bytes) is damaged at byte ${error.offset}: ${error.message}\nThe tests read before and after the damage are reported.`
    };
}
/** Characters XML 1.0 cannot hold (lone surrogates included); XMLBuilder does not replace them. */
const INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
function safe(_name, value) {
    return String(value).replace(INVALID, '\ufffd');
}
// Attributes are the keys starting with '@_', text is '#text' (the builder's defaults).
const xml = new fast_xml_parser__WEBPACK_IMPORTED_MODULE_4__/* ["default"] */ .A({
    ignoreAttributes: false,
    format: true,
    suppressEmptyNode: true,
    processEntities: true,
    tagValueProcessor: safe,
    attributeValueProcessor: safe
});
/** The tests/failures/errors/skipped/time attributes of a <testsuites> or <testsuite> holding `cases`. */
function counts(cases) {
    const of = (kind) => cases.filter((c) => c.kind === kind).length;
    return {
        '@_tests': cases.length,
        '@_failures': of('failure'),
        '@_errors': of('error'),
        '@_skipped': of('skipped'),
        '@_time': cases.reduce((sum, c) => sum + c.time, 0).toFixed(3)
    };
}
/** <testcase> with its <failure>/<error>/<skipped>, <system-out> and <system-err>. */
function caseElement(c) {
    const element = { '@_classname': c.className, '@_name': c.name, '@_time': c.time.toFixed(3) };
    if (c.kind !== 'pass')
        element[c.kind] = { '@_message': c.message, '@_type': c.type, '#text': c.body || undefined };
    if (c.out)
        element['system-out'] = c.out;
    if (c.err)
        element['system-err'] = c.err;
    return element;
}
function suiteElement(className, cases) {
    const suite = { '@_name': className || '(no class)', ...counts(cases) };
    const start = cases.find((c) => c.start !== undefined)?.start;
    if (start !== undefined)
        suite['@_timestamp'] = start.toISOString().replace(/\.\d{3}Z$/, '');
    suite.testcase = cases.map(caseElement);
    return suite;
}
/** Stands for the suites in the built <testsuites> element: private-use characters, valid in XML. */
const SUITES = '\uE000suites\uE000';
/**
 * The JUnit XML of the subunit stream file `stream`, written to `file` (UTF-8, with declaration): suites in the
 * order of their classes' first tests, cases in the order of their ids' first events. Built and written a suite at
 * a time, so that only the stream's results and one suite's XML are in memory.
 */
async function writeJUnitFile(stream, file, meta) {
    const read = await (0,_results_subunit_js__WEBPACK_IMPORTED_MODULE_2__/* .readSubunitFile */ .VY)(stream);
    const cases = read.tests.map(toCase);
    if (read.error)
        cases.push(streamErrorCase(read, read.error));
    const byClass = new Map();
    for (const c of cases) {
        const suite = byClass.get(c.className);
        if (suite)
            suite.push(c);
        else
            byClass.set(c.className, [c]);
    }
    const root = xml.build({
        '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
        testsuites: { '@_name': meta.name, ...counts(cases), '#text': SUITES }
    });
    const at = root.lastIndexOf(SUITES);
    const fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(file, 'w');
    try {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeSync)(fd, `${root.slice(0, at)}\n`);
        for (const [className, suite] of byClass)
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeSync)(fd, xml.build({ testsuite: suiteElement(className, suite) }));
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeSync)(fd, root.slice(at + SUITES.length));
    }
    finally {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
    }
}


/***/ })

};
