"""vinilogy: the project package, the only place that knows every app (layer 7 of 7).

Settings, urls, the Celery app, /health, the operators' console views (admin_views), the
offline demo loader (demo.py, `load_demo`, `setup_local`) and `check_integrations`, which
loops over the price- and listening-source registries. No domain rule of one app lives here.
"""

from .celery import app as celery_app

__all__ = ("celery_app",)
