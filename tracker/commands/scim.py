"""``scim token create NAME`` / ``list`` / ``revoke ID``: the directory's SCIM bearer tokens."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from tracker.commands.directory import fail
from tracker.extensions import db
from tracker.models import ScimToken
from tracker.scim import auth


@click.group(help="SCIM provisioning from the hospital's directory.")
def scim():
    pass


@scim.group(help="Bearer tokens for the directory's SCIM client.")
def token():
    pass


@token.command("create", help="Create a SCIM token; it is printed once, on the last line.")
@click.argument("name")
@with_appcontext
def create(name):
    if not name.strip():
        fail("the token needs a name")
    secret = auth.create_token(name.strip())
    db.session.commit()
    click.echo(f"SCIM token '{name.strip()}' (store it in the directory now; it cannot be shown again):")
    click.echo(secret)


@token.command("list", help="List SCIM tokens (never the tokens themselves).")
@with_appcontext
def list_tokens():
    for row in db.session.scalars(sa.select(ScimToken).order_by(ScimToken.id)):
        state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "active"
        used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never"
        click.echo(f"{row.id}\t{row.name}\t{row.prefix}…\t{state}\tlast used {used}")


@token.command("revoke", help="Revoke a SCIM token by its id (see 'scim token list').")
@click.argument("token_id", type=int)
@with_appcontext
def revoke(token_id):
    row = auth.revoke_token(token_id)
    if row is None:
        fail(f"no SCIM token with the id {token_id}")
    db.session.commit()
    click.echo(f"Revoked SCIM token '{row.name}'.")
