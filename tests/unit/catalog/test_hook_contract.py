"""Every hook of the contract is documented and tested (after datasette's own check)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from spm_core import hookspecs
from spm_core.catalog import KINDS
from spm_core.definitions import DEFINITION_KINDS
from spm_core.plugins import make_plugin_manager

TEST_ROOT = Path(__file__).resolve().parents[1]

HOOKS = sorted(
    name
    for name, obj in vars(hookspecs).items()
    if inspect.isfunction(obj) and hasattr(obj, f"{hookspecs.PROJECT_NAME}_spec")
)


def _test_function_names() -> set[str]:
    names: set[str] = set()
    for folder in ("plugins", "catalog"):
        for path in sorted((TEST_ROOT / folder).glob("test_*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names.update(
                node.name
                for node in ast.walk(tree)
                if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
            )
    return names


def test_the_contract_has_the_hooks_of_the_architecture() -> None:
    assert HOOKS == ["spm_adjust_catalog", "spm_definitions", "spm_plugin_info"]
    assert tuple(cls.kind for cls in DEFINITION_KINDS) == KINDS


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented(hook: str) -> None:
    doc = inspect.getdoc(getattr(hookspecs, hook))
    assert doc is not None, hook
    summary, _, body = doc.partition("\n\n")
    assert summary.endswith("."), hook
    assert "Returns:" in body or "Args:" in body, hook


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_test(hook: str) -> None:
    assert f"test_hook_{hook}" in _test_function_names()


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_registered_on_a_fresh_manager(hook: str) -> None:
    pm = make_plugin_manager(entry_points=False)
    caller = getattr(pm.hook, hook)
    assert caller.spec is not None
    assert caller.get_hookimpls() == []
