"""Notifications: the email and SMS each workflow event sends, exactly once per event and channel."""
