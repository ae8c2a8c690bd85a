"""Serve Ralph's LRS with uvicorn: ``<ralph venv>/bin/python tools/ralph_server.py HOST PORT``.

Ralph 4.2.0's filesystem backend writes with the ``index`` operation by default, which refuses
an existing file: every POST after the first answers 500 ("fs_lrs.jsonl already exists and
overwrite is not allowed"). So the operation type becomes ``append`` before ``ralph.api``
(whose statements router builds the backend at import) is loaded; ``ralph runserver`` would
start uvicorn on the import string ``ralph.api:app`` without that, hence uvicorn directly.

Environment read by Ralph: ``RALPH_RUNSERVER_BACKEND=fs``, ``RALPH_AUTH_FILE`` (written by
``ralph auth … -w``), ``RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH`` (the store).
Statements are served at ``/xAPI/statements``; readiness at ``/__lbheartbeat__``.
"""

import sys

import ralph.backends.data.base
import ralph.backends.lrs.fs
import uvicorn

ralph.backends.lrs.fs.FSLRSBackend.default_operation_type = (
    ralph.backends.data.base.BaseOperationType.APPEND)
from ralph.api import app  # noqa: E402  (must come after the line above)

uvicorn.run(app, host=sys.argv[1], port=int(sys.argv[2]), log_level="warning")
