"""python-subunit reading a stream, timed in process (the reference the TypeScript reader is compared with).

    /usr/bin/python3 bench/python-reader.py v1|v2 FILE

v2: what subunit-stats does (ByteStreamToStreamResult -> StreamToExtendedDecorator -> TestResultStats).
v1: what subunit-1to2 / refstack-client do (ProtocolTestCase -> ExtendedToStreamDecorator -> StreamSummary).
Prints one JSON line: seconds (parse only, imports excluded), tests, failed, peak RSS (MiB).
"""
import io
import json
import resource
import sys
import time

import subunit
import testtools
from subunit import TestResultStats


def main():
    fmt, path = sys.argv[1], sys.argv[2]
    with open(path, 'rb') as f:
        start = time.perf_counter()
        if fmt == 'v2':
            stats = TestResultStats(io.StringIO())
            result = testtools.StreamToExtendedDecorator(stats)
            result.startTestRun()
            subunit.ByteStreamToStreamResult(f, non_subunit_name='stdout').run(result)
            result.stopTestRun()
            tests, failed = stats.total_tests, stats.failed_tests
        else:
            summary = testtools.StreamSummary()
            result = testtools.ExtendedToStreamDecorator(summary)
            result.startTestRun()
            subunit.ProtocolTestCase(f, passthrough=io.BytesIO()).run(result)
            result.stopTestRun()
            tests, failed = summary.testsRun, len(summary.errors) + len(summary.failures)
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({'seconds': seconds, 'tests': tests, 'failed': failed, 'peakMiB': peak}))


if __name__ == '__main__':
    main()
