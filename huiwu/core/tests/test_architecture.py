"""The import rules of DESIGN.md §5 and README.md ("Code layout"), read from the source with `ast`.

Every module of the `huiwu` package is parsed and each import of another `huiwu` module becomes an edge of a
graph. Imports inside functions count like the others: a late import hides a dependency, it does not remove
it (Python only postpones the cycle to the first call). The suite fails on:

(a) a cycle between modules;
(b) an import of a private name (`_x`, a name or a module) of another app, or an attribute `_x` read from a
    module of another app;
(c) an import against the layer order: a module imports only from its own layer or below.

The layers, by the kind of module (the name after the app: `huiwu/<app>/<kind>.py` or `huiwu/<app>/<kind>/…`):

1 `lib`
2 `models`, and the definitions models are built from (`accounts/roles.py`, `security/levels.py`,
  `seating/protocol.py`: seats by protocol)
3 reads: `access`, `selectors`, `describe`, `timeline`, `reception/workdays.py` (the working-day calendar),
  `service/standards.py` (the rules computed from the standards),
  `service/facts.py` (what the three-level check verifies by itself), `service/board.py` (the today board's
  rows), `security/eligibility.py`, the
  append-only `security/audit.py`
4 the notify engine (`notify/services.py`, `tasks.py`, `channels.py`): generic, it knows no app's deadlines
5 each app's `deadlines`
6 each app's `services` (writes)
7 the pages and their wiring: `views`, `api`, `exports`, `feeds`, `forms`, `admin`, `urls`, `templatetags`,
  `apps`, an app's `today` and `navigation` contributions, and `demo` (seeds data through the services)
8 `core` (today page, navigation, error pages, commands), `reports`, and the project modules that gather
  every app (`huiwu/api.py`, `urls.py`, `settings.py`, `wsgi.py`, `__main__.py`); nothing imports them but
  each other
9 tests, `conftest.py`, the pytest plugin `huiwu/testing.py` and migrations: they may import any module,
  and only tests import them (a test may use another test's helpers)

A module of a kind this table does not know fails the suite: decide its layer and add it here and to the
README.
"""

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import huiwu

PACKAGE = Path(huiwu.__file__).parent

LAYER_OF_KIND = {
    "models": 2,
    "roles": 2,
    "levels": 2,
    "protocol": 2,
    "access": 3,
    "selectors": 3,
    "describe": 3,
    "timeline": 3,
    "board": 3,
    "workdays": 3,
    "standards": 3,
    "facts": 3,
    "eligibility": 3,
    "audit": 3,
    "deadlines": 5,
    "services": 6,
    "views": 7,
    "api": 7,
    "exports": 7,
    "feeds": 7,
    "forms": 7,
    "standard_forms": 7,
    "admin": 7,
    "urls": 7,
    "templatetags": 7,
    "apps": 7,
    "today": 7,
    "navigation": 7,
    "demo": 7,
}
NOTIFY_ENGINE = {"services", "tasks", "channels"}
PROJECT_MODULES = {"api", "urls", "settings", "wsgi", "__main__"}
OUTSIDE = 9  # tests, migrations, the pytest plugin


@dataclass
class Module:
    name: str  # huiwu.service.views.board
    path: Path
    is_package: bool = False
    # Imported module → the line numbers of the imports (each an edge of the graph).
    imports: dict[str, list[int]] = field(default_factory=dict)
    # (line, imported module, private name) for every private name imported or read from a huiwu module.
    private_uses: list[tuple[int, str, str]] = field(default_factory=list)


def module_name(path: Path, root: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def _resolve_relative(module: Module, level: int, target: str | None) -> str:
    base = module.name.split(".")
    if not module.is_package:
        base = base[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join([*base, target] if target else base)


class _ImportVisitor(ast.NodeVisitor):
    """Every import, wherever it stands (module level, functions, classes, `if` blocks)."""

    def __init__(self, module: Module, known: set[str], top: str) -> None:
        self.module = module
        self.known = known
        self.top = top
        self.aliases: dict[str, str] = {}  # local name → huiwu module it is bound to

    def _edge(self, target: str, line: int) -> None:
        # `import huiwu.a.b.c` of a name that is no module (a class, a function): the module defining it.
        while target not in self.known and "." in target:
            target = target.rsplit(".", 1)[0]
        if target in self.known and target != self.module.name:
            self.module.imports.setdefault(target, []).append(line)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name == self.top or alias.name.startswith(self.top + "."):
                self._edge(alias.name, node.lineno)
                self._private_module_parts(alias.name, node.lineno)
                if alias.asname:
                    self.aliases[alias.asname] = alias.name

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        source = _resolve_relative(self.module, node.level, node.module) if node.level else node.module or ""
        if not (source == self.top or source.startswith(self.top + ".")):
            return
        self._private_module_parts(source, node.lineno)
        for alias in node.names:
            candidate = f"{source}.{alias.name}"
            if candidate in self.known:
                self._edge(candidate, node.lineno)
                self.aliases[alias.asname or alias.name] = candidate
            else:
                self._edge(source, node.lineno)
            if alias.name.startswith("_"):
                self.module.private_uses.append((node.lineno, source, alias.name))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        name = node.value.id if isinstance(node.value, ast.Name) else ""
        if name in self.aliases and node.attr.startswith("_") and not node.attr.startswith("__"):
            self.module.private_uses.append((node.lineno, self.aliases[name], node.attr))
        self.generic_visit(node)

    def _private_module_parts(self, dotted: str, line: int) -> None:
        for part in dotted.split(".")[1:]:
            if part.startswith("_") and not part.startswith("__"):
                self.module.private_uses.append((line, dotted, part))


# CPython 3.11.7 keeps the AST constructor's recursion counter per interpreter, not per thread (gh-106905, fixed
# in 3.11.8): another thread parsing at the same moment — a live server thread printing a traceback, whose
# carets parse the line — fails this parse with a SystemError about a "recursion depth mismatch". Once the other
# parse is over, parsing again gives the tree.
PARSE_ATTEMPTS = 3


def parse(path: Path) -> ast.Module:
    source = path.read_text(encoding="utf-8")
    for _attempt in range(PARSE_ATTEMPTS - 1):
        try:
            return ast.parse(source, filename=str(path))
        except SystemError:
            continue
    return ast.parse(source, filename=str(path))


def scan(root: Path) -> dict[str, Module]:
    """Every module under the package directory `root`, with its imports of the package's modules."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        name, is_package = module_name(path, root)
        modules[name] = Module(name=name, path=path, is_package=is_package)
    known = set(modules)
    for module in modules.values():
        _ImportVisitor(module, known, root.name).visit(parse(module.path))
    return modules


def find_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative), each sorted;
    a module importing itself counts too."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles: list[list[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph.get(start, ())))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(graph.get(successor, ()))))
                    advanced = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, ()):
                    cycles.append(sorted(component))
    return sorted(cycles)


def app_of(name: str) -> str:
    """`huiwu.service.views.board` → "service"; a project module (huiwu.api, huiwu.urls) is its own app."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def layer_of(name: str) -> int | None:
    """The layer of a module (see the table above), or None for a kind nobody has placed yet."""
    parts = name.split(".")[1:]
    if not parts:
        return 1  # the package itself
    if "tests" in parts or "migrations" in parts or parts[-1] == "conftest" or parts == ["testing"]:
        return OUTSIDE
    app = parts[0]
    if len(parts) == 1:
        if app in PROJECT_MODULES:
            return 8
        # An app's package (__init__.py, empty): imported by every module of the app, it imports nothing.
        return 1 if (PACKAGE / app).is_dir() else None
    kind = parts[1]
    if app == "lib":
        return 1
    if app in {"core", "ops", "reports"}:
        return 8
    if app == "notify" and kind in NOTIFY_ENGINE:
        return 4
    return LAYER_OF_KIND.get(kind)


# --- the checks on the real code ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def modules() -> dict[str, Module]:
    return scan(PACKAGE)


def _where(module: Module, line: int) -> str:
    return f"{module.path.relative_to(PACKAGE.parent)}:{line}"


def test_it_finds_every_module_and_their_imports(modules):
    assert {"huiwu.lib.forms", "huiwu.meetings.services", "huiwu.core.today", "huiwu.service.views.board"} <= set(
        modules
    )
    assert "huiwu.meetings.models" in modules["huiwu.meetings.services"].imports


def test_it_has_no_import_cycle_between_modules(modules):
    graph = {name: set(module.imports) for name, module in modules.items()}
    assert find_cycles(graph) == []


def test_it_imports_no_private_name_of_another_app(modules):
    found = [
        f"{_where(module, line)}: {source}.{name}"
        for module in modules.values()
        for line, source, name in module.private_uses
        if app_of(source) != app_of(module.name)
    ]
    assert found == []


def test_it_places_every_module_in_a_layer(modules):
    assert [name for name in modules if layer_of(name) is None] == []


def test_it_imports_only_from_its_own_layer_or_below(modules):
    broken = []
    for module in modules.values():
        layer = layer_of(module.name)
        for target, lines in module.imports.items():
            target_layer = layer_of(target)
            if layer is None or target_layer is None:
                continue  # test_it_places_every_module_in_a_layer names them
            if target_layer > layer or (target_layer == OUTSIDE and layer != OUTSIDE):
                broken.append(f"{_where(module, lines[0])}: layer {layer} imports {target} (layer {target_layer})")
    assert broken == []


# --- the checker itself -------------------------------------------------------------------------------


def test_it_finds_a_cycle_in_a_small_graph():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}, "f": set()}
    assert find_cycles(graph) == [["a", "b", "c"], ["e"]]


def test_it_finds_no_cycle_in_a_diamond():
    assert find_cycles({"a": {"b", "c"}, "b": {"d"}, "c": {"d"}, "d": set()}) == []


def test_it_finds_two_cycles_that_share_no_module():
    graph = {"a": ["b"], "b": ["a", "c"], "c": ["d"], "d": ["c"]}
    assert find_cycles(graph) == [["a", "b"], ["c", "d"]]


def _package(tmp_path: Path, files: dict[str, str]) -> dict[str, Module]:
    root = tmp_path / "huiwu"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return scan(root)


def test_it_counts_imports_inside_functions_and_relative_ones(tmp_path):
    modules = _package(
        tmp_path,
        {
            "__init__.py": "",
            "meetings/__init__.py": "",
            "meetings/models.py": "class Meeting: ...\n",
            "meetings/services.py": "def f():\n    from huiwu.notify.services import notify\n",
            "notify/__init__.py": "",
            "notify/services.py": "from ..meetings import services\nfrom huiwu.meetings.models import Meeting\n",
        },
    )
    graph = {name: set(module.imports) for name, module in modules.items()}
    assert graph["huiwu.notify.services"] == {"huiwu.meetings.services", "huiwu.meetings.models"}
    assert find_cycles(graph) == [["huiwu.meetings.services", "huiwu.notify.services"]]


def test_it_finds_private_names_taken_from_another_module(tmp_path):
    modules = _package(
        tmp_path,
        {
            "__init__.py": "",
            "meetings/__init__.py": "",
            "meetings/api.py": "_invalid = 1\n",
            "security/__init__.py": "",
            "security/api.py": (
                "from huiwu.meetings.api import _invalid\nfrom huiwu.meetings import api\nx = api._invalid\n"
            ),
        },
    )
    assert modules["huiwu.security.api"].private_uses == [
        (1, "huiwu.meetings.api", "_invalid"),
        (3, "huiwu.meetings.api", "_invalid"),
    ]


@pytest.mark.parametrize(
    ("name", "layer"),
    [
        ("huiwu.lib.forms", 1),
        ("huiwu.meetings.models", 2),
        ("huiwu.accounts.roles", 2),
        ("huiwu.meetings.describe", 3),
        ("huiwu.security.eligibility", 3),
        ("huiwu.notify.services", 4),
        ("huiwu.notify.access", 3),
        ("huiwu.service.deadlines", 5),
        ("huiwu.meetings.services", 6),
        ("huiwu.service.board", 3),
        ("huiwu.service.views.board", 7),
        ("huiwu.service.api.standards", 7),
        ("huiwu.core.today", 8),
        ("huiwu.core.management.commands.demo", 8),
        ("huiwu.api", 8),
        ("huiwu.service.tests.test_api", OUTSIDE),
        ("huiwu.meetings.migrations.0001_initial", OUTSIDE),
        ("huiwu.testing", OUTSIDE),
        ("huiwu.meetings.newthing", None),
    ],
)
def test_it_knows_the_layer_of_each_kind_of_module(name, layer):
    assert layer_of(name) == layer


def test_it_parses_again_when_another_thread_parsed_at_the_same_moment(monkeypatch, tmp_path):
    source = tmp_path / "m.py"
    source.write_text("import os\n")
    real, failures = ast.parse, []

    def flaky(*args, **kwargs):
        if len(failures) < PARSE_ATTEMPTS - 1:
            failures.append(1)
            raise SystemError("AST constructor recursion depth mismatch (before=132, after=56)")
        return real(*args, **kwargs)

    monkeypatch.setattr(ast, "parse", flaky)
    assert isinstance(parse(source), ast.Module)


def test_it_does_not_hide_a_parse_that_keeps_failing(monkeypatch, tmp_path):
    source = tmp_path / "m.py"
    source.write_text("import os\n")

    def failing(*args, **kwargs):
        raise SystemError("AST constructor recursion depth mismatch (before=132, after=56)")

    monkeypatch.setattr(ast, "parse", failing)
    with pytest.raises(SystemError):
        parse(source)
