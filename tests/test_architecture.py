"""Dependencies run one way (docs/architecture.md): each app imports only the apps below it. A module that imports
an app above its own, at the top of the file or inside a function, fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import junheng

PACKAGE = Path(junheng.__file__).parent
# Lowest first. An app may import those before it; the project's own modules (settings, urls …) import anything.
LAYERS = [
    "core",
    "organisations",
    "staffing",
    "programmes",
    "sharing",
    "evaluation",
    "policy",
    "accounts",
    "demo",
]


def imported_apps(source: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "junheng" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_every_app_is_in_a_layer() -> None:
    apps = {path.parent.name for path in PACKAGE.glob("*/apps.py")}
    assert apps == set(LAYERS)


def test_apps_import_only_the_apps_below_them() -> None:
    wrong = []
    for app in LAYERS:
        below = set(LAYERS[: LAYERS.index(app) + 1])
        for source in (PACKAGE / app).rglob("*.py"):
            if "migrations" in source.parts:
                continue
            for other in imported_apps(source) & set(LAYERS) - below:
                wrong.append(f"{source.relative_to(PACKAGE)} imports {other}")
    assert wrong == []


def test_the_check_finds_an_import_upwards(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from junheng.policy.models import Threshold\n", encoding="utf-8")
    assert imported_apps(module) == {"policy"}
