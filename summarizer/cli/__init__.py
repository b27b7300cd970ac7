"""The ``summarizer`` command line.

* :mod:`~summarizer.cli.main` runs the commands and maps errors to messages and exit codes.
* :mod:`~summarizer.cli.parser` defines the arguments, one function per command.
* :mod:`~summarizer.cli.console` formats what a person sees (progress, tables, reports).
"""
