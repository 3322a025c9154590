"""The floor for the write benchmark: a bare Flask app that stores one JSON body per request.

Nothing but parse, insert, commit: what any write costs on this database, machine and server,
for comparison with a recognition written through the product. It writes to its own table
``bench_floor(id, body)`` in the database at ``DATABASE_URL`` (sqlite3 in WAL mode with a busy
timeout, or psycopg 3), one connection per server thread, one commit per request.

    gunicorn --workers 4 --threads 4 bench.floor_app:app

``POST /null`` answers without touching the database: the ceiling of client, HTTP and server.
"""

from __future__ import annotations

import json
import os
import threading

from flask import Flask, Response, request

DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///instance/tracker.db")
BUSY_TIMEOUT_MS = 30_000

app = Flask(__name__)
_local = threading.local()


def sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite:///")


def connect():
    if DATABASE_URL.startswith("sqlite"):
        import sqlite3

        connection = sqlite3.connect(sqlite_path(DATABASE_URL), isolation_level=None, check_same_thread=False)
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")  # as the app's own connections
        return connection
    import psycopg

    return psycopg.connect(DATABASE_URL.replace("postgresql+psycopg://", "postgresql://"))


def connection():
    if getattr(_local, "connection", None) is None:
        _local.connection = connect()
    return _local.connection


def create_table() -> None:
    """The floor's table; the benchmark calls this once before starting the server."""
    db = connect()
    if DATABASE_URL.startswith("sqlite"):
        db.execute("CREATE TABLE IF NOT EXISTS bench_floor (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    else:
        db.execute("CREATE TABLE IF NOT EXISTS bench_floor (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)")
        db.commit()
    db.close()


def drop_table() -> None:
    db = connect()
    db.execute("DROP TABLE IF EXISTS bench_floor")
    if not DATABASE_URL.startswith("sqlite"):
        db.commit()
    db.close()


def _answer(status: int, payload: dict) -> Response:
    return Response(json.dumps(payload), status=status, mimetype="application/json")


@app.get("/healthz")
def healthz():
    return _answer(200, {"status": "ok"})


@app.post("/null")
def null():
    request.get_json()
    return _answer(201, {"id": 0})


@app.post("/floor")
def floor():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _answer(400, {"error": {"message": "A JSON object is needed."}})
    text = json.dumps(body)
    db = connection()
    if DATABASE_URL.startswith("sqlite"):
        db.execute("BEGIN IMMEDIATE")
        try:
            row_id = db.execute("INSERT INTO bench_floor (body) VALUES (?)", (text,)).lastrowid
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    else:
        try:
            row_id = db.execute("INSERT INTO bench_floor (body) VALUES (%s) RETURNING id", (text,)).fetchone()[0]
            db.commit()
        except BaseException:
            db.rollback()
            raise
    return _answer(201, {"id": row_id, "message": body.get("message")})
