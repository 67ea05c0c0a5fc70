"""The score of `make mutate`: for each module, the share of the mutants of the rules under test that the
tests killed, and the survivors by name (`.venv/bin/mutmut show NAME` prints one).

It reads what mutmut recorded under mutants/ for the mutant names matching the patterns given (the ones
`mutmut run` was given), and fails when a module scores below the target. A mutant that made the tests time
out was detected, so it counts as killed; one that no test reached counts as a survivor.
"""

import argparse
import fnmatch
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from mutmut.stats import status_by_exit_code

DETECTED = {"killed", "timeout"}
MODULE = re.compile(r"^(?P<module>.+?)\.x[_ǁ]")


def results(root: Path) -> dict[str, int | None]:
    """{mutant name: exit code of its test run} over every mutated file."""
    found: dict[str, int | None] = {}
    for meta in sorted(root.rglob("*.py.meta")):
        found |= json.loads(meta.read_text())["exit_code_by_key"]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("patterns", nargs="+", help="mutant name patterns, as given to `mutmut run`")
    parser.add_argument("--target", type=float, default=95.0, help="the lowest score accepted, in percent")
    parser.add_argument("--mutants", type=Path, default=Path("mutants"))
    args = parser.parse_args()

    by_module: dict[str, dict[str, str]] = defaultdict(dict)
    for name, exit_code in results(args.mutants).items():
        if any(fnmatch.fnmatchcase(name, pattern) for pattern in args.patterns):
            by_module[MODULE.match(name)["module"]][name] = status_by_exit_code[exit_code]
    if not by_module:
        print("No results: run `make mutate` first.", file=sys.stderr)
        return 1

    below = []
    print(f"{'module':<32} {'score':>7}  killed")
    for module, statuses in sorted(by_module.items()):
        killed = sum(status in DETECTED for status in statuses.values())
        score = 100 * killed / len(statuses)
        print(f"{module:<32} {score:6.1f} %  {killed} of {len(statuses)}")
        if score < args.target:
            below.append(module)
    every = {name: status for statuses in by_module.values() for name, status in statuses.items()}
    killed = sum(status in DETECTED for status in every.values())
    print(f"{'all':<32} {100 * killed / len(every):6.1f} %  {killed} of {len(every)}")
    survivors = [(name, status) for name, status in every.items() if status not in DETECTED]
    if survivors:
        print("\nNot killed:")
        for name, status in sorted(survivors):
            print(f"  {name}  ({status})")
    if below:
        print(f"\nBelow {args.target:g} %: {', '.join(below)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
