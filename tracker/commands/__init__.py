"""``flask --app tracker …`` commands. Each feature adds its group to COMMANDS."""

from flask import Flask

from tracker.commands.backup import backup
from tracker.commands.dashboard import dashboard
from tracker.commands.demo import seed_demo
from tracker.commands.directory import departments, tokens, users
from tracker.commands.phi import phi_group
from tracker.commands.retention import retention
from tracker.commands.roster import roster
from tracker.commands.scim import scim
from tracker.integrations.commands import channels, webhooks
from tracker.notifications.commands import notifications, outbox, static_digest
from tracker.surveys.commands import surveys

COMMANDS = [
    users,
    departments,
    tokens,
    seed_demo,
    outbox,
    notifications,
    static_digest,
    retention,
    roster,
    backup,
    dashboard,
    webhooks,
    channels,
    phi_group,
    scim,
    surveys,
]


def register(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
