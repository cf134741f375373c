"""``python -m bot`` is the ``quotebot`` command."""

from .cli import main

main()
