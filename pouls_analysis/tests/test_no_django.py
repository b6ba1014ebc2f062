from __future__ import annotations

import subprocess
import sys


def test_the_analysis_core_never_imports_django() -> None:
    code = (
        "import sys, pkgutil, importlib, pouls_analysis\n"
        "for m in pkgutil.walk_packages(pouls_analysis.__path__, 'pouls_analysis.'):\n"
        "    if '.tests' not in m.name:\n"
        "        importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "print(len(bad)); assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"
