"""Build hook: every build of the package compiles the message catalogues.

The ``.po`` files are the source; the ``.mo`` files gettext reads are not committed. ``build_py``
(run by ``pip install .``, ``pip install -e .`` and ``pip wheel``) compiles each catalogue beside
its ``.po`` file, as ``make translations`` does, so a checkout that was installed is translated
too, and the compiled files go into the package as package data. The metadata is in setup.cfg.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

TRANSLATIONS = Path(__file__).resolve().parent / "tracker" / "translations"


def compile_catalogues(directory: Path) -> list[Path]:
    """Compile ``<locale>/LC_MESSAGES/messages.po`` to ``messages.mo``, as ``pybabel compile`` would."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    compiled = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        if catalog.fuzzy:  # pybabel compile leaves a catalogue marked fuzzy as a whole uncompiled
            continue
        mo_path = po_path.with_suffix(".mo")
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)  # fuzzy entries left out, as pybabel compile does
        compiled.append(mo_path)
    return compiled


class BuildWithCatalogues(build_py):
    """``build_py`` that compiles the catalogues before it copies the package."""

    def run(self) -> None:
        if not compile_catalogues(TRANSLATIONS):
            raise SystemExit(f"no message catalogue compiled from {TRANSLATIONS}")
        super().run()


setup(
    cmdclass={"build_py": BuildWithCatalogues},
    package_data={"tracker": ["translations/*/LC_MESSAGES/messages.mo"]},
)
