"""E-mail notifications: queued in the outbox with the change that causes them, sent by a worker."""
