"""gunicorn's settings file: read by gunicorn from its working directory (/app in the image, the
repository root here) and named explicitly by the Dockerfile's command.

Only logging lives here (bind, workers and timeout stay on the command line): the access and
error logs go through vinilogy.secret_urls.RedactAccessLog, so a feed, unsubscribe or
deletion token, an allauth key or an OAuth ?code= in a request line or a Referer is written as
REDACTED. Lines are otherwise gunicorn's own: the access log on stdout in its default format,
the error log on stderr at the --log-level given.
"""

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "vinilogy.secret_urls.RedactAccessLog"}},
    "formatters": {
        "access": {"format": "%(message)s"},
        "generic": {"format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s", "datefmt": "[%Y-%m-%d %H:%M:%S %z]"},
    },
    "handlers": {
        "access": {"class": "logging.StreamHandler", "formatter": "access", "filters": ["redact"], "stream": "ext://sys.stdout"},
        "error": {"class": "logging.StreamHandler", "formatter": "generic", "filters": ["redact"], "stream": "ext://sys.stderr"},
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "generic",
            "filters": ["redact"],
            "stream": "ext://sys.stdout",
        },
    },
    # Until Django's LOGGING takes the root logger over in each worker.
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "gunicorn.access": {"handlers": ["access"], "propagate": False},
        "gunicorn.error": {"handlers": ["error"], "propagate": False},
    },
}
