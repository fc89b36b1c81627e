"""Persistence: typed models, engine and session set-up, migrations."""
