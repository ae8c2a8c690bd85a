"""gunicorn settings for production and the benchmarks: ``gunicorn -c python:lms.gunicorn_conf``.

Every value can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os

bind = os.environ.get("LMS_BIND", "127.0.0.1:8000")
# One worker per core plus one, each with a few threads to overlap database waits.
workers = int(os.environ.get("LMS_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("LMS_THREADS", 4))
keepalive = 5
timeout = 60
graceful_timeout = 30
accesslog = os.environ.get("LMS_ACCESS_LOG") or None
forwarded_allow_ips = os.environ.get("LMS_FORWARDED_ALLOW_IPS", "127.0.0.1")
control_socket_disable = True
