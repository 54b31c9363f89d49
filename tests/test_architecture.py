"No module imports another module's private (`_name`) names; the layers themselves are checked by `lint-imports`."
import ast
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
