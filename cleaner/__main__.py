"""``python -m cleaner`` is the ``clean`` command."""

from .cli import main

main()
