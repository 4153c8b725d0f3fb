from .timelimit import watchdog  # noqa: F401  (transitional: removed once executor imports it from timelimit)
