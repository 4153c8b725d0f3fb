"""The stages, one module each: pure functions ``(Document, Context) -> Document``.

The order they run in is listed once, in `cleaner.pipeline.STAGES`.
"""
