from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _read_variables() -> set[str]:
    sources = (ROOT / "pouls" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r'"(POULS_[A-Z0-9_]+)"', sources))


def test_env_example_lists_every_variable_read() -> None:
    documented = set(
        re.findall(r"^#?\s*(POULS_[A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M)
    )
    read = _read_variables()
    assert read, "settings.py reads no POULS_ variable?"
    assert read - documented == set()


def _import_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("POULS_", "PYTEST_"))}
    return subprocess.run(
        [sys.executable, "-c", "import pouls.settings"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_production_without_a_secret_key_fails_with_a_clear_message(tmp_path: Path) -> None:
    result = _import_settings({"POULS_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "POULS_SECRET_KEY is not set" in result.stderr


def test_a_secret_key_is_enough_to_start(tmp_path: Path) -> None:
    result = _import_settings({"POULS_DATA_DIR": str(tmp_path), "POULS_SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr


def test_a_wrong_boolean_names_the_variable(tmp_path: Path) -> None:
    result = _import_settings({"POULS_DATA_DIR": str(tmp_path), "POULS_DEBUG": "peut-être"})
    assert "POULS_DEBUG='peut-être' is not a boolean" in result.stderr


def test_the_demo_keeps_a_generated_key(tmp_path: Path) -> None:
    result = _import_settings({"POULS_DATA_DIR": str(tmp_path), "POULS_DEMO": "1"})
    assert result.returncode == 0, result.stderr
    assert len((tmp_path / "secret-key").read_text()) >= 40


def test_the_default_sqlite_database_runs_in_wal_mode(tmp_path: Path) -> None:
    result = _import_settings({"POULS_DATA_DIR": str(tmp_path), "POULS_SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'pouls.settings'; "
        "django.setup(); from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("POULS_", "PYTEST_"))}
    env = {**clean, "POULS_DATA_DIR": str(tmp_path), "POULS_SECRET_KEY": "x" * 50}
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert out.stdout.strip() == "wal"
    assert (tmp_path / "pouls.sqlite3").exists()


def _pouls(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("POULS_", "PYTEST_"))}
    return subprocess.run(
        [sys.executable, "-c", "from pouls.cli import main; main()", *args],
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_commands_without_a_secret_key_say_so_in_one_french_line(tmp_path: Path) -> None:
    for args in (["manage", "check"], ["import", "feedback", str(tmp_path / "x.csv")]):
        (tmp_path / "x.csv").write_text("Magasin;NPS\nSite Lille;9\n", encoding="utf-8")
        result = _pouls(args, {"POULS_DATA_DIR": str(tmp_path / "prod")}, tmp_path)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Erreur : la clé secrète")


def test_commands_run_on_the_demo_data_directory_without_any_variable(tmp_path: Path) -> None:
    # What `pouls demo` leaves behind: its marker and its generated key, in ./pouls-data.
    data = tmp_path / "pouls-data"
    data.mkdir()
    (data / "demo").write_text("demo\n")
    (data / "secret-key").write_text("k" * 50)
    result = _pouls(["manage", "migrate", "--verbosity", "0"], {}, tmp_path)
    assert result.returncode == 0, result.stderr
    (tmp_path / "x.csv").write_text("Magasin;Date;NPS\nGroupe;22/11/2025;9\n", encoding="utf-8")
    result = _pouls(["import", "feedback", "x.csv", "--dry-run"], {}, tmp_path)
    # No organisation yet: the import itself answers, not the configuration.
    assert "clé secrète" not in result.stderr and "Traceback" not in result.stderr
    assert "--into" in result.stderr


def test_the_demo_marks_its_data_directory(tmp_path: Path) -> None:
    code = (
        "import os; os.environ['POULS_DEMO'] = '1';"
        "from pouls.cli import _setup_django, _mark_demo_data_dir;"
        "_setup_django(); _mark_demo_data_dir()"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("POULS_", "PYTEST_"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "POULS_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "demo").is_file() and (tmp_path / "secret-key").is_file()


# The production variables of .env.example's HTTPS section, with a long random-looking key.
PRODUCTION = {
    "POULS_SECRET_KEY": "k7#Vq2pLx9Rz4Tm8Wn3Yb6Hc1Jd5Fg0Ks-Ue7Io2Pa9Sl4Dz8Xc3Vb6Nm1Qw5Er0Ty",
    "POULS_ALLOWED_HOSTS": "pouls.example.fr",
    "POULS_HTTPS": "1",
    "POULS_HSTS_PRELOAD": "1",
    # A Fernet key (32 bytes, url-safe base64) for customers' contacts.
    "POULS_CONTACT_KEY": "Zm9yLXRlc3RzLW9ubHktbm90LWEtcmVhbC1rZXkhISE=",
}


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process: a deployment does not.
    skip = ("POULS_", "PYTEST_", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_check_deploy_is_clean_with_the_production_variables(tmp_path: Path) -> None:
    result = _check_deploy({"POULS_DATA_DIR": str(tmp_path), **PRODUCTION})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_https(tmp_path: Path) -> None:
    env = {**PRODUCTION, "POULS_HTTPS": "0", "POULS_DATA_DIR": str(tmp_path)}
    result = _check_deploy(env)
    assert result.returncode != 0 and "SECURE_SSL_REDIRECT" in result.stderr + result.stdout


def test_the_production_section_of_env_example_names_these_variables() -> None:
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name in PRODUCTION:
        assert re.search(rf"^#?\s*{name}=", text, re.M), name


def test_check_deploy_warns_without_a_contact_key(tmp_path: Path) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "POULS_CONTACT_KEY"}
    result = _check_deploy({**env, "POULS_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0 and "POULS_CONTACT_KEY" in result.stderr + result.stdout
