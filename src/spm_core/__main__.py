"""Run the ``spm`` command as ``python -m spm_core``."""

from spm_core.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
