"""Accounts, roles, logging in, invitations and password resets."""
