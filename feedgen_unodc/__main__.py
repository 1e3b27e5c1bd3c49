"""`python -m feedgen_unodc`: the same as the `feedgen-unodc` command."""

from .cli import main

main(prog_name="feedgen-unodc")
