#!/usr/bin/env python3
"""Usage: lib/cover_text.py 0000-cover-letter.patch

Print the branch description that made a git format-patch cover letter:
its subject without the [PATCH 0/N] prefix, a blank line, and the text up
to the shortlog ("Author Name (N):").
"""
import re
import sys


def main(path):
    lines = open(path).read().split('\n')
    subject = ''
    i = 0
    while i < len(lines) and lines[i] != '':
        if lines[i].startswith('Subject: '):
            subject = re.sub(r'^\[[^]]*\]\s*', '', lines[i][len('Subject: '):])
            # folded header lines
            while i + 1 < len(lines) and lines[i + 1].startswith(' '):
                i += 1
                subject += lines[i]
        i += 1
    body = lines[i + 1:]
    end = next((k for k, line in enumerate(body) if re.match(r'^\S.* \(\d+\):$', line)), len(body))
    text = '\n'.join(body[:end]).strip('\n')
    sys.stdout.write(subject + '\n\n' + text + '\n')


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
