"""Run briefgen as ``python -m briefgen``."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="briefgen")
