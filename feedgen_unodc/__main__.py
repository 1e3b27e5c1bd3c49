"""`python -m feedgen_unodc`: the same as the `feedgen-unodc` command."""

from .cli import entry

entry()
