"""The ``bordermap`` command line: a click group in :mod:`main`, one module per command."""
