"""Fixtures: one migrated database per run, a rolled-back transaction per test, people per role."""

from __future__ import annotations

import os
import shutil

import pytest
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSession

from tests import databases
from tests.factories import PASSWORD, DepartmentFactory, PersonFactory
from tests.helpers import BrowserLikeClient
from tests.translations import compile_missing_catalogues
from tracker import create_app
from tracker.extensions import db, limiter
from tracker.models import Role


def pytest_sessionstart(session):
    compile_missing_catalogues()  # a fresh clone has only the .po files


def pytest_report_header(config):
    return f"database: {databases.backend()}"


def make_test_config(database_url: str, instance_path: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "MAIL_DIR": os.path.join(instance_path, "mail"),
        "SERVER_NAME": None,
    }


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("instance")
    os.environ["TRACKER_INSTANCE_PATH"] = str(path)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def app(instance_path):
    with databases.fresh_database("suite") as url:
        application = create_app(make_test_config(url, str(instance_path)))
        application.test_client_class = BrowserLikeClient
        with application.app_context():
            upgrade()  # the migrations build the schema, as in production
        yield application
        with application.app_context():
            db.engine.dispose()


class _BoundSession(FlaskSession):
    """Flask-SQLAlchemy's session picks engines by bind key; tests bind it to one connection."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return self.bind if self.bind is not None else super().get_bind(mapper, clause, bind, **kwargs)


@pytest.fixture(autouse=True)
def db_session(request, app):
    """Every test runs inside a transaction that is rolled back afterwards.

    Application commits become savepoint releases, so code under test commits as usual.
    """
    if "no_db_transaction" in request.keywords:
        yield None
        return
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": _BoundSession}
        )
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            if transaction.is_active:
                transaction.rollback()
            connection.close()


@pytest.fixture(autouse=True)
def rate_limits_off_after_each_test():
    """A test that builds an app with rate limits on switches on the one shared limiter; switch it off."""
    yield
    limiter.enabled = False


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- people per role ---------------------------------------------------------------------------


@pytest.fixture
def hospital(db_session):
    """A small tree: hospital → medicine → two units, and surgery → one unit."""
    root = DepartmentFactory(slug="hospital", name="General Hospital")
    medicine = DepartmentFactory(slug="medicine", name="Medicine", parent=root)
    surgery = DepartmentFactory(slug="surgery", name="Surgery", parent=root)
    return {
        "hospital": root,
        "medicine": medicine,
        "surgery": surgery,
        "ellison-12": DepartmentFactory(slug="ellison-12", name="Ellison 12", parent=medicine),
        "ellison-14": DepartmentFactory(slug="ellison-14", name="Ellison 14", parent=medicine),
        "white-6": DepartmentFactory(slug="white-6", name="White 6", parent=surgery),
    }


@pytest.fixture
def staff(hospital):
    return PersonFactory(name="Sam Okafor", email="nurse@example.org", department=hospital["ellison-12"])


@pytest.fixture
def colleague(hospital):
    return PersonFactory(name="Maria Lopez", email="maria@example.org", department=hospital["ellison-12"])


@pytest.fixture
def surgeon(hospital):
    return PersonFactory(
        name="John Smith",
        email="john@example.org",
        department=hospital["white-6"],
        job_title="Physician",
        job_family="Physicians",
    )


@pytest.fixture
def manager(hospital):
    """Manages Medicine, so both Ellison units, but not Surgery."""
    return PersonFactory(
        name="Dana Whitfield",
        email="manager@example.org",
        department=hospital["ellison-12"],
        roles={Role.MANAGER},
        manages=[hospital["medicine"]],
    )


@pytest.fixture
def other_manager(hospital):
    return PersonFactory(
        name="Lee Park",
        email="surgery.manager@example.org",
        department=hospital["white-6"],
        roles={Role.MANAGER},
        manages=[hospital["surgery"]],
    )


@pytest.fixture
def advocate(hospital):
    return PersonFactory(
        name="Luz Ortega", email="advocate@example.org", department=hospital["hospital"], roles={Role.ADVOCATE}
    )


@pytest.fixture
def admin(hospital):
    return PersonFactory(
        name="Morgan Reyes", email="admin@example.org", department=hospital["hospital"], roles={Role.ADMIN}
    )


@pytest.fixture
def sign_in(client):
    """``sign_in(person)`` signs the test client in through the real login form."""

    def _sign_in(person):
        response = client.sign_in(person.email, PASSWORD)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return _sign_in
