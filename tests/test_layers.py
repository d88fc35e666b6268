"""The package's layers: each subpackage imports only the layers below it, and no module reaches
into another module's private names. The order, bottom to top, is the README's layout section."""

from __future__ import annotations

import ast
from pathlib import Path

import kg

PACKAGE = Path(kg.__file__).parent
# bottom to top; a module may import its own layer and those before it
LAYERS = ["errors", "resources", "model", "rdf", "stores", "check", "query", "pipeline", "draft", "views", "cli"]


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "kg":
        return None
    if len(parts) == 1:
        return "api"
    return parts[1]


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(relative.parts)
        if name.endswith(".__init__"):
            name = name[: -len(".__init__")]
        yield name, ast.parse(path.read_text(encoding="utf-8"))


def _imports(tree: ast.Module):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module, [alias.name for alias in node.names]


def test_every_module_is_in_a_known_layer():
    for name, _tree in _modules():
        layer = _layer(name)
        assert layer == "api" or layer in LAYERS, f"{name} is in no layer of the layout"


def test_each_layer_imports_only_layers_below_it():
    wrong = []
    for name, tree in _modules():
        own = _layer(name)
        if own == "api":  # kg/__init__.py: the public API, above every layer
            continue
        for line, module, names in _imports(tree):
            target = _layer(module)
            if module == "kg":  # from kg import X: X is a subpackage, or the version
                targets = [n for n in names if n != "__version__"]
                target = targets[0] if targets else None
            if target is None or target == own:
                continue
            if target == "api" or LAYERS.index(target) > LAYERS.index(own):
                wrong.append(f"{name} line {line} imports {module} ({target} is above {own})")
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_another_modules_private_names():
    wrong = []
    for name, tree in _modules():
        for line, module, names in _imports(tree):
            if module.startswith("kg") and module != name:
                private = [n for n in names if n.startswith("_") and not n.startswith("__")]
                if private:
                    wrong.append(f"{name} line {line} imports {', '.join(private)} from {module}")
    assert not wrong, "\n".join(wrong)
