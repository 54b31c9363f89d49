"""No module imports another module's private (`_name`) names; the layers are checked by `lint-imports`.
Names in `__all__` (what users import) are documented, and the package's `__all__` resolves."""
import ast, json, re
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "tabdiffusion"
PENDING = set()  # exceptions still to fix: none


def _private_imports():
    for f in sorted(PKG.rglob("*.py")):
        if f.name == "_modidx.py": continue
        mod = ".".join(f.relative_to(PKG.parent).with_suffix("").parts)
        for node in ast.walk(ast.parse(f.read_text())):
            if not isinstance(node, ast.ImportFrom): continue
            base = node.module or ""
            if node.level:  # relative: resolve against the importing module's package
                base = ".".join(mod.split(".")[:-node.level] + ([node.module] if node.module else []))
            if not base.startswith("tabdiffusion"): continue
            for a in node.names:
                if a.name.startswith("_") and not a.name.startswith("__"):
                    yield mod.removeprefix("tabdiffusion."), base, a.name


def test_no_private_name_crosses_a_module():
    found = set(_private_imports())
    assert found <= PENDING, sorted(found - PENDING)


def _all_names(tree):
    return next((ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
                 and any(getattr(t, "id", None) == "__all__" for t in n.targets)), [])


def test_every_name_in_all_is_documented():
    "Functions and classes in a module's `__all__` have docstrings; constants are named in the notebook."
    missing = []
    for f in sorted(PKG.rglob("*.py")):
        if f.name in ("_modidx.py", "__init__.py"): continue
        text, tree = f.read_text(), ast.parse(f.read_text())
        defs = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        nb = f.parent / re.search(r"File to edit: (\S+\.ipynb)", text).group(1)
        prose = "".join("".join(c["source"]) for c in json.loads(nb.read_text())["cells"]
                        if c["cell_type"] == "markdown")
        for name in _all_names(tree):
            ok = bool(ast.get_docstring(defs[name])) if name in defs else f"`{name}`" in prose
            if not ok: missing.append(f"{f.stem}.{name}")
    assert not missing, missing


def test_package_all_resolves():
    "Every name of `tabdiffusion.__all__` and `tabdiffusion.evaluation.__all__` imports."
    import tabdiffusion, tabdiffusion.evaluation
    for mod in (tabdiffusion, tabdiffusion.evaluation):
        assert mod.__all__ and all(getattr(mod, n, None) is not None for n in mod.__all__), mod.__name__
