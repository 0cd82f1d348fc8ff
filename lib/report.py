#!/usr/bin/env python3
"""Read the console logs of booted rows and report a result per (row, test case).

Usage: lib/report.py [--rows ROWS_TSV] [--suffix -debug] [--only T1,T2] [--except T1,T2] [--label L] [--l0-fixed] LOGDIR ROW...

For each row, the console log LOGDIR/ROW.log and LOGDIR/ROW.status are read.
Each test named in the row's expectations (config/rows.tsv) must show its
result: a KVM selftest's from run_kselftest.sh ("selftests: kvm: NAME"), a
hardening program's from the guest's init ("hardening: NAME"); its KTAP
sub-results become one line each. A hang, a QEMU failure, a kernel report
(Oops, BUG, WARNING, KASAN, UBSAN, KFENCE, lockdep, kmemleak) or a missing
result fails the row. With --l0-fixed, the rows ran on QEMU with
qemu-l0/'s fixes as the L0 (bin/build-qemu --l0), and a test expected to
fail because of the L0 (xfail) must pass, as must a test run only there
(l0fix: it would abort Debian's QEMU); without it, l0fix tests are not
looked for. Prints a table and, last,
'N passed, N failed, N skipped'. Exits 1 if anything failed.

Why not the tree's tools/testing/kunit/kunit_parser.py: it reads one KTAP
document whose subtests are indented, from a log it cuts at its first end.
run_kselftest.sh prefixes each program's own KTAP with '# ', which KTAP reads
as diagnostic lines, and a console here carries several documents (the KVM
selftests, then the hardening programs) between kernel messages. Given the
v2-p10 console of 7.2 + series v4, kunit_parser returns one test,
compat_caps_test, with no subtest, where this script counts 49 cases; and it
knows no expectation per row (a skip that must be a skip, a mask to match).
"""
import re
import sys

# Console lines that mean the kernel reported a problem.
KERNEL_REPORTS = [
    (re.compile(r'Oops|Kernel panic|Unable to handle kernel'), 'kernel crash'),
    (re.compile(r'\bBUG:|kernel BUG at'), 'kernel BUG'),
    (re.compile(r'WARNING: .*(at|CPU)'), 'kernel WARNING'),
    (re.compile(r'BUG: KASAN|KASAN:'), 'KASAN report'),
    (re.compile(r'UBSAN:'), 'UBSAN report'),
    (re.compile(r'BUG: KFENCE'), 'KFENCE report'),
    (re.compile(r'possible recursive locking|possible circular locking|'
                r'inconsistent lock state|suspicious RCU usage|'
                r'sleeping function called from invalid context'), 'lockdep report'),
    (re.compile(r'unreferenced object 0x'), 'kmemleak report'),
    (re.compile(r'kmemleak: \d+ new suspected memory leaks'), 'kmemleak report'),
    (re.compile(r'Call Trace:'), 'kernel stack trace'),
]

# The top line of a test: run_kselftest.sh's for a KVM selftest, guest-init's
# for a program of tests/hardening (/hardening/NAME in the L1).
TOP = re.compile(r'^(not ok|ok) \d+ (?:selftests: kvm|hardening): (\S+)(?:\s*#\s*(.*))?$')
SUB = re.compile(r'^# (not ok|ok) \d+ (.*?)(?:\s+#\s*(SKIP|TODO|XFAIL)\b\s*(.*))?$')
# The expectation pass:none: the test must get no answer (capability 0).
NO_ANSWER = 'none'
MASK = re.compile(r'^(?:# ?)+compat_capabilities: (0x[0-9a-fA-F]+)')


def read_rows(path):
    rows = {}
    with open(path) as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            cols = line.rstrip('\n').split('\t')
            expect = {}
            for e in cols[5].split():
                name, _, want = e.partition('=')
                kind, _, mask = want.partition(':')
                if not mask:
                    mask = None
                elif kind in ('skip', 'xfail'):
                    pass  # skip:TEXT, xfail:TEXT: the reason must say TEXT
                elif mask != NO_ANSWER:
                    mask = int(mask, 16)
                expect[name] = (kind, mask)
            rows[cols[0]] = expect
    return rows


def read_known(path):
    known = []
    try:
        with open(path) as f:
            for line in f:
                if line.startswith('#') or not line.strip():
                    continue
                rx, _, why = line.rstrip('\n').partition('\t')
                known.append((re.compile(rx), why))
    except OSError:
        pass
    return known


def parse_log(text, known=()):
    """Split a console log into per-test sections and kernel reports.

    A report that matches a known one (config/known-reports.tsv) before the
    guest's init starts is returned apart, with the lines of its splat.
    """
    tests = {}
    current = None
    reports = []
    known_found = []
    in_init = False
    known_until = -1
    last_report = -100
    for lineno, raw in enumerate(text.splitlines()):
        line = raw.rstrip('\r')
        if line.startswith('HARNESS: init'):
            in_init = True
        if not in_init:
            hit = next((why for rx, why in known if rx.search(line)), None)
            if hit:
                known_found.append(f'{line.strip()}: {hit}')
                known_until = lineno + 60
                continue
            if lineno <= known_until and not line.startswith('---[ end trace'):
                continue
            known_until = -1
        m = re.match(r'^HARNESS: begin (\S+)', line)
        if m:
            current = m.group(1)
            tests[current] = {'top': None, 'subs': [], 'mask': None, 'skip_reason': '',
                              'lines': []}
            continue
        if re.match(r'^HARNESS: end ', line):
            current = None
            continue
        for rx, what in KERNEL_REPORTS:
            if rx.search(line):
                # The stack trace of a report just counted is part of it.
                if what != 'kernel stack trace' or lineno - last_report > 60:
                    reports.append(f'{what}: {line.strip()}')
                last_report = lineno
                break
        if current is None:
            continue
        t = tests[current]
        t['lines'].append(line)
        m = TOP.match(line)
        if m:
            t['top'] = (m.group(1), m.group(3) or '')
            continue
        m = MASK.match(line)
        if m:
            t['mask'] = int(m.group(1), 16)
        m = SUB.match(line)
        if m:
            t['subs'].append((m.group(1), m.group(2), m.group(3), m.group(4) or ''))
            continue
        if line.startswith('# ') and not t['skip_reason'] and 'SKIP' in line.upper():
            t['skip_reason'] = line[2:].strip()
    return tests, reports, known_found


def main(argv):
    rows_tsv = 'config/rows.tsv'
    suffix = ''
    only = None
    leave_out = set()
    label = ''
    l0_fixed = False
    args = []
    i = 0
    while i < len(argv):
        if argv[i] == '--rows':
            rows_tsv = argv[i + 1]
            i += 2
        elif argv[i] == '--suffix':
            suffix = argv[i + 1]
            i += 2
        elif argv[i] == '--only':
            only = set(argv[i + 1].split(','))
            i += 2
        elif argv[i] == '--except':
            leave_out = set(argv[i + 1].split(','))
            i += 2
        elif argv[i] == '--label':
            label = argv[i + 1]
            i += 2
        elif argv[i] == '--l0-fixed':
            l0_fixed = True
            i += 1
        else:
            args.append(argv[i])
            i += 1
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    logdir, names = args[0], args[1:]
    rows = read_rows(rows_tsv)
    known = read_known(rows_tsv.replace('rows.tsv', 'known-reports.tsv'))
    results = []  # (row, case, result, detail)

    def add(row, case, result, detail=''):
        results.append((label + row, case, result, detail))

    for row in names:
        # ROW-debug is ROW booted with the debug kernel: same expectations.
        base = row[:-len('-debug')] if row.endswith('-debug') else row
        if base not in rows:
            add(row, '-', 'fail', 'no such row in ' + rows_tsv)
            continue
        try:
            text = open(f'{logdir}/{row}{suffix}.log', errors='replace').read()
        except OSError:
            add(row, '-', 'fail', 'missing: no console log (row not booted)')
            continue
        try:
            status = open(f'{logdir}/{row}{suffix}.status').read().strip()
        except OSError:
            status = 'missing status'
        tests, reports, known_found = parse_log(text, known)
        for k in known_found:
            add(row, 'kernel', 'note', 'known report, not counted: ' + k)
        tail = ' | '.join(line.strip() for line in text.splitlines()[-5:])
        if status != 'ok':
            add(row, 'boot', 'fail', f'{status}; last console lines: {tail}')
        elif 'HARNESS: done' not in text:
            add(row, 'boot', 'fail', f'guest did not finish its tests; last lines: {tail}')
        for rep in reports:
            add(row, 'kernel', 'fail', rep)
        for name, (kind, mask) in rows[base].items():
            if (only is not None and name not in only) or name in leave_out:
                continue
            if kind == 'debug':
                if base == row:
                    continue
                kind = 'pass'
            if kind == 'l0fix':
                # Run only on QEMU with qemu-l0/'s fixes as the L0 (Debian's
                # aborts on it), and must pass there.
                if not l0_fixed:
                    continue
                kind = 'pass'
            if kind == 'xfail' and l0_fixed:
                kind, mask = 'pass', None

            t = tests.get(name)
            if t is None or t['top'] is None:
                add(row, name, 'fail', 'missing: no TAP result for this test')
                continue
            top, comment = t['top']
            skipped = top == 'ok' and comment.upper().startswith('SKIP')
            if kind == 'skip':
                why = t['skip_reason'] or comment
                if skipped and mask and mask not in why:
                    add(row, name, 'fail', f'expected a skip for {mask}, got: {why}')
                elif skipped:
                    add(row, name, 'skip', f'expected skip: {why}')
                else:
                    add(row, name, 'fail', f'expected a skip, got "{top} {comment}"')
                continue
            if kind == 'xfail':
                # A failure known to come from the row's L0, not from KVM:
                # the test must fail, saying TEXT; counted as a skip.
                said = any(mask in line for line in t['lines'])
                if top == 'not ok' and said:
                    add(row, name, 'skip', f'expected failure ({mask}): {comment}')
                else:
                    add(row, name, 'fail', f'expected a failure saying {mask}, got "{top} {comment}"')
                continue
            # kind == 'pass'
            if skipped:
                add(row, name, 'fail', f'unexpected skip: {t["skip_reason"] or comment}')
                continue
            if not t['subs']:
                # A test without sub-results is one case: its own exit status.
                add(row, name, 'pass' if top == 'ok' else 'fail',
                    '' if top == 'ok' else f'"{top} {comment}"')
                continue
            for res, desc, directive, reason in t['subs']:
                case = f'{name}: {desc}'
                if directive == 'SKIP':
                    add(row, case, 'skip', f'unexpected skip: {reason}')
                    add(row, case + ' (skip not allowed)', 'fail', reason)
                elif res == 'ok':
                    add(row, case, 'pass')
                else:
                    add(row, case, 'fail', reason)
            if top != 'ok':
                add(row, name, 'fail', f'test exited with failure: {comment}')
            if mask == NO_ANSWER:
                # The capability is 0 there: no request may be answered.
                if t['mask'] is not None:
                    add(row, f'{name}: no answer', 'fail',
                        f'answered 0x{t["mask"]:016x} where the capability must be 0')
                else:
                    add(row, f'{name}: no answer', 'pass', 'no compat_capabilities line')
            elif mask is not None:
                if t['mask'] is None:
                    add(row, f'{name}: reported mask', 'fail', 'missing: no compat_capabilities line')
                elif t['mask'] != mask:
                    add(row, f'{name}: reported mask', 'fail',
                        f'0x{t["mask"]:016x}, expected 0x{mask:016x}')
                else:
                    add(row, f'{name}: reported mask', 'pass', f'0x{mask:016x}')

    width = max([len(r[0]) for r in results] + [3])
    cwidth = min(max([len(r[1]) for r in results] + [4]), 70)
    for row, case, result, detail in results:
        print(f'{row:<{width}}  {case:<{cwidth}}  {result:<4}  {detail}'.rstrip())
    passed = sum(1 for r in results if r[2] == 'pass')
    failed = sum(1 for r in results if r[2] == 'fail')
    skipped = sum(1 for r in results if r[2] == 'skip')
    print(f'{passed} passed, {failed} failed, {skipped} skipped')
    return 1 if failed or not results else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
