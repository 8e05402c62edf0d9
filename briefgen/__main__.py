"""Run briefgen as ``python -m briefgen``."""

from .cli import main

main(prog_name="briefgen")
