"""``flask --app tracker phi scan [FILE] [--published]``: run the health-information guard on text.

A privacy officer tests the guard on their own words (one comment a line, from FILE or standard
input), or re-scans the words of every published patient recognition after the guard improved.
Each line out is one JSON object: ``{"line": N, "findings": [{"kind", "start", "end", "text"}]}``
(with ``"recognition": ID`` instead of ``"line"`` for ``--published``).
"""

from __future__ import annotations

import json

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from tracker import phi
from tracker.extensions import db
from tracker.models import Recognition, RecognitionStatus, Source


def _emit(key: str, value: int, text: str) -> None:
    findings = [finding.as_dict() for finding in phi.find_health_information(text)]
    click.echo(json.dumps({key: value, "findings": findings}, ensure_ascii=False))


@click.group(help="The health-information guard.")
def phi_group() -> None:
    pass


@phi_group.command("scan", help="Print the health information found in each line of FILE (or standard input).")
@click.argument("file", type=click.File("r", encoding="utf-8", errors="replace"), default="-")
@click.option("--published", is_flag=True, help="Scan the published patient recognitions instead of FILE.")
@with_appcontext
def scan(file, published: bool) -> None:
    if published:
        rows = db.session.execute(
            sa.select(Recognition.id, Recognition.message)
            .where(Recognition.status == RecognitionStatus.PUBLISHED, Recognition.source != Source.PEER)
            .order_by(Recognition.id)
            .execution_options(yield_per=500)
        )
        for recognition_id, message in rows:
            _emit("recognition", recognition_id, message or "")
        return
    for number, line in enumerate(file, start=1):
        _emit("line", number, line.rstrip("\n"))


phi_group.name = "phi"
