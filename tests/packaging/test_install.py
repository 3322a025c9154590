"""Installing the package compiles its message catalogues: every documented install path is translated.

Each test copies the sources as a fresh clone has them (``.po`` files, no ``.mo``) and installs
them with pip the ordinary way, with build isolation, so the build runs with exactly what
pyproject.toml asks for. The new virtual environment reuses this project's installed
dependencies through a ``.pth`` file, so only the package itself is built and installed.
"""

from __future__ import annotations

import gettext
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import pytest

from tests import databases
from tests.reliability import harness

pytestmark = [pytest.mark.no_db_transaction, pytest.mark.load]

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["tracker", "templates", "static", "migrations", "setup.py", "setup.cfg", "pyproject.toml",
           "MANIFEST.in", "README.md", "babel.cfg", "wsgi.py"]  # fmt: skip
LOCALES = ["es", "pt", "ht", "zh_Hans"]
ENGLISH = "Share your feedback"
SPANISH = "Comparta su opinión"
COMMAND_TIMEOUT_SECONDS = 240


def _fresh_clone(target: Path) -> Path:
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("*.mo", "__pycache__", "*.egg-info", "cache_manifest.json")
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)
    assert not list(target.glob("tracker/translations/*/LC_MESSAGES/*.mo"))
    return target


def _environment() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith(("PIP_", "PYTHON"))}


def _run(command: list, cwd: Path, env: dict | None = None) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env or _environment(),
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_SECONDS,
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def _fresh_venv(path: Path) -> Path:
    """A new virtual environment that finds this project's dependencies, but not this checkout."""
    _run([sys.executable, "-m", "venv", "--without-pip", path], cwd=path.parent)
    python = path / "bin" / "python"
    site_packages = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], path.parent)
    Path(site_packages.strip(), "project-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def _pip(python: Path, *arguments) -> list:
    # --ignore-installed: the project's own editable install, visible through the .pth, is never touched.
    return [sys.executable, "-m", "pip", "--python", python, "--disable-pip-version-check", "-q", *arguments]


def _translated(mo_file) -> str:
    return gettext.GNUTranslations(mo_file).gettext(ENGLISH)


def test_pip_install_of_a_fresh_clone_is_translated_installed_and_served(tmp_path):
    source = _fresh_clone(tmp_path / "icare-tracker")
    python = _fresh_venv(tmp_path / "venv")
    _run(_pip(python, "install", "--no-deps", "--ignore-installed", "."), cwd=source)

    # The installed copy carries every compiled catalogue.
    script = "import tracker, pathlib; print(pathlib.Path(tracker.__file__).resolve().parent)"
    installed = Path(_run([python, "-c", script], cwd=tmp_path).strip())
    assert installed.is_relative_to(tmp_path / "venv"), installed
    for locale in LOCALES:
        with (installed / "translations" / locale / "LC_MESSAGES" / "messages.mo").open("rb") as mo_file:
            assert _translated(mo_file) not in ("", ENGLISH), locale
    with (installed / "translations" / "es" / "LC_MESSAGES" / "messages.mo").open("rb") as mo_file:
        assert _translated(mo_file) == SPANISH

    # As docs/operations.md runs it, from the folder that was installed: migrate, serve, ask in Spanish.
    instance = tmp_path / "instance"
    instance.mkdir()
    with databases.fresh_database("install") as url:
        environment = harness.server_environment(url, instance)
        environment = {key: value for key, value in environment.items() if not key.startswith(("PIP_", "PYTHON"))}
        _run([python, "-m", "flask", "--app", "tracker", "db", "upgrade"], cwd=source, env=environment)
        port = harness.free_port()
        with (tmp_path / "gunicorn.log").open("ab") as log:
            server = subprocess.Popen(
                [
                    python,
                    "-m",
                    "gunicorn",
                    "--workers",
                    "1",
                    "--no-control-socket",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "wsgi:app",
                ],
                cwd=source,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            reply = _wait_for_page(port, server, tmp_path / "gunicorn.log")
        finally:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
    assert reply.status == 200
    assert '<html lang="es"' in reply.text
    assert SPANISH in reply.text and ENGLISH not in reply.text


def _wait_for_page(port: int, server: subprocess.Popen, log: Path) -> harness.Reply:
    deadline = time.monotonic() + harness.START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text(errors="replace")[-3000:]
        try:
            return harness.send(port, "GET", "/feedback", headers={"Accept-Language": "es-ES,es;q=0.9"})
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer:\n{log.read_text(errors='replace')[-3000:]}")


def test_a_wheel_and_an_editable_install_carry_the_compiled_catalogues(tmp_path):
    wheel_source = _fresh_clone(tmp_path / "for-wheel")
    _run(_pip(sys.executable, "wheel", "--no-deps", "--wheel-dir", tmp_path / "dist", "."), cwd=wheel_source)
    (wheel,) = (tmp_path / "dist").glob("icare_tracker-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for locale in LOCALES:
            assert f"tracker/translations/{locale}/LC_MESSAGES/messages.mo" in names, locale
        assert "tracker/data/common-passwords.txt" in names
        with archive.open("tracker/translations/es/LC_MESSAGES/messages.mo") as mo_file:
            assert _translated(mo_file) == SPANISH

    editable_source = _fresh_clone(tmp_path / "for-editable")
    python = _fresh_venv(tmp_path / "venv")
    _run(_pip(python, "install", "--no-deps", "--ignore-installed", "-e", "."), cwd=editable_source)
    script = "import tracker, pathlib; print(pathlib.Path(tracker.__file__).resolve().parent)"
    assert Path(_run([python, "-c", script], cwd=tmp_path).strip()) == (editable_source / "tracker").resolve()
    for locale in LOCALES:
        with (editable_source / "tracker" / "translations" / locale / "LC_MESSAGES" / "messages.mo").open("rb") as mo:
            assert _translated(mo) not in ("", ENGLISH), locale
