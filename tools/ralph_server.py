"""Serve Ralph's LRS (filesystem backend) with uvicorn: ``python ralph_server.py HOST PORT``.

Ralph's filesystem backend answers 500 from the second write on unless it appends (4.0–5.1),
so the operation type is set before ``ralph.api`` is imported; ``ralph runserver`` would
reload in a child process and lose that, hence uvicorn directly.
"""
import sys

import ralph.backends.data.base
import ralph.backends.lrs.fs
import uvicorn

ralph.backends.lrs.fs.FSLRSBackend.default_operation_type = (
    ralph.backends.data.base.BaseOperationType.APPEND)
from ralph.api import app  # noqa: E402  (must come after the line above)

uvicorn.run(app, host=sys.argv[1], port=int(sys.argv[2]), log_level="warning")
