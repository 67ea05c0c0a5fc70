#!/usr/bin/env python
"""Django's usual entry point; `huiwu …` (installed by pip) does the same."""

from huiwu.__main__ import main

if __name__ == "__main__":
    main()
