"""Reading a CSV export as a spreadsheet would, after checking what every export promises."""

from __future__ import annotations

import codecs
import csv
import io

from tracker import clock


def rows(response, kind: str) -> list[dict[str, str]]:
    """The file's rows by column; it must be a streamed UTF-8 CSV with a byte order mark, named for today."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/csv"
    assert response.headers["X-Accel-Buffering"] == "no"
    today = clock.hospital_today().isoformat()
    assert response.headers["Content-Disposition"] == f'attachment; filename="{kind}-{today}.csv"'
    body = response.get_data()
    assert body.startswith(codecs.BOM_UTF8) and not body.startswith(codecs.BOM_UTF8 * 2)
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def header(response) -> list[str]:
    return next(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
