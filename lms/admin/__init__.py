"""Administration (事務局): people, roles, the audit log and the dashboard."""
