"""Alembic migrations of the store (``Store.migrate`` runs them; no alembic.ini needed).

A package so that setuptools ships ``env.py`` and ``versions/*.py`` with docfraud. To write a new
revision after changing ``docfraud/store/db.py``, in Python::

    from alembic import command
    from docfraud.store.db import alembic_config

    config = alembic_config()
    config.set_main_option("sqlalchemy.url", "sqlite:///scratch.sqlite3")
    command.upgrade(config, "head")
    command.revision(config, "what changed", autogenerate=True, rev_id="0002")

then review the generated file (autogenerate misses renames) and test it both ways.
"""
