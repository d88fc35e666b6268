"""No module-level mutable state: no module rebinds a global (``global X``) or changes a value it
holds at module level (``X.append(...)``, ``X[k] = v``, ...). What a step needs is passed in.

The one exception is kg/check/audit.py: Python's audit hook is process-wide (``sys.addaudithook``
cannot be undone), so whether a query is running is kept there, per thread."""

import ast
from pathlib import Path

import kg

PACKAGE = Path(kg.__file__).parent
EXCEPTIONS = {"check/audit.py"}
MUTATORS = {"append", "extend", "insert", "add", "update", "setdefault", "pop", "popitem", "remove",
            "discard", "clear", "__setitem__", "sort", "reverse"}


def _module_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
        for target in targets:
            if isinstance(target, ast.Name):
                names.add(target.id)
    return names


def _locals(function) -> set[str]:
    """Names a function binds itself (its parameters and assignments): they shadow module names."""
    bound = {arg.arg for arg in function.args.args + function.args.kwonlyargs + function.args.posonlyargs}
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
    return bound


def test_no_module_changes_its_own_globals():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative in EXCEPTIONS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _module_names(tree)
        for function in [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]:
            shadowed = _locals(function)
            for node in ast.walk(function):
                if isinstance(node, ast.Global):
                    wrong.append(f"{relative} line {node.lineno}: global {', '.join(node.names)}")
                elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS
                      and isinstance(node.func.value, ast.Name) and node.func.value.id in names - shadowed):
                    wrong.append(f"{relative} line {node.lineno}: {node.func.value.id}.{node.func.attr}(...)")
                elif (isinstance(node, (ast.Assign, ast.AugAssign))):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        if (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
                                and target.value.id in names - shadowed):
                            wrong.append(f"{relative} line {node.lineno}: {target.value.id}[...] = ...")
    assert not wrong, "\n".join(wrong)
