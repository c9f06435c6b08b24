"""Command line interface: one module per command, assembled in :mod:`streams.cli.main`."""
