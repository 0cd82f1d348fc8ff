#!/usr/bin/env python3
"""Check QEMU's runs in the L1 (bin/l2-rows) against config/l2-rows.tsv.

Usage: lib/l2_report.py EXPECT_TSV LOGDIR ROW...

Reads LOGDIR/ROW-l2.log (the L1 with the series), ROW-l2-base.log (the
unpatched base) and ROW-l2-KERNEL.log for each other L1 kernel a row names
(7.3-base, 7.3-fixes, 7.3-next: bin/stack's), with their .status files. Prints one line per (row, kernel,
QEMU, case) with its expectation and what happened, then checks stock QEMU
against each patched expectation that differs from stock's (it must fail
them), and ends with 'N passed, N failed, N skipped'. A case whose run is
not in the log is a failure ("missing"), as is an L1 that hung or printed a
kernel report. Exit code 1 if anything failed.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import KERNEL_REPORTS  # noqa: E402

END = re.compile(r'^L2: end (\S+) (\S+) rc=(\S+) started=([01]) seconds=(\d+) cpu=(.*)$')
BEGIN = re.compile(r'^L2: begin (\S+) (\S+)$')


def suffix(kernel):
    """The consoles' suffix of an L1 kernel, as bin/l2-rows names them."""
    return '-l2' if kernel == 'series' else f'-l2-{kernel}'


def read_expect(path):
    cases = []
    with open(path) as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            row, kernel, qemu, compat, expect = line.rstrip('\n').split('\t')
            cases.append((row, kernel, qemu, compat, expect.split(';')))
    return cases


def parse(path):
    """Runs by (qemu, compat), the L1's kernel reports, whether it finished."""
    runs, reports, done, text = {}, [], False, None
    try:
        with open(path, errors='replace') as f:
            lines = f.read().splitlines()
    except OSError:
        return None, [], False
    for raw in lines:
        line = raw.rstrip('\r')
        if line == 'HARNESS: done':
            done = True
        m = BEGIN.match(line)
        if m:
            text = []
            continue
        m = END.match(line)
        if m and text is not None:
            qemu, compat, rc, started, seconds, cpu = m.groups()
            runs[(qemu, compat)] = {'rc': rc, 'started': started == '1',
                                    'seconds': int(seconds), 'cpu': cpu, 'text': text}
            text = None
            continue
        if text is not None and line.startswith('# '):
            text.append(line[2:])
            continue
        # The L1's own console: its kernel must report nothing.
        for rx, what in KERNEL_REPORTS:
            if rx.search(line):
                reports.append(f'{what}: {line.strip()}')
                break
    return runs, reports, done


def booted(o):
    return o['rc'] == '0' and o['cpu'] != '-'


def messages(o):
    """QEMU's own lines, with its program name made the same (and without the
    monitor's prompt, where a migration's destination printed one first)."""
    lines = [re.sub(r'^\(qemu\) ', '', t) for t in o['text']]
    return [re.sub(r'^qemu-(stock|patched):', 'qemu:', t) for t in lines
            if re.match(r'^qemu-(stock|patched):|^error:|^Try ', t)]


def describe(o):
    if o is None:
        return 'missing: no run in the log'
    if booted(o):
        return f"boots {o['cpu']} ({o['seconds']} s)"
    msg = messages(o)
    first = next((m for m in msg if 'warning:' not in m), msg[0] if msg else '')
    how = 'after the L2 started' if o['started'] else 'before the L2 started'
    return f"rc={o['rc']} {how} ({o['seconds']} s): {first}"


def check(expect, o, stock=None):
    """(passed, why not) for one observation against one expectation."""
    if o is None:
        return False, 'missing'
    kind, texts = expect[0], expect[1:]
    body = '\n'.join(o['text'])
    absent = [t for t in texts if t not in body]
    if kind == 'boots':
        if not booted(o):
            return False, 'the L2 did not boot'
        if o['cpu'] != texts[0]:
            return False, f"the L2 ran in {o['cpu']}"
        absent = [t for t in texts[1:] if t not in body]
        return (not absent, f'no "{absent[0]}"' if absent else '')
    if kind == 'stops':
        if booted(o):
            return False, 'the L2 booted'
        return (not absent, f'no "{absent[0]}"' if absent else '')
    if kind == 'refuses':
        if not (o['rc'].isdigit() and o['rc'] != '0'):
            return False, f"QEMU did not exit by itself with an error (rc={o['rc']})"
        if o['started']:
            return False, 'the L2 kernel had started'
        return (not absent, f'no "{absent[0]}"' if absent else '')
    if kind == 'accepts':
        # A migration the destination did not refuse: whatever became of
        # the L2 after it, no failed load of the state, no exit by itself
        # with an error before running it.
        if 'load of migration failed' in body:
            return False, 'the destination refused the migration'
        if o['rc'].isdigit() and o['rc'] != '0':
            return False, f"the destination exited with {o['rc']}"
        return (not absent, f'no "{absent[0]}"' if absent else '')
    if kind == 'like':
        if stock is None:
            return False, 'no stock run to compare with'
        same = (o['rc'] == stock['rc'] and o['started'] == stock['started'] and
                o['cpu'] == stock['cpu'] and messages(o) == messages(stock))
        return same, 'differs from stock'
    return False, f'unknown expectation {kind!r}'


def case_name(compat):
    """a: no max-cpu-compat, b:X: max-cpu-compat=X, m[:X]: a migration (to X)."""
    if compat == '-':
        return 'a'
    if compat.startswith('migrate'):
        return 'm' + compat[len('migrate'):].replace('=', ':')
    return f'b:{compat}'


def show(expect):
    if expect[0] == 'like':
        return 'as stock'
    return ' '.join([expect[0]] + [f'"{t}"' for t in expect[1:]])


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cases = [c for c in read_expect(argv[1]) if c[0] in argv[3:]]
    logdir = argv[2]
    passed = failed = 0
    out = []
    obs = {}

    def result(ok, text):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
        out.append(f"{'pass' if ok else 'FAIL'}  {text}")

    print('== QEMU in the L1: one line per (row, L1 kernel, QEMU, case); '
          'case a: no max-cpu-compat, b: one beyond the row, m: a migration, c: the unpatched kernel')
    for row in argv[3:]:
        for kernel in dict.fromkeys(c[1] for c in cases if c[0] == row):
            log = os.path.join(logdir, f'{row}{suffix(kernel)}.log')
            runs, reports, done = parse(log)
            try:
                with open(os.path.join(logdir, f'{row}{suffix(kernel)}.status')) as f:
                    status = f.read().strip()
            except OSError:
                status = 'missing'
            bad = [] if status == 'ok' else [f'L1: {status}']
            if runs is not None and not done:
                bad.append('L1: no "HARNESS: done"')
            bad += [f'L1 {r}' for r in reports]
            result(not bad, f'{row:16} {kernel:9} L1 boots, runs the cases and powers off cleanly'
                   + (f": {'; '.join(bad)}" if bad else ''))
            obs[(row, kernel)] = runs or {}
    for row, kernel, qemu, compat, expect in cases:
        runs = obs.get((row, kernel), {})
        o = runs.get((qemu, compat))
        ok, why = check(expect, o, runs.get(('stock', compat)))
        case = case_name(compat)
        if kernel == 'base':
            case = f'c/{case}'
        result(ok, f'{row:16} {kernel:9} {qemu:7} {case:10} expected {show(expect)}; '
               f'got {describe(o)}' + ('' if ok else f' [{why}]'))

    # Each patched expectation that differs from stock's must fail on stock.
    stock_exp = {(r, k, c): e for r, k, q, c, e in cases if q == 'stock'}
    for row, kernel, qemu, compat, expect in cases:
        se = stock_exp.get((row, kernel, compat))
        if qemu != 'patched' or expect[0] == 'like' or se is None or se == expect:
            continue
        o = obs.get((row, kernel), {}).get(('stock', compat))
        if o is None:
            result(False, f'{row:16} {kernel:9} stock   against the patched expectation: missing')
            continue
        ok, _ = check(expect, o)
        result(not ok, f'{row:16} {kernel:9} stock   {case_name(compat):10} '
               f'against the patched expectation {show(expect)}: '
               + ('fails, as it must' if not ok else 'PASSES: the case cannot tell the patch'))

    print('\n'.join(out))
    print(f'{passed} passed, {failed} failed, 0 skipped')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
