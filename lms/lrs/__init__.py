"""The embedded Learning Record Store at ``/xapi/`` (xAPI 1.0.3 / IEEE 9274.1.1).

Clients authenticate with HTTP Basic credentials made by ``flask lms lrs-client create``.
"""
